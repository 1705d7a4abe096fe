package io.tributary.client.consumer.assignor;

import io.tributary.client.common.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves partition.assignment.strategy entries to assignors: short names ("range",
 * "roundrobin", "sticky", "cooperative-sticky"), Apache Kafka's class names (so existing
 * configs work unchanged), or the class name of any {@link ConsumerPartitionAssignor}.
 */
public final class Assignors {
    private Assignors() {}

    public static List<ConsumerPartitionAssignor> resolve(String key, List<Object> entries) {
        List<ConsumerPartitionAssignor> out = new ArrayList<>();
        for (Object e : entries) {
            ConsumerPartitionAssignor a = e instanceof Class<?> c ? instantiate(key, c) : byName(key, e.toString());
            if (out.stream().anyMatch(x -> x.name().equals(a.name()))) {
                throw new ConfigException(key, entries, "The assignor name '" + a.name() + "' is used more than once");
            }
            out.add(a);
        }
        return out;
    }

    private static ConsumerPartitionAssignor byName(String key, String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1);
        switch (name.toLowerCase(Locale.ROOT)) {
            case "range":
                return new RangeAssignor();
            case "roundrobin":
            case "round-robin":
                return new RoundRobinAssignor();
            case "sticky":
                return new StickyAssignor();
            case "cooperative-sticky":
                return new CooperativeStickyAssignor();
            default:
                break;
        }
        if (name.startsWith("org.apache.kafka.clients.consumer.")) {
            switch (simple) {
                case "RangeAssignor":
                    return new RangeAssignor();
                case "RoundRobinAssignor":
                    return new RoundRobinAssignor();
                case "StickyAssignor":
                    return new StickyAssignor();
                case "CooperativeStickyAssignor":
                    return new CooperativeStickyAssignor();
                default:
                    throw new ConfigException(key, name, "Unknown Kafka assignor");
            }
        }
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            return instantiate(key, Class.forName(name, true, cl == null ? Assignors.class.getClassLoader() : cl));
        } catch (ClassNotFoundException ex) {
            throw new ConfigException(
                    key,
                    name,
                    "Class " + name + " cannot be found; use range, roundrobin, sticky,"
                            + " cooperative-sticky or a ConsumerPartitionAssignor class");
        }
    }

    private static ConsumerPartitionAssignor instantiate(String key, Class<?> c) {
        if (!ConsumerPartitionAssignor.class.isAssignableFrom(c)) {
            throw new ConfigException(
                    key,
                    c.getName(),
                    "Class " + c.getName() + " does not implement " + ConsumerPartitionAssignor.class.getName());
        }
        try {
            return (ConsumerPartitionAssignor) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException ex) {
            throw new ConfigException(key, c.getName(), "Cannot instantiate: " + ex);
        }
    }
}
