package io.tributary.broker.dynamic;

import io.tributary.broker.topic.TopicResult;
import io.tributary.protocol.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * IncrementalAlterConfigs' operations on one resource's set of configs: SET, DELETE, and APPEND / SUBTRACT for
 * list-valued keys (a list not set yet starts from its current effective value, as in Kafka). Stateless.
 */
public final class ConfigOps {
    public static final byte SET = 0;
    public static final byte DELETE = 1;
    public static final byte APPEND = 2;
    public static final byte SUBTRACT = 3;

    /** One requested operation. */
    public record Op(byte operation, String name, String value) {}

    /** The error for APPEND or SUBTRACT of a key that is not a list; the resource types word it differently. */
    public interface NotAList {
        String message(byte operation, String name);
    }

    /** Topics' and brokers' wording. */
    public static final NotAList LOG_WORDING = (op, name) ->
            "Config value " + (op == APPEND ? "append" : "subtract") + " is not allowed for config key: " + name;

    /** Groups' wording. */
    public static final NotAList GROUP_WORDING = (op, name) -> "Can't " + (op == APPEND ? "APPEND to" : "SUBTRACT from")
            + " key " + name + " because its type is not LIST.";

    private ConfigOps() {}

    /**
     * Applies {@code ops} in order to {@code configs} (changed in place); null when all apply, else the error.
     *
     * @param effective a key's current effective value when it is not in {@code configs} (for APPEND / SUBTRACT)
     */
    public static TopicResult apply(
            Map<String, String> configs,
            List<Op> ops,
            Predicate<String> isList,
            Function<String, String> effective,
            NotAList notAList) {
        for (Op c : ops) {
            switch (c.operation()) {
                case SET -> configs.put(c.name(), c.value() == null ? "" : c.value());
                case DELETE -> configs.remove(c.name());
                case APPEND, SUBTRACT -> {
                    if (!isList.test(c.name())) {
                        return TopicResult.of(Errors.INVALID_CONFIG, notAList.message(c.operation(), c.name()));
                    }
                    String now = configs.containsKey(c.name()) ? configs.get(c.name()) : effective.apply(c.name());
                    List<String> values = split(now);
                    List<String> given = split(c.value());
                    if (c.operation() == APPEND) {
                        given.stream().filter(v -> !values.contains(v)).forEach(values::add);
                    } else {
                        values.removeAll(given);
                    }
                    configs.put(c.name(), String.join(",", values));
                }
                default -> {
                    return TopicResult.of(
                            Errors.INVALID_REQUEST, "Unknown config operation " + c.operation() + " for " + c.name());
                }
            }
        }
        return null;
    }

    private static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            Arrays.stream(v.split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }
}
