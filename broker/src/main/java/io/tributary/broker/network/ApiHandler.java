package io.tributary.broker.network;

import java.util.concurrent.CompletionStage;

/**
 * Serves one API. {@link #handle} is called on the connection's event loop and must not block
 * it for long; slow work completes the returned stage later, from any thread, and the
 * {@link ResponseOrderer} still sends responses in request order.
 */
@FunctionalInterface
public interface ApiHandler {
    CompletionStage<Response> handle(Request request);
}
