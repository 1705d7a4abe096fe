package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.message.ApiMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A coordinator for membership tests: records every request; the test answers them by
 * completing their futures ({@link #answer}).
 */
final class ScriptedCoordinator implements CoordinatorChannel {
    record Sent(ApiMessageType api, ApiMessage body, CompletableFuture<Response> response) {}

    final List<Sent> sent = new ArrayList<>();
    final List<String> markedUnknown = new ArrayList<>();

    @Override
    public boolean known() {
        return true;
    }

    @Override
    public CompletableFuture<Integer> coordinator(long nowMs) {
        return CompletableFuture.completedFuture(1);
    }

    @Override
    public void markUnknown(String why) {
        markedUnknown.add(why);
    }

    @Override
    public CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs) {
        Sent s = new Sent(api, body, new CompletableFuture<>());
        sent.add(s);
        return s.response();
    }

    @Override
    public CompletableFuture<Response> send(ApiMessageType api, ApiMessage body, long nowMs, long timeoutMs) {
        return send(api, body, nowMs);
    }

    @Override
    public CompletableFuture<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets, long nowMs) {
        return CompletableFuture.completedFuture(null);
    }

    List<Sent> sent(ApiMessageType api) {
        return sent.stream().filter(s -> s.api() == api).toList();
    }

    Sent last(ApiMessageType api) {
        List<Sent> of = sent(api);
        assertThat(of).as("%s sent", api).isNotEmpty();
        return of.get(of.size() - 1);
    }

    static void answer(Sent request, ApiMessage body) {
        request.response().complete(new Response(body, (short) 0, 1));
    }
}
