package io.tributary.interop.groups;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A {@link GroupMemberMain} child JVM seen from the test: starts it with this JVM's {@code java}
 * and class path, parses its stdout into {@link Event}s, and closes it cleanly ({@code close} on
 * stdin) or kills it (SIGKILL).
 *
 * <p>Owned by the test thread; one daemon thread per child appends parsed events, which
 * {@link #events()} hands out as a snapshot.
 */
public final class MemberProcess implements AutoCloseable {
    private static final long STOP_TIMEOUT_MS = 30_000;

    /** One stdout line of the member. {@code partitions} is empty for RECORD/CLOSING/CLOSED/FENCED. */
    public record Event(
            String kind,
            long nanos,
            int generation,
            Set<Integer> partitions,
            int partition,
            long offset,
            String value) {}

    private final String name;
    private final Process process;
    private final Path stderrFile;
    private final List<Event> events = new ArrayList<>();
    private final Thread reader;
    private volatile long killedAtNanos = -1;
    private volatile long deadAtNanos = -1;
    private volatile long closeRequestedAtNanos = -1;

    private MemberProcess(String name, Process process, Path stderrFile) {
        this.name = name;
        this.process = process;
        this.stderrFile = stderrFile;
        this.reader = new Thread(this::readStdout, "member-stdout-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a member; {@code instanceId} null means a dynamic member. */
    static MemberProcess start(
            String name,
            String bootstrap,
            String topic,
            String group,
            String assignor,
            int sessionTimeoutMs,
            int heartbeatIntervalMs,
            String instanceId)
            throws IOException {
        return start(
                name,
                GroupMemberMain.class.getName(),
                List.of(
                        bootstrap,
                        topic,
                        group,
                        assignor,
                        Integer.toString(sessionTimeoutMs),
                        Integer.toString(heartbeatIntervalMs),
                        instanceId == null ? "-" : instanceId));
    }

    /**
     * Starts any member main class printing {@link GroupMemberMain}'s line format (e.g. one
     * running the Tributary consumer), with this JVM's class path.
     */
    public static MemberProcess start(String name, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, quick-starting JVMs: several run at once on two shared cores.
        command.addAll(List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Path stderr = Files.createTempFile("group-member-" + name + "-", ".stderr");
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        return new MemberProcess(name, process, stderr);
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Snapshot of everything the member printed so far, in its own order. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The partitions this member owns according to its own callbacks. */
    public Set<Integer> owned() {
        Set<Integer> owned = new TreeSet<>();
        for (Event e : events()) {
            switch (e.kind()) {
                case "ASSIGNED" -> owned.addAll(e.partitions());
                case "REVOKED", "LOST" -> owned.removeAll(e.partitions());
                default -> {}
            }
        }
        return owned;
    }

    /** Generation of the latest ASSIGNED callback, or -1 before the first one. */
    public int lastAssignedGeneration() {
        int generation = -1;
        for (Event e : events()) {
            if (e.kind().equals("ASSIGNED")) {
                generation = e.generation();
            }
        }
        return generation;
    }

    /** How many rebalance callbacks (assigned, revoked, lost) the member has reported. */
    public int rebalanceCallbacks() {
        return (int) events().stream()
                .filter(e -> e.kind().equals("ASSIGNED")
                        || e.kind().equals("REVOKED")
                        || e.kind().equals("LOST"))
                .count();
    }

    public boolean printed(String kind) {
        return events().stream().anyMatch(e -> e.kind().equals(kind));
    }

    /** When the test asked for a clean close, or -1. */
    public long closeRequestedAtNanos() {
        return closeRequestedAtNanos;
    }

    /** Just before SIGKILL was sent, or -1: no heartbeat can come later than this. */
    public long killedAtNanos() {
        return killedAtNanos;
    }

    /** Just after the killed process was seen to exit, or -1: it can own nothing later than this. */
    public long deadAtNanos() {
        return deadAtNanos;
    }

    /** Asks the member to close its consumer (LeaveGroup for dynamic members) and waits for it to exit. */
    public int closeCleanly() throws IOException, InterruptedException {
        closeRequestedAtNanos = System.nanoTime();
        OutputStream stdin = process.getOutputStream();
        stdin.write("close\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            sigkill();
            throw new AssertionError("member " + name + " did not exit after close\n" + diagnostics());
        }
        reader.join(STOP_TIMEOUT_MS);
        return process.exitValue();
    }

    /**
     * SIGKILL: no LeaveGroup, no commit, no callbacks. Everything the member wrote before it died
     * is still read: Process.destroyForcibly() would also close our end of its stdout, dropping the
     * lines still in the pipe, so a record it printed and committed just before the kill looked
     * never consumed (and the next owner's start after that commit looked like a gap).
     */
    public void kill() throws InterruptedException {
        killedAtNanos = System.nanoTime();
        sigkill();
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("member " + name + " survived SIGKILL");
        }
        deadAtNanos = System.nanoTime();
        reader.join(STOP_TIMEOUT_MS);
    }

    /** Waits for a member that exits by itself (e.g. fenced) and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("member " + name + " did not exit\n" + diagnostics());
        }
        reader.join(STOP_TIMEOUT_MS);
        return process.exitValue();
    }

    /** What the member wrote to stderr so far. */
    String stderr() throws IOException {
        return Files.readString(stderrFile, StandardCharsets.UTF_8);
    }

    /** Output tail and stderr tail, for assertion messages. */
    public String diagnostics() {
        List<Event> all = events();
        StringBuilder sb = new StringBuilder("member ")
                .append(name)
                .append(" (alive=")
                .append(isAlive())
                .append(")\n");
        all.stream()
                .filter(e -> !e.kind().equals("RECORD"))
                .forEach(e -> sb.append("  ").append(e).append('\n'));
        sb.append("  records printed: ")
                .append(all.stream().filter(e -> e.kind().equals("RECORD")).count())
                .append('\n');
        appendRecordRuns(all, sb);
        try {
            List<String> lines = Files.readAllLines(stderrFile, StandardCharsets.UTF_8);
            // Where each partition's position came from, and anything the consumer warned about,
            // from the whole run; then the tail.
            int tailFrom = Math.max(0, lines.size() - 30);
            List<String> notable = lines.subList(0, tailFrom).stream()
                    .filter(l -> l.contains("offset for partition")
                            || l.contains("out of range")
                            || l.contains(" WARN ")
                            || l.contains(" ERROR "))
                    .toList();
            if (!notable.isEmpty()) {
                sb.append("  stderr, positions and warnings before the tail:\n");
                notable.forEach(l -> sb.append("    ").append(l).append('\n'));
            }
            sb.append("  stderr tail:\n");
            lines.subList(tailFrom, lines.size())
                    .forEach(l -> sb.append("    ").append(l).append('\n'));
        } catch (IOException e) {
            sb.append("  (stderr unreadable)\n");
        }
        return sb.toString();
    }

    /**
     * Consumed offsets per partition as runs of consecutive offsets with their first and last
     * print time: a gap or a stall shows up at a glance.
     */
    private static void appendRecordRuns(List<Event> all, StringBuilder sb) {
        Map<Integer, List<long[]>> runs = new TreeMap<>();
        for (Event e : all) {
            if (!e.kind().equals("RECORD")) {
                continue;
            }
            List<long[]> list = runs.computeIfAbsent(e.partition(), p -> new ArrayList<>());
            long[] last = list.isEmpty() ? null : list.get(list.size() - 1);
            if (last != null && last[1] + 1 == e.offset()) {
                last[1] = e.offset();
                last[3] = e.nanos();
            } else {
                list.add(new long[] {e.offset(), e.offset(), e.nanos(), e.nanos()});
            }
        }
        runs.forEach((partition, list) -> {
            sb.append("  partition ").append(partition).append(" offsets:");
            int shown = 0;
            for (long[] r : list) {
                if (shown++ == 20) {
                    sb.append(" ... (").append(list.size() - 20).append(" more runs)");
                    break;
                }
                sb.append(' ')
                        .append(r[0])
                        .append("..")
                        .append(r[1])
                        .append(" @")
                        .append(r[2])
                        .append("..")
                        .append(r[3]);
            }
            sb.append('\n');
        });
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            sigkill();
            try {
                process.waitFor(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(stderrFile);
    }

    /** SIGKILL through the process handle, which leaves our end of the child's pipes open. */
    private void sigkill() {
        process.toHandle().destroyForcibly();
    }

    private void readStdout() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Event event = parse(line);
                if (event != null) {
                    synchronized (this) {
                        events.add(event);
                    }
                }
            }
        } catch (IOException e) {
            // the child is gone; isAlive() tells the test
        }
    }

    private static Event parse(String line) {
        String[] f = line.split(" ", -1);
        try {
            return switch (f[0]) {
                case "ASSIGNED", "REVOKED", "LOST" ->
                    new Event(
                            f[0],
                            Long.parseLong(f[1]),
                            Integer.parseInt(f[2]),
                            parsePartitions(f.length > 3 ? f[3] : ""),
                            -1,
                            -1,
                            null);
                case "RECORD" ->
                    new Event(
                            f[0],
                            Long.parseLong(f[1]),
                            -1,
                            Set.of(),
                            Integer.parseInt(f[2]),
                            Long.parseLong(f[3]),
                            f[4]);
                case "COMMITTED" ->
                    new Event(
                            f[0],
                            Long.parseLong(f[1]),
                            -1,
                            Set.of(),
                            Integer.parseInt(f[2]),
                            Long.parseLong(f[3]),
                            null);
                case "FENCED", "CLOSING", "CLOSED", "ERROR", "COMMIT-DEFERRED", "COMMIT-FAILED" ->
                    new Event(
                            f[0],
                            Long.parseLong(f[1]),
                            -1,
                            Set.of(),
                            -1,
                            -1,
                            f.length > 2 ? String.join(" ", Arrays.asList(f).subList(2, f.length)) : null);
                default -> new Event("UNPARSEABLE", System.nanoTime(), -1, Set.of(), -1, -1, line);
            };
        } catch (RuntimeException e) {
            return new Event("UNPARSEABLE", System.nanoTime(), -1, Set.of(), -1, -1, line);
        }
    }

    private static Set<Integer> parsePartitions(String text) {
        Set<Integer> partitions = new TreeSet<>();
        if (!text.isEmpty()) {
            for (String p : text.split(",")) {
                partitions.add(Integer.parseInt(p));
            }
        }
        return partitions;
    }

    @Override
    public String toString() {
        return name;
    }
}
