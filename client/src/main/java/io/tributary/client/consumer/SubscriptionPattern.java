package io.tributary.client.consumer;

import java.util.Objects;

/**
 * A regular expression in RE2/J syntax that the group coordinator resolves against the cluster's
 * topics (KIP-848, Apache's {@code SubscriptionPattern}): only with group.protocol=consumer. A
 * {@code java.util.regex.Pattern} subscription is resolved by the consumer instead.
 */
public record SubscriptionPattern(String pattern) {
    public SubscriptionPattern {
        Objects.requireNonNull(pattern, "pattern");
    }

    @Override
    public String toString() {
        return pattern;
    }
}
