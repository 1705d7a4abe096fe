package io.tributary.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Throughput over SASL_SSL (SCRAM-SHA-512 over TLS) against the same over PLAINTEXT, on each broker, in one run:
 * the ratio Tributary/Apache over SASL_SSL, and each broker's TLS figure as a fraction of its plaintext one. Both
 * brokers get a PLAINTEXT and a SASL_SSL listener, the same self-signed certificate (made with keytool) and the same
 * SCRAM user; Apache's producer and consumer drive both with identical settings. Runs on the main thread.
 */
final class SecurityBench {
    private static final String PASSWORD = "bench-pass";
    private static final String USER = "bench";

    private final long records;
    private final int partitions;
    private final int rounds;
    private final DataSet data;
    private final ConsumerClient consumer = new ApacheConsumerClient(100);

    SecurityBench(Args args) {
        this.records = args.longValue("records", 500_000);
        this.partitions = args.intValue("partitions", 3);
        this.rounds = args.intValue("rounds", 1);
        this.data = new DataSet(args.longValue("seed", 42), args.intValue("record-size", 100));
    }

    /** One way into a broker: its name in the table, where to connect, and the client settings it needs. */
    private record Route(BrokerUnderTest broker, String label, String bootstrap, Map<String, Object> client)
            implements BrokerUnderTest {
        @Override
        public String name() {
            return label;
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public String describeSettings() {
            return broker.describeSettings();
        }

        @Override
        public void close() {}
    }

    void run(Args args) throws Exception {
        Path dir = Files.createTempDirectory("bench-tls-");
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("trust.p12");
        keytool(
                dir,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD);
        keytool(
                dir,
                "-exportcert",
                "-alias",
                "broker",
                "-keystore",
                keystore.toString(),
                "-storepass",
                PASSWORD,
                "-file",
                dir.resolve("broker.cer").toString());
        keytool(
                dir,
                "-importcert",
                "-alias",
                "broker",
                "-file",
                dir.resolve("broker.cer").toString(),
                "-keystore",
                truststore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                PASSWORD,
                "-noprompt");
        Map<String, String> tls = Map.of(
                "ssl.keystore.location",
                keystore.toString(),
                "ssl.keystore.password",
                PASSWORD,
                "ssl.keystore.type",
                "PKCS12",
                "sasl.enabled.mechanisms",
                "SCRAM-SHA-512");
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("security.protocol", "SASL_SSL");
        client.put("sasl.mechanism", "SCRAM-SHA-512");
        client.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                        + PASSWORD + "\";");
        client.put("ssl.truststore.location", truststore.toString());
        client.put("ssl.truststore.password", PASSWORD);
        client.put("ssl.truststore.type", "PKCS12");

        System.out.printf(
                "security: %,d records x %d B, %d partitions, rounds=%d, over PLAINTEXT and SASL_SSL (SCRAM-SHA-512,"
                        + " TLS with a 2048-bit RSA certificate)%n",
                records, data.recordSize(), partitions, rounds);
        List<BrokerUnderTest> started = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        try {
            Map<String, String> ours = new LinkedHashMap<>(tls);
            ours.put("listeners", "PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0");
            TributaryBroker tributary = TributaryBroker.start(ours);
            started.add(tributary);
            routes.add(new Route(tributary, "tributary", tributary.bootstrapServers(), Map.of()));
            routes.add(new Route(tributary, "tributary+sasl_ssl", tributary.saslSslBootstrap(), client));

            int port = freePort();
            Map<String, String> apache = new LinkedHashMap<>(tls);
            apache.put(
                    "listeners", "EXTERNAL://localhost:0,SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:0");
            apache.put("advertised.listeners", "EXTERNAL://localhost:0,SASL_SSL://localhost:" + port);
            apache.put("listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL");
            apache.put(
                    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            ApacheBroker apacheBroker = ApacheBroker.start(apache);
            started.add(apacheBroker);
            routes.add(new Route(apacheBroker, "apache", apacheBroker.bootstrapServers(), Map.of()));
            routes.add(new Route(apacheBroker, "apache+sasl_ssl", "localhost:" + port, client));

            for (BrokerUnderTest b : started) {
                addUser(b);
                System.out.println(b.name() + ": " + b.describeSettings());
            }
            measure(routes);
        } finally {
            for (BrokerUnderTest b : started) {
                b.close();
            }
        }
    }

    private void measure(List<Route> routes) throws Exception {
        for (Route r : routes) {
            Load.createTopic(r.broker(), "warm-" + r.label().replace('+', '-'), partitions);
            for (int round = 0; round < rounds; round++) {
                Load.createTopic(r.broker(), topic(r, round), partitions);
            }
        }
        long warmup = Math.min(records, 200_000);
        for (Route r : routes) {
            String topic = "warm-" + r.label().replace('+', '-');
            Measurement p = Load.produce(r, topic, warmup, data, producerSettings(r), -1);
            Measurement c = Load.consume(r, consumer, topic, partitions, warmup, consumerSettings(r), -1);
            System.out.printf(
                    "warm-up %-18s produce %s records/s, consume %s records/s%s%n",
                    r.label(),
                    Table.num(p.recordsPerSec()),
                    Table.num(c.recordsPerSec()),
                    ThroughputBench.problems(p, c));
        }
        List<Measurement> all = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<Route> order = new ArrayList<>(routes);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (Route r : order) {
                all.add(Load.produce(r, topic(r, round), records, data, producerSettings(r), round));
            }
            for (Route r : order) {
                all.add(Load.consume(r, consumer, topic(r, round), partitions, records, consumerSettings(r), round));
            }
        }
        Table table = new Table("phase", "route", "records/s", "MB/s", "note");
        Map<String, Measurement> medians = new LinkedHashMap<>();
        for (String phase : List.of("produce", "consume")) {
            for (Route r : routes) {
                Measurement m = Measurement.median(all.stream()
                        .filter(x -> x.phase().equals(phase) && x.broker().equals(r.label()))
                        .toList());
                medians.put(phase + "/" + r.label(), m);
                table.row(
                        phase,
                        r.label(),
                        Table.num(m.recordsPerSec()),
                        Table.num(m.mibPerSec()),
                        m.problem() == null ? "" : m.problem());
            }
        }
        System.out.println();
        System.out.print(table.render());
        for (String phase : List.of("produce", "consume")) {
            double t = medians.get(phase + "/tributary+sasl_ssl").recordsPerSec();
            double a = medians.get(phase + "/apache+sasl_ssl").recordsPerSec();
            System.out.printf(
                    "%s over SASL_SSL: tributary/apache %s; TLS/plaintext: tributary %s, apache %s%n",
                    phase,
                    Table.ratio(t, a),
                    Table.ratio(t, medians.get(phase + "/tributary").recordsPerSec()),
                    Table.ratio(a, medians.get(phase + "/apache").recordsPerSec()));
        }
    }

    private static Map<String, Object> producerSettings(Route r) {
        Map<String, Object> s = Load.producerDefaults("none");
        s.putAll(r.client());
        return s;
    }

    private static Map<String, Object> consumerSettings(Route r) {
        Map<String, Object> s = ThroughputBench.consumerDefaults();
        s.putAll(r.client());
        return s;
    }

    private static String topic(Route r, int round) {
        return "bench-" + r.label().replace('+', '-') + "-" + round;
    }

    private static void addUser(BrokerUnderTest broker) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            USER, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
    }
}
