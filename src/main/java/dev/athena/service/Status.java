package dev.athena.service;

/** The seed's three states of a backup or restore. */
public enum Status {
    Running, Success, Failed;

    public boolean finished() {
        return this != Running;
    }
}
