package io.tributary.examples;

import io.tributary.client.consumer.ConsumerConfig;
import io.tributary.client.serialization.StringDeserializer;
import java.util.Properties;

/**
 * What every example shares: reading {@code bootstrap.servers} and the topic from the command
 * line, and the three properties a consumer cannot start without (C1). Stateless.
 */
public final class Examples {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_TOPIC = "tributary-examples";

    private Examples() {}

    /** {@code args[i]} if given, else {@code fallback}: examples run with no arguments against a local broker. */
    public static String arg(String[] args, int i, String fallback) {
        return args.length > i && !args[i].isBlank() ? args[i] : fallback;
    }

    /**
     * The minimum a consumer needs (C1): where to bootstrap and how to turn bytes into keys and
     * values. {@code groupId} may be null for a group-less consumer. Starting from the earliest
     * offset (O7) mirrors the notes' {@code 'auto.offset.reset': 'smallest'}: a new group reads
     * what is already in the topic instead of only what arrives after it joined.
     */
    public static Properties consumerConfig(String bootstrapServers, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }

    /**
     * Makes Ctrl-C stop an example the way the notes describe: the hook asks the loop to stop,
     * then waits for the main thread to close the consumer, because the JVM exits as soon as the
     * hooks return and an unclosed consumer neither commits nor leaves its group (C6, G7).
     */
    public static void stopOnCtrlC(Runnable stop) {
        Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.run();
                            try {
                                main.join(30_000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "example-shutdown-hook"));
    }
}
