package io.tributary.protocol.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS key and trust material that Kafka's {@code ssl.*} keys describe, for both ends: the broker wraps it in
 * Netty's context (OpenSSL when it loads), our client in the JDK's. Key stores are JKS, PKCS12 or PEM (a file, or
 * the inline {@code ssl.keystore.key}/{@code ssl.keystore.certificate.chain}/{@code ssl.truststore.certificates}).
 * Every error names the key at fault and never a password. Immutable; building the factories reads the files.
 */
public final class SslMaterial {
    public static final String PROTOCOL = "ssl.protocol";
    public static final String ENABLED_PROTOCOLS = "ssl.enabled.protocols";
    public static final String CIPHER_SUITES = "ssl.cipher.suites";
    public static final String KEYSTORE_TYPE = "ssl.keystore.type";
    public static final String KEYSTORE_LOCATION = "ssl.keystore.location";
    public static final String KEYSTORE_PASSWORD = "ssl.keystore.password";
    public static final String KEY_PASSWORD = "ssl.key.password";
    public static final String KEYSTORE_KEY = "ssl.keystore.key";
    public static final String KEYSTORE_CERTIFICATE_CHAIN = "ssl.keystore.certificate.chain";
    public static final String TRUSTSTORE_TYPE = "ssl.truststore.type";
    public static final String TRUSTSTORE_LOCATION = "ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "ssl.truststore.password";
    public static final String TRUSTSTORE_CERTIFICATES = "ssl.truststore.certificates";
    public static final String CLIENT_AUTH = "ssl.client.auth";
    public static final String ENDPOINT_IDENTIFICATION_ALGORITHM = "ssl.endpoint.identification.algorithm";
    public static final String KEYMANAGER_ALGORITHM = "ssl.keymanager.algorithm";
    public static final String TRUSTMANAGER_ALGORITHM = "ssl.trustmanager.algorithm";

    /** Kafka's defaults. */
    private static final Map<String, String> DEFAULTS = Map.of(
            PROTOCOL, "TLSv1.3",
            ENABLED_PROTOCOLS, "TLSv1.2,TLSv1.3",
            KEYSTORE_TYPE, "JKS",
            TRUSTSTORE_TYPE, "JKS",
            CLIENT_AUTH, "none",
            ENDPOINT_IDENTIFICATION_ALGORITHM, "https");

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private final Map<String, String> values;

    private SslMaterial(Map<String, String> values) {
        this.values = values;
    }

