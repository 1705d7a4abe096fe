package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.network.ApiSupport;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.MetadataResponseData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random bodies behind valid headers for every served API and version: each connection gets an
 * answer or is closed, and the broker keeps serving a well-behaved client throughout.
 */
class GarbageInputTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker();

    @Test
    void randomBodiesNeverTakeTheBrokerDown() throws Exception {
        Random rnd = new Random(42);
        try (TestConnection good = new TestConnection(fixture.get().boundPort())) {
            for (ApiSupport.Api api : fixture.get().apis().advertised()) {
                for (short v = api.servedMin(); v <= api.advertisedMax(); v++) {
                    for (int round = 0; round < 3; round++) {
                        byte[] body = new byte[rnd.nextInt(64)];
                        rnd.nextBytes(body);
                        byte[] header = TestConnection.encodeRequest(api.key(), v, 7, "fuzz", null);
                        byte[] frame = ByteBuffer.allocate(header.length + body.length)
                                .put(header)
                                .put(body)
                                .array();
                        try (TestConnection bad =
                                new TestConnection(fixture.get().boundPort())) {
                            bad.sendRaw(frame);
                            answeredOrClosed(bad);
                        }
                    }
                }
            }
            assertThat(good.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 3).errorCode)
                    .isZero();
            assertThat(good.roundTrip(Wire.metadata(true, "still-alive"), new MetadataResponseData(), (short) 4)
                            .topics
                            .get(0)
                            .errorCode)
                    .isZero();
        }
    }

    private static void answeredOrClosed(TestConnection c) throws IOException {
        // Either a response frame arrives (a parse that happened to succeed) or EOF; a hang fails.
        try {
            c.receiveFrame(7);
        } catch (java.io.EOFException | java.net.SocketException e) {
            return;
        }
    }
}
