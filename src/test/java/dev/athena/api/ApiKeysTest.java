package dev.athena.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
    @TempDir
    Path tmp;

    @Test
    void withoutConfiguredKeysOneIsGeneratedStoredOwnerOnlyAndReusedAfterARestart() throws Exception {
        ApiKeys first = ApiKeys.resolve(List.of(), tmp.resolve("state"));
        Path file = tmp.resolve("state/api-key");
        String key = Files.readString(file).trim();
        assertThat(key).hasSizeGreaterThan(30);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.accepts(key)).isTrue();
        assertThat(first.accepts("Bearer " + key)).isTrue();
        assertThat(first.accepts("")).isFalse();
        assertThat(first.accepts(null)).isFalse();
        assertThat(ApiKeys.resolve(List.of(), tmp.resolve("state")).accepts(key)).as("reused after a restart").isTrue();
    }

    @Test
    void configuredKeysAreTheOnlyOnesAccepted() {
        ApiKeys keys = ApiKeys.of(List.of("alpha", "beta"));
        assertThat(keys.accepts("alpha")).isTrue();
        assertThat(keys.accepts("bearer beta")).isTrue();
        assertThat(keys.accepts("alph")).isFalse();
        assertThat(keys.accepts("alpha ")).isTrue();
    }
}
