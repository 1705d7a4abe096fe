package io.tributary.client.network;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** PLAINTEXT and SASL_PLAINTEXT: the socket as it is. */
final class PlaintextTransport implements Transport {
    private final SocketChannel channel;

    PlaintextTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int handshake() {
        return 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    /** One gathering write: the buffers go to the socket as they are, without being joined first. */
    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return channel.write(srcs);
    }

    @Override
    public boolean flush() {
        return true;
    }

    @Override
    public void close() {
        // nothing to say before the socket closes
    }
}
