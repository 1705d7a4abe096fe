package io.tributary.client.network;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.message.ApiMessageType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One broker connection of {@link NetworkClient}: where it is in its set-up, the requests waiting for it and in flight
 * on it, and the size-prefixed framing over its {@link Transport}. Owned by the network thread.
 */
final class Connection {
    enum State {
        CONNECTING,
        TLS_HANDSHAKE,
        CHECKING_API_VERSIONS,
        AUTHENTICATING,
        /** Ready, but the session lifetime is nearly over: new requests wait until re-authenticated. */
        REAUTH_DUE,
        READY
    }

    record Pending(
            ApiMessageType api,
            ApiMessage body,
            short maxVersion,
            CompletableFuture<Response> future,
            long deadlineMs) {}

    record InFlight(ApiMessageType api, short version, CompletableFuture<Response> future, long deadlineMs) {}

    final NetworkClient.Endpoint endpoint;
    final SocketChannel channel;
    final SelectionKey key;
    final Transport transport;
    State state = State.CONNECTING;
    long reauthAtMs = Long.MAX_VALUE;
    Map<Short, short[]> brokerVersions = Map.of();
    /** Frames to send, each as its buffers in order (a Produce frame: header parts and the batches' own buffers). */
    final ArrayDeque<ByteBuffer[]> sends = new ArrayDeque<>();

    final List<Pending> waiting = new ArrayList<>();
    final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    /** Requests no answer comes for (Produce with acks=0): done once their bytes are written. */
    final Map<ByteBuffer[], CompletableFuture<Response>> unanswered = new java.util.IdentityHashMap<>();

    private final ByteBuffer sizeBuf = ByteBuffer.allocate(4);
    private ByteBuffer body;

    Connection(NetworkClient.Endpoint endpoint, SocketChannel channel, SelectionKey key, Transport transport) {
        this.endpoint = endpoint;
        this.channel = channel;
        this.key = key;
        this.transport = transport;
    }

    /** Sends what the socket takes now; stops asking to write once nothing is left, in our queue or the transport. */
    void write() throws IOException {
        while (!sends.isEmpty()) {
            ByteBuffer[] b = sends.peek();
            transport.write(b);
            if (hasRemaining(b)) {
                return;
            }
            sends.poll();
            CompletableFuture<Response> done = unanswered.remove(b);
            if (done != null) {
                done.complete(new Response(null, (short) -1, endpoint.id()));
            }
        }
        if (transport.flush()) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static boolean hasRemaining(ByteBuffer[] frame) {
        for (ByteBuffer b : frame) {
            if (b.hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** The next complete response frame (size prefix removed), or null when the socket has no more for now. */
    ByteBuffer readFrame() throws IOException {
        if (body == null) {
            int n = transport.read(sizeBuf);
            if (n < 0) {
                throw new DisconnectException("Connection to " + endpoint + " closed by the broker");
            }
            if (sizeBuf.hasRemaining()) {
                return null;
            }
            sizeBuf.flip();
            int size = sizeBuf.getInt();
            sizeBuf.clear();
            if (size < 4) {
                throw new DisconnectException("Invalid response size " + size + " from " + endpoint);
            }
            body = ByteBuffer.allocate(size);
        }
        // Until the socket has nothing more for now: a large answer (a fetch of megabytes) arrives
        // while we copy, and taking it in this pass saves going back through the selector (and
        // the network thread's loop) for each window's worth.
        int n;
        do {
            n = transport.read(body);
        } while (n > 0 && body.hasRemaining());
        if (n < 0) {
            throw new DisconnectException("Connection to " + endpoint + " closed by the broker");
        }
        if (body.hasRemaining()) {
            return null;
        }
        ByteBuffer frame = body;
        body = null;
        return frame.flip();
    }
}
