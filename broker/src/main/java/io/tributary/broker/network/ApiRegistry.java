package io.tributary.broker.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which handler serves which API key. Filled before the broker starts listening (and by the lead
 * for the group APIs); read concurrently by every event loop afterwards. An API is advertised in
 * ApiVersions exactly when a handler is registered for it, so nothing unserved is advertised.
 */
public final class ApiRegistry {
    private final Map<Short, ApiHandler> handlers = new ConcurrentHashMap<>();

    public ApiRegistry register(short apiKey, ApiHandler handler) {
        if (ApiSupport.api(apiKey) == null) {
            throw new IllegalArgumentException("no version table for API key " + apiKey);
        }
        handlers.put(apiKey, handler);
        return this;
    }

    public ApiHandler handler(short apiKey) {
        return handlers.get(apiKey);
    }

    public boolean isRegistered(short apiKey) {
        return handlers.containsKey(apiKey);
    }

    /** The advertised entries, ordered by API key. */
    public List<ApiSupport.Api> advertised() {
        List<ApiSupport.Api> out = new ArrayList<>();
        for (ApiSupport.Api api : ApiSupport.all().values()) {
            if (handlers.containsKey(api.key()) && !ApiSupport.NOT_ADVERTISED.contains(api.key())) {
                out.add(api);
            }
        }
        return out;
    }
}
