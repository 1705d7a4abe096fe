package io.tributary.broker.network;

import io.tributary.broker.config.SecurityProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * What the broker knows about one client connection: the listener it arrived on (its name,
 * security protocol and the address that listener advertises) and who the client is. The
 * principal starts as {@code User:ANONYMOUS} and is set once by the security layer (SASL
 * authentication or a TLS client certificate), before any request other than ApiVersions and the
 * SASL APIs is served. Written on the connection's event loop; read by handlers on any thread.
 */
public final class Connection {
    public static final String ANONYMOUS = "User:ANONYMOUS";

    private final Listener listener;
    private final SocketAddress remoteAddress;
    private volatile String principal = ANONYMOUS;

    public Connection(Listener listener, SocketAddress remoteAddress) {
        this.listener = listener;
        this.remoteAddress = remoteAddress;
    }

    /** A plaintext connection on an unnamed listener, for tests that build requests by hand. */
    public static Connection unbound(SocketAddress remoteAddress) {
        return new Connection(new Listener("PLAINTEXT", SecurityProtocol.PLAINTEXT, "localhost", 0), remoteAddress);
    }

    public Listener listener() {
        return listener;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The client's IP address as ACLs see it ("*" matches any); empty when not an IP socket. */
    public String clientHost() {
        if (remoteAddress instanceof InetSocketAddress inet) {
            InetAddress a = inet.getAddress();
            return a == null ? inet.getHostString() : a.getHostAddress();
        }
        return "";
    }

    /** Kafka's principal string, {@code User:<name>}. */
    public String principal() {
        return principal;
    }

    public void principal(String principal) {
        this.principal = principal;
    }

    /**
     * One listener as connections see it. The advertised port is known only after binding, so it
     * is set once then (and read by Metadata, FindCoordinator and DescribeCluster per request).
     */
    public static final class Listener {
        private final String name;
        private final SecurityProtocol protocol;
        private volatile String advertisedHost;
        private volatile int advertisedPort;

        public Listener(String name, SecurityProtocol protocol, String advertisedHost, int advertisedPort) {
            this.name = name;
            this.protocol = protocol;
            this.advertisedHost = advertisedHost;
            this.advertisedPort = advertisedPort;
        }

        public String name() {
            return name;
        }

        public SecurityProtocol protocol() {
            return protocol;
        }

        public String advertisedHost() {
            return advertisedHost;
        }

        public int advertisedPort() {
            return advertisedPort;
        }

        public void advertise(String host, int port) {
            this.advertisedHost = host;
            this.advertisedPort = port;
        }

        @Override
        public String toString() {
            return name + " (" + protocol + ")";
        }
    }
}
