package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.group.GroupCoordinatorExtension;
import io.tributary.broker.security.SecurityExtension;
import io.tributary.broker.txn.TransactionCoordinatorExtension;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 (cold start): the listener is bound while the broker still opens its data directory and
 * installs its extensions, as Kafka's broker binds before it processes requests. A client that
 * connects then is not refused: its request waits and is answered once the broker is ready, by the
 * whole broker (the APIs of every extension).
 */
class EarlyConnectionTest {
    @TempDir
    Path dir;

    /** Holds the start-up inside its install until released. */
    private static final class Gate implements BrokerExtension {
        final CountDownLatch installing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void install(BrokerContext broker) {
            installing.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aConnectionMadeDuringStartUpIsAnsweredOnceTheBrokerIsReady() throws Exception {
        int port = freePort();
        BrokerConfig config = BrokerConfig.fromMap(
                Map.of(BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port));
        Gate gate = new Gate();
        GroupCoordinatorExtension groups = new GroupCoordinatorExtension();
        CompletableFuture<TributaryBroker> started = CompletableFuture.supplyAsync(() -> TributaryBroker.start(
                config, gate, groups, new TransactionCoordinatorExtension(groups), new SecurityExtension()));
        assertThat(gate.installing.await(30, TimeUnit.SECONDS)).isTrue();
        try (TestConnection c = connectWithin(port, 10_000)) {
            short v = 3;
            int corr = c.send(
                    new ApiVersionsRequestData().setClientSoftwareName("early").setClientSoftwareVersion("1"), v);
            // Not ready: nothing is answered yet.
            c.soTimeout(300);
            assertThatThrownBy(() -> c.receive(corr, new ApiVersionsResponseData(), v))
                    .isInstanceOf(SocketTimeoutException.class);
            gate.release.countDown();
            c.soTimeout(10_000);
            ApiVersionsResponseData r = c.receive(corr, new ApiVersionsResponseData(), v);
            assertThat(r.errorCode).isEqualTo(Errors.NONE.code());
            // The group coordinator was installed after the gate: its APIs are there.
            assertThat(r.apiKeys.stream().map(k -> k.apiKey))
                    .contains(ApiMessageType.JOIN_GROUP.apiKey(), ApiMessageType.API_VERSIONS.apiKey());
        } finally {
            gate.release.countDown();
            started.get(30, TimeUnit.SECONDS).close();
        }
    }

    /** Connects as a client retrying a refused connection would (the bind happens on another thread). */
    private static TestConnection connectWithin(int port, long ms) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (true) {
            try {
                return new TestConnection(port);
            } catch (java.net.ConnectException refused) {
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.onSpinWait(); // polling a port another thread is binding; nothing to wait on instead
            }
        }
    }

    @Test
    void aPortInUseStillFailsTheStartNamingTheListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            BrokerConfig config = BrokerConfig.fromMap(Map.of(
                    BrokerConfig.LOG_DIRS,
                    dir.toString(),
                    BrokerConfig.LISTENERS,
                    "PLAINTEXT://127.0.0.1:" + taken.getLocalPort()));
            assertThatThrownBy(() -> TributaryBroker.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on")
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
        // The failed start released the data directory: a broker starts on it.
        BrokerConfig ok = BrokerConfig.fromMap(
                Map.of(BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:0"));
        try (TributaryBroker b = TributaryBroker.start(ok)) {
            assertThat(b.boundPort()).isPositive();
        }
    }
}
