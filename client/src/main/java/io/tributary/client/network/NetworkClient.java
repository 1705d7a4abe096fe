package io.tributary.client.network;

import io.tributary.client.common.errors.AuthenticationException;
import io.tributary.client.common.errors.SaslAuthenticationException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.ApiVersionsResponseData;
import io.tributary.protocol.message.ProduceRequestData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small non-blocking Kafka network client: one connection per broker, opened on demand,
 * ApiVersions negotiated first, requests framed with the negotiated version, responses matched
 * by correlation id, timed out after request.timeout.ms (which also closes the connection, as
 * Kafka does). Owned by exactly one thread (the consumer's network thread); only
 * {@link #wakeup()} may be called from others. Futures complete on the owning thread.
 *
 * <p>Security ({@link ChannelSecurityConfig}): with TLS the socket is wrapped in a {@link TlsTransport} and its
 * handshake finishes before ApiVersions; with SASL a {@link SaslAuthenticator} logs in after ApiVersions, and only
 * then is the connection ready and queued requests sent. When the broker gives the login a lifetime
 * ({@code connections.max.reauth.ms}, KIP-368) the connection re-authenticates in place at 85-95% of it: new requests
 * wait, in-flight ones finish, then SaslHandshake and SaslAuthenticate run again on the same socket. An
 * {@link AuthenticationException} is not retried: it fails the connection's requests as it is, requests to that
 * broker during its reconnect backoff, and is kept for {@link #takeAuthenticationFailure()}.
 */
public final class NetworkClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkClient.class);
    private static final String SOFTWARE_NAME = "tributary-java";
    private static final String SOFTWARE_VERSION = "0.1.0";

    /** How the network client reaches a broker id; bootstrap servers get ids -1, -2, ... */
    public record Endpoint(int id, String host, int port) {}

    /** What {@link #leastLoadedNode} returns when every broker is backing off. */
    public static final int NO_NODE = Integer.MIN_VALUE;

    private final Selector selector;
    private final String clientId;
    private final int sendBufferBytes;
    private final int receiveBufferBytes;
    private final long requestTimeoutMs;
    private final Map<Integer, Endpoint> endpoints = new LinkedHashMap<>();
    private final java.util.Set<Integer> pinned = new java.util.HashSet<>();
    private final Map<Integer, Connection> connections = new HashMap<>();
    private final ReconnectBackoff backoff;
    private final ChannelSecurityConfig security;
    private AuthenticationException unreportedAuthFailure;
    private AuthenticationException latestAuthFailure;
    private int nextCorrelationId;
    /** Where large Fetch answers are read (the consumer's); null: every response gets a new array. */
    private volatile ResponseBufferPool fetchResponsePool;

    public NetworkClient(
            List<Endpoint> bootstrap,
            String clientId,
            int sendBufferBytes,
            int receiveBufferBytes,
            long requestTimeoutMs,
            long reconnectBackoffMs,
            long reconnectBackoffMaxMs,
            ChannelSecurityConfig security) {
        this.security = security;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new DisconnectException("Cannot open a selector", e);
        }
        this.clientId = clientId;
        this.sendBufferBytes = sendBufferBytes;
        this.receiveBufferBytes = receiveBufferBytes;
        this.requestTimeoutMs = requestTimeoutMs;
        this.backoff = new ReconnectBackoff(reconnectBackoffMs, reconnectBackoffMaxMs);
        bootstrap.forEach(e -> endpoints.put(e.id(), e));
    }

    /**
     * Reads large Fetch answers into {@code pool}'s reused arrays from now on; the Fetch response
     * handlers must then release each {@link Response#frame()} (see {@link ResponseBufferPool}).
     */
    public void poolFetchResponses(ResponseBufferPool pool) {
        this.fetchResponsePool = pool;
    }

    /** Replaces the known brokers (from metadata); bootstrap entries stay as a fallback. */
    public void updateBrokers(Collection<Endpoint> brokers) {
        endpoints.entrySet().removeIf(e -> e.getKey() >= 0 && !pinned.contains(e.getKey()));
        brokers.forEach(b -> endpoints.put(b.id(), b));
    }

    /**
     * Adds an endpoint that metadata updates leave alone: the group coordinator gets its own id
     * (and so its own connection), so group traffic never queues behind long-polling fetches.
     */
    public void pin(Endpoint endpoint) {
        endpoints.put(endpoint.id(), endpoint);
        pinned.add(endpoint.id());
    }

    public boolean knows(int nodeId) {
        return endpoints.containsKey(nodeId);
    }

    public boolean isReady(int nodeId) {
        Connection c = connections.get(nodeId);
        return c != null && c.state == Connection.State.READY;
    }

    /** True while a failed node is still inside its reconnect backoff. */
    public boolean isBlackedOut(int nodeId, long nowMs) {
        return backoff.isBlackedOut(nodeId, nowMs);
    }

    /** A broker in-flight count >= this is considered busy; fetches check it. */
    public int inFlightCount(int nodeId) {
        Connection c = connections.get(nodeId);
        return c == null ? 0 : c.inFlight.size() + c.waiting.size();
    }

    /**
     * The node to send cluster-wide requests (metadata, coordinator lookup) to: a ready
     * connection with the fewest in-flight requests, else a connecting one, else a known node not
     * in backoff (metadata brokers before bootstrap entries), else {@link #NO_NODE}.
     */
    public int leastLoadedNode(long nowMs) {
        int best = NO_NODE;
        int bestLoad = Integer.MAX_VALUE;
        for (Connection c : connections.values()) {
            if (c.state == Connection.State.READY && c.inFlight.size() < bestLoad) {
                best = c.endpoint.id();
                bestLoad = c.inFlight.size();
            }
        }
        if (best != NO_NODE) {
            return best;
        }
        for (Connection c : connections.values()) {
            if (c.state != Connection.State.READY && endpoints.containsKey(c.endpoint.id())) {
                return c.endpoint.id();
            }
        }
        List<Integer> ids = new ArrayList<>(endpoints.keySet());
        ids.sort((a, b) -> Boolean.compare(a < 0, b < 0));
        for (int id : ids) {
            if (!isBlackedOut(id, nowMs)) {
                return id;
            }
        }
        return NO_NODE;
    }

    /**
     * Queues a request for a broker, connecting if needed. The version is the highest both sides
     * support; this client's side is {@link ApiVersionRanges}, the one table of the versions it
     * sends. The future fails with {@link DisconnectException}
     * (retriable), {@link TimeoutException} or {@link UnsupportedVersionException}.
     */
    public CompletableFuture<Response> send(int nodeId, ApiMessageType api, ApiMessage body, long nowMs) {
        return send(nodeId, api, body, nowMs, requestTimeoutMs);
    }

    /** As {@link #send(int, ApiMessageType, ApiMessage, long)} with its own timeout (JoinGroup waits long). */
    public CompletableFuture<Response> send(
            int nodeId, ApiMessageType api, ApiMessage body, long nowMs, long timeoutMs) {
        return send(nodeId, api, body, nowMs, timeoutMs, ApiVersionRanges.clientMax(api));
    }

    /** As above, capped at {@code maxVersion} (a transactional Produce stays at v11: TV1). */
    public CompletableFuture<Response> send(
            int nodeId, ApiMessageType api, ApiMessage body, long nowMs, long timeoutMs, short maxVersion) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        Endpoint endpoint = endpoints.get(nodeId);
        if (endpoint == null) {
            future.completeExceptionally(new DisconnectException("Unknown broker id " + nodeId));
            return future;
        }
        Connection c = connections.get(nodeId);
        if (c == null) {
            if (isBlackedOut(nodeId, nowMs)) {
                AuthenticationException auth = backoff.authenticationFailure(nodeId);
                future.completeExceptionally(
                        auth != null
                                ? auth
                                : new DisconnectException("Broker " + endpoint + " is in reconnect backoff"));
                return future;
            }
            c = connect(endpoint, nowMs);
            if (c == null) {
                future.completeExceptionally(new DisconnectException("Cannot connect to " + endpoint));
                return future;
            }
        }
        Connection.Pending p = new Connection.Pending(api, body, maxVersion, future, nowMs + timeoutMs);
        if (c.state == Connection.State.READY) {
            dispatch(c, p, nowMs);
        } else {
            c.waiting.add(p);
        }
        return future;
    }

    /** Waits up to timeoutMs for socket events, then handles them and expires requests. */
    public void poll(long timeoutMs, long nowMs) {
        try {
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
        } catch (IOException e) {
            LOG.warn("Selector failed", e);
        }
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            Connection c = (Connection) key.attachment();
            try {
                if (!key.isValid()) {
                    continue;
                }
                if (key.isConnectable()) {
                    finishConnect(c, System.currentTimeMillis());
                } else if (c.state == Connection.State.TLS_HANDSHAKE) {
                    tlsHandshake(c, System.currentTimeMillis());
                } else {
                    if (key.isReadable()) {
                        read(c);
                    }
                    if (key.isValid() && key.isWritable()) {
                        c.write();
                    }
                }
            } catch (IOException e) {
                disconnect(
                        c,
                        new DisconnectException("Connection to " + c.endpoint + " failed: " + e, e),
                        System.currentTimeMillis());
            } catch (RuntimeException e) {
                disconnect(c, e, System.currentTimeMillis());
            }
        }
        expire(System.currentTimeMillis());
        reauthenticate(System.currentTimeMillis());
    }

    /**
     * The authentication failure (SASL or TLS) of the latest connection attempt that failed one, once: the consumer
     * throws it to the application, as Kafka's does, rather than retrying until a timeout hides the cause.
     */
    public AuthenticationException takeAuthenticationFailure() {
        AuthenticationException e = unreportedAuthFailure;
        unreportedAuthFailure = null;
        return e;
    }

    /** The latest authentication failure until a connection next authenticates; null if none. */
    public AuthenticationException authenticationFailure() {
        return latestAuthFailure;
    }

    /** Safe from any thread: interrupts a blocking {@link #poll}. */
    public void wakeup() {
        selector.wakeup();
    }

    /** Closes one broker's connection, failing what is in flight on it. */
    public void disconnect(int nodeId) {
        Connection c = connections.get(nodeId);
        if (c != null) {
            disconnect(
                    c,
                    new DisconnectException("Connection to " + c.endpoint + " closed by the client"),
                    System.currentTimeMillis());
            backoff.closedByClient(nodeId);
        }
    }

    @Override
    public void close() {
        for (Connection c : new ArrayList<>(connections.values())) {
            disconnect(c, new DisconnectException("Network client closed"), System.currentTimeMillis());
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close", e);
        }
    }

    // ---- internals ----

    private Connection connect(Endpoint endpoint, long nowMs) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
            if (sendBufferBytes != -1) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBufferBytes);
            }
            if (receiveBufferBytes != -1) {
                ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            }
            boolean connected = ch.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
            SelectionKey key = ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            Transport transport = security.protocol().tls()
                    ? new TlsTransport(ch, security, endpoint.host(), endpoint.port())
                    : new PlaintextTransport(ch);
            Connection c = new Connection(endpoint, ch, key, transport);
            key.attach(c);
            connections.put(endpoint.id(), c);
            LOG.debug("Connecting to {}", endpoint);
            if (connected) {
                connected(c, nowMs);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Connection to {} failed: {}", endpoint, e.toString());
            connections.remove(endpoint.id());
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
            backoff.failed(endpoint.id(), nowMs);
            return null;
        }
    }

    private void finishConnect(Connection c, long nowMs) throws IOException {
        if (c.channel.finishConnect()) {
            c.key.interestOps(SelectionKey.OP_READ);
            connected(c, nowMs);
        }
    }

    private void connected(Connection c, long nowMs) throws IOException {
        if (security.protocol().tls()) {
            c.state = Connection.State.TLS_HANDSHAKE;
            tlsHandshake(c, nowMs);
        } else {
            startApiVersions(c, nowMs, ApiVersionRanges.clientMax(ApiMessageType.API_VERSIONS));
        }
    }

    private void tlsHandshake(Connection c, long nowMs) throws IOException {
        int interest = c.transport.handshake();
        c.key.interestOps(interest == 0 ? SelectionKey.OP_READ : interest);
        if (interest == 0) {
            LOG.debug("TLS handshake with {} done", c.endpoint);
            startApiVersions(c, nowMs, ApiVersionRanges.clientMax(ApiMessageType.API_VERSIONS));
        }
    }

    private void startApiVersions(Connection c, long nowMs, short version) {
        c.state = Connection.State.CHECKING_API_VERSIONS;
        ApiVersionsRequestData req = new ApiVersionsRequestData()
                .setClientSoftwareName(SOFTWARE_NAME)
                .setClientSoftwareVersion(SOFTWARE_VERSION);
        CompletableFuture<Response> f = new CompletableFuture<>();
        enqueue(c, ApiMessageType.API_VERSIONS, version, req, f, nowMs + requestTimeoutMs);
        f.whenComplete((resp, err) -> {
            if (err != null) {
                return; // the connection is already being torn down
            }
            ApiVersionsResponseData data = resp.data();
            Errors error = Errors.forCode(data.errorCode);
            if (error == Errors.UNSUPPORTED_VERSION && resp.version() > 0) {
                // The broker answered in the v0 layout and told us its highest ApiVersions version.
                short retry = 0;
                for (ApiVersionsResponseData.ApiVersion v : data.apiKeys) {
                    if (v.apiKey == ApiMessageType.API_VERSIONS.apiKey()) {
                        retry = (short) Math.min(v.maxVersion, resp.version() - 1);
                    }
                }
                startApiVersions(c, System.currentTimeMillis(), retry);
                return;
            }
            if (error != Errors.NONE) {
                disconnect(
                        c,
                        new DisconnectException("ApiVersions to " + c.endpoint + " failed: " + error),
                        System.currentTimeMillis());
                return;
            }
            Map<Short, short[]> versions = new HashMap<>();
            for (ApiVersionsResponseData.ApiVersion v : data.apiKeys) {
                versions.put(v.apiKey, new short[] {v.minVersion, v.maxVersion});
            }
            c.brokerVersions = versions;
            if (security.sasl() != null) {
                authenticate(c);
            } else {
                ready(c);
            }
        });
    }

    private void authenticate(Connection c) {
        c.state = Connection.State.AUTHENTICATING;
        new SaslAuthenticator(security.sasl(), c.endpoint.host() + ":" + c.endpoint.port())
                .authenticate((api, body) -> {
                    CompletableFuture<Response> f = new CompletableFuture<>();
                    try {
                        short version = ApiVersionRanges.negotiate(
                                api, c.brokerVersions.get(api.apiKey()), ApiVersionRanges.clientMax(api));
                        enqueue(c, api, version, body, f, System.currentTimeMillis() + requestTimeoutMs);
                    } catch (UnsupportedVersionException e) {
                        f.completeExceptionally(new SaslAuthenticationException(
                                "Cannot authenticate with " + c.endpoint + ": " + e.getMessage(), e));
                    }
                    return f;
                })
                .whenComplete((lifetimeMs, err) -> {
                    if (err != null) {
                        Throwable t = SaslAuthenticator.cause(err);
                        disconnect(
                                c,
                                t instanceof RuntimeException r ? r : new DisconnectException(t.toString(), t),
                                System.currentTimeMillis());
                        return;
                    }
                    c.reauthAtMs = SaslAuthenticator.reauthenticateAtMs(System.currentTimeMillis(), lifetimeMs);
                    ready(c);
                });
    }

    private void ready(Connection c) {
        c.state = Connection.State.READY;
        backoff.ready(c.endpoint.id());
        latestAuthFailure = null;
        LOG.debug("Connected to {} ({} APIs)", c.endpoint, c.brokerVersions.size());
        long now = System.currentTimeMillis();
        List<Connection.Pending> queued = new ArrayList<>(c.waiting);
        c.waiting.clear();
        for (Connection.Pending p : queued) {
            dispatch(c, p, now);
        }
    }

    /** KIP-368: once a session nears its end, stop sending on it, let in-flight requests finish, then log in again. */
    private void reauthenticate(long nowMs) {
        for (Connection c : new ArrayList<>(connections.values())) {
            if (c.state == Connection.State.READY && nowMs >= c.reauthAtMs) {
                c.state = Connection.State.REAUTH_DUE;
            }
            if (c.state == Connection.State.REAUTH_DUE && c.inFlight.isEmpty()) {
                LOG.debug("Re-authenticating with {}", c.endpoint);
                authenticate(c);
            }
        }
    }

    private void dispatch(Connection c, Connection.Pending p, long nowMs) {
        short version;
        try {
            version = ApiVersionRanges.negotiate(
                    p.api(), c.brokerVersions.get(p.api().apiKey()), p.maxVersion());
        } catch (UnsupportedVersionException e) {
            p.future().completeExceptionally(e);
            return;
        }
        enqueue(c, p.api(), version, p.body(), p.future(), p.deadlineMs());
    }

    private void enqueue(
            Connection c,
            ApiMessageType api,
            short version,
            ApiMessage body,
            CompletableFuture<Response> future,
            long deadlineMs) {
        int correlationId = nextCorrelationId++;
        if (nextCorrelationId == Integer.MAX_VALUE) {
            nextCorrelationId = 0;
        }
        ByteBuffer[] frame;
        try {
            frame = Framing.request(api, version, correlationId, clientId, body);
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return;
        }
        c.sends.add(frame);
        if (body instanceof ProduceRequestData produce && produce.acks == 0) {
            // The one request a broker never answers: done once written to the socket, as Kafka's.
            c.unanswered.put(frame, future);
        } else {
            c.inFlight.put(correlationId, new Connection.InFlight(api, version, future, deadlineMs));
        }
        c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
        selector.wakeup();
    }

    private void read(Connection c) throws IOException {
        ByteBuffer frame;
        while ((frame = c.readFrame(fetchResponsePool)) != null) {
            c.answer(frame);
        }
    }

    private void expire(long nowMs) {
        for (Connection c : new ArrayList<>(connections.values())) {
            boolean expired = false;
            for (Connection.InFlight f : c.inFlight.values()) {
                if (nowMs >= f.deadlineMs()) {
                    expired = true;
                    break;
                }
            }
            for (Connection.Pending p : c.waiting) {
                if (nowMs >= p.deadlineMs()) {
                    expired = true;
                    break;
                }
            }
            if (expired) {
                disconnect(c, new TimeoutException("Request to " + c.endpoint + " timed out"), nowMs);
            }
        }
    }

    private void disconnect(Connection c, RuntimeException cause, long nowMs) {
        if (connections.get(c.endpoint.id()) != c) {
            return;
        }
        connections.remove(c.endpoint.id());
        if (c.state != Connection.State.READY) {
            backoff.failed(c.endpoint.id(), nowMs);
        }
        LOG.debug("Disconnected from {}: {}", c.endpoint, cause.toString());
        if (cause instanceof AuthenticationException auth) {
            LOG.warn("Authentication with {} failed: {}", c.endpoint, auth.getMessage());
            backoff.authenticationFailed(c.endpoint.id(), auth);
            unreportedAuthFailure = auth;
            latestAuthFailure = auth;
        }
        c.key.cancel();
        c.transport.close();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        RuntimeException failure = cause instanceof TimeoutException
                        || cause instanceof DisconnectException
                        || cause instanceof AuthenticationException
                ? cause
                : new DisconnectException("Connection to " + c.endpoint + " failed: " + cause, cause);
        List<CompletableFuture<Response>> toFail = new ArrayList<>();
        c.inFlight.values().forEach(f -> toFail.add(f.future()));
        c.waiting.forEach(p -> toFail.add(p.future()));
        toFail.addAll(c.unanswered.values());
        c.unanswered.clear();
        c.inFlight.clear();
        c.waiting.clear();
        toFail.forEach(f -> f.completeExceptionally(failure));
    }
}
