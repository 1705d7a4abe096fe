package io.tributary.client.admin;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kafka's {@code Config}: the entries of one described resource, by name. Immutable. */
public class Config {
    private final Map<String, ConfigEntry> entries = new LinkedHashMap<>();

    public Config(Collection<ConfigEntry> entries) {
        entries.forEach(e -> this.entries.put(e.name(), e));
    }

    public Collection<ConfigEntry> entries() {
        return java.util.Collections.unmodifiableCollection(entries.values());
    }

    /** Null when the resource has no such config. */
    public ConfigEntry get(String name) {
        return entries.get(name);
    }

    @Override
    public String toString() {
        return "Config(entries=" + entries.values() + ")";
    }
}
