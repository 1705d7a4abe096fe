package io.tributary.client.admin;

/** Kafka's {@code AbstractOptions}: the per-call timeout every admin option class carries. */
public abstract class AbstractOptions<T extends AbstractOptions<T>> {
    protected Integer timeoutMs;

    /** Overrides default.api.timeout.ms for this call; null restores the default. */
    @SuppressWarnings("unchecked")
    public T timeoutMs(Integer timeoutMs) {
        this.timeoutMs = timeoutMs;
        return (T) this;
    }

    public Integer timeoutMs() {
        return timeoutMs;
    }
}
