package io.tributary.client.admin.internals;

import io.tributary.client.common.Node;
import io.tributary.client.common.errors.ApiException;
import io.tributary.client.common.errors.TimeoutException;
import io.tributary.client.internals.Cluster;
import io.tributary.client.internals.MetadataManager;
import io.tributary.client.network.DisconnectException;
import io.tributary.client.network.NetworkClient;
import io.tributary.client.network.Response;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.FindCoordinatorRequestData;
import io.tributary.protocol.message.FindCoordinatorResponseData;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin client's I/O thread (issue 12): owns the shared {@link NetworkClient} and {@link
 * MetadataManager}, runs every call's attempts on itself, retries the entities whose error is
 * retriable with exponential backoff until the call's deadline (default.api.timeout.ms or the
 * options' timeout) or {@code retries}, and caches group coordinators. The application thread
 * only enqueues calls ({@link #batch}); everything else is owned by this thread.
 */
public final class AdminRuntime extends Thread {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRuntime.class);

    private record Timer(long dueMs, long seq, Runnable action) {}

    /** What a call's deadline timeout reports: how many attempts ran and the last retriable error. */
    private static final class Tries {
        int attempts;
        Throwable lastError;
    }

    private final NetworkClient client;
    private final MetadataManager metadata;
    private final long retryBackoffMs;
    private final long retryBackoffMaxMs;
    private final int retries;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.dueMs != b.dueMs ? Long.compare(a.dueMs, b.dueMs) : Long.compare(a.seq, b.seq));
    private final Set<CompletableFuture<?>> pending = new HashSet<>();
    private final Map<String, Node> coordinators = new HashMap<>();
    private long timerSeq;
    private volatile boolean accepting = true;
    private volatile long closeDeadlineMs = Long.MAX_VALUE;

    public AdminRuntime(
            NetworkClient client,
            MetadataManager metadata,
            String clientId,
            long retryBackoffMs,
            long retryBackoffMaxMs,
            int retries) {
        super("tributary-admin-client-thread | " + clientId);
        setDaemon(true);
        this.client = client;
        this.metadata = metadata;
        this.retryBackoffMs = retryBackoffMs;
        this.retryBackoffMaxMs = Math.max(retryBackoffMs, retryBackoffMaxMs);
        this.retries = retries;
    }

    /**
     * Starts a call over {@code keys}: each attempt is given the keys still open and answers per
     * key; keys with a retriable error (or a whole attempt failing retriably) are tried again.
     * Callable from any thread; the returned futures complete on the admin thread.
     */
    public <K, V> Map<K, CompletableFuture<V>> batch(
            String what,
            Collection<K> keys,
            long deadlineMs,
            BiFunction<Set<K>, Long, CompletableFuture<Map<K, Outcome<V>>>> attempt) {
        Map<K, CompletableFuture<V>> futures = new LinkedHashMap<>();
        keys.forEach(k -> futures.put(k, new CompletableFuture<>()));
        if (futures.isEmpty()) {
            return futures;
        }
        if (!accepting) {
            TimeoutException closed = new TimeoutException("The AdminClient thread is not accepting new calls.");
            futures.values().forEach(f -> f.completeExceptionally(closed));
            return futures;
        }
        Tries tries = new Tries();
        inbox.add(() -> {
            pending.addAll(futures.values());
            schedule(
                    deadlineMs,
                    () -> futures.forEach((k, f) -> {
                        if (!f.isDone()) {
                            TimeoutException te = new TimeoutException("Call(callName=" + what + ", entity=" + k
                                    + ") timed out after " + tries.attempts + " attempt(s)"
                                    + (tries.lastError == null ? "" : "; last error: " + tries.lastError.getMessage()));
                            if (tries.lastError != null) {
                                te.initCause(tries.lastError);
                            }
                            f.completeExceptionally(te);
                        }
                    }));
            attempt(what, futures, deadlineMs, attempt, tries);
        });
        client.wakeup();
        return futures;
    }

    /** As {@link #batch} for a call with a single result. */
    public <V> CompletableFuture<V> single(
            String what, long deadlineMs, java.util.function.LongFunction<CompletableFuture<V>> attempt) {
        return batch(
                        what,
                        Set.of(what),
                        deadlineMs,
                        (open, now) -> attempt.apply(now).thenApply(v -> Map.of(what, Outcome.ok(v))))
                .get(what);
    }

    private <K, V> void attempt(
            String what,
            Map<K, CompletableFuture<V>> futures,
            long deadlineMs,
            BiFunction<Set<K>, Long, CompletableFuture<Map<K, Outcome<V>>>> attempt,
            Tries tries) {
        int n = tries.attempts++;
        Set<K> open = new LinkedHashSet<>();
        futures.forEach((k, f) -> {
            if (!f.isDone()) {
                open.add(k);
            }
        });
        if (open.isEmpty()) {
            return;
        }
        CompletableFuture<Map<K, Outcome<V>>> f;
        try {
            f = attempt.apply(open, System.currentTimeMillis());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((answers, err) -> {
            Throwable retryCause = null;
            for (K k : open) {
                Outcome<V> o = err != null ? Outcome.failed(unwrap(err)) : answers.get(k);
                if (o == null) {
                    o = Outcome.failed(new DisconnectException("No answer for " + k + " in the response"));
                }
                if (o.error() == null) {
                    futures.get(k).complete(o.value());
                } else if (!retriable(o.error())) {
                    futures.get(k).completeExceptionally(o.error());
                } else {
                    retryCause = o.error();
                }
            }
            if (retryCause == null) {
                return;
            }
            tries.lastError = retryCause;
            long wait = Math.min(retryBackoffMaxMs, retryBackoffMs * (1L << Math.min(n, 10)));
            long now = System.currentTimeMillis();
            if (n >= retries || now + wait >= deadlineMs) {
                Throwable last = retryCause;
                TimeoutException te = new TimeoutException(what + " did not complete"
                        + (n >= retries ? " within " + retries + " retries" : " before the deadline")
                        + "; last error: " + last.getMessage());
                te.initCause(last);
                futures.values().forEach(x -> x.completeExceptionally(te));
                return;
            }
            LOG.debug("{} will retry in {} ms: {}", what, wait, retryCause.toString());
            schedule(now + wait, () -> attempt(what, futures, deadlineMs, attempt, tries));
        });
    }

    /**
     * Only errors of the generic kinds are retried: a disconnect, a request timeout, or a
     * retriable code that has no entity-specific exception type (NOT_COORDINATOR, LEADER_NOT_AVAILABLE, ...). An
     * UnknownTopicOrPartitionException, though its code is retriable, is the answer, as in Kafka's admin client.
     */
    static boolean retriable(Throwable t) {
        return t instanceof DisconnectException
                || t instanceof TimeoutException
                || (t.getClass() == ApiException.class && ((ApiException) t).retriable());
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ---- helpers for the call classes (admin thread only) ----

    public Cluster cachedCluster() {
        return metadata.cluster();
    }

    /** Metadata for these topics (null = all), learning the brokers from it. */
    public CompletableFuture<Cluster> metadata(Collection<String> topics, long nowMs) {
        return metadata.fetch(topics, nowMs);
    }

    public CompletableFuture<Response> sendAny(ApiMessageType api, ApiMessage body, long nowMs) {
        int node = client.leastLoadedNode(nowMs);
        if (node == NetworkClient.NO_NODE) {
            return CompletableFuture.failedFuture(new DisconnectException("No broker available for " + api.apiName()));
        }
        return client.send(node, api, body, nowMs);
    }

    /** To a broker by its id; an id metadata has not taught us yet is looked up first. */
    public CompletableFuture<Response> sendTo(int brokerId, ApiMessageType api, ApiMessage body, long nowMs) {
        if (client.knows(brokerId)) {
            return client.send(brokerId, api, body, nowMs);
        }
        return metadata(java.util.List.of(), nowMs)
                .thenCompose(c -> client.knows(brokerId)
                        ? client.send(brokerId, api, body, System.currentTimeMillis())
                        : CompletableFuture.failedFuture(
                                new DisconnectException("Broker " + brokerId + " is not known")));
    }

    /** To the group's coordinator, found with FindCoordinator and cached until it moves. */
    public CompletableFuture<Response> sendToCoordinator(
            String groupId, ApiMessageType api, ApiMessage body, long nowMs) {
        return coordinator(groupId, nowMs)
                .thenCompose(id -> client.send(id, api, body, System.currentTimeMillis())
                        .whenComplete((r, e) -> {
                            if (e != null && unwrap(e) instanceof DisconnectException) {
                                coordinatorMoved(groupId);
                            }
                        }));
    }

    /** The group's coordinator as last found, or null. */
    public Node coordinatorNode(String groupId) {
        return coordinators.get(groupId);
    }

    /** Brokers learnt from a Metadata response the caller sent itself. */
    public void learnBrokers(java.util.List<NetworkClient.Endpoint> brokers) {
        if (!brokers.isEmpty()) {
            client.updateBrokers(brokers);
        }
    }

    /** Forgets the cached coordinator (after NOT_COORDINATOR and the like). */
    public void coordinatorMoved(String groupId) {
        coordinators.remove(groupId);
    }

    /** True (and the coordinator forgotten) for the errors that mean "ask FindCoordinator again". */
    public boolean coordinatorError(String groupId, Errors error) {
        if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE) {
            coordinatorMoved(groupId);
            return true;
        }
        return error == Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    private CompletableFuture<Integer> coordinator(String groupId, long nowMs) {
        Node known = coordinators.get(groupId);
        if (known != null) {
            return CompletableFuture.completedFuture(Integer.MAX_VALUE - known.id());
        }
        FindCoordinatorRequestData req =
                new FindCoordinatorRequestData().setKey(groupId).setKeyType((byte) 0);
        return sendAny(ApiMessageType.FIND_COORDINATOR, req, nowMs).thenApply(resp -> {
            FindCoordinatorResponseData data = resp.data();
            Errors error = Errors.forCode(data.errorCode);
            if (error != Errors.NONE) {
                throw AdminErrors.forGroup(error, groupId, data.errorMessage);
            }
            // Its own connection id (as the consumer does), so metadata updates never drop it.
            int id = Integer.MAX_VALUE - data.nodeId;
            client.pin(new NetworkClient.Endpoint(id, data.host, data.port));
            coordinators.put(groupId, new Node(data.nodeId, data.host, data.port, null));
            return id;
        });
    }

    private void schedule(long dueMs, Runnable action) {
        timers.add(new Timer(dueMs, timerSeq++, action));
    }

    /** Stops taking calls; runs until pending calls finish or {@code deadlineMs}, then fails the rest. */
    public void initiateClose(long deadlineMs) {
        accepting = false;
        closeDeadlineMs = deadlineMs;
        client.wakeup();
    }

    @Override
    public void run() {
        try {
            while (true) {
                long now = System.currentTimeMillis();
                Runnable r;
                while ((r = inbox.poll()) != null) {
                    r.run();
                }
                while (!timers.isEmpty() && timers.peek().dueMs <= now) {
                    timers.poll().action.run();
                }
                pending.removeIf(CompletableFuture::isDone);
                if (!accepting && (pending.isEmpty() || now >= closeDeadlineMs) && inbox.isEmpty()) {
                    break;
                }
                long wait = timers.isEmpty() ? 1000 : Math.max(1, timers.peek().dueMs - now);
                if (!accepting) {
                    wait = Math.min(wait, Math.max(1, closeDeadlineMs - now));
                }
                client.poll(Math.min(wait, 1000), System.currentTimeMillis());
            }
        } catch (RuntimeException e) {
            LOG.error("Admin client thread failed", e);
        } finally {
            TimeoutException closed = new TimeoutException("The AdminClient thread has exited.");
            pending.forEach(f -> f.completeExceptionally(closed));
            client.close();
        }
    }
}
