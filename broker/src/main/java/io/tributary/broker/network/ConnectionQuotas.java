package io.tributary.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's connection limits, on every listener's server channel, before a connection is registered:
 * {@code max.connections.per.ip} (with {@code max.connections.per.ip.overrides}) closes a connection from an
 * address that already has its maximum at once, and {@code max.connections} (all listeners together) makes the
 * broker stop accepting until a connection goes: further clients wait in the listen backlog, as with Kafka's
 * acceptor blocking for a slot. A connection accepted in the same accept pass as the one that reached the limit
 * waits here, unregistered and unread, and is admitted first when a slot frees. Shared by all listeners; its
 * state is guarded by this object's lock (accepts run on the boss loop, closes on worker loops).
 */
@ChannelHandler.Sharable
public final class ConnectionQuotas extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionQuotas.class);

    private final int maxConnections;
    private final int maxPerIp;
    private final Map<InetAddress, Integer> overrides;
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private final List<Channel> servers = new ArrayList<>();
    private int total;
    private boolean closed;

    private record Waiting(ChannelHandlerContext server, Channel child) {}

    public ConnectionQuotas(int maxConnections, int maxPerIp, Map<InetAddress, Integer> overrides) {
        this.maxConnections = maxConnections;
        this.maxPerIp = maxPerIp;
        this.overrides = Map.copyOf(overrides);
    }

    public static ConnectionQuotas of(BrokerConfig config) {
        return new ConnectionQuotas(
                config.getInt(BrokerConfig.MAX_CONNECTIONS),
                config.getInt(BrokerConfig.MAX_CONNECTIONS_PER_IP),
                parseOverrides(config.getString(BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES)));
    }

    /** Kafka's format, {@code host-or-ip:count,...}; host names are resolved once, at startup, as Kafka does. */
    public static Map<InetAddress, Integer> parseOverrides(String raw) {
        Map<InetAddress, Integer> out = new HashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String entry : raw.split(",")) {
            String e = entry.trim();
            int colon = e.lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException(BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw, "expected host:count");
            }
            try {
                int count = Integer.parseInt(e.substring(colon + 1).trim());
                if (count < 0) {
                    throw new NumberFormatException();
                }
                out.put(InetAddress.getByName(e.substring(0, colon).trim()), count);
            } catch (NumberFormatException | UnknownHostException ex) {
                throw new ConfigException(
                        BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw, "bad entry '" + e + "': " + ex);
            }
        }
        return out;
    }

    /** Remembers a listener's server channel, so that accepting can pause and resume on all of them. */
    public synchronized void addServer(Channel server) {
        servers.add(server);
        if (total >= maxConnections) {
            server.config().setAutoRead(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel child)) {
            ctx.fireChannelRead(msg);
            return;
        }
        InetAddress ip = address(child.remoteAddress());
        boolean admit;
        synchronized (this) {
            int count = ip == null ? 0 : perIp.getOrDefault(ip, 0);
            int limit = ip == null ? Integer.MAX_VALUE : overrides.getOrDefault(ip, maxPerIp);
            if (closed || count >= limit) {
                if (!closed) {
                    LOG.info(
                            "Rejected connection from {}, address already has the configured maximum of {} connections",
                            ip,
                            limit);
                }
                child.unsafe().closeForcibly();
                return;
            }
            if (ip != null) {
                perIp.merge(ip, 1, Integer::sum);
            }
            total++;
            admit = total <= maxConnections;
            if (!admit) {
                waiting.add(new Waiting(ctx, child));
            }
            if (total >= maxConnections) {
                pauseAccepting();
            }
        }
        if (admit) {
            register(ctx, child, ip);
        }
    }

    private void register(ChannelHandlerContext server, Channel child, InetAddress ip) {
        child.closeFuture().addListener(f -> released(ip));
        server.fireChannelRead(child);
    }

    private void released(InetAddress ip) {
        Waiting next;
        synchronized (this) {
            if (ip != null) {
                perIp.computeIfPresent(ip, (k, v) -> v <= 1 ? null : v - 1);
            }
            total--;
            next = waiting.poll();
            if (next == null && total < maxConnections && !closed) {
                for (Channel s : servers) {
                    s.config().setAutoRead(true);
                }
            }
        }
        if (next != null) {
            Waiting w = next;
            w.server()
                    .executor()
                    .execute(() ->
                            register(w.server(), w.child(), address(w.child().remoteAddress())));
        }
    }

    private void pauseAccepting() {
        if (total == maxConnections) {
            LOG.info("Reached max.connections ({}): not accepting until a connection closes", maxConnections);
        }
        for (Channel s : servers) {
            s.config().setAutoRead(false);
        }
    }

    /** Stops admitting and closes the connections still waiting for a slot (at broker shutdown). */
    public void close() {
        List<Waiting> left;
        synchronized (this) {
            closed = true;
            left = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Waiting w : left) {
            w.child().unsafe().closeForcibly();
        }
    }

    /** Connections counted now, waiting ones included (for tests and metrics). */
    public synchronized int connections() {
        return total;
    }

    private static InetAddress address(SocketAddress a) {
        return a instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
