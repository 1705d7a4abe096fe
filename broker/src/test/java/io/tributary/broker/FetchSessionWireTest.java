package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.config.BrokerConfig;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.CreateTopicsRequestData;
import io.tributary.protocol.message.CreateTopicsResponseData;
import io.tributary.protocol.message.FetchRequestData;
import io.tributary.protocol.message.FetchResponseData;
import io.tributary.protocol.message.ProduceResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fetch sessions (KIP-227, issue 10 item 4) over a real socket: a full fetch with epoch 0 opens a
 * session, incremental fetches send only what changed and get back only what is new, the epoch and
 * id are checked, epoch -1 closes, and the cache is bounded by max.incremental.fetch.session.cache.slots.
 */
class FetchSessionWireTest {
    private static final short V = 11;
    private static final int MB = 1 << 20;

    @RegisterExtension
    final BrokerFixture fixture =
            BrokerFixture.broker(Map.of(BrokerConfig.MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS, "2"));

    private TestConnection connect() throws Exception {
        return new TestConnection(fixture.get().boundPort());
    }

    private static void createTopic(TestConnection c, String name, int partitions) throws Exception {
        List<CreateTopicsRequestData.CreatableTopic> ts = new ArrayList<>();
        ts.add(new CreateTopicsRequestData.CreatableTopic()
                .setName(name)
                .setNumPartitions(partitions)
                .setReplicationFactor((short) -1));
        CreateTopicsResponseData r =
                c.roundTrip(new CreateTopicsRequestData().setTopics(ts), new CreateTopicsResponseData(), (short) 4);
        assertThat(r.topics.get(0).errorCode).isZero();
    }

    private static void produce(TestConnection c, String topic, int partition, String... values) throws Exception {
        ProduceResponseData r = c.roundTrip(
                Wire.produce(topic, partition, (short) 1, Wire.records(1_000, values)),
                new ProduceResponseData(),
                (short) 7);
        assertThat(r.responses.get(0).partitionResponses.get(0).errorCode).isZero();
    }

    /** An incremental (or full) fetch at {@code id}/{@code epoch} of the given topic-partition-offset triples. */
    private static FetchRequestData fetch(int id, int epoch, int maxWaitMs, Object... topicPartitionOffset) {
        Object[] withMax = new Object[topicPartitionOffset.length / 3 * 4];
        for (int i = 0, j = 0; i < topicPartitionOffset.length; i += 3, j += 4) {
            withMax[j] = topicPartitionOffset[i];
            withMax[j + 1] = topicPartitionOffset[i + 1];
            withMax[j + 2] = topicPartitionOffset[i + 2];
            withMax[j + 3] = MB;
        }
        return Wire.fetch(maxWaitMs, 1, MB, withMax).setSessionId(id).setSessionEpoch(epoch);
    }

    private static FetchRequestData forget(FetchRequestData req, String topic, Integer... partitions) {
        req.forgottenTopicsData.add(new FetchRequestData.ForgottenTopic()
                .setTopic(topic)
                .setPartitions(new ArrayList<>(List.of(partitions))));
        return req;
    }

    private static FetchResponseData send(TestConnection c, FetchRequestData req) throws Exception {
        return c.roundTrip(req, new FetchResponseData(), V);
    }

    /** "partition:values" for every partition in the answer, in answer order. */
    private static List<String> answered(FetchResponseData r) {
        List<String> out = new ArrayList<>();
        for (FetchResponseData.FetchableTopicResponse t : r.responses) {
            for (FetchResponseData.PartitionData p : t.partitions) {
                out.add(t.topic + "-" + p.partitionIndex + ":" + Wire.values(p.records));
            }
        }
        return out;
    }

