package dev.athena.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.athena.testing.AthenaProcess;

/** Misspelt variables, Kubernetes service links, placeholder secrets: what the environment may hold at start. */
class EnvironmentCheckTest {
    @TempDir
    Path tmp;

    /** What Kubernetes puts in every pod of a namespace with Services named postgres, athena and metagraph. */
    static Map<String, String> serviceLinks() {
        Map<String, String> env = new HashMap<>();
        for (String[] s : new String[][] {{"POSTGRES", "10.0.0.7", "5432"}, {"ATHENA", "10.0.0.8", "8080"}, {"METAGRAPH", "10.0.0.9", "7687"},
                {"GITSERVER", "10.0.0.10", "3000"}, {"KUBERNETES", "10.0.0.1", "443"}}) {
            String name = s[0];
            env.put(name + "_SERVICE_HOST", s[1]);
            env.put(name + "_SERVICE_PORT", s[2]);
            env.put(name + "_SERVICE_PORT_HTTP", s[2]);
            env.put(name + "_PORT", "tcp://" + s[1] + ":" + s[2]);
            env.put(name + "_PORT_" + s[2] + "_TCP", "tcp://" + s[1] + ":" + s[2]);
            env.put(name + "_PORT_" + s[2] + "_TCP_PROTO", "tcp");
            env.put(name + "_PORT_" + s[2] + "_TCP_PORT", s[2]);
            env.put(name + "_PORT_" + s[2] + "_TCP_ADDR", s[1]);
        }
        return env;
    }

