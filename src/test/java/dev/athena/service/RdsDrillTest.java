package dev.athena.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.athena.testing.RdsStub;
import dev.athena.testing.ServiceFixture;

/**
 * Drills of a platform whose PostgreSQL is AWS RDS, through the service. RDS cannot run here: its
 * API is a local stub (RdsStub) that the real AWS SDK client talks to, and the drill instance's
 * endpoint is a local socket.
 */
class RdsDrillTest {
    private static final String API = "/athena/api/v1";
    @TempDir
    Path tmp;

    private static Map<String, String> rdsEnv(RdsStub stub, Path tmp) {
        return new HashMap<>(Map.of("AWS_RDS_IDENTIFIER", "platform-db", "AWS_RDS_REGION", "us-east-1", "AWS_RDS_ENDPOINT", stub.endpoint().toString(),
                "AWS_ACCESS_KEY", "AKIDSTUB", "AWS_SECRET_KEY", "stub-secret", "DRILL_SCRATCH_DIR", tmp.resolve("drills").toString()));
    }

    private static JsonNode drill(ServiceFixture athena) throws Exception {
        assertThat(athena.call("POST", API + "/ondemanddrill", "{}").status()).isEqualTo(202);
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> athena.call("GET", API + "/drillstatus", null).json(), d -> !d.get("status").asText().equals("Running"));
    }

    @Test
    void withDrillRdsADrillMakesAnInstanceFromTheSnapshotTellsTheCommandItsNameAndDeletesIt() throws Exception {
        try (RdsStub stub = new RdsStub(); ServerSocket database = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            stub.readyAtOnce = true;
            stub.endpointHost = "127.0.0.1";
            stub.endpointPort = database.getLocalPort();
            Path told = tmp.resolve("told.txt");
            Map<String, String> env = rdsEnv(stub, tmp);
            env.putAll(Map.of("DRILL_RDS", "true", "DRILL_RDS_INSTANCE_CLASS", "db.t4g.micro",
                    "DRILL_COMMAND", "test -n \"$ATHENA_DRILL_RDS_INSTANCE\" && echo \"$ATHENA_DRILL_RDS_INSTANCE\" > " + told));
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), env)) {
                athena.backup();
                JsonNode drill = drill(athena);
                assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("Success");
                String instance = Files.readString(told).strip();
                assertThat(instance).startsWith("athena-drill-");
                assertThat(drill.get("targets").get("postgres").asText()).contains("new RDS instance " + instance);
                assertThat(drill.get("checks").toString()).contains("drill instance " + instance + " is available",
                        "drill instance accepts connections", "DRILL_COMMAND test suite");
                assertThat(drill.get("components").get("postgres").get("status").asText()).isEqualTo("Success");
                assertThat(drill.get("phases").toString()).contains("RDS is deleting its instance " + instance);
                assertThat(stub.deletedInstances.get(instance)).as("made of the snapshot, with the class asked for, and deleted")
                        .containsEntry("DBInstanceClass", "db.t4g.micro").containsEntry("SkipFinalSnapshot", "true")
                        .containsEntry("snapshotFrom", "athena-app-" + drill.get("timestamp").asText());
                assertThat(stub.instances).as("the platform's instance alone remains").containsOnlyKeys("platform-db");
            }
        }
    }

    @Test
    void withoutDrillRdsADrillRestoresTheRestAndSaysHowToIncludeRds() throws Exception {
        try (RdsStub stub = new RdsStub()) {
            stub.readyAtOnce = true;
            try (ServiceFixture athena = new ServiceFixture(tmp.resolve("athena"), Clock.systemUTC(), rdsEnv(stub, tmp))) {
                athena.backup();
                JsonNode drill = drill(athena);
                assertThat(drill.get("status").asText()).as(drill.toString()).isEqualTo("Success");
                assertThat(drill.get("targets").has("postgres")).isFalse();
                assertThat(drill.get("warnings").toString()).contains("postgres", "DRILL_RDS=true");
                assertThat(stub.instances).containsOnlyKeys("platform-db");
            }
        }
    }
}
