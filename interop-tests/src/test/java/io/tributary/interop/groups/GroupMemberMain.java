package io.tributary.interop.groups;

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
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer-group member as its own JVM, so a test can SIGKILL it like a crashed machine.
 * Started by {@link MemberProcess}; it is an ordinary Apache {@code kafka-clients} application:
 * subscribe, poll, process (print), then {@code commitSync()} (at-least-once: a record is printed
 * and flushed before its offset is committed; a commit refused mid-rebalance is retried after the
 * next poll).
 *
 * <p>Arguments: {@code bootstrap topic group assignor sessionTimeoutMs heartbeatIntervalMs
 * instanceId|-}. Each stdout line is one event with {@code System.nanoTime()} (CLOCK_MONOTONIC
 * on Linux, so comparable across processes on one machine):
 * <pre>
 * ASSIGNED nanos generation p,p,...   (onPartitionsAssigned: the partitions added)
 * REVOKED nanos generation p,p,...
 * LOST nanos generation p,p,...
 * RECORD nanos partition offset value
 * FENCED nanos                         (FencedInstanceIdException: another member took our instance id)
 * COMMIT-DEFERRED nanos / COMMIT-FAILED nanos
 * CLOSING nanos / CLOSED nanos
 * </pre>
 * A line {@code close} on stdin (or stdin's end, when the test JVM dies) closes the consumer
 * cleanly. Threads: the main thread owns the consumer; a daemon thread reads stdin and only calls
 * {@code wakeup()}.
 */
public final class GroupMemberMain {
    /** Exit code when the coordinator fenced this member's group.instance.id. */
    static final int EXIT_FENCED = 3;
    /** Exit code for any other failure of the consumer. */
    static final int EXIT_ERROR = 2;

    private static final PrintStream OUT = new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, StandardCharsets.UTF_8);

    /** An assignor argument "server:uniform" makes the member speak the consumer protocol with that server assignor. */
    static final String SERVER_ASSIGNOR = "server:";

    private static volatile boolean closeRequested;

    private GroupMemberMain() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        String topic = args[1];
        String group = args[2];
        String assignor = args[3];
        String sessionTimeoutMs = args[4];
        String heartbeatIntervalMs = args[5];
        String instanceId = args[6];

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "50");
        if (assignor.startsWith(SERVER_ASSIGNOR)) {
            // KIP-848 (issue 14): the broker assigns and times sessions out; the classic
            // protocol's session, heartbeat and assignor settings are refused with it.
            props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor.substring(SERVER_ASSIGNOR.length()));
        } else {
            props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs);
            props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, heartbeatIntervalMs);
            props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignorClass(assignor));
        }
        props.put(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "member-" + ProcessHandle.current().pid());
        if (!"-".equals(instanceId)) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }

        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        Thread stdin = new Thread(() -> awaitCloseCommand(consumer), "member-stdin");
        stdin.setDaemon(true);
        stdin.start();

        int exitCode = 0;
        try {
            consumer.subscribe(List.of(topic), new Listener(consumer));
            boolean uncommitted = false;
            while (!closeRequested) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    emit("RECORD " + System.nanoTime() + " " + r.partition() + " " + r.offset() + " " + r.value());
                }
                // Printed (processed) first, committed second: a crash in between re-delivers, never loses.
                OUT.flush();
                uncommitted |= !records.isEmpty();
                if (uncommitted) {
                    uncommitted = commit(consumer);
                }
            }
        } catch (WakeupException e) {
            // close requested while polling or committing
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
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(20)));
        } catch (RuntimeException e) {
            // A fenced member cannot leave cleanly; the test judges by the lines already printed.
            e.printStackTrace();
        }
        emit("CLOSED " + System.nanoTime());
        OUT.flush();
        System.exit(exitCode);
    }

    /**
     * Commits the positions of everything processed so far; returns whether that is still to do.
     * A commit during a rebalance (cooperative members poll and commit throughout one) is refused
     * with RebalanceInProgressException: the next loop retries after poll has taken part in it.
     * CommitFailedException means the partitions already belong to the next generation, whose
     * owner re-reads from the last commit (at-least-once), so there is nothing left to retry.
     */
    private static boolean commit(KafkaConsumer<?, ?> consumer) {
        try {
            consumer.commitSync();
            return false;
        } catch (RebalanceInProgressException e) {
            emit("COMMIT-DEFERRED " + System.nanoTime());
            return true;
        } catch (CommitFailedException e) {
            emit("COMMIT-FAILED " + System.nanoTime());
            return false;
        }
    }

    private static void awaitCloseCommand(KafkaConsumer<?, ?> consumer) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null && !line.trim().equals("close")) {
                // ignore anything else
            }
        } catch (IOException e) {
            // treat a broken stdin like its end: the test JVM is gone
        }
        closeRequested = true;
        consumer.wakeup();
    }

    private static String assignorClass(String name) {
        return switch (name) {
            case "range" -> RangeAssignor.class.getName();
            case "roundrobin" -> RoundRobinAssignor.class.getName();
            case "sticky" -> StickyAssignor.class.getName();
            case "cooperative-sticky" -> CooperativeStickyAssignor.class.getName();
            default -> throw new IllegalArgumentException("unknown assignor " + name);
        };
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

    /** Prints ownership changes; runs on the polling thread inside poll/close, as Kafka guarantees. */
    private static final class Listener implements ConsumerRebalanceListener {
        private final KafkaConsumer<?, ?> consumer;

        Listener(KafkaConsumer<?, ?> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            event("REVOKED", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            event("ASSIGNED", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            event("LOST", partitions);
        }

        private void event(String kind, Collection<TopicPartition> partitions) {
            int generation = consumer.groupMetadata().generationId();
            emit(kind + " " + System.nanoTime() + " " + generation + " " + partitions(partitions));
            OUT.flush();
        }
    }
}
