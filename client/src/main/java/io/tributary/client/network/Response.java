package io.tributary.client.network;

import io.tributary.protocol.ApiMessage;

/** A decoded response body and the version it was read with. */
public record Response(ApiMessage body, short version, int nodeId) {
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T data() {
        return (T) body;
    }
}