    @Test
    void aNearMissOfAnAthenaVariableStopsTheStartNamingTheOneMeant() {
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("LOCAL_BACKUP_LOCATON", "/data")))
                .hasMessage("LOCAL_BACKUP_LOCATON is not a variable Athena reads; did you mean LOCAL_BACKUP_LOCATION? (unset or rename it)");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("ENABLE_REGULAR_BACKUP", "true")))
                .hasMessageContaining("did you mean ENABLE_REGULAR_BACKUPS?");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("AWS_S3_BUKET_NAME", "b"))).hasMessageContaining("AWS_S3_BUCKET_NAME");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("POSTGRES_HOTS", "db"))).hasMessageContaining("POSTGRES_HOST");
        // The unit left off: too many letters apart for a typo, and still plainly the one meant.
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("POSTGRES_BASE_BACKUP_MAX_AGE", "24")))
                .hasMessageContaining("did you mean POSTGRES_BASE_BACKUP_MAX_AGE_HOURS?");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("WAL_UPLOAD_INTERVAL", "5"))).hasMessageContaining("WAL_UPLOAD_INTERVAL_SECONDS");
    }

    @Test
    void otherUnknownVariablesWithAthenasPrefixesAreWarningsAndTheRestIsSilent() {
        List<String> warnings = EnvironmentCheck.check(Map.of("POSTGRES_DB", "platform", "ATHENA_COLOUR", "blue", "HOME", "/root",
                "AWS_SECRET_ACCESS_KEY", "x", "PATH", "/bin", "ENABLE_REGULAR_BACKUPS", "false"));
        assertThat(warnings).containsExactly("environment variable ATHENA_COLOUR is not one Athena reads; it is ignored",
                "environment variable POSTGRES_DB is not one Athena reads; it is ignored");
    }

    @Test
    void theLaunchersVariablesAreKnown() {
        // The image sets ATHENA_JAVA_OPTS: serve used to log it as ignored at every start.
        assertThat(EnvironmentCheck.check(Map.of("ATHENA_JAVA_OPTS", "-Xmx1g", "ATHENA_JAR", "/opt/athena/athena.jar",
                "ATHENA_CLASS_ARCHIVE", "off"))).isEmpty();
    }

    @Test
    void serviceLinksAreRecognisedAndOneThatTakesASettingsNameSaysHowToFixIt() {
        Map<String, String> links = serviceLinks();
        links.remove("POSTGRES_PORT");
        links.remove("ATHENA_PORT");
        assertThat(EnvironmentCheck.check(links)).isEmpty();
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("POSTGRES_PORT", "tcp://10.0.0.7:5432")))
                .hasMessageContaining("POSTGRES_PORT is 'tcp://10.0.0.7:5432', which Kubernetes sets for a Service named 'postgres'")
                .hasMessageContaining("enableServiceLinks: false");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("ATHENA_PORT", "tcp://10.0.0.8:8080"))).hasMessageContaining("'athena'");
    }

    @Test
    void placeholderSecretsAreRefusedAndShortKeysWarnedAbout() {
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("ATHENA_API_KEYS", "good-key-0123456789,change-me-to-a-long-random-key")))
                .hasMessageContaining("ATHENA_API_KEYS still holds the manifest's placeholder").hasMessageNotContaining("good-key");
        assertThatThrownBy(() -> EnvironmentCheck.check(Map.of("POSTGRES_PASSWORD", "change-me"))).hasMessageContaining("POSTGRES_PASSWORD");
        assertThat(EnvironmentCheck.check(Map.of("ATHENA_ENCRYPTION_KEY", "short", "ATHENA_API_KEYS", "0123456789abcdef-long")))
                .singleElement().asString().contains("ATHENA_ENCRYPTION_KEY is shorter than 16 characters").doesNotContain("short,");
    }

    // ---- serve, as a process -----------------------------------------------------------------

    private Process serve(Map<String, String> env) throws IOException {
        ProcessBuilder pb = AthenaProcess.builder(List.of(), "serve").redirectOutput(tmp.resolve("serve.log").toFile());
        pb.environment().put("LOCAL_BACKUP_LOCATION", tmp.resolve("backups").toString());
        pb.environment().put("ATHENA_STATE_DIR", tmp.resolve("state").toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private String failedStart(Map<String, String> env) throws Exception {
        Process p = serve(env);
        assertThat(p.waitFor()).isEqualTo(1);
        String out = Files.readString(tmp.resolve("serve.log")).strip();
        assertThat(out.lines()).as(out).hasSize(1);
        return out;
    }

    @Test
    void serveRefusesATypoAPlaceholderAndPeriodicBackupsOfNothingInOneLine() throws Exception {
        Files.createDirectories(tmp.resolve("metagraph"));
        assertThat(failedStart(Map.of("LOCAL_BACKUP_LOCATON", "/elsewhere", "METAGRAPH_VOLUME_PATH", tmp.resolve("metagraph").toString())))
                .isEqualTo("athena: LOCAL_BACKUP_LOCATON is not a variable Athena reads; did you mean LOCAL_BACKUP_LOCATION? (unset or rename it)");
        assertThat(failedStart(Map.of("ATHENA_API_KEYS", "change-me-to-a-long-random-key"))).contains("placeholder");
        assertThat(failedStart(Map.of("ENABLE_REGULAR_BACKUPS", "true", "ATHENA_API_KEYS", "a-real-key-0123456789")))
                .contains("ENABLE_REGULAR_BACKUPS is true but no component is configured");
        assertThat(failedStart(Map.of("BACKUP_FREQUENCY", "0 0 _/4 _ * _", "METAGRAPH_VOLUME_PATH", tmp.resolve("metagraph").toString())))
                .contains("write '0 0 */4 * * *'");
        assertThat(Files.exists(tmp.resolve("backups"))).as("nothing was written").isFalse();
    }

    @Test
    void serveStartsWithEveryServiceLinkVariableKubernetesSets() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(tmp.resolve("metagraph"));
        Map<String, String> env = serviceLinks();
        // The two that take a setting's name are set explicitly, as the message advises.
        env.put("POSTGRES_PORT", "5432");
        env.put("ATHENA_PORT", Integer.toString(port));
        env.put("METAGRAPH_VOLUME_PATH", tmp.resolve("metagraph").toString());
        env.put("ATHENA_API_KEYS", "service-link-key-0123456789");
        Process p = serve(env);
        try {
            HttpClient http = HttpClient.newHttpClient();
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> http.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
            assertThat(Files.readString(tmp.resolve("serve.log"))).doesNotContain("is not one Athena reads");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    /** A variable Athena reads but README.md does not name is one a user cannot find. */
    @Test
    void everyVariableAthenaReadsIsDocumented() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(EnvironmentCheck.KNOWN).allSatisfy(name -> assertThat(readme).as("README.md documents " + name).contains("`" + name + "`"));
    }
}
