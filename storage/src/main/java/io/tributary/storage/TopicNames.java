package io.tributary.storage;

import io.tributary.protocol.Errors;

/**
 * Kafka's topic-name rules: 1-249 characters of [a-zA-Z0-9._-], not "." or "..", no two names
 * that differ only by '.' against '_', and which names are internal. The one place these rules
 * live: storage enforces them on create, the broker asks before it gets that far.
 *
 * <p>Stateless; any thread.
 */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;

    private TopicNames() {}

    /** Null when valid, else the reason (as Kafka words it). */
    public static String invalidReason(String name) {
        if (name == null || name.isEmpty()) {
            return "Topic name is illegal, it can't be empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "Topic name cannot be \".\" or \"..\"";
        }
        if (name.length() > MAX_LENGTH) {
            return "Topic name is illegal, it can't be longer than " + MAX_LENGTH + " characters, topic name: " + name;
        }
        if (!hasLegalCharacters(name)) {
            return "Topic name " + name
                    + " is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
        }
        return null;
    }

    /** Throws INVALID_TOPIC_EXCEPTION with {@link #invalidReason} when the name breaks a rule. */
    public static void validate(String name) {
        String reason = invalidReason(name);
        if (reason != null) {
            throw new StorageException(Errors.INVALID_TOPIC_EXCEPTION, reason);
        }
    }

    /** '.' and '_' collide in metric names, so Kafka refuses a topic that differs only by them. */
    public static String collisionKey(String name) {
        return name.replace('.', '_');
    }

    public static boolean isInternal(String name) {
        return name.equals("__consumer_offsets") || name.equals("__transaction_state");
    }

    /** Non-empty and only [a-zA-Z0-9._-]; the length and "."/".." rules are not checked. */
    static boolean hasLegalCharacters(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