    @Test
    void incrementalFetchesSendAndAnswerOnlyWhatChanged() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "s", 3);
            produce(c, "s", 0, "a");
            FetchResponseData full = send(c, fetch(0, 0, 0, "s", 0, 0L, "s", 1, 0L, "s", 2, 0L));
            assertThat(full.errorCode).isZero();
            int id = full.sessionId;
            assertThat(id).isPositive();
            assertThat(answered(full)).containsExactly("s-0:[0:a]", "s-1:[]", "s-2:[]");

            // Nothing new: the answer names no partition (partition 0 still at offset 0 is re-read,
            // so the client moves it on to skip the record it has).
            FetchResponseData idle = send(c, fetch(id, 1, 0, "s", 0, 1L));
            assertThat(idle.errorCode).isZero();
            assertThat(idle.sessionId).isEqualTo(id);
            assertThat(answered(idle)).isEmpty();

            produce(c, "s", 2, "b");
            FetchResponseData one = send(c, fetch(id, 2, 0));
            assertThat(answered(one)).containsExactly("s-2:[0:b]");
            assertThat(one.responses.get(0).partitions.get(0).highWatermark).isEqualTo(1);

            // The record is re-sent until the client moves its offset (the session keeps the old one).
            assertThat(answered(send(c, fetch(id, 3, 0)))).containsExactly("s-2:[0:b]");
            assertThat(answered(send(c, fetch(id, 4, 0, "s", 2, 1L)))).isEmpty();

            // Wrong epoch, unknown session: the whole fetch fails with session id 0; the session survives.
            FetchResponseData stale = send(c, fetch(id, 4, 0));
            assertThat(stale.errorCode).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
            assertThat(stale.sessionId).isZero();
            assertThat(stale.responses).isEmpty();
            FetchResponseData unknown = send(c, fetch(id + 1, 1, 0));
            assertThat(unknown.errorCode).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
            assertThat(answered(send(c, fetch(id, 5, 0)))).isEmpty();

            // A forgotten partition is no longer read; re-adding it answers it once more.
            produce(c, "s", 1, "c");
            assertThat(answered(send(c, forget(fetch(id, 6, 0), "s", 1)))).isEmpty();
            assertThat(fixture.get().state().fetchSessions().get(id).size()).isEqualTo(2);
            assertThat(answered(send(c, fetch(id, 7, 0, "s", 1, 0L)))).containsExactly("s-1:[0:c]");

            // Epoch -1 closes the session: a full answer without a session, then the id is unknown.
            FetchResponseData last = send(c, fetch(id, -1, 0, "s", 0, 1L));
            assertThat(last.sessionId).isZero();
            assertThat(answered(last)).containsExactly("s-0:[]");
            assertThat(send(c, fetch(id, 8, 0)).errorCode).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
        }
    }

    @Test
    void anIncrementalFetchWaitsForDataOnAnyPartitionOfTheSession() throws Exception {
        try (TestConnection c = connect();
                TestConnection producer = connect()) {
            createTopic(c, "w", 2);
            FetchResponseData full = send(c, fetch(0, 0, 0, "w", 0, 0L, "w", 1, 0L));
            int id = full.sessionId;
            assertThat(id).isPositive();
            // Parks: the session's partitions have nothing; an append to one of them (which the
            // request itself does not name) completes it, with only that partition.
            int corr = c.send(fetch(id, 1, 10_000), V);
            produce(producer, "w", 1, "x");
            FetchResponseData r = c.receive(corr, new FetchResponseData(), V);
            assertThat(r.sessionId).isEqualTo(id);
            assertThat(answered(r)).containsExactly("w-1:[0:x]");
        }
    }

    @Test
    void emptyingASessionClosesItAndFullFetchesReplaceTheSessionTheyName() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "e", 1);
            int first = send(c, fetch(0, 0, 0, "e", 0, 0L)).sessionId;
            // A full fetch (epoch 0) naming a session closes it and opens another.
            int second = send(c, fetch(first, 0, 0, "e", 0, 0L)).sessionId;
            assertThat(second).isPositive().isNotEqualTo(first);
            assertThat(send(c, fetch(first, 1, 0)).errorCode).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
            FetchResponseData emptied = send(c, forget(fetch(second, 1, 0), "e", 0));
            assertThat(emptied.errorCode).isZero();
            assertThat(emptied.sessionId).isZero();
            assertThat(fixture.get().state().fetchSessions().size()).isZero();
        }
    }

    @Test
    void theCacheHoldsAtMostItsSlotsAndNewSessionsAreNotEvictedAtOnce() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "c", 3);
            assertThat(send(c, fetch(0, 0, 0, "c", 0, 0L)).sessionId).isPositive();
            assertThat(send(c, fetch(0, 0, 0, "c", 1, 0L)).sessionId).isPositive();
            // Both sessions are younger than min.incremental.fetch.session.eviction.ms (120 s), so
            // even a bigger one finds no slot and is answered in full without a session.
            FetchResponseData third = send(c, fetch(0, 0, 0, "c", 0, 0L, "c", 1, 0L, "c", 2, 0L));
            assertThat(third.errorCode).isZero();
            assertThat(third.sessionId).isZero();
            assertThat(answered(third)).hasSize(3);
            assertThat(fixture.get().state().fetchSessions().size()).isEqualTo(2);
        }
    }

    @Test
    void versionsBeforeSevenHaveNoSessions() throws Exception {
        try (TestConnection c = connect()) {
            createTopic(c, "old", 1);
            FetchResponseData r = c.roundTrip(fetch(0, 0, 0, "old", 0, 0L), new FetchResponseData(), (short) 6);
            assertThat(r.errorCode).isZero();
            assertThat(r.sessionId).isZero();
            assertThat(fixture.get().state().fetchSessions().size()).isZero();
        }
    }
}
