package io.tributary.client.network;

import io.tributary.protocol.ApiMessage;

/**
 * A decoded response body and the version it was read with. A large Fetch answer read into a
 * pooled array comes with its {@code frame}: the body's records point into it, and whoever
 * handles the response releases the reference it holds (after retaining one for anything that
 * keeps the records); null otherwise.
 */
public record Response(ApiMessage body, short version, int nodeId, ResponseBufferPool.Frame frame) {
    public Response(ApiMessage body, short version, int nodeId) {
        this(body, version, nodeId, null);
    }

    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T data() {
        return (T) body;
    }

    /** Gives back this response's reference to its pooled frame, if it has one. */
    public void releaseFrame() {
        if (frame != null) {
            frame.release();
        }
    }
}
