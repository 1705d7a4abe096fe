package io.tributary.broker.security;

import io.tributary.protocol.sasl.ScramMechanism;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code --add-scram} argument in the syntax of Kafka's {@code kafka-storage format --add-scram}:
 * {@code SCRAM-SHA-256=[name=alice,password=alice-secret]} with an optional {@code iterations=8192} (default 4096).
 * Errors name the argument's mechanism and user, never its password. Immutable.
 */
public record ScramUserSpec(ScramMechanism mechanism, String name, String password, int iterations) {
    @Override
    public String toString() {
        return mechanism.mechanismName() + " user " + name + " (" + iterations + " iterations)";
    }

    public static ScramUserSpec parse(String spec) {
        String s = spec.trim();
        int eq = s.indexOf('=');
        if (eq <= 0 || !s.endsWith("]") || s.indexOf('[') != eq + 1) {
            throw new IllegalArgumentException("--add-scram expects MECHANISM=[name=USER,password=PASSWORD], e.g."
                    + " 'SCRAM-SHA-256=[name=alice,password=alice-secret]'");
        }
        String mechanismName = s.substring(0, eq).trim();
        ScramMechanism mechanism = ScramMechanism.forName(mechanismName)
                .orElseThrow(() -> new IllegalArgumentException(
                        "--add-scram: unknown mechanism " + mechanismName + " (SCRAM-SHA-256 or SCRAM-SHA-512)"));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : s.substring(eq + 2, s.length() - 1).split(",")) {
            int e = part.indexOf('=');
            if (e <= 0) {
                throw new IllegalArgumentException("--add-scram " + mechanismName + ": expected key=value pairs");
            }
            fields.put(
                    part.substring(0, e).trim(), unquote(part.substring(e + 1).trim()));
        }
        String name = fields.remove("name");
        String password = fields.remove("password");
        if (name == null || name.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("--add-scram " + mechanismName + ": name and password are required");
        }
        int iterations = ScramMechanism.MIN_ITERATIONS;
        String it = fields.remove("iterations");
        if (it != null) {
            try {
                iterations = Integer.parseInt(it);
            } catch (NumberFormatException e) {
                iterations = -1;
            }
            if (iterations < ScramMechanism.MIN_ITERATIONS || iterations > ScramMechanism.MAX_ITERATIONS) {
                throw new IllegalArgumentException(
                        "--add-scram " + mechanismName + " user " + name + ": iterations must be" + " between "
                                + ScramMechanism.MIN_ITERATIONS + " and " + ScramMechanism.MAX_ITERATIONS);
            }
        }
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException(
                    "--add-scram " + mechanismName + " user " + name + ": unknown keys " + fields.keySet());
        }
        return new ScramUserSpec(mechanism, name, password, iterations);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
