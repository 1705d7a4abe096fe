package io.tributary.client.internals;

import io.tributary.client.common.ConfigException;
import io.tributary.client.network.NetworkClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses {@code bootstrap.servers} into endpoints with negative ids (-1, -2, ...), skipping
 * hosts that do not resolve, as Kafka does. Stateless; used once, at construction, on the
 * application thread.
 */
public final class BootstrapServers {
    /** The key, the same for the consumer, producer and admin client. */
    private static final String BOOTSTRAP_SERVERS_CONFIG = "bootstrap.servers";

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapServers.class);

    private BootstrapServers() {}

    /**
     * @param servers host:port entries ({@code [v6]:port} allowed)
     * @throws ConfigException when no entry resolves: a consumer that can never reach any broker
     *     fails here, not by timing out later (Kafka's check)
     */
    public static List<NetworkClient.Endpoint> parse(List<?> servers) {
        List<NetworkClient.Endpoint> bootstrap = new ArrayList<>();
        int id = -1;
        for (Object s : servers) {
            String hp = s.toString();
            int colon = hp.lastIndexOf(':');
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (!resolvable(host)) {
                LOG.warn(
                        "Couldn't resolve server {} from {} as DNS resolution failed for {}",
                        hp,
                        BOOTSTRAP_SERVERS_CONFIG,
                        host);
                continue;
            }
            bootstrap.add(new NetworkClient.Endpoint(id--, host, Integer.parseInt(hp.substring(colon + 1))));
        }
        if (bootstrap.isEmpty()) {
            throw new ConfigException(
                    BOOTSTRAP_SERVERS_CONFIG,
                    servers,
                    "No resolvable bootstrap urls given in " + BOOTSTRAP_SERVERS_CONFIG);
        }
        return bootstrap;
    }

    private static boolean resolvable(String host) {
        try {
            return InetAddress.getAllByName(host).length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
