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
    /** The pooled frame {@link #body} belongs to, or null when it was allocated. */
    private ResponseBufferPool.Frame bodyFrame;
    /** The pooled frame of the response {@link #readFrame} returned last, until {@link #answer} hands it over. */
    private ResponseBufferPool.Frame readPooled;

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

    /**
     * The next complete response frame (size prefix removed), or null when the socket has no more for now. A large
     * Fetch answer is read into an array of {@code pool} (when given), which {@link #answer} hands over with it.
     */
    ByteBuffer readFrame(ResponseBufferPool pool) throws IOException {
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
            if (pool != null && size >= ResponseBufferPool.MIN_POOLED_SIZE && nextAnswerIsFetch()) {
                bodyFrame = pool.take(size);
                body = bodyFrame.buffer();
            } else {
                body = ByteBuffer.allocate(size);
            }
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
        readPooled = bodyFrame;
        bodyFrame = null;
        return frame.flip();
    }

    /**
     * Completes the request {@code frame} (from {@link #readFrame}) answers with its decoded body.
     *
     * @throws DisconnectException for an answer to no request in flight or one that does not parse
     */
    void answer(ByteBuffer frame) {
        ResponseBufferPool.Frame pooled = readPooled;
        readPooled = null;
        int correlationId = frame.getInt(0);
        InFlight f = inFlight.remove(correlationId);
        if (f == null) {
            throw new DisconnectException(
                    "Response with unknown correlation id " + correlationId + " from " + endpoint);
        }
        ApiMessage decoded;
        try {
            decoded = Framing.response(frame, f, endpoint);
        } catch (RuntimeException e) {
            f.future()
                    .completeExceptionally(
                            e instanceof DisconnectException ? e : new DisconnectException("Bad response header", e));
            throw new DisconnectException("Malformed response from " + endpoint, e);
        }
        // A pooled frame goes only with a Fetch answer, whose handler releases it; one that is not
        // handed over is left to the garbage collector, never given back while something may read it.
        Response response =
                new Response(decoded, f.version(), endpoint.id(), f.api() == ApiMessageType.FETCH ? pooled : null);
        if (!f.future().complete(response)) {
            response.releaseFrame();
        }
    }

    /** A broker answers a connection's requests in the order sent, so the oldest in flight is the next answer. */
    private boolean nextAnswerIsFetch() {
        for (InFlight f : inFlight.values()) {
            return f.api() == ApiMessageType.FETCH;
        }
        return false;
    }
}
