package io.tributary.coordinator.group;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the topic list out of a "consumer" protocol subscription (ConsumerProtocolSubscription:
 * int16 version, then an int32-counted array of int16-length strings, in every version). The
 * coordinator needs only the topics, to keep offsets of consumed topics from expiring; the rest
 * of the bytes (user data, owned partitions for cooperative rebalancing) stays opaque.
 */
final class ConsumerSubscriptions {
    private ConsumerSubscriptions() {}

    /** The subscribed topics, or null if the bytes are not a readable subscription. */
    static List<String> topics(byte[] metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(metadata);
            short version = buf.getShort();
            if (version < 0) {
                return null;
            }
            int n = buf.getInt();
            if (n < 0 || n > buf.remaining() / 2) {
                return null;
            }
            List<String> topics = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int len = buf.getShort();
                if (len < 0 || len > buf.remaining()) {
                    return null;
                }
                byte[] b = new byte[len];
                buf.get(b);
                topics.add(new String(b, StandardCharsets.UTF_8));
            }
            return topics;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
