package io.tributary.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tributary.protocol.ApiMessage;

/**
 * One decoded request: header fields, the parsed body (null only for an ApiVersions request at a
 * version we do not know, whose body is never parsed) and the connection it came from. Created on
 * the connection's event loop; immutable except for the sequence number the orderer assigns.
 */
public final class Request {
    private final short apiKey;
    private final short apiVersion;
    private final int correlationId;
    private final String clientId;
    private final ApiMessage body;
    private final Channel channel;
    private final Connection connection;
    private final long receivedNanos;
    private long sequence = -1;
    /** The network frame a Produce body was parsed from in place (its records are slices of it); null otherwise. */
    private ByteBuf frame;

    public Request(
            short apiKey, short apiVersion, int correlationId, String clientId, ApiMessage body, Channel channel) {
        this(apiKey, apiVersion, correlationId, clientId, body, channel, Connection.unbound(channel.remoteAddress()));
    }

    public Request(
            short apiKey,
            short apiVersion,
            int correlationId,
            String clientId,
            ApiMessage body,
            Channel channel,
            Connection connection) {
        this.connection = connection;
        this.apiKey = apiKey;
        this.apiVersion = apiVersion;
        this.correlationId = correlationId;
        this.clientId = clientId;
        this.body = body;
        this.channel = channel;
        this.receivedNanos = System.nanoTime();
    }

    public short apiKey() {
        return apiKey;
    }

    public short apiVersion() {
        return apiVersion;
    }

    public int correlationId() {
        return correlationId;
    }

    public String clientId() {
        return clientId;
    }

    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T body() {
        return (T) body;
    }

    /** The connection; handlers use its event loop for timers and must not block it. */
    public Channel channel() {
        return channel;
    }

    /** The listener this request arrived on and the authenticated principal. */
    public Connection connection() {
        return connection;
    }

    /** Shorthand for {@code connection().principal()}: {@code User:<name>}. */
    public String principal() {
        return connection.principal();
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    /** Keeps the frame this request's body points into alive until {@link #releaseFrame()}. */
    void holdFrame(ByteBuf buf) {
        this.frame = buf;
    }

    /**
     * Gives the network frame back to Netty's pool once nothing reads the body any more: after the
     * handler returned (Produce appends synchronously) or when the request is dropped. Idempotent;
     * event loop only.
     */
    void releaseFrame() {
        ByteBuf f = frame;
        if (f != null) {
            frame = null;
            f.release();
        }
    }

    long sequence() {
        return sequence;
    }

    void sequence(long seq) {
        this.sequence = seq;
    }

    @Override
    public String toString() {
        return "Request(key=" + apiKey + " v" + apiVersion + " corr=" + correlationId + " client=" + clientId + " from "
                + channel.remoteAddress() + ")";
    }
}
