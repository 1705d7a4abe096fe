package io.tributary.interop.consumer;

import io.tributary.interop.support.Target;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The brokers the consumer suite runs against: every {@link Target}, or only those named in
 * the system property {@code interop.targets} (comma separated, e.g. {@code APACHE}) while one
 * implementation is not on this branch yet.
 */
final class Targets {
    private Targets() {
    }

    static Stream<Target> all() {
        String only = System.getProperty("interop.targets", "").trim();
        if (only.isEmpty()) {
            return Arrays.stream(Target.values());
        }
        return Arrays.stream(only.split(",")).map(s -> Target.valueOf(s.trim().toUpperCase(Locale.ROOT)));
    }
}
