package io.tributary.interop.reliability;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A lightweight raw client for the load suites: one socket, non-flexible request versions only (request header
 * v1, response header v0), our generated messages. Sends may be pipelined ({@link #send}) and answers read later
 * ({@link #receive}), which is how many members can wait in one JoinGroup from one test thread. One thread at a
 * time.
 */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String clientId;
    private int nextCorrelationId = 1;

    WireClient(String host, int port, String clientId) throws IOException {
        this(new Socket(), host, port, clientId);
    }

    /** A client over TLS, trusting what {@code tls} trusts. */
    static WireClient tls(String host, int port, String clientId, javax.net.ssl.SSLContext tls) throws IOException {
        return new WireClient(tls.getSocketFactory().createSocket(), host, port, clientId);
    }

    private WireClient(Socket socket, String host, int port, String clientId) throws IOException {
        this.clientId = clientId;
        this.socket = socket;
        socket.connect(new InetSocketAddress(host, port), 30_000);
        socket.setSoTimeout(120_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    DataInputStream in() {
        return in;
    }

    /** Sends {@code body} at {@code version}; returns its correlation id. */
    int send(ApiMessage body, short version) throws IOException {
        int corr = nextCorrelationId++;
        ProtocolWriter w = new ProtocolWriter();
        w.writeShort(body.apiKey());
        w.writeShort(version);
        w.writeInt(corr);
        w.writeString(clientId);
        body.write(w, version);
        byte[] payload = w.toByteArray();
        out.write(ByteBuffer.allocate(4 + payload.length)
                .putInt(payload.length)
                .put(payload)
                .array());
        out.flush();
        return corr;
    }

    <T extends ApiMessage> T receive(int corr, T into, short version) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(frame));
        int got = r.readInt();
        if (got != corr) {
            throw new IOException("expected correlation id " + corr + " but got " + got);
        }
        into.read(r, version);
        return into;
    }

    <T extends ApiMessage> T roundTrip(ApiMessage body, T into, short version) throws IOException {
        return receive(send(body, version), into, version);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
