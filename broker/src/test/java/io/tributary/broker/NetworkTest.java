package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.network.ApiSupport;
import io.tributary.protocol.Errors;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.InitProducerIdRequestData;
import io.tributary.protocol.message.InitProducerIdResponseData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Framing, header decoding, ApiVersions and bad input against a real broker over real sockets. */
class NetworkTest {
    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of("socket.request.max.bytes", "1024"));

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    @Test
    void apiVersionsAdvertisesClassicRangesOfRegisteredApisOnly() throws Exception {
        try (TestConnection c = connect()) {
            for (short v = 0; v <= 4; v++) {
                ApiVersionsResponseData r = c.roundTrip(
                        new ApiVersionsRequestData()
                                .setClientSoftwareName("test")
                                .setClientSoftwareVersion("1"),
                        new ApiVersionsResponseData(),
                        v);
                assertThat(r.errorCode).isEqualTo(Errors.NONE.code());
                Set<Short> keys = new HashSet<>();
                for (ApiVersionsResponseData.ApiVersion k : r.apiKeys) {
                    keys.add(k.apiKey);
                    ApiSupport.Api api = ApiSupport.api(k.apiKey);
                    assertThat(k.minVersion).as("min of %s", api.name()).isEqualTo(api.advertisedMin());
                    assertThat(k.maxVersion).as("max of %s", api.name()).isEqualTo(api.advertisedMax());
                    assertThat(fixture.get().apis().isRegistered(k.apiKey)).isTrue();
                }
                // The group APIs come from the group coordinator, which the fixture installs.
                assertThat(keys)
                        .contains(
                                ApiMessageType.API_VERSIONS.apiKey(),
                                ApiMessageType.INIT_PRODUCER_ID.apiKey(),
                                ApiMessageType.FIND_COORDINATOR.apiKey(),
                                ApiMessageType.JOIN_GROUP.apiKey(),
                                ApiMessageType.SYNC_GROUP.apiKey(),
                                ApiMessageType.HEARTBEAT.apiKey(),
                                ApiMessageType.LEAVE_GROUP.apiKey(),
                                ApiMessageType.OFFSET_COMMIT.apiKey(),
                                ApiMessageType.OFFSET_FETCH.apiKey(),
                                ApiMessageType.DESCRIBE_GROUPS.apiKey(),
                                ApiMessageType.LIST_GROUPS.apiKey(),
                                ApiMessageType.DELETE_GROUPS.apiKey(),
                                ApiMessageType.OFFSET_DELETE.apiKey(),
                                // Kafka advertises the SASL APIs on every listener (the security extension).
                                ApiMessageType.SASL_HANDSHAKE.apiKey(),
                                ApiMessageType.SASL_AUTHENTICATE.apiKey(),
                                // Issue 10: Apache's admin describes the cluster with it.
                                ApiMessageType.DESCRIBE_CLUSTER.apiKey(),
                                // Issue 11: the transaction coordinator, which the fixture installs.
                                ApiMessageType.ADD_PARTITIONS_TO_TXN.apiKey(),
                                ApiMessageType.ADD_OFFSETS_TO_TXN.apiKey(),
                                ApiMessageType.END_TXN.apiKey(),
                                ApiMessageType.DESCRIBE_TRANSACTIONS.apiKey(),
                                ApiMessageType.LIST_TRANSACTIONS.apiKey(),
                                ApiMessageType.WRITE_TXN_MARKERS.apiKey());
            }
        }
    }

    @Test
    void apiVersionsAtUnknownVersionAnswersV0LayoutWithError35AndKeepsTheConnection() throws Exception {
        try (TestConnection c = connect()) {
            // A body we cannot parse must not matter: the broker does not read it.
            ProtocolWriter w = new ProtocolWriter();
            w.writeShort(ApiMessageType.API_VERSIONS.apiKey());
            w.writeShort((short) 99);
            w.writeInt(42);
            w.writeString("future-client");
            w.writeRaw(new byte[] {(byte) 0xff, 1, 2, 3});
            c.sendRaw(w.toByteArray());
            ProtocolReader r = c.receiveFrame(42);
            ApiVersionsResponseData resp = new ApiVersionsResponseData();
            resp.read(r, (short) 0);
            assertThat(r.remaining()).isZero();
            assertThat(resp.errorCode).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(resp.apiKeys).hasSize(1);
            assertThat(resp.apiKeys.get(0).apiKey).isEqualTo(ApiMessageType.API_VERSIONS.apiKey());
            assertThat(resp.apiKeys.get(0).minVersion).isEqualTo((short) 0);
            assertThat(resp.apiKeys.get(0).maxVersion).isEqualTo((short) 4);
            ApiVersionsResponseData again =
                    c.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 0);
            assertThat(again.errorCode).isZero();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (TestConnection c = connect()) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(
                        i % 2 == 0
                                ? c.send(new ApiVersionsRequestData(), (short) 3)
                                : c.send(new InitProducerIdRequestData().setTransactionalId(null), (short) 4));
            }
            for (int i = 0; i < ids.size(); i++) {
                if (i % 2 == 0) {
                    assertThat(c.receive(ids.get(i), new ApiVersionsResponseData(), (short) 3).errorCode)
                            .isZero();
                } else {
                    assertThat(c.receive(ids.get(i), new InitProducerIdResponseData(), (short) 4).errorCode)
                            .isZero();
                }
            }
        }
    }

    @Test
    void oversizedFrameClosesOnlyThatConnection() throws Exception {
        try (TestConnection bad = connect();
                TestConnection good = connect()) {
            bad.writeBytes(ByteBuffer.allocate(4).putInt(1025).array());
            assertThat(bad.isClosedByPeer()).isTrue();
            assertThat(good.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 0).errorCode)
                    .isZero();
        }
    }

    @Test
    void negativeFrameSizeClosesTheConnection() throws Exception {
        try (TestConnection bad = connect()) {
            bad.writeBytes(ByteBuffer.allocate(4).putInt(-5).array());
            assertThat(bad.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        try (TestConnection bad = connect();
                TestConnection good = connect()) {
            bad.sendRaw(TestConnection.encodeRequest((short) 999, (short) 0, 7, "x", null));
            assertThat(bad.isClosedByPeer()).isTrue();
            assertThat(good.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 1).errorCode)
                    .isZero();
        }
    }

    @Test
    void unsupportedVersionOfAnotherApiClosesWithoutReply() throws Exception {
        try (TestConnection bad = connect()) {
            bad.sendRaw(
                    TestConnection.encodeRequest(ApiMessageType.INIT_PRODUCER_ID.apiKey(), (short) 5, 7, "x", null));
            assertThat(bad.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void truncatedRequestClosesTheConnection() throws Exception {
        try (TestConnection bad = connect();
                TestConnection good = connect()) {
            byte[] full = TestConnection.encodeRequest(
                    ApiMessageType.INIT_PRODUCER_ID.apiKey(),
                    (short) 0,
                    7,
                    "x",
                    new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(100));
            byte[] cut = java.util.Arrays.copyOf(full, full.length - 3);
            bad.sendRaw(cut);
            assertThat(bad.isClosedByPeer()).isTrue();
            // A header shorter than its fixed fields, too.
            try (TestConnection tiny = connect()) {
                tiny.sendRaw(new byte[] {0, 18, 0});
                assertThat(tiny.isClosedByPeer()).isTrue();
            }
            assertThat(good.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 2).errorCode)
                    .isZero();
        }
    }

    @Test
    void extensionsRegisterHandlersBeforeTheFirstConnection() throws Exception {
        fixture.get().close();
        boolean[] closed = {false};
        BrokerExtension ext = new BrokerExtension() {
            @Override
            public void install(BrokerContext b) {
                b.apis()
                        .register(
                                ApiMessageType.HEARTBEAT,
                                request -> java.util.concurrent.CompletableFuture.completedFuture(
                                        io.tributary.broker.network.Response.of(
                                                request, new io.tributary.protocol.message.HeartbeatResponseData())));
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        TributaryBroker custom = TributaryBroker.start(
                io.tributary.broker.config.BrokerConfig.fromMap(
                        Map.of("log.dirs", fixture.dir().toString(), "listeners", "PLAINTEXT://127.0.0.1:0")),
                new GroupCoordinatorExtension(),
                ext);
        try (TestConnection c = new TestConnection(custom.boundPort())) {
            ApiVersionsResponseData r =
                    c.roundTrip(new ApiVersionsRequestData(), new ApiVersionsResponseData(), (short) 3);
            assertThat(r.apiKeys).anySatisfy(k -> {
                assertThat(k.apiKey).isEqualTo(ApiMessageType.HEARTBEAT.apiKey());
                assertThat(k.minVersion).isEqualTo((short) 0);
                assertThat(k.maxVersion).isEqualTo((short) 4);
            });
        } finally {
            custom.close();
        }
        assertThat(closed[0]).isTrue();
    }

    @Test
    void producerIdsAreUniqueAcrossRestarts() throws Exception {
        Set<Long> seen = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            try (TestConnection c = connect()) {
                for (int i = 0; i < 5; i++) {
                    InitProducerIdResponseData r = c.roundTrip(
                            new InitProducerIdRequestData()
                                    .setTransactionalId(null)
                                    .setTransactionTimeoutMs(-1),
                            new InitProducerIdResponseData(),
                            (short) 4);
                    assertThat(r.errorCode).isZero();
                    assertThat(r.producerEpoch).isZero();
                    assertThat(seen.add(r.producerId))
                            .as("fresh id %s", r.producerId)
                            .isTrue();
                }
            }
            fixture.restart(Map.of());
        }
    }
}
