package io.tributary.client.consumer.internals;

/** A group generation as the member knows it; NO_GENERATION for standalone commits. Immutable. */
public record Generation(int generationId, String memberId, String protocolName) {
    public static final Generation NO_GENERATION = new Generation(-1, "", null);
}
