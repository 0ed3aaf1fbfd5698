package dev.athena.cli;

import dev.athena.client.ServiceClient;
import dev.athena.config.CommandSettings;
import picocli.CommandLine.Option;

/** Which running service a command talks to, and the key it shows: --url and --api-key, else the environment's. */
final class ServiceOptions {
    @Option(names = "--url", paramLabel = "URL", description = "The service's address; default: ATHENA_URL, else http://localhost:ATHENA_PORT (8080).")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY", description = "One of the service's API keys; default: ATHENA_API_KEY, else the first of "
            + "ATHENA_API_KEYS. Prefer the variable: a key on the command line shows in the shell's history and in ps.")
    String apiKey;

    /** Set by {@link Main} before the command runs. */
    CommandSettings settings;

    ServiceClient client() {
        if (settings == null) {
            throw new IllegalStateException("the command's settings were not handed in: run commands through Main");
        }
        String key = apiKey != null ? apiKey : settings.apiKey();
        if (key == null) {
            throw new IllegalArgumentException("no API key: set ATHENA_API_KEY (or give --api-key) to one of the service's ATHENA_API_KEYS");
        }
        return new ServiceClient(url != null ? url : settings.serviceUrl(), key);
    }
}
