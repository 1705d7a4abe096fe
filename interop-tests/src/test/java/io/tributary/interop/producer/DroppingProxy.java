package io.tributary.interop.producer;

import io.tributary.interop.support.RecordingProxy;
import io.tributary.interop.support.Target;
import io.tributary.reference.ApacheKafkaNode;
import io.tributary.testkit.EmbeddedBroker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A TCP proxy in front of one broker that cuts the client's connection right after forwarding
 * every {@code n}-th Produce request, before its response can come back (issue 12: idempotent
 * retries must not write duplicates). The broker may or may not have appended the batch; the
 * producer cannot know and must resend it with the same sequence.
 */
final class DroppingProxy implements AutoCloseable {
    private static final short PRODUCE = 0;
    private final ServerSocket server;
    private final int every;
    private final AtomicInteger produces = new AtomicInteger();
    private final AtomicInteger drops = new AtomicInteger();
    private volatile IntSupplier target;
    private volatile boolean blackHole;
    private Runnable stopBroker = () -> {};

    /** {@code every}: cut after every n-th Produce request; {@link Integer#MAX_VALUE} for never. */
    DroppingProxy(int every) throws IOException {
        this.every = every;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "dropping-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void forwardTo(IntSupplier brokerPort) {
        this.target = brokerPort;
    }

    /** The proxy's address, which clients bootstrap from and the broker advertises. */
    String address() {
        return "127.0.0.1:" + port();
    }

    /**
     * Starts {@code target}'s broker advertising this proxy (Apache: on an extra PROXIED
     * listener), so every connection of a client, not only its bootstrap, goes through it. The
     * broker stops when the proxy closes.
     */
    void startBroker(Target target) {
        if (target == Target.TRIBUTARY) {
            EmbeddedBroker ours = EmbeddedBroker.start(Map.of("advertised.listeners", "PLAINTEXT://" + address()));
            forwardTo(ours::port);
            stopBroker = ours::close;
            return;
        }
        Map<String, String> s = new LinkedHashMap<>(Target.COMMON_SETTINGS);
        s.put("listeners", "EXTERNAL://localhost:0,PROXIED://127.0.0.1:0,CONTROLLER://localhost:0");
        s.put("advertised.listeners", "EXTERNAL://localhost:0,PROXIED://" + address());
        s.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT");
        ApacheKafkaNode node = ApacheKafkaNode.start(s);
        forwardTo(() -> node.boundPort("PROXIED"));
        stopBroker = node::close;
    }

    int drops() {
        return drops.get();
    }

    /**
     * While on, a connection's first Produce request and everything after it on that connection
     * are swallowed, the connection held open: the client sees only its request time out, and the
     * broker never sees the batch (issue 12: a sequenced batch lost for good).
     */
    void blackHoleProduce(boolean on) {
        blackHole = on;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getAsInt()), 10_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                start(() -> requests(client, broker));
                start(() -> RecordingProxy.copy(broker, client));
            } catch (IOException e) {
                // Closed, or one connection failed; others carry on.
            }
        }
    }

    private static void start(Runnable body) {
        Thread t = new Thread(body, "dropping-proxy-io");
        t.setDaemon(true);
        t.start();
    }

    private void requests(Socket client, Socket broker) {
        try (DataInputStream in = new DataInputStream(client.getInputStream())) {
            OutputStream out = broker.getOutputStream();
            while (true) {
                int size = in.readInt();
                byte[] payload = new byte[size];
                in.readFully(payload);
                if (blackHole && ByteBuffer.wrap(payload).getShort() == PRODUCE) {
                    in.transferTo(OutputStream.nullOutputStream());
                    throw new IOException("black-holed connection closed by the client");
                }
                out.write(
                        ByteBuffer.allocate(4 + size).putInt(size).put(payload).array());
                out.flush();
                if (ByteBuffer.wrap(payload).getShort() == PRODUCE && produces.incrementAndGet() % every == 0) {
                    drops.incrementAndGet();
                    client.close(); // the response never reaches the producer
                    broker.close();
                    return;
                }
            }
        } catch (IOException e) {
            RecordingProxy.closeQuietly(broker);
            RecordingProxy.closeQuietly(client);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        stopBroker.run();
    }
}
