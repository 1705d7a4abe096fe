package io.tributary.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates a test makes for itself with the machine's {@code openssl} and the JDK's {@code keytool}: a CA, and a
 * server key and certificate it signed for localhost / 127.0.0.1, in every store format Kafka's {@code ssl.*} keys
 * accept, and a client certificate (CN=alice) for mutual TLS. Shared with other modules' tests through this module's
 * test jar. Nothing is checked in; every file lives in the test's temporary directory.
 */
public final class TestCertificates {
    public static final String PASSWORD = "test-pass";

    public final Path dir;
    public final Path caCert;
    public final Path serverKeyPem;
    public final Path serverEncryptedKeyPem;
    public final Path serverCertPem;
    public final Path serverP12;
    public final Path serverJks;
    public final Path trustP12;
    public final Path trustJks;
    /** A client key and certificate for CN=alice signed by the same CA, for ssl.client.auth tests. */
    public final Path clientP12;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.caCert = dir.resolve("ca.pem");
        this.serverKeyPem = dir.resolve("server.key");
        this.serverEncryptedKeyPem = dir.resolve("server-encrypted.key");
        this.serverCertPem = dir.resolve("server.pem");
        this.serverP12 = dir.resolve("server.p12");
        this.serverJks = dir.resolve("server.jks");
        this.trustP12 = dir.resolve("trust.p12");
        this.trustJks = dir.resolve("trust.jks");
        this.clientP12 = dir.resolve("client.p12");
    }

    public static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir);
        Path caKey = dir.resolve("ca.key");
        run(
                dir,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                caKey.toString(),
                "-out",
                c.caCert.toString(),
                "-days",
                "2",
                "-subj",
                "/CN=Tributary Test CA");
        Path csr = dir.resolve("server.csr");
        run(
                dir,
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                c.serverKeyPem.toString(),
                "-out",
                csr.toString(),
                "-subj",
                "/CN=localhost");
        Path ext = dir.resolve("san.ext");
        Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run(
                dir,
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                c.caCert.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-out",
                c.serverCertPem.toString(),
                "-days",
                "2",
                "-extfile",
                ext.toString());
        run(
                dir,
                "openssl",
                "pkcs8",
                "-topk8",
                "-in",
                c.serverKeyPem.toString(),
                "-out",
                c.serverEncryptedKeyPem.toString(),
                "-passout",
                "pass:" + PASSWORD);
        run(
                dir,
                "openssl",
                "pkcs12",
                "-export",
                "-in",
                c.serverCertPem.toString(),
                "-inkey",
                c.serverKeyPem.toString(),
                "-certfile",
                c.caCert.toString(),
                "-name",
                "server",
                "-out",
                c.serverP12.toString(),
                "-passout",
                "pass:" + PASSWORD);
        run(
                dir,
                "keytool",
                "-importkeystore",
                "-srckeystore",
                c.serverP12.toString(),
                "-srcstoretype",
                "PKCS12",
                "-srcstorepass",
                PASSWORD,
                "-destkeystore",
                c.serverJks.toString(),
                "-deststoretype",
                "JKS",
                "-deststorepass",
                PASSWORD,
                "-noprompt");
        c.signedP12("client", "/CN=alice/OU=test", null, "client");
        for (String[] store : new String[][] {{c.trustP12.toString(), "PKCS12"}, {c.trustJks.toString(), "JKS"}}) {
            run(
                    dir,
                    "keytool",
                    "-importcert",
                    "-alias",
                    "ca",
                    "-file",
                    c.caCert.toString(),
                    "-keystore",
                    store[0],
                    "-storetype",
                    store[1],
                    "-storepass",
                    PASSWORD,
                    "-noprompt");
        }
        return c;
    }

    /**
     * A PKCS12 key store (password {@link #PASSWORD}) with a key and a certificate this CA signed for {@code san}
     * (OpenSSL's subjectAltName syntax, e.g. {@code DNS:broker.invalid}): trusted, but for another name.
     */
    public Path serverP12For(String name, String san) throws IOException, InterruptedException {
        return signedP12(name, "/CN=" + name, san, "server");
    }

    /**
     * A key and a certificate this CA signs for {@code subject} (with {@code san}, OpenSSL's subjectAltName syntax,
     * when not null), as the PKCS12 store {@code <name>.p12} with password {@link #PASSWORD}.
     */
    private Path signedP12(String name, String subject, String san, String alias)
            throws IOException, InterruptedException {
        Path key = dir.resolve(name + ".key");
        Path csr = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".pem");
        Path p12 = dir.resolve(name + ".p12");
        run(
                dir,
                "openssl",
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                key.toString(),
                "-out",
                csr.toString(),
                "-subj",
                subject);
        List<String> sign = new ArrayList<>(List.of(
                "openssl",
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caCert.toString(),
                "-CAkey",
                dir.resolve("ca.key").toString(),
                "-CAcreateserial",
                "-out",
                cert.toString(),
                "-days",
                "2"));
        if (san != null) {
            Path ext = dir.resolve(name + ".ext");
            Files.writeString(ext, "subjectAltName=" + san + "\n");
            sign.addAll(List.of("-extfile", ext.toString()));
        }
        run(dir, sign.toArray(String[]::new));
        run(
                dir,
                "openssl",
                "pkcs12",
                "-export",
                "-in",
                cert.toString(),
                "-inkey",
                key.toString(),
                "-certfile",
                caCert.toString(),
                "-name",
                alias,
                "-out",
                p12.toString(),
                "-passout",
                "pass:" + PASSWORD);
        return p12;
    }

    public String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("tool.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(dir.resolve("tool.log")));
        }
    }
}
