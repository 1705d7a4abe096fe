package io.tributary.broker.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code listeners} and {@code advertised.listeners} with {@code listener.security.protocol.map}
 * as Kafka does: every listener has a unique name, the map gives its security protocol (a name
 * that is itself a protocol maps to it by default), and advertised entries must name a listener.
 * Listeners named in {@code controller.listener.names} (a KRaft controller's) are skipped with a
 * log line by the caller, so a Kafka {@code server.properties} starts unchanged.
 */
final class Listeners {
    static final String DEFAULT_PROTOCOL_MAP =
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";

    private Listeners() {}

    /** {@code NAME:PROTOCOL,...} into an upper-case name map; errors name the key and the entry. */
    static Map<String, SecurityProtocol> protocolMap(String key, String value) {
        Map<String, SecurityProtocol> out = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            int colon = s.indexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new ConfigException(key, value, "expected NAME:PROTOCOL, not '" + s + "'");
            }
            String name = s.substring(0, colon).trim().toUpperCase(java.util.Locale.ROOT);
            SecurityProtocol p = SecurityProtocol.forName(s.substring(colon + 1).trim());
            if (p == null) {
                throw new ConfigException(
                        key,
                        value,
                        "unknown security protocol '" + s.substring(colon + 1).trim()
                                + "' (one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)");
            }
            if (out.put(name, p) != null) {
                throw new ConfigException(key, value, "listener " + name + " is mapped twice");
            }
        }
        return out;
    }

    static List<BrokerConfig.Endpoint> parse(
            String key, String value, Map<String, SecurityProtocol> protocols, Set<String> skipped) {
        List<BrokerConfig.Endpoint> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Set<String> names = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (String part : value.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            int sep = s.indexOf("://");
            int colon = s.lastIndexOf(':');
            if (sep <= 0 || colon <= sep) {
                throw new ConfigException(key, value, "expected NAME://host:port, not '" + s + "'");
            }
            String name = s.substring(0, sep).toUpperCase(java.util.Locale.ROOT);
            String host = s.substring(sep + 3, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException(key, value, "bad port in " + s);
            }
            if (port < 0 || port > 65535) {
                throw new ConfigException(key, value, "port out of range in " + s);
            }
            if (skipped.contains(name)) {
                continue;
            }
            SecurityProtocol protocol = protocols.get(name);
            if (protocol == null) {
                throw new ConfigException(
                        key,
                        value,
                        "listener " + name + " has no security protocol in "
                                + BrokerConfig.LISTENER_SECURITY_PROTOCOL_MAP);
            }
            if (!names.add(name)) {
                throw new ConfigException(key, value, "listener name " + name + " is used twice");
            }
            if (port != 0 && !ports.add(port)) {
                throw new ConfigException(key, value, "port " + port + " is used by two listeners");
            }
            out.add(new BrokerConfig.Endpoint(name, host, port, protocol));
        }
        return out;
    }

    /** Checks that each advertised entry names a listener; the caller matches them by name. */
    static void checkAdvertised(List<BrokerConfig.Endpoint> listeners, List<BrokerConfig.Endpoint> advertised) {
        Set<String> names = new HashSet<>();
        listeners.forEach(l -> names.add(l.listenerName()));
        for (BrokerConfig.Endpoint a : advertised) {
            if (!names.contains(a.listenerName())) {
                throw new ConfigException(
                        BrokerConfig.ADVERTISED_LISTENERS,
                        a.toString(),
                        "names listener " + a.listenerName() + ", which is not in " + BrokerConfig.LISTENERS);
            }
        }
    }
}
