package io.tributary.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {
    private static ApiVersionsResponseData apiVersions(String bootstrap) throws Exception {
        String[] hp = bootstrap.split(":");
        try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
            s.setSoTimeout(10_000);
            ProtocolWriter w = new ProtocolWriter();
            w.writeShort((short) 18);
            w.writeShort((short) 0);
            w.writeInt(1);
            w.writeString("testkit");
            new ApiVersionsRequestData().write(w, (short) 0);
            byte[] body = w.toByteArray();
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] resp = new byte[in.readInt()];
            in.readFully(resp);
            ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(resp));
            assertThat(r.readInt()).isEqualTo(1);
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            data.read(r, (short) 0);
            return data;
        }
    }

    @Test
    void startsOnAnEphemeralPortInATempDirAndRestartsInPlace() throws Exception {
        Path dir;
        try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of("num.partitions", "2"))) {
            dir = broker.dataDir();
            assertThat(broker.port()).isPositive();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
            assertThat(apiVersions(broker.bootstrapServers()).errorCode).isZero();
            broker.broker().state().topics().create("kept", -1, -1, Map.of(), false);
            int port = broker.port();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            assertThat(broker.broker().state().topics().topic("kept").partitions())
                    .isEqualTo(2);
            assertThat(apiVersions(broker.bootstrapServers()).apiKeys).isNotEmpty();
        }
        assertThat(Files.exists(dir)).isFalse();
    }
}
