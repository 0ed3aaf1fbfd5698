package dev.athena.cli;

import java.io.PrintStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Option;

/** {@code -o table|json}: what a command prints on stdout, for a person or for a program. */
final class OutputOption {
    enum Format { table, json }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

    /** Reads what a service answers, tolerating the fields a newer service adds. */
    private static final ObjectMapper READ = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    static ObjectMapper reader() {
        return READ;
    }

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "What to print: a table for people (default), or json, whose fields are documented and stay.")
    Format format = Format.table;

    boolean json() {
        return format == Format.json;
    }

    /** {@code value} as indented JSON on stdout. */
    static void printJson(Object value) {
        printJson(System.out, value);
    }

    static void printJson(PrintStream out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
