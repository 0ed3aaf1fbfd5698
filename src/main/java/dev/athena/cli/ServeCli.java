package dev.athena.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

import dev.athena.api.ApiKeys;
import dev.athena.api.ApiServer;
import dev.athena.component.Component;
import dev.athena.config.PlatformComponents;
import dev.athena.config.AthenaConfig;
import dev.athena.config.ConfigException;
import dev.athena.repository.LeaderLease;
import dev.athena.repository.Repository;
import dev.athena.repository.RepositoryLock;
import dev.athena.service.AthenaService;
import dev.athena.service.LeaseElection;
import picocli.CommandLine.Command;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Athena service: the HTTP API, periodic backups and retention, configured by environment variables (see README).")
final class ServeCli implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCli.class);

    /** Set by {@link Main} before the command runs. */
    dev.athena.config.CommandSettings settings;

    @Override
    public Integer call() throws Exception {
        AthenaConfig config = settings.service();
        List<Component> components = PlatformComponents.of(config);
        if (components.isEmpty()) {
            String what = "no component is configured (set POSTGRES_HOST or AWS_RDS_IDENTIFIER, METAGRAPH_VOLUME_PATH, GITSERVER_VOLUME_PATH,"
                    + " CONFIGMAP_PATH or CONFIGMAP_NAME)";
            if (config.regularBackups()) {
                throw new ConfigException("ENABLE_REGULAR_BACKUPS is true but " + what + ": periodic backups would back up nothing");
            }
            log.warn("{}: backups will be refused; restores into this cluster need the components too", what);
        }
        ApiKeys keys = ApiKeys.resolve(config.apiKeys(), config.stateDir());
        dev.athena.storage.ObjectStore store = config.storage().open();
        // The service (the repository's key derivation, the records of jobs a previous process left Running) starts beside
        // the HTTP server, not before it: a freshly started serve, which in a disaster is asked to restore at once, answered
        // 0.3-0.4 s sooner. The API holds every request, /healthz too, until the service has started.
        CompletableFuture<AthenaService> starting = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                starting.complete(startService(config, store, components));
            } catch (Throwable e) {
                starting.completeExceptionally(e);
            }
        }, "athena-start");
        starter.setDaemon(true);
        starter.start();
        ApiServer api;
        try {
            api = new ApiServer(starting, keys).start(config.port());
        } catch (RuntimeException e) {
            startedService(starting); // a service that cannot start is the first thing to fix
            throw e;
        }
        AthenaService service;
        try {
            service = startedService(starting);
        } catch (Exception e) {
            api.close();
            throw e;
        }
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

    private static AthenaService startService(AthenaConfig config, dev.athena.storage.ObjectStore store, List<Component> components) {
        AthenaService service = new AthenaService(config, store, Clock.systemUTC(), components);
        if (config.ha().enabled()) {
            service.withLeadership(election(config), () -> {
                // The new leader records the job as Failed and may start others: this process must not write a byte more.
                Runtime.getRuntime().halt(3);
            });
        }
        return service.start();
    }

    /** Waits for the service to start; rethrows what stopped it, as it would have been thrown here. */
    private static AthenaService startedService(CompletableFuture<AthenaService> starting) throws Exception {
        try {
            return starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static LeaseElection election(AthenaConfig config) {
        String url = config.ha().advertiseUrl().map(Object::toString).orElseGet(() -> {
            if (config.port() == 0) {
                throw new ConfigException("ATHENA_LEADER_ELECTION needs a fixed ATHENA_PORT, or ATHENA_ADVERTISE_URL, for the other replicas to reach this one");
            }
            try {
                return "http://" + java.net.InetAddress.getLocalHost().getHostAddress() + ":" + config.port();
            } catch (java.net.UnknownHostException e) {
                throw new ConfigException("ATHENA_LEADER_ELECTION: this host's address is unknown (" + e.getMessage()
                        + "): set ATHENA_ADVERTISE_URL to the address the other replicas reach this one at");
            }
        });
        // The service's store may already have created the repository; this one only reads its config, or creates it the same way.
        Repository repository = Repository.open(config.storage().openForLease(config.ha().lease().dividedBy(6)), config.namespace(),
                config.encryptionKey(), true);
        return new LeaseElection(new LeaderLease(repository), RepositoryLock.hostname(), url.replaceAll("/+$", ""), config.ha().lease());
    }
}
