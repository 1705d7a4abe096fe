package io.tributary.client.admin.internals;

/** One entity's answer within a batched admin call: a value, or the exception for that entity alone. */
public record Outcome<V>(V value, Throwable error) {
    public static <V> Outcome<V> ok(V value) {
        return new Outcome<>(value, null);
    }

    public static <V> Outcome<V> failed(Throwable error) {
        return new Outcome<>(null, error);
    }
}
