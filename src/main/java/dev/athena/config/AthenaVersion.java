package dev.athena.config;

/** This build's version: what --version prints and every report names. */
public final class AthenaVersion {
    public static final String NUMBER = "0.1.0";

    private AthenaVersion() {
    }
}
