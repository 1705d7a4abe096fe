package io.tributary.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a test broker for tests written in other languages (issue 13): prints its
 * {@code host:port} as the first line of stdout once it accepts connections, then runs until
 * killed (SIGTERM/Ctrl-C stop it cleanly and delete its directory) or until stdin closes with
 * {@code --stop-on-eof}. Usage: {@code TestkitMain [--port N] [key=value]...} (Kafka broker keys).
 */
public final class TestkitMain {
    private TestkitMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        boolean stopOnEof = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--port") && i + 1 < args.length) {
                props.put("listeners", "PLAINTEXT://127.0.0.1:" + args[++i]);
            } else if (a.equals("--stop-on-eof")) {
                stopOnEof = true;
            } else if (a.indexOf('=') > 0) {
                props.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else {
                System.err.println("usage: TestkitMain [--port N] [--stop-on-eof] [key=value]...");
                System.exit(2);
                return;
            }
        }
        TestBroker broker = TestBroker.start(props);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "tributary-testkit-stop"));
        System.out.println(broker.bootstrapServers());
        System.out.flush();
        System.err.printf(
                "tributary testkit broker ready in %d ms%n",
                broker.startupTime().toMillis());
        if (stopOnEof) {
            while (System.in.read() >= 0) {
                // Drain until the parent closes our stdin.
            }
            System.exit(0);
        }
        stopped.await();
    }
}
