package io.tributary.testkit;

import java.util.Map;

/**
 * One record as a test sees it: key and value decoded as UTF-8 (null stays null), headers as a map
 * of their last value per key. Immutable.
 */
public record TestRecord(
        String topic,
        int partition,
        long offset,
        long timestamp,
        String key,
        String value,
        Map<String, String> headers) {

    public TestRecord {
        headers = Map.copyOf(headers);
    }
}
