package io.tributary.broker.security.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.tributary.protocol.tls.SslMaterial;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S1 (TLS): a Netty listener with our context, OpenSSL on this machine, against the JDK's TLS client: server-only
 * TLS, and ssl.client.auth=required with the client's certificate as the principal.
 */
class ListenerSslContextTest {
    private static final String PASSWORD = "test-pass";

    @TempDir
    static Path dir;

    private static final NioEventLoopGroup GROUP = new NioEventLoopGroup(1);

    @BeforeAll
    static void makeStores() throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                "server.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=alice",
                "-validity",
                "2",
                "-keystore",
                "client.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                "-exportcert",
                "-alias",
                "server",
                "-keystore",
                "server.p12",
                "-storepass",
                PASSWORD,
                "-file",
                "server.cer");
        keytool(
                "-exportcert",
                "-alias",
                "client",
                "-keystore",
                "client.p12",
                "-storepass",
                PASSWORD,
                "-file",
                "client.cer");
        keytool(
                "-importcert",
                "-alias",
                "server",
                "-file",
                "server.cer",
                "-keystore",
                "client-trust.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-noprompt");
        keytool(
                "-importcert",
                "-alias",
                "client",
                "-file",
                "client.cer",
                "-keystore",
                "server-trust.p12",
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-noprompt");
    }

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void openSslLoadsHereAndServesTls() throws Exception {
        assertThat(ListenerSslContext.provider())
                .as("netty-tcnative's BoringSSL must load on this machine")
                .isEqualTo(SslProvider.OPENSSL);
        SslContext context = ListenerSslContext.build("SSL", SslMaterial.from(serverKeys()));
        CompletableFuture<String> peer = new CompletableFuture<>();
        Channel server = serve(context, peer);
        try {
            assertThat(roundTrip(server, clientConfig(false))).isEqualTo(42);
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("ANONYMOUS");
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    @Test
    void requiredClientAuthTakesTheCertificateAndRefusesAClientWithout() throws Exception {
        Map<String, Object> config = serverKeys();
        config.put(SslMaterial.CLIENT_AUTH, "required");
        config.put(SslMaterial.TRUSTSTORE_TYPE, "PKCS12");
        config.put(
                SslMaterial.TRUSTSTORE_LOCATION, dir.resolve("server-trust.p12").toString());
        config.put(SslMaterial.TRUSTSTORE_PASSWORD, PASSWORD);
        SslContext context = ListenerSslContext.build("SSL", SslMaterial.from(config));
        CompletableFuture<String> peer = new CompletableFuture<>();
        Channel server = serve(context, peer);
        try {
            assertThat(roundTrip(server, clientConfig(true))).isEqualTo(42);
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("CN=alice");
            // Without a certificate the handshake (or the first read after it, in TLS 1.3) fails.
            assertThatThrownBy(() -> roundTrip(server, clientConfig(false))).isInstanceOf(IOException.class);
        } finally {
            server.close().syncUninterruptibly();
        }
    }

    @Test
    void aListenerWithoutKeysOrWithBadSettingsNamesItselfAndTheKey() {
        assertThatThrownBy(() -> ListenerSslContext.build("CLIENTS", SslMaterial.from(Map.of())))
                .hasMessageContaining("CLIENTS")
                .hasMessageContaining(SslMaterial.KEYSTORE_LOCATION);
        Map<String, Object> wrongPassword = serverKeys();
        wrongPassword.put(SslMaterial.KEYSTORE_PASSWORD, "nope");
        assertThatThrownBy(() -> ListenerSslContext.build("CLIENTS", SslMaterial.from(wrongPassword)))
                .hasMessageContaining("CLIENTS")
                .hasMessageContaining(SslMaterial.KEYSTORE_PASSWORD);
        Map<String, Object> badProtocol = serverKeys();
        badProtocol.put(SslMaterial.ENABLED_PROTOCOLS, "TLSv0.9");
        assertThatThrownBy(() -> ListenerSslContext.build("CLIENTS", SslMaterial.from(badProtocol)))
                .hasMessageContaining(SslMaterial.ENABLED_PROTOCOLS)
                .hasMessageContaining("TLSv0.9");
        Map<String, Object> badCipher = serverKeys();
        badCipher.put(SslMaterial.CIPHER_SUITES, "TLS_NO_SUCH_CIPHER");
        assertThatThrownBy(() -> ListenerSslContext.build("CLIENTS", SslMaterial.from(badCipher)))
                .hasMessageContaining("CLIENTS");
    }

    private static Map<String, Object> serverKeys() {
        Map<String, Object> c = new HashMap<>();
        c.put(SslMaterial.KEYSTORE_TYPE, "PKCS12");
        c.put(SslMaterial.KEYSTORE_LOCATION, dir.resolve("server.p12").toString());
        c.put(SslMaterial.KEYSTORE_PASSWORD, PASSWORD);
        return c;
    }

    private static SslMaterial clientConfig(boolean withCertificate) {
        Map<String, Object> c = new HashMap<>();
        c.put(SslMaterial.TRUSTSTORE_TYPE, "PKCS12");
        c.put(SslMaterial.TRUSTSTORE_LOCATION, dir.resolve("client-trust.p12").toString());
        c.put(SslMaterial.TRUSTSTORE_PASSWORD, PASSWORD);
        if (withCertificate) {
            c.put(SslMaterial.KEYSTORE_TYPE, "PKCS12");
            c.put(SslMaterial.KEYSTORE_LOCATION, dir.resolve("client.p12").toString());
            c.put(SslMaterial.KEYSTORE_PASSWORD, PASSWORD);
        }
        return SslMaterial.from(c);
    }

    /** A listener that answers each byte with itself and reports the client's certificate subject. */
    private static Channel serve(SslContext context, CompletableFuture<String> peer) throws InterruptedException {
        return new ServerBootstrap()
                .group(GROUP)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = context.newHandler(ch.alloc());
                        ch.pipeline().addLast(ssl, new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                String subject;
                                try {
                                    subject = ssl.engine()
                                            .getSession()
                                            .getPeerPrincipal()
                                            .getName();
                                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                                    subject = "ANONYMOUS";
                                }
                                peer.complete(subject);
                                ctx.writeAndFlush(msg.retain());
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sync()
                .channel();
    }

    private static int roundTrip(Channel server, SslMaterial client) throws IOException {
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        try (SSLSocket socket = (SSLSocket)
                client.jdkContext().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            var params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm(null);
            params.setProtocols(List.of("TLSv1.3").toArray(String[]::new));
            socket.setSSLParameters(params);
            socket.startHandshake();
            socket.getOutputStream().write(42);
            socket.getOutputStream().flush();
            int answer = socket.getInputStream().read();
            if (answer < 0) {
                throw new IOException("the listener closed the connection");
            }
            return answer;
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed:\n" + Files.readString(log));
        }
    }
}
