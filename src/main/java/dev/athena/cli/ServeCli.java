package dev.athena.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.athena.api.ApiKeys;
import dev.athena.api.ApiServer;
import dev.athena.component.PlatformComponents;
import dev.athena.config.AthenaConfig;
import dev.athena.service.AthenaService;
import picocli.CommandLine.Command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Athena service: the HTTP API, periodic backups and retention, configured by environment variables (see README).")
final class ServeCli implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCli.class);

    @Override
    public Integer call() throws Exception {
        AthenaConfig config = AthenaConfig.fromEnv(System.getenv());
        ApiKeys keys = ApiKeys.resolve(config.apiKeys(), config.stateDir());
        AthenaService service = new AthenaService(config, config.storage().open(), Clock.systemUTC(), PlatformComponents.of(config)).start();
        ApiServer api = new ApiServer(service, keys).start(config.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping: no new requests; a running job gets {} s to finish", config.shutdownGraceSeconds());
            api.close();
            service.stop(Duration.ofSeconds(config.shutdownGraceSeconds()));
            log.info("stopped");
            stopped.countDown();
        }, "athena-shutdown"));
        stopped.await();
        return 0;
    }
}
