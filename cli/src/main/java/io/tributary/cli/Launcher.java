package io.tributary.cli;

import io.tributary.broker.BrokerMain;
import io.tributary.broker.BrokerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The jar's entry point. {@code tributary broker} with plain options ({@link BrokerOptions#parseQuick})
 * starts the broker here without touching picocli; everything else (client commands, help, a bad
 * option) goes to {@link Main}. This class names no picocli type: linking {@link Main} loads and
 * verifies picocli's Java 5 classes, which the class-data sharing archive cannot hold, and that was a
 * third of the broker's start-up CPU (issue 16).
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("broker")) {
            BrokerOptions quick = BrokerOptions.parseQuick(Arrays.copyOfRange(args, 1, args.length));
            if (quick != null) {
                int code;
                try {
                    code = broker(quick);
                } catch (IOException | RuntimeException e) {
                    System.err.println("tributary: " + Main.describe(e));
                    code = Main.EXIT_FAILURE;
                }
                System.exit(code);
                return;
            }
        }
        Main.main(args);
    }

    /** Runs the broker in the foreground; without --data-dir or a log.dirs, data stays under ./data. */
    static int broker(BrokerOptions options) throws IOException {
        return BrokerMain.run(options.toConfig(Path.of("data")), options.scramUsers());
    }
}
