package dev.athena.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.athena.repository.BlobId;
import dev.athena.repository.Json;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs disaster-recovery reports with an Ed25519 key (the JDK's), so a report handed to an
 * auditor can be shown to be the one Athena wrote. The key is ATHENA_SIGNING_KEY (a PKCS#8
 * private key, PEM or base64 DER: {@code openssl genpkey -algorithm ed25519}), else one generated
 * on first start and kept owner-only in ATHENA_STATE_DIR/signing-key. Its public key is served at
 * GET /signingkey and named in each signature by a fingerprint (the first 16 hex digits of the
 * SHA-256 of its X.509 encoding).
 *
 * <p>A JSON report carries {@code signature} ({@code algorithm}, {@code publicKeyFingerprint},
 * {@code value}) over the canonical form of everything else in it: keys sorted at every level, no
 * spaces. An HTML report ends with {@code <!--athena-signature Ed25519 FINGERPRINT VALUE-->},
 * over its UTF-8 bytes before that comment.
 */
public final class EvidenceSigner {
    private static final Logger log = LoggerFactory.getLogger(EvidenceSigner.class);
    static final String HTML_MARK = "<!--athena-signature ";
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private EvidenceSigner(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** ATHENA_SIGNING_KEY when given, else the key in {@code stateDir/signing-key}, generated on first start. */
    public static EvidenceSigner resolve(Optional<String> configured, Path stateDir) {
        try {
            if (configured.isPresent()) {
                return fromPrivate(configured.get());
            }
            Path file = stateDir.resolve("signing-key");
            if (Files.isRegularFile(file)) {
                return fromPrivate(Files.readString(file));
            }
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(stateDir);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
            EvidenceSigner signer = new EvidenceSigner(pair.getPrivate(), pair.getPublic());
            log.warn("no ATHENA_SIGNING_KEY set: generated a report signing key (public key {}) and stored it in {} (readable by its owner"
                    + " only); set ATHENA_SIGNING_KEY to keep one key across pods and restarts", signer.fingerprint(), file);
            return signer;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no Ed25519: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("no ATHENA_SIGNING_KEY set and cannot store a generated one in " + stateDir
                    + ": " + e.getMessage() + " (set ATHENA_SIGNING_KEY or ATHENA_STATE_DIR)", e);
        }
    }

    /** A signer from a PKCS#8 Ed25519 private key, PEM or base64 DER; a {@link IllegalArgumentException} that says what is wrong otherwise. */
    static EvidenceSigner fromPrivate(String text) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(text)));
            // The public key is the private key's last 32 bytes' image: the JDK derives it through a key pair of the same seed.
            byte[] encoded = key.getEncoded();
            byte[] seed = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(new java.security.spec.NamedParameterSpec("Ed25519"), new FixedSeed(seed));
            EvidenceSigner signer = new EvidenceSigner(key, g.generateKeyPair().getPublic());
            byte[] probe = "athena".getBytes(StandardCharsets.UTF_8);
            if (!check(probe, signer.sign(probe), signer.publicKey)) {
                throw new IllegalArgumentException("its public key cannot be derived");
            }
            return signer;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("ATHENA_SIGNING_KEY is not an Ed25519 private key (PKCS#8, PEM or base64 DER; make one with:"
                    + " openssl genpkey -algorithm ed25519)");
        }
    }

    /** Hands the generator the key's seed, so it derives that key's public key. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }

    /** A public key as GET /signingkey serves it (base64 X.509 DER, or PEM). */
    public static PublicKey publicKey(String text) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(text)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (X.509, PEM or base64 DER, as GET /athena/api/v1/signingkey serves it)");
        }
    }

    private static byte[] der(String text) {
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s+", "");
        return Base64.getDecoder().decode(body);
    }

    public String fingerprint() {
        return fingerprint(publicKey);
    }

    static String fingerprint(PublicKey key) {
        return BlobId.of(key.getEncoded()).hex().substring(0, 16);
    }

    /** GET /signingkey's answer. */
    public Map<String, String> describe() {
        String b64 = Base64.getEncoder().encodeToString(publicKey.getEncoded());
        Map<String, String> m = new LinkedHashMap<>();
        m.put("algorithm", "Ed25519");
        m.put("publicKey", b64);
        m.put("fingerprint", fingerprint());
        m.put("pem", "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
        return m;
    }

    private byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }

    /** The report with its {@code signature}. */
    public Map<String, Object> signJson(Map<String, Object> report) {
        Map<String, Object> signed = new LinkedHashMap<>(report);
        signed.remove("signature");
        byte[] canonical = canonical(Json.MAPPER.valueToTree(signed));
        Map<String, String> signature = new LinkedHashMap<>();
        signature.put("algorithm", "Ed25519");
        signature.put("publicKeyFingerprint", fingerprint());
        signature.put("value", Base64.getEncoder().encodeToString(sign(canonical)));
        signature.put("covers", "every other field, keys sorted at every level, as compact JSON (UTF-8)");
        signed.put("signature", signature);
        return signed;
    }

    /** The page with its signature comment at the end. */
    public String signHtml(String html) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        return html + HTML_MARK + "Ed25519 " + fingerprint() + " " + Base64.getEncoder().encodeToString(sign(body)) + "-->\n";
    }

    /** Compact JSON with the keys of every object sorted: the same bytes for the same content, however it was written. */
    static byte[] canonical(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(sorted(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    /** What a check of a report file found. */
    public record Verdict(boolean valid, String fingerprint, String detail) {
    }

    /** Checks a report (JSON or HTML, as Athena wrote it) against the public key. */
    public static Verdict verify(byte[] file, PublicKey key) {
        String text = new String(file, StandardCharsets.UTF_8);
        String expected = fingerprint(key);
        try {
            if (text.stripLeading().startsWith("{")) {
                JsonNode tree = Json.MAPPER.readTree(file);
                JsonNode sig = tree.path("signature");
                if (!sig.hasNonNull("value")) {
                    return new Verdict(false, null, "the report carries no signature");
                }
                String fp = sig.path("publicKeyFingerprint").asText();
                ((ObjectNode) tree).remove("signature");
                boolean ok = check(canonical(tree), Base64.getDecoder().decode(sig.get("value").asText()), key);
                return verdict(ok, fp, expected);
            }
            int at = text.lastIndexOf(HTML_MARK);
            if (at < 0) {
                return new Verdict(false, null, "the page carries no signature (no " + HTML_MARK.trim() + " comment at its end)");
            }
            String[] parts = text.substring(at + HTML_MARK.length()).replace("-->", "").trim().split("\\s+");
            if (parts.length != 3 || !parts[0].equals("Ed25519")) {
                return new Verdict(false, null, "the signature comment is malformed");
            }
            boolean ok = check(text.substring(0, at).getBytes(StandardCharsets.UTF_8), Base64.getDecoder().decode(parts[2]), key);
            return verdict(ok, parts[1], expected);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return new Verdict(false, null, "not a report Athena wrote: " + e.getMessage());
        }
    }

    private static Verdict verdict(boolean ok, String fingerprint, String expected) {
        if (ok) {
            return new Verdict(true, fingerprint, "the signature is valid: signed by the key " + expected + ", and not a byte changed since");
        }
        if (!expected.equals(fingerprint)) {
            return new Verdict(false, fingerprint, "signed by key " + fingerprint + ", not by the key given (" + expected + ")");
        }
        return new Verdict(false, fingerprint, "the signature does not match: the report was changed after it was signed");
    }

    private static boolean check(byte[] data, byte[] signature, PublicKey key) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
