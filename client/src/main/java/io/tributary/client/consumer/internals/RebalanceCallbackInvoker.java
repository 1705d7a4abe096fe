package io.tributary.client.consumer.internals;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.protocol.Errors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rebalance callbacks the membership asks for, on the application thread inside
 * poll, commit* or close (Kafka's contract), and answers each with exactly one
 * {@link ApplicationEvent.CallbackDone}: the membership waits for that answer, so a callback
 * that is dropped or answered twice stalls the group.
 *
 * <p>The one place the assignment shrinks: after REVOKED or LOST it removes the partitions (and
 * their buffered fetches) before answering, so no record of theirs is returned once the
 * listener ran. The membership grows the assignment before it asks for ASSIGNED and never
 * shrinks it itself. Application thread only.
 */
public final class RebalanceCallbackInvoker {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceCallbackInvoker.class);

    private final SubscriptionState subscriptions;
    private final MetadataManager metadata;
    private final FetchBuffer fetchBuffer;
    private final ConsumerNetworkThread networkThread;
    private final CommitTracker commits;
    private final long defaultApiTimeoutMs;

    public RebalanceCallbackInvoker(
            SubscriptionState subscriptions,
            MetadataManager metadata,
            FetchBuffer fetchBuffer,
            ConsumerNetworkThread networkThread,
            CommitTracker commits,
            long defaultApiTimeoutMs) {
        this.subscriptions = subscriptions;
        this.metadata = metadata;
        this.fetchBuffer = fetchBuffer;
        this.networkThread = networkThread;
        this.commits = commits;
        this.defaultApiTimeoutMs = defaultApiTimeoutMs;
    }

    /**
     * Commits first if asked (auto-commit before a revocation), runs the listener, drops revoked
     * or lost partitions, answers the membership, then rethrows a {@link WakeupException} the
     * listener threw. Other listener errors are logged and handed to the membership.
     */
    public void invoke(BackgroundEvent.RebalanceCallback rc) {
        if (rc.commitFirst()) {
            commitBeforeRevoking(rc.partitions());
        }
        Throwable error = runListener(rc);
        if (rc.kind() != BackgroundEvent.RebalanceCallback.Kind.ASSIGNED) {
            // Ownership ends here: nothing buffered for these partitions may be returned any more.
            Set<TopicPartition> keep = subscriptions.assignedPartitions();
            keep.removeAll(rc.partitions());
            subscriptions.setAssignment(keep);
            fetchBuffer.removeIf(f -> rc.partitions().contains(f.partition()));
        }
        networkThread.submit(new ApplicationEvent.CallbackDone(rc, error));
        if (error instanceof WakeupException w) {
            throw w;
        }
    }

    private void commitBeforeRevoking(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>(subscriptions.allConsumed());
        offsets.keySet().retainAll(partitions);
        // A deleted topic's offsets cannot be committed (UNKNOWN_TOPIC_OR_PARTITION is retried
        // until the deadline): skip them rather than stall the rebalance.
        Map<String, Cluster.TopicMetadata> known = metadata.cluster().topics();
        offsets.keySet()
                .removeIf(tp -> known.containsKey(tp.topic())
                        && known.get(tp.topic()).error() == Errors.UNKNOWN_TOPIC_OR_PARTITION);
        if (!offsets.isEmpty()) {
            try {
                commits.commitSync(offsets, defaultApiTimeoutMs);
            } catch (RuntimeException e) {
                LOG.warn("Auto-commit of offsets {} before revoking them failed: {}", offsets, e.getMessage());
            }
        }
    }

    /** @return what the listener threw, or null */
    private Throwable runListener(BackgroundEvent.RebalanceCallback rc) {
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (listener == null) {
            return null;
        }
        try {
            switch (rc.kind()) {
                case REVOKED -> listener.onPartitionsRevoked(sorted(rc.partitions()));
                case ASSIGNED -> listener.onPartitionsAssigned(sorted(rc.partitions()));
                case LOST -> listener.onPartitionsLost(sorted(rc.partitions()));
                default -> {}
            }
            return null;
        } catch (WakeupException w) {
            return w;
        } catch (RuntimeException ex) {
            LOG.error(
                    "User provided listener {} failed on invocation of {} for partitions {}",
                    listener.getClass().getName(),
                    rc.kind(),
                    rc.partitions(),
                    ex);
            return ex;
        }
    }

    private static List<TopicPartition> sorted(Set<TopicPartition> parts) {
        List<TopicPartition> l = new ArrayList<>(parts);
        l.sort(null);
        return l;
    }
}
