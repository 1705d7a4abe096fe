package io.tributary.interop.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.FencedInstanceIdException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.ConsumerRecords;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.TributaryConsumer;
import io.tributary.client.serialization.StringDeserializer;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One group member running OUR consumer ({@link TributaryConsumer}) as its own JVM, so a test
 * can SIGKILL it like a crashed machine; the counterpart of the Apache-client
 * {@code io.tributary.interop.groups.GroupMemberMain}, printing the same stdout lines (parsed by
 * {@code MemberProcess}) plus one line per committed offset.
 *
 * <p>At-least-once, the textbook way: a polled batch is printed (processed) and flushed, then its
 * offsets are committed with {@code commitSync}; offsets of partitions about to be revoked are
 * committed inside {@code onPartitionsRevoked} (a commit refused mid-rebalance is otherwise
 * retried after the next poll, by which time the partition may be gone); lost partitions drop
 * their uncommitted offsets (the next owner re-reads them). So only a crash, or a loss of
 * membership, can make another member consume a record twice.
 *
 * <p>Arguments: {@code bootstrap topic group assignor sessionTimeoutMs heartbeatIntervalMs}
 * ({@code assignor} {@code server:NAME}: {@code group.protocol=consumer} with that server assignor).
 * Lines, with {@code System.nanoTime()}:
 * <pre>
 * ASSIGNED|REVOKED|LOST nanos generation p,p,...
 * RECORD nanos partition offset value
 * COMMITTED nanos partition offset      (after commitSync returned: offset = next to read)
 * COMMIT-DEFERRED nanos reason          (commit refused; retried after the next poll)
 * ERROR nanos text / CLOSING nanos / CLOSED nanos
 * </pre>
 * A line {@code close} on stdin (or stdin's end) ends the loop after the current batch is
 * committed, then closes the consumer (revoke callback, LeaveGroup). No {@code wakeup()}: it
 * could interrupt a commit and leave processed records uncommitted on a clean leave.
 *
 * <p>Threads: the main thread owns the consumer; a daemon thread reads stdin and sets a flag.
 */
public final class TributaryMemberProcess {
    static final int EXIT_FENCED = 3;
    static final int EXIT_ERROR = 2;
    /** An assignor argument "server:uniform" makes the member speak the consumer protocol with that server assignor. */
    public static final String SERVER_ASSIGNOR = "server:";

    private static final PrintStream OUT = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);

    private static volatile boolean closeRequested;

    /** Processed but not yet committed: next offset to read, per partition. Main thread only. */
    private static final Map<TopicPartition, Long> PENDING = new LinkedHashMap<>();

    private TributaryMemberProcess() {}

    public static void main(String[] args) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", args[0]);
        String topic = args[1];
        config.put("group.id", args[2]);
        if (args[3].startsWith(SERVER_ASSIGNOR)) {
            // KIP-848 (issue 14): the broker assigns and times the session out.
            config.put("group.protocol", "consumer");
            config.put("group.remote.assignor", args[3].substring(SERVER_ASSIGNOR.length()));
        } else {
            config.put("partition.assignment.strategy", args[3]);
            config.put("session.timeout.ms", args[4]);
            config.put("heartbeat.interval.ms", args[5]);
        }
        config.put("enable.auto.commit", "false");
        config.put("auto.offset.reset", "earliest");
        config.put("max.poll.records", "50");
        config.put("fetch.max.wait.ms", "100");
        config.put("client.id", "tributary-member-" + ProcessHandle.current().pid());
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());

        TributaryConsumer<String, String> consumer = new TributaryConsumer<>(config);
        Thread stdin = new Thread(TributaryMemberProcess::awaitCloseCommand, "member-stdin");
        stdin.setDaemon(true);
        stdin.start();

        int exitCode = 0;
        try {
            consumer.subscribe(List.of(topic), new Listener(consumer));
            while (!closeRequested) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    emit("RECORD " + System.nanoTime() + " " + r.partition() + " " + r.offset() + " " + r.value());
                    PENDING.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                }
                // Printed (processed) first, committed second: a crash in between re-delivers, never loses.
                OUT.flush();
                commit(consumer, Map.copyOf(PENDING));
            }
        } catch (FencedInstanceIdException e) {
            emit("FENCED " + System.nanoTime());
            exitCode = EXIT_FENCED;
        } catch (RuntimeException e) {
            emit("ERROR " + System.nanoTime() + " " + e.toString().replace('\n', ' '));
            e.printStackTrace();
            exitCode = EXIT_ERROR;
        }
        emit("CLOSING " + System.nanoTime());
        OUT.flush();
        try {
            consumer.close(Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            emit("ERROR " + System.nanoTime() + " close: " + e.toString().replace('\n', ' '));
            e.printStackTrace();
            exitCode = EXIT_ERROR;
        }
        emit("CLOSED " + System.nanoTime());
        OUT.flush();
        System.exit(exitCode);
    }

    /**
     * Commits {@code offsets} and forgets them once acknowledged. A refusal (rebalance in
     * progress, or the generation moved on) keeps them pending: the next poll either finishes
     * the rebalance (revoked partitions are committed in the callback, lost ones dropped) or
     * the retry succeeds.
     */
    private static void commit(TributaryConsumer<?, ?> consumer, Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> request = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> request.put(tp, new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(request);
        } catch (RuntimeException e) {
            if (e instanceof FencedInstanceIdException) {
                throw e;
            }
            emit("COMMIT-DEFERRED " + System.nanoTime() + " " + e.getClass().getSimpleName());
            return;
        }
        long now = System.nanoTime();
        offsets.forEach((tp, o) -> {
            emit("COMMITTED " + now + " " + tp.partition() + " " + o);
            PENDING.remove(tp, o);
        });
        OUT.flush();
    }

    private static void awaitCloseCommand() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("close")) {
                // ignore anything else
            }
        } catch (IOException e) {
            // a broken stdin means the test JVM is gone: close like on its end
        }
        closeRequested = true;
    }

    private static synchronized void emit(String line) {
        OUT.println(line);
    }

    private static String partitions(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .map(tp -> Integer.toString(tp.partition()))
                .sorted()
                .collect(Collectors.joining(","));
    }

    /** Runs on the main thread inside poll/close, as the consumer contract guarantees. */
    private static final class Listener implements ConsumerRebalanceListener {
        private final TributaryConsumer<?, ?> consumer;

        Listener(TributaryConsumer<?, ?> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Hand over exactly where processing stopped, so the next owner re-reads nothing.
            Map<TopicPartition, Long> mine = new LinkedHashMap<>();
            partitions.forEach(tp -> {
                Long o = PENDING.get(tp);
                if (o != null) {
                    mine.put(tp, o);
                }
            });
            commit(consumer, mine);
            partitions.forEach(PENDING::remove);
            event("REVOKED", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            event("ASSIGNED", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(PENDING::remove);
            event("LOST", partitions);
        }

        private void event(String kind, Collection<TopicPartition> partitions) {
            int generation = consumer.groupMetadata().generationId();
            emit(kind + " " + System.nanoTime() + " " + generation + " " + partitions(partitions));
            OUT.flush();
        }
    }
}
