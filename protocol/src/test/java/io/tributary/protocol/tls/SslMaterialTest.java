package io.tributary.protocol.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S1 (TLS): Kafka's ssl.* keys in every store format, proven by real handshakes on loopback. */
class SslMaterialTest {
    @TempDir
    static Path dir;

    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.create(dir);
    }

    private static Map<String, Object> trustJks() {
        Map<String, Object> c = new HashMap<>();
        c.put(SslMaterial.TRUSTSTORE_LOCATION, certs.trustJks.toString());
        c.put(SslMaterial.TRUSTSTORE_PASSWORD, TestCertificates.PASSWORD);
        return c;
    }

    @Test
    void everyKeyStoreFormatServesAHandshakeAClientVerifiesByName() throws Exception {
        Map<String, Map<String, Object>> servers = new HashMap<>();
        servers.put(
                "JKS",
                Map.of(
                        SslMaterial.KEYSTORE_LOCATION,
                        certs.serverJks.toString(),
                        SslMaterial.KEYSTORE_PASSWORD,
                        TestCertificates.PASSWORD));
        servers.put(
                "PKCS12",
                Map.of(
                        SslMaterial.KEYSTORE_TYPE,
                        "PKCS12",
                        SslMaterial.KEYSTORE_LOCATION,
                        certs.serverP12.toString(),
                        SslMaterial.KEYSTORE_PASSWORD,
                        TestCertificates.PASSWORD,
                        SslMaterial.KEY_PASSWORD,
                        TestCertificates.PASSWORD));
        servers.put(
                "PEM inline",
                Map.of(
                        SslMaterial.KEYSTORE_TYPE,
                        "PEM",
                        SslMaterial.KEYSTORE_KEY,
                        certs.read(certs.serverKeyPem),
                        SslMaterial.KEYSTORE_CERTIFICATE_CHAIN,
                        certs.read(certs.serverCertPem) + certs.read(certs.caCert)));
        servers.put(
                "PEM encrypted key",
                Map.of(
                        SslMaterial.KEYSTORE_TYPE,
                        "PEM",
                        SslMaterial.KEYSTORE_KEY,
                        certs.read(certs.serverEncryptedKeyPem),
                        SslMaterial.KEY_PASSWORD,
                        TestCertificates.PASSWORD,
                        SslMaterial.KEYSTORE_CERTIFICATE_CHAIN,
                        certs.read(certs.serverCertPem)));
        Map<String, Object> pemTrust = Map.of(
                SslMaterial.TRUSTSTORE_TYPE, "PEM", SslMaterial.TRUSTSTORE_CERTIFICATES, certs.read(certs.caCert));
        for (var server : servers.entrySet()) {
            for (Map<String, Object> trust : java.util.List.of(trustJks(), pemTrust)) {
                SslMaterial serverMaterial = SslMaterial.from(server.getValue());
                SslMaterial clientMaterial = SslMaterial.from(trust);
                assertThat(handshake(serverMaterial.jdkContext(), clientMaterial, "localhost"))
                        .as(server.getKey())
                        .isEqualTo("TLSv1.3");
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaOrReachesAnotherNameFails() throws Exception {
        SslMaterial server = SslMaterial.from(Map.of(
                SslMaterial.KEYSTORE_LOCATION,
                certs.serverJks.toString(),
                SslMaterial.KEYSTORE_PASSWORD,
                TestCertificates.PASSWORD));
        // The JVM's default trust does not know our test CA.
        assertThatThrownBy(() -> handshake(server.jdkContext(), SslMaterial.from(Map.of()), "localhost"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path building failed");
        // The certificate names localhost and 127.0.0.1, not this.
        assertThatThrownBy(() -> handshake(server.jdkContext(), SslMaterial.from(trustJks()), "127.0.0.2"))
                .isInstanceOf(SSLHandshakeException.class);
        // Without endpoint identification the name is not checked (Kafka's ssl.endpoint.identification.algorithm=).
        Map<String, Object> noCheck = trustJks();
        noCheck.put(SslMaterial.ENDPOINT_IDENTIFICATION_ALGORITHM, "");
        assertThat(handshake(server.jdkContext(), SslMaterial.from(noCheck), "127.0.0.2"))
                .isEqualTo("TLSv1.3");
    }

    @Test
    void badSettingsNameTheKeyAndNeverThePassword() {
        assertThatThrownBy(() -> SslMaterial.from(Map.of(
                                SslMaterial.KEYSTORE_LOCATION,
                                certs.serverJks.toString(),
                                SslMaterial.KEYSTORE_PASSWORD,
                                "wrong-secret"))
                        .keyManagers())
                .hasMessageContaining(SslMaterial.KEYSTORE_PASSWORD)
                .hasMessageNotContaining("wrong-secret");
        assertThatThrownBy(() -> SslMaterial.from(Map.of(
                                SslMaterial.KEYSTORE_LOCATION,
                                dir.resolve("missing.jks").toString(),
                                SslMaterial.KEYSTORE_PASSWORD,
                                "x"))
                        .keyManagers())
                .hasMessageContaining(SslMaterial.KEYSTORE_LOCATION)
                .hasMessageContaining("missing.jks");
        assertThatThrownBy(() -> SslMaterial.from(Map.of(
                                SslMaterial.KEYSTORE_TYPE, "PEM",
                                SslMaterial.KEYSTORE_KEY, "not a key",
                                SslMaterial.KEYSTORE_CERTIFICATE_CHAIN, "nor a cert"))
                        .keyManagers())
                .hasMessageContaining(SslMaterial.KEYSTORE_KEY);
        assertThatThrownBy(() -> SslMaterial.from(Map.of(SslMaterial.CLIENT_AUTH, "sometimes")))
                .hasMessageContaining(SslMaterial.CLIENT_AUTH);
        assertThatThrownBy(() -> SslMaterial.from(Map.of(
                                SslMaterial.KEYSTORE_TYPE,
                                "JCEKS2",
                                SslMaterial.KEYSTORE_LOCATION,
                                certs.serverJks.toString()))
                        .keyManagers())
                .hasMessageContaining(SslMaterial.KEYSTORE_TYPE);
        assertThat(SslMaterial.from(Map.of(SslMaterial.KEYSTORE_PASSWORD, "hidden"))
                        .toString())
                .doesNotContain("hidden");
    }

    /** One TLS handshake over loopback; returns the negotiated protocol. */
    private static String handshake(SSLContext serverContext, SslMaterial client, String serverName) throws Exception {
        try (SSLServerSocket server = (SSLServerSocket)
                serverContext.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    out.write(in.read());
                    out.flush();
                } catch (IOException e) {
                    // The client's side of the test reports what went wrong.
                }
            });
            // Connect to loopback but tell TLS we reached serverName: HTTPS identification checks that name.
            java.net.Socket plain = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            SSLSocket socket = (SSLSocket)
                    client.jdkContext().getSocketFactory().createSocket(plain, serverName, server.getLocalPort(), true);
            try (socket) {
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm(client.endpointIdentificationAlgorithm());
                params.setServerNames(
                        serverName.matches("[0-9.]+")
                                ? java.util.List.of()
                                : java.util.List.of(new javax.net.ssl.SNIHostName(serverName)));
                socket.setSSLParameters(params);
                socket.startHandshake();
                socket.getOutputStream().write(42);
                socket.getOutputStream().flush();
                assertThat(socket.getInputStream().read()).isEqualTo(42);
                return socket.getSession().getProtocol();
            } finally {
                served.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