    /** Takes the {@code ssl.*} entries of a client or listener configuration (other keys are ignored). */
    public static SslMaterial from(Map<String, ?> config) {
        Map<String, String> values = new TreeMap<>(DEFAULTS);
        config.forEach((k, v) -> {
            if (k.startsWith("ssl.") && v != null) {
                values.put(k, v instanceof char[] chars ? new String(chars) : v.toString());
            }
        });
        SslMaterial m = new SslMaterial(values);
        m.clientAuth();
        m.enabledProtocols();
        return m;
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** TLS protocol names a JVM or OpenSSL knows; anything else is a typo we report rather than ignore. */
    private static final java.util.Set<String> KNOWN_PROTOCOLS =
            java.util.Set.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    public List<String> enabledProtocols() {
        List<String> protocols = list(ENABLED_PROTOCOLS);
        for (String p : protocols) {
            if (!KNOWN_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("Invalid value " + p + " in " + ENABLED_PROTOCOLS
                        + ": expected TLS protocol names such as TLSv1.2,TLSv1.3");
            }
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException(ENABLED_PROTOCOLS + " must name at least one TLS protocol");
        }
        return protocols;
    }

    /** Empty means the provider's defaults. */
    public List<String> cipherSuites() {
        return list(CIPHER_SUITES);
    }

    /** none, requested or required ({@code ssl.client.auth}). */
    public String clientAuth() {
        String v = get(CLIENT_AUTH).toLowerCase(Locale.ROOT);
        if (!v.equals("none") && !v.equals("requested") && !v.equals("required")) {
            throw new IllegalArgumentException(
                    "Invalid value " + v + " for " + CLIENT_AUTH + ": expected none, requested or required");
        }
        return v;
    }

    /** "https" (check the server's name against its certificate, Kafka's default) or null (do not). */
    public String endpointIdentificationAlgorithm() {
        return get(ENDPOINT_IDENTIFICATION_ALGORITHM);
    }

    /** The key managers of the configured key store, or null when none is configured. */
    public KeyManagerFactory keyManagers() {
        KeyStore store = keyStore();
        if (store == null) {
            return null;
        }
        String keyPassword = get(KEY_PASSWORD) != null ? get(KEY_PASSWORD) : get(KEYSTORE_PASSWORD);
        String algorithm =
                get(KEYMANAGER_ALGORITHM) != null ? get(KEYMANAGER_ALGORITHM) : KeyManagerFactory.getDefaultAlgorithm();
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(algorithm);
            kmf.init(store, isPem(KEYSTORE_TYPE) ? PEM_STORE_PASSWORD : chars(keyPassword));
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot use the key in " + describe(KEYSTORE_LOCATION) + ": wrong " + KEY_PASSWORD + "? ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** The trust managers of the configured trust store, or the JVM's default trust when none is configured. */
    public TrustManagerFactory trustManagers() {
        String algorithm = get(TRUSTMANAGER_ALGORITHM) != null
                ? get(TRUSTMANAGER_ALGORITHM)
                : TrustManagerFactory.getDefaultAlgorithm();
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(algorithm);
            tmf.init(trustStore());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot use the trust store " + describe(TRUSTSTORE_LOCATION), e);
        }
    }

    /** A JDK context for {@code ssl.protocol} with this material (our client's TLS). */
    public SSLContext jdkContext() {
        try {
            SSLContext context = SSLContext.getInstance(get(PROTOCOL));
            KeyManagerFactory kmf = keyManagers();
            context.init(
                    kmf == null ? null : kmf.getKeyManagers(), trustManagers().getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Invalid " + PROTOCOL + " " + get(PROTOCOL) + ": " + e.getMessage(), e);
        }
    }

    // ---- stores

    private static final char[] PEM_STORE_PASSWORD = "pem".toCharArray();

    private KeyStore keyStore() {
        if (isPem(KEYSTORE_TYPE)) {
            String pem = get(KEYSTORE_LOCATION) != null
                    ? read(KEYSTORE_LOCATION)
                    : concat(get(KEYSTORE_KEY), get(KEYSTORE_CERTIFICATE_CHAIN));
            if (pem == null) {
                return null;
            }
            return pemKeyStore(pem);
        }
        if (get(KEYSTORE_LOCATION) == null) {
            return null;
        }
        return load(KEYSTORE_TYPE, KEYSTORE_LOCATION, KEYSTORE_PASSWORD);
    }

    private KeyStore trustStore() {
        if (isPem(TRUSTSTORE_TYPE)) {
            String pem = get(TRUSTSTORE_LOCATION) != null ? read(TRUSTSTORE_LOCATION) : get(TRUSTSTORE_CERTIFICATES);
            if (pem == null) {
                return null;
            }
            try {
                KeyStore store = emptyStore();
                int i = 0;
                for (Certificate c : certificates(pem, TRUSTSTORE_CERTIFICATES)) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                return store;
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("Invalid PEM certificates in " + TRUSTSTORE_CERTIFICATES, e);
            }
        }
        if (get(TRUSTSTORE_LOCATION) == null) {
            return null;
        }
        return load(TRUSTSTORE_TYPE, TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD);
    }

    private KeyStore load(String typeKey, String locationKey, String passwordKey) {
        String type = get(typeKey);
        KeyStore store;
        try {
            store = KeyStore.getInstance(type);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Unknown " + typeKey + " " + type + ": expected JKS, PKCS12 or PEM");
        }
        String password = get(passwordKey);
        try (InputStream in = Files.newInputStream(Path.of(get(locationKey)))) {
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw new IllegalArgumentException("Wrong " + passwordKey + " for " + describe(locationKey), e);
            }
            throw new IllegalArgumentException(
                    "Cannot read " + describe(locationKey) + " as a " + type + " store " + "(missing file, wrong "
                            + passwordKey + " or another type?): " + e.getMessage(),
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot load " + describe(locationKey) + ": " + e.getMessage(), e);
        }
    }

    private KeyStore pemKeyStore(String pem) {
        try {
            PrivateKey key = privateKey(pem);
            List<Certificate> chain = certificates(pem, KEYSTORE_CERTIFICATE_CHAIN);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("No certificate in " + KEYSTORE_CERTIFICATE_CHAIN);
            }
            KeyStore store = emptyStore();
            store.setKeyEntry("key", key, PEM_STORE_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Invalid PEM key store (" + KEYSTORE_KEY + "): " + e.getMessage(), e);
        }
    }

    private PrivateKey privateKey(String pem) throws GeneralSecurityException {
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            String label = m.group(1);
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            PKCS8EncodedKeySpec spec;
            if (label.equals("PRIVATE KEY")) {
                spec = new PKCS8EncodedKeySpec(der);
            } else if (label.equals("ENCRYPTED PRIVATE KEY")) {
                String password = get(KEY_PASSWORD);
                if (password == null) {
                    throw new IllegalArgumentException("The PEM key is encrypted but " + KEY_PASSWORD + " is not set");
                }
                spec = decrypt(der, password);
            } else {
                continue;
            }
            for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "DSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // Try the next algorithm: PKCS#8 names it inside, but the JDK wants it up front.
                }
            }
            throw new IllegalArgumentException("Unsupported private key algorithm in " + KEYSTORE_KEY);
        }
        throw new IllegalArgumentException(
                "No PKCS#8 private key (BEGIN PRIVATE KEY or BEGIN ENCRYPTED PRIVATE KEY) in " + KEYSTORE_KEY);
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, String password) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 keys (OpenSSL's default) name their real scheme only in the parameters, e.g.
            // PBEWithHmacSHA256AndAES_256.
            String algorithm =
                    info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password.toCharArray())),
                    info.getAlgParameters());
            return info.getKeySpec(cipher);
        } catch (IOException e) {
            throw new IllegalArgumentException("The encrypted PEM key in " + KEYSTORE_KEY + " is malformed", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot decrypt the PEM key in " + KEYSTORE_KEY + ": wrong " + KEY_PASSWORD + "?", e);
        }
    }

    private static List<Certificate> certificates(String pem, String key) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<Certificate> out = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                Collection<? extends Certificate> certs = factory.generateCertificates(
                        new ByteArrayInputStream(m.group().getBytes(StandardCharsets.US_ASCII)));
                out.addAll(certs);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("No PEM certificate (BEGIN CERTIFICATE) in " + key);
        }
        return out;
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return store;
    }

    private boolean isPem(String typeKey) {
        return "PEM".equalsIgnoreCase(get(typeKey));
    }

    private String read(String locationKey) {
        try {
            return Files.readString(Path.of(get(locationKey)), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + describe(locationKey) + ": " + e, e);
        }
    }

    private String describe(String locationKey) {
        return locationKey + "=" + get(locationKey);
    }

    private List<String> list(String key) {
        String v = get(key);
        if (v == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static String concat(String a, String b) {
        if (a == null && b == null) {
            return null;
        }
        return (a == null ? "" : a) + "\n" + (b == null ? "" : b);
    }

    private static char[] chars(String s) {
        return s == null ? null : s.toCharArray();
    }

    @Override
    public String toString() {
        // Passwords and inline keys stay out of logs.
        return "SslMaterial(keystore=" + get(KEYSTORE_TYPE) + ":" + get(KEYSTORE_LOCATION) + ", truststore="
                + get(TRUSTSTORE_TYPE) + ":" + get(TRUSTSTORE_LOCATION) + ", clientAuth=" + get(CLIENT_AUTH) + ")";
    }
}
