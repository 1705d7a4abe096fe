package io.tributary.broker.security.acl;

import java.util.Optional;

/** An ACL enum constant with its Kafka wire code; {@link #find} is the one lookup by code for all of them. */
interface WireCode {
    byte code();

    static <E extends WireCode> Optional<E> find(E[] values, byte code) {
        for (E e : values) {
            if (e.code() == code) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
