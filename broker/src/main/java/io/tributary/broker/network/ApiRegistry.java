package io.tributary.broker.network;

import io.tributary.protocol.message.ApiMessageType;
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

    public ApiRegistry register(ApiMessageType api, ApiHandler handler) {
        if (ApiSupport.api(api) == null) {
            throw new IllegalArgumentException("no version policy for " + api.apiName());
        }
        handlers.put(api.apiKey(), handler);
        return this;
    }

    public ApiHandler handler(short apiKey) {
        return handlers.get(apiKey);
    }

    public ApiHandler handler(ApiMessageType api) {
        return handlers.get(api.apiKey());
    }

    public boolean isRegistered(short apiKey) {
        return handlers.containsKey(apiKey);
    }

    public boolean isRegistered(ApiMessageType api) {
        return isRegistered(api.apiKey());
    }

    /** The advertised entries, ordered by API key. */
    public List<ApiSupport.Api> advertised() {
        List<ApiSupport.Api> out = new ArrayList<>();
        for (ApiSupport.Api api : ApiSupport.all()) {
            if (api.advertised() && handlers.containsKey(api.key())) {
                out.add(api);
            }
        }
        return out;
    }
}
