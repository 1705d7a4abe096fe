package io.tributary.interop.consumer;

import io.tributary.interop.support.Target;
import java.util.stream.Stream;

/** The brokers the consumer suite runs against: {@link Target#selected()}. */
final class Targets {
    private Targets() {}

    static Stream<Target> all() {
        return Target.selected();
    }
}
