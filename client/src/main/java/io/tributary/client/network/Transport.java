package io.tributary.client.network;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The byte stream under one broker connection: the socket itself, or TLS over it. {@link NetworkClient} frames
 * requests and responses on top and never knows which. Non-blocking; owned by the network thread.
 */
interface Transport {
    /**
     * Advances the connection's own handshake (TLS) as far as the socket allows.
     *
     * @return 0 once application bytes can flow, else the selector interest (OP_READ or OP_WRITE) it waits for
     */
    int handshake() throws IOException;

    /** Reads as many bytes as are available now, up to {@code dst}'s room; 0 if none, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Takes as many bytes of {@code src} as it can now; the rest stay in {@code src}. */
    int write(ByteBuffer src) throws IOException;

    /**
     * Takes as many bytes of {@code srcs}, in order, as it can now (a gathering write where the transport allows
     * one); the rest stay in the buffers.
     */
    default long write(ByteBuffer[] srcs) throws IOException {
        long taken = 0;
        for (ByteBuffer src : srcs) {
            taken += write(src);
            if (src.hasRemaining()) {
                break;
            }
        }
        return taken;
    }

    /** Sends bytes the transport itself still holds; true when none are left. */
    boolean flush() throws IOException;

    /** Best effort: says goodbye (TLS close_notify); the owner closes the socket. */
    void close();
}
