package io.tributary.coordinator.consumer;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Regular-expression subscriptions of the consumer group protocol in RE2/J syntax, as KIP-848
 * specifies and Apache Kafka's coordinator compiles them: linear-time matching (no backtracking
 * a hostile pattern could blow up on the coordinator thread), hence no look-around or
 * back-references; Python-style named groups {@code (?P<name>...)} are accepted. A pattern must
 * match the whole topic name.
 */
final class TopicRegex {
    /** Compiled patterns; a group's members usually share one, and heartbeats repeat it. */
    private static final Map<String, Pattern> CACHE = new ConcurrentHashMap<>();

    private static final int CACHE_LIMIT = 256;

    private TopicRegex() {}

    /** @throws PatternSyntaxException when the pattern is not valid RE2/J syntax */
    static Pattern compile(String regex) {
        Pattern p = CACHE.get(regex);
        if (p == null) {
            p = Pattern.compile(regex);
            if (CACHE.size() >= CACHE_LIMIT) {
                CACHE.clear();
            }
            CACHE.put(regex, p);
        }
        return p;
    }

    static boolean isValid(String regex) {
        try {
            compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    static boolean matches(String regex, String topic) {
        return compile(regex).matches(topic);
    }
}
