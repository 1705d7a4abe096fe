package io.tributary.interop.consumer;

import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.FetchRequestData;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A TCP proxy in front of one broker listener that records every Fetch request passing through
 * it: its size on the wire (the frame, as the client wrote it), its session id and epoch, and how
 * many partitions it names and forgets. Clients reach the broker through it because the broker
 * advertises the proxy's address. Bytes are forwarded untouched in both directions. The target
 * port is read when the first connection arrives, so the proxy can be bound (and advertised)
 * before the broker behind it starts. Thread-safe: one thread per direction per connection.
 */
final class FetchRecordingProxy implements AutoCloseable {
    /** One Fetch request as seen on the wire. */
    record Fetch(String clientId, short version, int bytes, int sessionId, int epoch, int partitions, int forgotten) {}

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Fetch> fetches = new CopyOnWriteArrayList<>();
    private final CountDownLatch targetKnown = new CountDownLatch(1);
    private volatile IntSupplier targetPort;

    FetchRecordingProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fetch-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    void forwardTo(IntSupplier port) {
        targetPort = port;
        targetKnown.countDown();
    }

    /** The Fetch requests one client (by client.id) sent, in order. */
    List<Fetch> fetchesOf(String clientId) {
        List<Fetch> out = new ArrayList<>();
        for (Fetch f : fetches) {
            if (clientId.equals(f.clientId())) {
                out.add(f);
            }
        }
        return out;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (!targetKnown.await(30, TimeUnit.SECONDS)) {
                    client.close();
                    continue;
                }
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort.getAsInt()), 5_000);
                sockets.add(broker);
                client.setTcpNoDelay(true);
                broker.setTcpNoDelay(true);
                start("fetch-proxy-up", () -> pumpRequests(client, broker), client, broker);
                start(
                        "fetch-proxy-down",
                        () -> pump(broker.getInputStream(), client.getOutputStream()),
                        client,
                        broker);
            } catch (IOException e) {
                // Closed, or one connection failed: the client sees a disconnect and retries.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private static void start(String name, Pump pump, Socket a, Socket b) {
        Thread t = new Thread(
                () -> {
                    try {
                        pump.run();
                    } catch (IOException e) {
                        // The other side went away; closing both ends tells the client.
                    } finally {
                        // One side ended: end the other, so the client sees the disconnect.
                        closeQuietly(a);
                        closeQuietly(b);
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void pump(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            out.flush();
        }
        out.close();
    }

    /** Forwards request frames one by one, recording the Fetch ones. */
    private void pumpRequests(Socket client, Socket broker) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        OutputStream out = broker.getOutputStream();
        while (true) {
            int size;
            try {
                size = in.readInt();
            } catch (IOException e) {
                out.close();
                return;
            }
            byte[] frame = new byte[size];
            in.readFully(frame);
            record(frame);
            out.write(ByteBuffer.allocate(4).putInt(size).array());
            out.write(frame);
            out.flush();
        }
    }

    private void record(byte[] frame) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(frame));
        short apiKey = r.readShort();
        if (apiKey != ApiMessageType.FETCH.apiKey()) {
            return;
        }
        short version = r.readShort();
        r.readInt(); // correlation id
        String clientId = r.readString();
        if (ApiMessageType.FETCH.requestHeaderVersion(version) >= 2) {
            int tags = r.readUnsignedVarint();
            for (int i = 0; i < tags; i++) {
                r.readUnsignedVarint();
                r.skip(r.readUnsignedVarint());
            }
        }
        FetchRequestData req = new FetchRequestData();
        req.read(r, version);
        int partitions = 0;
        for (FetchRequestData.FetchTopic t : req.topics) {
            partitions += t.partitions.size();
        }
        int forgotten = 0;
        for (FetchRequestData.ForgottenTopic t : req.forgottenTopicsData) {
            forgotten += t.partitions.size();
        }
        // The 4-byte size prefix is on the wire too.
        fetches.add(
                new Fetch(clientId, version, frame.length + 4, req.sessionId, req.sessionEpoch, partitions, forgotten));
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(FetchRecordingProxy::closeQuietly);
    }
}
