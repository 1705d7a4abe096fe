package io.tributary.interop.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A TCP proxy in front of one broker that records every request frame clients send through it, so
 * a test can see on the wire which API versions a client really used. Frames are forwarded
 * unchanged; responses are copied back byte for byte. A broker whose advertised listener is this
 * proxy's port keeps every client connection going through it.
 *
 * <p>Started by a test and closed by it; the forwarding threads are its own, and {@link #requests()}
 * may be read from any thread.
 */
public final class RecordingProxy implements AutoCloseable {
    /** One request as sent: API key, version, and the whole frame after the size (header and body). */
    public record Frame(short apiKey, short apiVersion, byte[] payload) {}

    private final ServerSocket server;
    private final Queue<Frame> requests = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
    private volatile int targetPort = -1;

    private RecordingProxy(ServerSocket server) {
        this.server = server;
    }

    /** Binds an ephemeral port on 127.0.0.1; call {@link #forwardTo} before clients connect. */
    public static RecordingProxy bind() throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        RecordingProxy proxy = new RecordingProxy(server);
        Thread acceptor = new Thread(proxy::acceptLoop, "recording-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    /** The broker port connections are forwarded to (on 127.0.0.1). */
    public void forwardTo(int brokerPort) {
        if (brokerPort == port()) {
            throw new IllegalArgumentException("the proxy cannot forward to itself (port " + brokerPort + ")");
        }
        this.targetPort = brokerPort;
    }

    /** Every request seen so far, in arrival order per connection. */
    public List<Frame> requests() {
        return new ArrayList<>(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Socket broker = new Socket();
                sockets.add(broker);
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 10_000);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                start("recording-proxy-requests", () -> recordRequests(client, broker));
                start("recording-proxy-responses", () -> copy(broker, client));
            } catch (IOException e) {
                // The server socket closed (close()) or one connection failed; others carry on.
            }
        }
    }

    private static void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private void recordRequests(Socket client, Socket broker) {
        try (DataInputStream in = new DataInputStream(client.getInputStream())) {
            OutputStream out = broker.getOutputStream();
            while (true) {
                int size = in.readInt();
                byte[] payload = new byte[size];
                in.readFully(payload);
                ByteBuffer b = ByteBuffer.wrap(payload);
                requests.add(new Frame(b.getShort(), b.getShort(), payload));
                out.write(
                        ByteBuffer.allocate(4 + size).putInt(size).put(payload).array());
                out.flush();
            }
        } catch (IOException e) {
            closeQuietly(broker);
        }
    }

    /** Copies one direction of a proxied connection until either side goes, then closes {@code to}. */
    public static void copy(Socket from, Socket to) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // Either side went away; closing both ends the pair.
        }
        closeQuietly(to);
    }

    public static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        sockets.forEach(RecordingProxy::closeQuietly);
    }
}
