package io.tributary.client.consumer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.TopicPartition;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.FetchResponseData;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The consumer's fetch session builder (KIP-227, issue 10 item 4), as Kafka's FetchSessionHandler behaves. */
class FetchSessionTest {
    private static final TopicPartition A = new TopicPartition("t", 0);
    private static final TopicPartition B = new TopicPartition("t", 1);
    private static final TopicPartition C = new TopicPartition("u", 0);

    private static FetchSession.PartitionState at(long offset) {
        return new FetchSession.PartitionState(offset, 0, 1024);
    }

    @SafeVarargs
    private static Map<TopicPartition, FetchSession.PartitionState> wanted(
            Map.Entry<TopicPartition, FetchSession.PartitionState>... entries) {
        Map<TopicPartition, FetchSession.PartitionState> m = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, FetchSession.PartitionState> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static FetchResponseData answer(int sessionId, TopicPartition... partitions) {
        FetchResponseData r = new FetchResponseData().setSessionId(sessionId);
        for (TopicPartition tp : partitions) {
            FetchResponseData.FetchableTopicResponse t = r.responses.stream()
                    .filter(x -> x.topic.equals(tp.topic()))
                    .findFirst()
                    .orElseGet(() -> {
                        FetchResponseData.FetchableTopicResponse n =
                                new FetchResponseData.FetchableTopicResponse().setTopic(tp.topic());
                        r.responses.add(n);
                        return n;
                    });
            t.partitions.add(new FetchResponseData.PartitionData().setPartitionIndex(tp.partition()));
        }
        return r;
    }

    /** A session opened with partitions A, B at offset 0 (id 42, next epoch 1). */
    private static FetchSession opened() {
        FetchSession s = new FetchSession(1);
        FetchSession.Request full = s.build(wanted(Map.entry(A, at(0)), Map.entry(B, at(0))));
        assertThat(full.sessionId()).isZero();
        assertThat(full.epoch()).isZero();
        assertThat(full.toSend()).containsOnlyKeys(A, B);
        assertThat(s.handleResponse(full, answer(42, A, B))).isTrue();
        assertThat(s.sessionId()).isEqualTo(42);
        assertThat(s.nextEpoch()).isEqualTo(1);
        return s;
    }

    @Test
    void incrementalRequestsCarryOnlyAddedAndAlteredPartitionsAndForgetTheRest() {
        FetchSession s = opened();
        FetchSession.Request same = s.build(wanted(Map.entry(A, at(0)), Map.entry(B, at(0))));
        assertThat(same.sessionId()).isEqualTo(42);
        assertThat(same.epoch()).isEqualTo(1);
        assertThat(same.toSend()).isEmpty();
        assertThat(same.toForget()).isEmpty();
        assertThat(s.handleResponse(same, answer(42))).isTrue();

        // A moved on, B paused (not wanted), C newly assigned.
        FetchSession.Request next = s.build(wanted(Map.entry(A, at(5)), Map.entry(C, at(0))));
        assertThat(next.epoch()).isEqualTo(2);
        assertThat(next.toSend()).containsExactly(Map.entry(A, at(5)), Map.entry(C, at(0)));
        assertThat(next.toForget()).containsExactly(B);
        assertThat(next.session()).containsOnlyKeys(A, C);
        assertThat(s.handleResponse(next, answer(42, C))).isTrue();
        assertThat(s.nextEpoch()).isEqualTo(3);

        // A changed leader epoch is a change too.
        FetchSession.Request epoch =
                s.build(wanted(Map.entry(A, new FetchSession.PartitionState(5, 1, 1024)), Map.entry(C, at(0))));
        assertThat(epoch.toSend()).containsOnlyKeys(A);
    }

    @Test
    void sessionErrorsFallBackToAFullFetch() {
        FetchSession s = opened();
        FetchSession.Request r = s.build(wanted(Map.entry(A, at(1))));
        FetchResponseData epochError = new FetchResponseData().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        assertThat(s.handleResponse(r, epochError)).isFalse();
        // Full again, naming the old session so the broker closes it.
        FetchSession.Request full = s.build(wanted(Map.entry(A, at(1)), Map.entry(B, at(0))));
        assertThat(full.epoch()).isZero();
        assertThat(full.sessionId()).isEqualTo(42);
        assertThat(full.toSend()).containsOnlyKeys(A, B);
        assertThat(s.handleResponse(full, answer(7, A, B))).isTrue();
        assertThat(s.sessionId()).isEqualTo(7);

        FetchSession.Request lost = s.build(wanted(Map.entry(A, at(1)), Map.entry(B, at(0))));
        FetchResponseData notFound = new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        assertThat(s.handleResponse(lost, notFound)).isFalse();
        FetchSession.Request fresh = s.build(wanted(Map.entry(A, at(1))));
        assertThat(fresh.sessionId()).isZero();
        assertThat(fresh.epoch()).isZero();
    }

    @Test
    void aFailedRequestOrAnAnswerOutsideTheSessionStartsOver() {
        FetchSession s = opened();
        s.build(wanted(Map.entry(A, at(1))));
        s.handleError();
        assertThat(s.build(wanted(Map.entry(A, at(1)))).epoch()).isZero();

        FetchSession t = opened();
        FetchSession.Request r = t.build(wanted(Map.entry(A, at(1))));
        assertThat(t.handleResponse(r, answer(42, C))).isFalse();
        assertThat(t.nextEpoch()).isZero();
    }

    @Test
    void aBrokerWithoutSessionsGetsFullFetchesAndCloseSendsTheFinalEpoch() {
        FetchSession s = new FetchSession(1);
        FetchSession.Request r = s.build(wanted(Map.entry(A, at(0))));
        assertThat(s.handleResponse(r, answer(0, A))).isTrue();
        assertThat(s.build(wanted(Map.entry(A, at(3)))).epoch()).isZero();
        assertThat(s.close()).isNull();

        FetchSession open = opened();
        FetchSession.Request close = open.close();
        assertThat(close.sessionId()).isEqualTo(42);
        assertThat(close.epoch()).isEqualTo(FetchSession.FINAL_EPOCH);
        assertThat(close.toSend()).isEmpty();
        assertThat(open.sessionId()).isZero();
    }

    @Test
    void epochsWrapToOne() {
        assertThat(FetchSession.nextEpoch(Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(FetchSession.nextEpoch(1)).isEqualTo(2);
    }
}
