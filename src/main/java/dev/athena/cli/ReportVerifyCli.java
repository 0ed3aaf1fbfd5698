package dev.athena.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.Callable;

import dev.athena.service.EvidenceSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check that a disaster-recovery report (HTML or JSON, as the service wrote it) was signed by the service's key and not changed"
                + " since, byte for byte.",
                "The public key comes from --public-key, else from the running service (GET /signingkey, with --url and --api-key).",
                "Exit 0: valid; 3: it does not verify (changed, or signed by another key); 1: it could not be checked."})
final class ReportVerifyCli implements Callable<Integer> {
    @Mixin
    ServiceOptions service;

    @Parameters(paramLabel = "FILE", description = "The report file.")
    Path file;

    @Option(names = "--public-key", paramLabel = "KEY|@FILE", description = "The Ed25519 public key (base64 or PEM, as GET /signingkey"
            + " gives it), or @ and a file that holds it. Keep it apart from the reports: a key read from the same place as the report proves less.")
    String publicKey;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is not a file");
        }
        String text = publicKey == null ? service.client().signingKey().path("publicKey").asText()
                : publicKey.startsWith("@") ? Files.readString(Path.of(publicKey.substring(1))) : publicKey;
        PublicKey key = EvidenceSigner.publicKey(text);
        EvidenceSigner.Verdict verdict = EvidenceSigner.verify(Files.readAllBytes(file), key);
        if (verdict.valid()) {
            System.out.println(file + ": " + verdict.detail());
            return 0;
        }
        System.err.println("athena report verify: " + file + ": " + verdict.detail());
        return 3;
    }
}
