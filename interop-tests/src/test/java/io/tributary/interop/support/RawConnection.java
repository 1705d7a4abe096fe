package io.tributary.interop.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A bare TCP connection to a broker for sending hand-made (often deliberately broken) Kafka
 * frames and reading raw responses. No protocol library sits in between, so what the broker
 * sees is exactly what the test wrote.
 *
 * <p>Owned and used by one test thread; reads block for at most the given timeout.
 */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to {@code broker}; reads time out after {@code readTimeout}. */
    public static RawConnection open(RunningBroker broker, Duration readTimeout) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(broker.host(), broker.port()), 10_000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        return new RawConnection(socket);
    }

    /** Writes bytes exactly as given (no size prefix added). */
    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes {@code payload} preceded by its int32 size. */
    public void writeFrame(byte[] payload) throws IOException {
        writeRaw(ByteBuffer.allocate(4 + payload.length)
                .putInt(payload.length)
                .put(payload)
                .array());
    }

    /** Tells the broker we will send nothing more (TCP half-close). */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response frame (without its size prefix); fails on EOF or timeout. */
    public ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new IOException("implausible response size " + size);
        }
        byte[] payload = new byte[size];
        in.readFully(payload);
        return ByteBuffer.wrap(payload);
    }

    /**
     * Whether the broker closed the connection without sending anything within the timeout:
     * true on EOF or reset; false on a timeout (still open) or if any byte arrives.
     */
    public boolean closedByPeerWithoutReply() throws IOException {
        InputStream raw = in;
        try {
            return raw.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            // A reset means the broker closed while our unread bytes were still in its buffer.
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Request header v1 (v2 when {@code flexible}): key, version, correlation id, client id. */
    public static byte[] requestHeader(
            int apiKey, int apiVersion, int correlationId, String clientId, boolean flexible) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer fixed = ByteBuffer.allocate(8)
                .putShort((short) apiKey)
                .putShort((short) apiVersion)
                .putInt(correlationId);
        bytes.writeBytes(fixed.array());
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        bytes.writeBytes(ByteBuffer.allocate(2).putShort((short) id.length).array());
        bytes.writeBytes(id);
        if (flexible) {
            bytes.write(0); // no tagged fields
        }
        return bytes.toByteArray();
    }

    /** Concatenates byte arrays. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            bytes.writeBytes(part);
        }
        return bytes.toByteArray();
    }

    /** Reads an int16-length string from {@code buffer}. */
    public static String readString(ByteBuffer buffer) throws EOFException {
        short length = buffer.getShort();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
