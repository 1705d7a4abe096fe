package io.tributary.bench;

import io.tributary.reference.ApacheKafkaNode;
import io.tributary.testkit.TestBroker;
import io.tributary.testkit.TestkitMain;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code Bench testkit} (issue 13): how long until a test broker answers Metadata, for our
 * testkit and for Apache Kafka's in-process KafkaClusterTestKit (one combined KRaft node, as the
 * interop tests start it), each in a fresh child JVM (cold: JVM start, class loading, broker
 * start) and in this JVM after a first start (warm). Timed from the start call (or the child's
 * spawn) to the Metadata response on a new socket. Not a test.
 */
final class TestkitBench {
    private final int rounds;
    private final List<String> brokers;

    TestkitBench(Args args) {
        this.rounds = args.intValue("rounds", 5);
        this.brokers = args.list("brokers", "tributary,apache");
    }

    /** The child JVM's entry for Apache: prints the address, then waits for stdin to close. */
    static void apacheChild() throws IOException {
        try (ApacheKafkaNode node = ApacheKafkaNode.start(Map.of())) {
            System.out.println(node.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Until the parent closes our stdin.
            }
        }
    }

    void run(Args args) throws Exception {
        System.out.printf("testkit start-up to first Metadata answer, %d rounds each (ms)%n", rounds);
        List<String[]> rows = new ArrayList<>();
        for (String b : brokers) {
            boolean apache = b.equals("apache");
            List<Double> cold = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                cold.add(coldChild(apache));
            }
            List<Double> warm = new ArrayList<>();
            // Round 0 loads the classes into this JVM; the warm figures are the rounds after it.
            double first = inProcess(apache);
            for (int i = 0; i < rounds; i++) {
                warm.add(inProcess(apache));
            }
            rows.add(row(b + " cold child JVM", cold));
            rows.add(row(b + " in-process, first", List.of(first)));
            rows.add(row(b + " in-process, warm", warm));
        }
        System.out.printf("%-32s %9s %9s %9s %s%n", "", "median", "min", "max", "rounds");
        for (String[] r : rows) {
            System.out.printf("%-32s %9s %9s %9s %s%n", (Object[]) r);
        }
    }

    private static String[] row(String name, List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        StringBuilder all = new StringBuilder();
        for (double v : ms) {
            all.append(all.length() == 0 ? "" : " ").append(String.format("%.0f", v));
        }
        return new String[] {
            name,
            String.format("%.1f", s.get(s.size() / 2)),
            String.format("%.1f", s.get(0)),
            String.format("%.1f", s.get(s.size() - 1)),
            all.toString()
        };
    }

    private static double inProcess(boolean apache) throws IOException {
        long t0 = System.nanoTime();
        if (apache) {
            try (ApacheKafkaNode node = ApacheKafkaNode.start(Map.of())) {
                metadata(node.bootstrapServers());
                return (System.nanoTime() - t0) / 1e6;
            }
        }
        try (TestBroker broker = TestBroker.start()) {
            metadata(broker.bootstrapServers());
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double coldChild(boolean apache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        if (apache) {
            cmd.addAll(List.of(Bench.class.getName(), "testkit-apache-child"));
        } else {
            cmd.addAll(List.of(TestkitMain.class.getName(), "--stop-on-eof"));
        }
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String address = out.readLine();
            if (address == null) {
                throw new IOException("child JVM exited before printing its address: " + cmd);
            }
            metadata(address.trim());
            return (System.nanoTime() - t0) / 1e6;
        } finally {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.flush(); // closing stdin stops the child
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Metadata v4 for all topics on a new connection; returns when the response has arrived. */
    static void metadata(String bootstrap) throws IOException {
        int colon = bootstrap.lastIndexOf(':');
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(
                            bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))),
                    10_000);
            s.setSoTimeout(10_000);
            byte[] clientId = "testkit-bench".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            // header v1 (key 3, version 4, correlation id, client id); body: null topics, no auto-create
            out.writeInt(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
            out.writeShort(ApiProbe.METADATA);
            out.writeShort(4);
            out.writeInt(7);
            out.writeShort(clientId.length);
            out.write(clientId);
            out.writeInt(-1);
            out.writeByte(0);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] resp = new byte[in.readInt()];
            in.readFully(resp);
            int correlation =
                    ((resp[0] & 0xff) << 24) | ((resp[1] & 0xff) << 16) | ((resp[2] & 0xff) << 8) | (resp[3] & 0xff);
            if (correlation != 7) {
                throw new IOException("unexpected Metadata response from " + bootstrap);
            }
        }
    }
}
