package dev.athena.config;

/** A setting is invalid; the message names the variable and what is wrong with it. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
