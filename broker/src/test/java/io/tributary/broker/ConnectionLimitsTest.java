package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.config.ConfigException;
import io.tributary.broker.network.ConnectionQuotas;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 3: max.connections (stop accepting until a connection goes) and max.connections.per.ip with its
 * overrides (close the excess connection at once), enforced and recovered, over real sockets.
 */
class ConnectionLimitsTest {
    private TributaryBroker broker;
    private final List<Socket> sockets = new ArrayList<>();

    private TributaryBroker start(Map<String, String> overrides) throws IOException {
        Path dir = Files.createTempDirectory("tributary-limits-");
        broker = BrokerFixture.start(dir, 0, overrides);
        return broker;
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void maxConnectionsHoldsNewConnectionsUntilOneCloses() throws Exception {
        start(Map.of("max.connections", "3"));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect("127.0.0.1");
            assertThat(apiVersions(s, 10_000)).isTrue();
            held.add(s);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.connectionCount() == 3);
        // The fourth completes its TCP handshake in the listen backlog but is not served.
        Socket waiting = connect("127.0.0.1");
        sendApiVersions(waiting);
        assertThat(answered(waiting, 500)).as("served above max.connections").isFalse();
        assertThat(broker.connectionCount()).isEqualTo(3);

        held.get(0).close();
        assertThat(answered(waiting, 10_000)).as("served once a slot freed").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.connectionCount() == 3);
        held.get(1).close();
        Socket another = connect("127.0.0.1");
        assertThat(apiVersions(another, 10_000)).isTrue();
    }

    @Test
    void maxConnectionsPerIpClosesTheExcessConnectionAndRecovers() throws Exception {
        start(Map.of("max.connections.per.ip", "2"));
        Socket a = connect("127.0.0.1");
        Socket b = connect("127.0.0.1");
        assertThat(apiVersions(a, 10_000)).isTrue();
        assertThat(apiVersions(b, 10_000)).isTrue();
        Socket rejected = connect("127.0.0.1");
        assertThat(closedByPeer(rejected))
                .as("third connection from one address")
                .isTrue();
        // Another address has its own count.
        Socket other = connect("127.0.0.2");
        assertThat(apiVersions(other, 10_000)).isTrue();

        a.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Socket again = connect("127.0.0.1");
            assertThat(apiVersions(again, 10_000)).isTrue();
        });
        assertThat(closedByPeer(connect("127.0.0.1"))).isTrue();
    }

    @Test
    void overridesReplaceThePerIpLimitForTheirAddress() throws Exception {
        start(Map.of("max.connections.per.ip", "1", "max.connections.per.ip.overrides", "127.0.0.1:3,localhost:3"));
        for (int i = 0; i < 3; i++) {
            assertThat(apiVersions(connect("127.0.0.1"), 10_000)).isTrue();
        }
        assertThat(closedByPeer(connect("127.0.0.1"))).isTrue();
        assertThat(apiVersions(connect("127.0.0.2"), 10_000)).isTrue();
        assertThat(closedByPeer(connect("127.0.0.2")))
                .as("127.0.0.2 keeps the default of 1")
                .isTrue();
    }

    @Test
    void overridesAreParsedKafkasWay() {
        assertThat(ConnectionQuotas.parseOverrides("127.0.0.1:5, 10.0.0.1:0"))
                .containsEntry(InetAddress.getLoopbackAddress(), 5)
                .hasSize(2);
        assertThat(ConnectionQuotas.parseOverrides("")).isEmpty();
        assertThatThrownBy(() -> ConnectionQuotas.parseOverrides("127.0.0.1")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ConnectionQuotas.parseOverrides("127.0.0.1:x")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> BrokerFixture.start(Path.of("unused"), 0, Map.of("max.connections", "-1")))
                .isInstanceOf(ConfigException.class);
    }

    private Socket connect(String localAddress) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(localAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", broker.boundPort()), 5000);
        return s;
    }

    private static void sendApiVersions(Socket s) throws IOException {
        byte[] body = TestConnection.encodeRequest(
                (short) 18,
                (short) 3,
                7,
                "limits",
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
        s.getOutputStream()
                .write(ByteBuffer.allocate(4 + body.length)
                        .putInt(body.length)
                        .put(body)
                        .array());
        s.getOutputStream().flush();
    }

    private static boolean apiVersions(Socket s, int timeoutMs) throws IOException {
        sendApiVersions(s);
        return answered(s, timeoutMs);
    }

    /** True when an ApiVersions answer (error NONE) arrives within the timeout; false on timeout. */
    private static boolean answered(Socket s, int timeoutMs) throws IOException {
        s.setSoTimeout(timeoutMs);
        DataInputStream in = new DataInputStream(s.getInputStream());
        try {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            io.tributary.protocol.ProtocolReader r = new io.tributary.protocol.ProtocolReader(ByteBuffer.wrap(frame));
            assertThat(r.readInt()).isEqualTo(7);
            ApiVersionsResponseData resp = new ApiVersionsResponseData();
            resp.read(r, (short) 3);
            return resp.errorCode == Errors.NONE.code();
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static boolean closedByPeer(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        try {
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }
}
