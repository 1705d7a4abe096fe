package io.tributary.interop.producer;

import io.tributary.interop.support.RecordingProxy;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
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

    int drops() {
        return drops.get();
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
    }
}
