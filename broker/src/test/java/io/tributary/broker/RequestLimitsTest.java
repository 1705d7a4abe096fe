package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.tributary.broker.network.ApiHandler;
import io.tributary.broker.network.Response;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.DescribeClusterRequestData;
import io.tributary.protocol.message.DescribeClusterResponseData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.message.ProduceResponseData;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15 item 3, slow and greedy clients against a real broker: queued.max.requests stops reading while the
 * broker is busy, a client that pipelines big fetches and never reads cannot make the broker process (and hold)
 * responses without bound, and a partial frame held open allocates nothing near its declared size and is closed
 * by connections.max.idle.ms. Other clients stay served throughout.
 */
class RequestLimitsTest {
    private static final int MB = 1024 * 1024;

    @RegisterExtension
    final BrokerFixture fixture = BrokerFixture.broker(Map.of("queued.max.requests", "2"));

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    @Test
    void aFullRequestQueueStopsServingUntilARequestCompletes() throws Exception {
        List<CompletableFuture<Void>> parked = new CopyOnWriteArrayList<>();
        ApiHandler gated = request -> {
            CompletableFuture<Void> gate = new CompletableFuture<>();
            parked.add(gate);
            return gate.thenApply(ignored -> Response.of(request, new DescribeClusterResponseData()));
        };
        fixture.get().apis().register(ApiMessageType.DESCRIBE_CLUSTER, gated);
        try (TestConnection busy = connect();
                TestConnection other = connect()) {
            int first = busy.send(new DescribeClusterRequestData(), (short) 0);
            int second = busy.send(new DescribeClusterRequestData(), (short) 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> parked.size() == 2);
            assertThat(fixture.get().queuedRequests()).isEqualTo(2);

            int corr = other.send(apiVersions(), (short) 3);
            assertThat(answeredWithin(other, corr, 500))
                    .as("served above queued.max.requests")
                    .isFalse();
            assertThat(parked).hasSize(2);

            parked.get(0).complete(null);
            busy.receive(first, new DescribeClusterResponseData(), (short) 0);
            ApiVersionsResponseData r = other.receive(corr, new ApiVersionsResponseData(), (short) 3);
            assertThat(r.errorCode).isZero();
            parked.get(1).complete(null);
            busy.receive(second, new DescribeClusterResponseData(), (short) 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get().queuedRequests() == 0);
        }
    }

    @Test
    void aClientThatPipelinesBigFetchesAndNeverReadsIsThrottledWhileOthersAreServed() throws Exception {
        AtomicInteger slowFetches = new AtomicInteger();
        ApiHandler fetch = fixture.get().apis().handler(ApiMessageType.FETCH);
        fixture.get().apis().register(ApiMessageType.FETCH, request -> {
            if (request.clientId().equals("slow")) {
                slowFetches.incrementAndGet();
            }
            return fetch.handle(request);
        });
        try (TestConnection c = connect()) {
            createTopic(c, "big");
            byte[] value = new byte[100_000];
            for (int i = 0; i < 20; i++) {
                ProduceResponseData r = c.roundTrip(
                        Wire.produce("big", 0, (short) 1, Wire.records(1_000, new String(value) + i)),
                        new ProduceResponseData(),
                        (short) 7);
                assertThat(r.responses.get(0).partitionResponses.get(0).errorCode)
                        .isZero();
            }
        }
        int requests = 200_000;
        byte[] one = TestConnection.encodeRequest(
                (short) 1, (short) 7, 1, "slow", Wire.fetch(0, 1, 4 * MB, "big", 0, 0L, 4 * MB));
        ByteBuffer all = ByteBuffer.allocate(requests * (4 + one.length));
        for (int i = 0; i < requests; i++) {
            all.putInt(one.length).put(one);
        }
        try (TestConnection slow = connect();
                TestConnection other = connect()) {
            Thread writer = new Thread(() -> {
                try {
                    slow.writeBytes(all.array());
                } catch (java.io.IOException e) {
                    // the test closes the socket while this may still be blocked
                }
            });
            writer.setDaemon(true);
            writer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> slowFetches.get() > 10);
            for (int i = 0; i < 20; i++) {
                FetchResponseData r = other.roundTrip(
                        Wire.fetch(0, 1, 4 * MB, "big", 0, (long) i, MB), new FetchResponseData(), (short) 7);
                assertThat(r.responses.get(0).partitions.get(0).errorCode).isZero();
            }
            // ~2 MB per response: only what the socket buffers, the write water mark and the in-flight bound
            // hold; unthrottled, the broker would have answered all 200,000 (400 GB) by now.
            System.out.println("slow reader: fetches processed " + slowFetches.get() + " of " + requests + " sent");
            assertThat(slowFetches.get()).isLessThan(1_000);
            assertThat(writer.isAlive())
                    .as("the slow client's sends block once the broker stops reading")
                    .isTrue();
        }
    }

    @Test
    void partialFramesHeldOpenAllocateLittleAndAreClosedWhenIdle() throws Exception {
        fixture.restart(Map.of("connections.max.idle.ms", "1500"));
        long before = nettyMemory();
        List<TestConnection> partial = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                TestConnection p = connect();
                partial.add(p);
                // A 100 MB frame declared (the socket.request.max.bytes default), 16 bytes of it sent.
                p.writeBytes(ByteBuffer.allocate(20).putInt(100_000_000).array());
            }
            try (TestConnection other = connect()) {
                assertThat(other.roundTrip(apiVersions(), new ApiVersionsResponseData(), (short) 3).errorCode)
                        .isZero();
            }
            long grown = nettyMemory() - before;
            System.out.println("partial frames: 200 x 100 MB declared, pooled memory grew " + grown + " bytes");
            assertThat(grown).as("bytes pooled for 200 declared 100 MB frames").isLessThan(64L * MB);
            for (TestConnection p : partial) {
                assertThat(p.isClosedByPeer())
                        .as("closed by connections.max.idle.ms")
                        .isTrue();
            }
        } finally {
            for (TestConnection p : partial) {
                p.close();
            }
        }
    }

    private static long nettyMemory() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                + PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory();
    }

    private static ApiVersionsRequestData apiVersions() {
        return new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1");
    }

    private static boolean answeredWithin(TestConnection c, int corr, int ms) throws Exception {
        c.soTimeout(ms);
        try {
            c.receive(corr, new ApiVersionsResponseData(), (short) 3);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            c.soTimeout(10_000);
        }
    }

    private static void createTopic(TestConnection c, String name) throws Exception {
        List<CreateTopicsRequestData.CreatableTopic> ts = new ArrayList<>();
        ts.add(new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(1)
                .setReplicationFactor((short) -1));
        CreateTopicsResponseData r =
                c.roundTrip(new CreateTopicsRequestData().setTopics(ts), new CreateTopicsResponseData(), (short) 4);
        assertThat(r.topics.get(0).errorCode).isZero();
    }
}
