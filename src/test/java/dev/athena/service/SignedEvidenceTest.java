package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.repository.BlobId;
import dev.athena.testing.AthenaProcess;
import dev.athena.testing.ServiceFixture;

/**
 * Signed evidence (issue 13, item 7): a restore's report, HTML and JSON, carries the SHA-256 of
 * the backup's manifest and an Ed25519 signature by the service's key; `athena report verify`
 * accepts it as written and refuses it with one byte changed, or checked against another key.
 */
class SignedEvidenceTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private Run athena(ServiceFixture service, String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        ProcessBuilder b = AthenaProcess.builder(List.of(), args).redirectErrorStream(false);
        b.environment().putAll(Map.of("ATHENA_URL", service.url(""), "ATHENA_API_KEY", ServiceFixture.KEY));
        int code = b.redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor();
        return new Run(code, Files.readString(out), Files.readString(err));
    }

    @Test
    void aRestoresReportIsSignedVerifiesAsWrittenAndNotWithAByteChanged() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"))) {
            Path keyFile = athena.root.resolve("state/signing-key");
            assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String ts = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            athena.awaitFinished(API + "/backupstatus", ts);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            assertThat(athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + ts + "\", \"enableReportGeneration\": true}").status())
                    .isEqualTo(202);
            assertThat(athena.awaitFinished(API + "/restorestatus", ts).get("status").asText()).isEqualTo("Success");

            JsonNode key = athena.call("GET", API + "/signingkey", null).json();
            assertThat(key.get("algorithm").asText()).isEqualTo("Ed25519");
            String fingerprint = key.get("fingerprint").asText();
            String manifestSha = BlobId.of(Files.readAllBytes(athena.root.resolve("backups/app/" + ts + "/manifest.json"))).hex();

            Path html = tmp.resolve("report.html");
            Files.write(html, athena.call("GET", API + "/restorereport?timestamp=" + ts, null).body().getBytes(StandardCharsets.UTF_8));
            Path json = tmp.resolve("report.json");
            Files.write(json, athena.call("GET", API + "/restorereport?timestamp=" + ts + "&format=json", null).body().getBytes(StandardCharsets.UTF_8));
            assertThat(Files.readString(html)).contains("Manifest SHA-256", manifestSha, "Signed by", fingerprint, "<!--athena-signature Ed25519 " + fingerprint);
            JsonNode report = athena.call("GET", API + "/restorereport?timestamp=" + ts + "&format=json", null).json();
            assertThat(report.get("manifestSha256").asText()).isEqualTo(manifestSha);
            assertThat(report.get("signature").get("publicKeyFingerprint").asText()).isEqualTo(fingerprint);

            for (Path file : List.of(html, json)) {
                Run ok = athena(athena, "report", "verify", file.toString());
                assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
                assertThat(ok.out()).contains("the signature is valid", fingerprint);
            }
            Path stdout = tmp.resolve("stdout.html");
            Files.writeString(stdout, athena(athena, "report", ts).out());
            assertThat(athena(athena, "report", "verify", stdout.toString()).code()).as("the report as `athena report TS > FILE` writes it").isZero();

            byte[] changed = Files.readAllBytes(html);
            int at = new String(changed, StandardCharsets.UTF_8).indexOf("Success");
            changed[at] = 's';
            Path tampered = tmp.resolve("tampered.html");
            Files.write(tampered, changed);
            Run bad = athena(athena, "report", "verify", tampered.toString());
            assertThat(bad.code()).isEqualTo(3);
            assertThat(bad.err()).contains("changed after it was signed");
            Path tamperedJson = tmp.resolve("tampered.json");
            Files.writeString(tamperedJson, Files.readString(json).replaceFirst("\"rtoSeconds\":(\\d+)", "\"rtoSeconds\":1$1"));
            assertThat(athena(athena, "report", "verify", tamperedJson.toString()).code()).isEqualTo(3);

            KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Run otherKey = athena(athena, "report", "verify", html.toString(), "--public-key",
                    Base64.getEncoder().encodeToString(other.getPublic().getEncoded()));
            assertThat(otherKey.code()).isEqualTo(3);
            assertThat(otherKey.err()).contains("not by the key given");
        }
    }

    @Test
    void aConfiguredKeySignsAndItsPublicKeyIsServed() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), Map.of("ATHENA_SIGNING_KEY", pkcs8))) {
            JsonNode key = athena.call("GET", API + "/signingkey", null).json();
            assertThat(Base64.getDecoder().decode(key.get("publicKey").asText())).isEqualTo(pair.getPublic().getEncoded());
            assertThat(Files.exists(athena.root.resolve("state/signing-key"))).as("nothing generated").isFalse();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ServiceFixture(tmp.resolve("other"), Clock.systemUTC(),
                Map.of("ATHENA_SIGNING_KEY", "not a key"))).hasMessageContaining("ATHENA_SIGNING_KEY is not an Ed25519 private key");
    }

    @Test
    void theEvidencePageListsThePeriodsBackupsRestoresAndFailuresWithTheirResolutionSigned() throws Exception {
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"))) {
            String good = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            athena.awaitFinished(API + "/backupstatus", good);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            Path moved = athena.root.resolve("gitserver-away");
            Files.move(athena.gitserver, moved);
            String failed = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            assertThat(athena.awaitFinished(API + "/backupstatus", failed).get("status").asText()).isEqualTo("Failed");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            Files.move(moved, athena.gitserver);
            String again = ServiceFixture.timestampOf(athena.call("POST", API + "/ondemandbackup", "{}"));
            athena.awaitFinished(API + "/backupstatus", again);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            athena.call("POST", API + "/ondemandrestore", "{\"timestamp\": \"" + again + "\", \"dryRun\": true}");
            athena.awaitFinished(API + "/restorestatus", again);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> athena.service.jobs().running().isEmpty());
            assertThat(athena.call("POST", API + "/ondemanddrill", "{}").status()).isEqualTo(202);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !athena.call("GET", API + "/drillstatus", null).json()
                    .get("status").asText().equals("Running"));

            JsonNode e = athena.call("GET", API + "/evidence?from=2020-01-01&format=json", null).json();
            assertThat(e.get("backups")).hasSize(3);
            assertThat(e.get("backups").get(1).get("status").asText()).isEqualTo("Failed");
            assertThat(e.get("failures")).singleElement().satisfies(f -> {
                assertThat(f.get("what").asText()).isEqualTo("backup " + failed);
                assertThat(f.get("resolution").asText()).startsWith("resolved by backup " + again);
            });
            assertThat(e.get("restores")).singleElement().satisfies(r -> assertThat(r.get("dryRun").asBoolean()).isTrue());
            assertThat(e.get("rpo").get("successfulBackups").asInt()).isEqualTo(2);
            assertThat(e.get("drills")).singleElement().satisfies(d -> {
                assertThat(d.get("status").asText()).isEqualTo("Success");
                assertThat(d.get("backup").asText()).as("the newest good backup").isEqualTo(again);
                assertThat(d.has("rtoSeconds")).isTrue();
            });
            assertThat(e.get("rpo").get("largestGapSeconds").asLong()).isGreaterThanOrEqualTo(0);

            java.security.PublicKey key = EvidenceSigner.publicKey(athena.call("GET", API + "/signingkey", null).json().get("publicKey").asText());
            byte[] html = athena.call("GET", API + "/evidence?from=2020-01-01", null).body().getBytes(StandardCharsets.UTF_8);
            assertThat(new String(html, StandardCharsets.UTF_8)).contains("Backup and recovery evidence", failed, "resolved by backup");
            assertThat(EvidenceSigner.verify(html, key).valid()).isTrue();
            assertThat(EvidenceSigner.verify(athena.call("GET", API + "/evidence?from=2020-01-01&format=json", null).body()
                    .getBytes(StandardCharsets.UTF_8), key).valid()).isTrue();
            assertThat(athena.call("GET", API + "/evidence?from=2027-01-01&to=2026-01-01", null).status()).isEqualTo(400);
            assertThat(athena.call("GET", API + "/evidence?from=yesterday", null).json().get("message").asText()).contains("RFC 3339");
        }
    }

    /** "Today" and the default 30 days are the service's, as its records are: an injected clock moves them. */
    @Test
    void theEvidencesDefaultPeriodEndsWithTheServicesToday() throws Exception {
        dev.athena.testing.MutableClock clock = new dev.athena.testing.MutableClock(java.time.Instant.parse("2025-03-10T12:00:00Z"));
        try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), clock, Map.of())) {
            String ts = athena.backup();
            JsonNode e = athena.call("GET", API + "/evidence?format=json", null).json();
            assertThat(e.get("to").asText()).isEqualTo("2025-03-11T00:00:00Z");
            assertThat(e.get("from").asText()).isEqualTo("2025-02-09T00:00:00Z");
            assertThat(e.get("backups")).singleElement().satisfies(b -> assertThat(b.get("timestamp").asText()).isEqualTo(ts));
        }
    }
}
