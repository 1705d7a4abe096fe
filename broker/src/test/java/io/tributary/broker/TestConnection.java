package io.tributary.broker;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Message;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.message.ApiMessageType;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A blocking test client over a real socket that speaks the wire protocol with our generated
 * messages: request header v1/v2 by the API's flexible versions, response header v0/v1.
 */
public final class TestConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    public TestConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Encodes header + body for {@code body.apiKey()} at {@code version}; returns the correlation id. */
    public int send(ApiMessage body, short version) throws IOException {
        int corr = nextCorrelationId++;
        sendRaw(encodeRequest(body.apiKey(), version, corr, "test-client", body));
        return corr;
    }

    public static byte[] encodeRequest(short apiKey, short version, int corr, String clientId, Message body) {
        ProtocolWriter w = new ProtocolWriter();
        w.writeShort(apiKey);
        w.writeShort(version);
        w.writeInt(corr);
        w.writeString(clientId);
        ApiMessageType type = ApiMessageType.fromApiKey(apiKey);
        if (type != null && type.requestHeaderVersion(version) == 2) {
            w.writeUnsignedVarint(0);
        }
        if (body != null) {
            body.write(w, version);
        }
        return w.toByteArray();
    }

    /** Sends one frame: the int32 size and then the bytes. */
    public void sendRaw(byte[] payload) throws IOException {
        ByteBuffer b =
                ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload);
        out.write(b.array());
        out.flush();
    }

    /** Writes bytes as they are, no size prefix. */
    public void writeBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one size-prefixed frame as it is (a raw SASL token after SaslHandshake v0). */
    public byte[] receiveRaw() throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    /** Reads one response frame and returns a reader positioned after the correlation id. */
    public ProtocolReader receiveFrame(int expectedCorrelationId) throws IOException {
        int size = in.readInt();
        byte[] b = new byte[size];
        in.readFully(b);
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(b));
        int corr = r.readInt();
        if (corr != expectedCorrelationId) {
            throw new IllegalStateException("expected correlation id " + expectedCorrelationId + " but got " + corr);
        }
        return r;
    }

    /** Reads a response into {@code into} at {@code version}, with the header its API prescribes. */
    public <T extends ApiMessage> T receive(int correlationId, T into, short version) throws IOException {
        ProtocolReader r = receiveFrame(correlationId);
        if (ApiMessageType.fromApiKey(into.apiKey()).responseHeaderVersion(version) == 1) {
            int tags = r.readUnsignedVarint();
            for (int i = 0; i < tags; i++) {
                r.readUnsignedVarint();
                r.skip(r.readUnsignedVarint());
            }
        }
        into.read(r, version);
        if (r.remaining() != 0) {
            throw new IllegalStateException(r.remaining() + " bytes left after the response body");
        }
        return into;
    }

    public <T extends ApiMessage> T roundTrip(ApiMessage request, T response, short version) throws IOException {
        return receive(send(request, version), response, version);
    }

    /** Changes the read timeout (10 s by default). */
    public void soTimeout(int ms) throws IOException {
        socket.setSoTimeout(ms);
    }

    /** True if the broker closed the connection (EOF) within the socket timeout. */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
