package io.tributary.cli;

import io.tributary.client.common.PartitionInfo;
import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.errors.WakeupException;
import io.tributary.client.consumer.ConsumerRebalanceListener;
import io.tributary.client.consumer.ConsumerRecord;
import io.tributary.client.consumer.OffsetAndMetadata;
import io.tributary.client.consumer.OffsetAndTimestamp;
import io.tributary.client.consumer.TributaryConsumer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tributary consume TOPIC...} (issue 13): as a group member ({@code -g}, offsets committed
 * for what was printed) or on assigned partitions; start at the beginning, the end, an offset
 * (negative: that many before the end) or a timestamp; stop after {@code -n} records or at the
 * end ({@code -e}).
 */
@Command(
        name = "consume",
        mixinStandardHelpOptions = true,
        description = "Print records of TOPIC(s): kcat-style template (-f), --format json or table.")
final class ConsumeCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to read (must exist).")
    List<String> topics;

    @Option(
            names = {"-g", "--group"},
            paramLabel = "GROUP",
            description = "Consume as a member of GROUP (committed offsets win over the start options).")
    String group;

    @Option(
            names = {"-P", "--partition"},
            paramLabel = "N",
            description = "Only these partitions (repeatable; without -g).")
    List<Integer> partitions = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Start start = new Start();

    static final class Start {
        @Option(names = "--from-beginning", description = "Start at the earliest offset.")
        boolean beginning;

        @Option(names = "--from-end", description = "Start at the end: new records only (the default).")
        boolean end;

        @Option(
                names = {"-o", "--offset"},
                paramLabel = "N",
                description = "Start at offset N in every partition; -N: N records before the end.")
        Long offset;

        @Option(
                names = "--from-timestamp",
                paramLabel = "TIME",
                description = "Start at the first record at or after TIME (epoch ms or ISO-8601).")
        String timestamp;
    }

    @Option(
            names = {"-n", "--count"},
            paramLabel = "COUNT",
            description = "Exit after COUNT records.")
    Long count;

    @Option(
            names = {"-e", "--exit-at-end"},
            description = "Exit when the end of every partition (as it was when assigned) is reached.")
    boolean exitAtEnd;

    @Option(
            names = {"-f", "--template"},
            paramLabel = "TEMPLATE",
            description = "kcat-style output: %%t topic, %%p partition, %%o offset, %%k key, %%s value,"
                    + " %%T timestamp, %%h headers, %%K/%%S key/value length, \\n \\t (default: %%s\\n).")
    String template;

    @Option(names = "--format", paramLabel = "json|table", description = "json: one object per line; table.")
    String format;

    private final Map<TopicPartition, Long> ends = new HashMap<>();

    @Override
    public Integer call() {
        RecordFormatter out = RecordFormatter.of(template, format);
        if (group != null && !partitions.isEmpty()) {
            throw new CliException("-P/--partition assigns partitions; it cannot be combined with -g/--group");
        }
        Long startTimestamp = start.timestamp == null ? null : parseTime(start.timestamp);
        Map<String, Object> extra = new HashMap<>();
        extra.put("auto.offset.reset", start.beginning ? "earliest" : "latest");
        extra.put("enable.auto.commit", "false");
        TributaryConsumer<byte[], byte[]> c = client.consumer(group, extra);
        Thread hook = null;
        try {
            Map<String, List<PartitionInfo>> known = client.requireTopics(c, topics);
            hook = main.onInterrupt(c::wakeup);
            return run(c, known, startTimestamp, out);
        } finally {
            // Closed before the interrupt hook is released: the group learns we left, commits are done.
            c.close();
            main.removeInterruptHook(hook);
        }
    }

    private int run(
            TributaryConsumer<byte[], byte[]> c,
            Map<String, List<PartitionInfo>> known,
            Long startTimestamp,
            RecordFormatter fmt) {
        if (group == null) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String t : topics) {
                for (PartitionInfo p : known.get(t)) {
                    if (partitions.isEmpty() || partitions.contains(p.partition())) {
                        tps.add(new TopicPartition(t, p.partition()));
                    }
                }
            }
            if (tps.isEmpty()) {
                throw new CliException("no such partition " + partitions + " in " + topics);
            }
            c.assign(tps);
            if (!start.beginning && start.offset == null && startTimestamp == null) {
                c.seekToEnd(tps);
            }
            position(c, tps, startTimestamp);
        } else {
            c.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
                    revoked.forEach(ends::remove);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
                    if (start.offset != null || startTimestamp != null) {
                        position(c, assigned, startTimestamp);
                    }
                    if (exitAtEnd) {
                        ends.putAll(c.endOffsets(assigned, client.timeout()));
                    }
                }
            });
        }
        PrintWriter w = spec.commandLine().getOut();
        fmt.header(w);
        long printed = 0;
        long idleSince = System.nanoTime();
        try {
            while (count == null || printed < count) {
                if (exitAtEnd && atEnd(c)) {
                    break;
                }
                Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (count != null && printed >= count) {
                        break;
                    }
                    fmt.print(w, r);
                    printed++;
                    done.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                w.flush();
                if (group != null && !done.isEmpty()) {
                    c.commitSync(done);
                }
                if (exitAtEnd
                        && c.assignment().isEmpty()
                        && System.nanoTime() - idleSince > client.timeout().toNanos()) {
                    throw new CliException("group " + group + " got no partitions within " + client.timeoutMs + " ms");
                }
            }
        } catch (WakeupException e) {
            // Ctrl-C: what was printed is committed; leave the group cleanly on close.
        }
        w.flush();
        return Main.EXIT_OK;
    }

    private boolean atEnd(TributaryConsumer<byte[], byte[]> c) {
        if (group == null && ends.isEmpty()) {
            ends.putAll(c.endOffsets(c.assignment(), client.timeout()));
        }
        if (c.assignment().isEmpty()) {
            return false;
        }
        for (TopicPartition tp : c.assignment()) {
            Long end = ends.get(tp);
            if (end == null || c.position(tp, client.timeout()) < end) {
                return false;
            }
        }
        return true;
    }

    private void position(TributaryConsumer<byte[], byte[]> c, Collection<TopicPartition> tps, Long ts) {
        if (start.offset != null) {
            if (start.offset >= 0) {
                tps.forEach(tp -> c.seek(tp, start.offset));
            } else {
                Map<TopicPartition, Long> first = c.beginningOffsets(tps, client.timeout());
                Map<TopicPartition, Long> last = c.endOffsets(tps, client.timeout());
                tps.forEach(tp -> c.seek(tp, Math.max(first.get(tp), last.get(tp) + start.offset)));
            }
        } else if (ts != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            tps.forEach(tp -> query.put(tp, ts));
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, client.timeout());
            Map<TopicPartition, Long> last = c.endOffsets(tps, client.timeout());
            for (TopicPartition tp : tps) {
                OffsetAndTimestamp o = found.get(tp);
                c.seek(tp, o == null ? last.get(tp) : o.offset());
            }
        }
    }

    /** Epoch milliseconds, or ISO-8601 with or without offset (local time zone if none). */
    static long parseTime(String s) {
        if (s.matches("\\d+")) {
            return Long.parseLong(s);
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(s)
                            .atZone(ZoneId.systemDefault())
                            .toInstant()
                            .toEpochMilli();
                } catch (DateTimeParseException e3) {
                    throw new CliException("malformed time '" + s
                            + "': use epoch milliseconds or ISO-8601, e.g. 2026-12-06T10:15:30Z");
                }
            }
        }
    }
}
