package io.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The cache bound and Kafka's eviction order (KIP-227, issue 10 item 4): stale sessions first,
 * then the least valuable (consumer before follower, fewer partitions first) once past the
 * protection time, and never for an equal or smaller newcomer.
 */
class FetchSessionCacheTest {
    private static final long EVICTION_MS = 1_000;

    private static FetchSession create(FetchSessionCache cache, long now, boolean privileged, int size) {
        return cache.maybeCreate(now, privileged, size, false, s -> {
            for (int i = 0; i < size; i++) {
                s.put(new CachedPartition(
                        SessionKey.byName("t", i),
                        new io.tributary.protocol.message.FetchRequestData.FetchPartition()));
            }
        });
    }

    @Test
    void newSessionsAreProtectedUntilTheEvictionTimeThenTheSmallestGoesForABiggerOne() {
        FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS);
        FetchSession small = create(cache, 0, false, 5);
        FetchSession big = create(cache, 0, false, 10);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.partitionCount()).isEqualTo(15);
        assertThat(create(cache, 500, false, 100))
                .as("both protected, none stale")
                .isNull();

        // Used recently (not stale) but older than the protection time: evictable by value.
        cache.touch(small, 1_400);
        cache.touch(big, 1_400);
        assertThat(create(cache, 1_500, false, 5))
                .as("an equal newcomer does not evict")
                .isNull();
        assertThat(create(cache, 1_500, false, 3)).isNull();
        FetchSession bigger = create(cache, 1_500, false, 20);
        assertThat(bigger).isNotNull();
        assertThat(cache.get(small.id())).isNull();
        assertThat(cache.get(big.id())).isSameAs(big);
        assertThat(cache.evictions()).isEqualTo(1);
        assertThat(cache.partitionCount()).isEqualTo(30);
    }

    @Test
    void aStaleSessionIsEvictedFirstWhateverItsSize() {
        FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS);
        FetchSession huge = create(cache, 0, false, 1_000);
        FetchSession other = create(cache, 0, false, 10);
        cache.touch(other, 2_000);
        // huge was last used at 0: idle for more than the eviction time.
        FetchSession tiny = create(cache, 2_001, false, 1);
        assertThat(tiny).isNotNull();
        assertThat(cache.get(huge.id())).isNull();
        assertThat(cache.get(other.id())).isSameAs(other);
    }

    @Test
    void aFollowerSessionMayEvictAProtectedConsumerSession() {
        FetchSessionCache cache = new FetchSessionCache(1, EVICTION_MS);
        FetchSession consumer = create(cache, 0, false, 50);
        assertThat(create(cache, 10, false, 60)).isNull();
        FetchSession follower = create(cache, 10, true, 1);
        assertThat(follower).isNotNull();
        assertThat(cache.get(consumer.id())).isNull();
        // And a consumer cannot push out a young follower session.
        assertThat(create(cache, 20, false, 500)).isNull();
        assertThat(cache.get(follower.id())).isSameAs(follower);
    }

    @Test
    void zeroSlotsMeansNoSessionsAndEpochsWrapToOne() {
        assertThat(create(new FetchSessionCache(0, EVICTION_MS), 0, false, 1)).isNull();
        assertThat(FetchSessionCache.nextEpoch(0)).isEqualTo(1);
        assertThat(FetchSessionCache.nextEpoch(41)).isEqualTo(42);
        assertThat(FetchSessionCache.nextEpoch(Integer.MAX_VALUE)).isEqualTo(1);
        assertThat(FetchSessionCache.nextEpoch(-1)).isEqualTo(-1);
    }

    @Test
    void removingASessionFreesItsSlot() {
        FetchSessionCache cache = new FetchSessionCache(1, EVICTION_MS);
        FetchSession s = create(cache, 0, false, 3);
        assertThat(cache.remove(s.id())).isSameAs(s);
        assertThat(cache.partitionCount()).isZero();
        assertThat(create(cache, 1, false, 1)).isNotNull();
    }
}
