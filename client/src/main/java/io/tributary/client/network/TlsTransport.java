package io.tributary.client.network;

import io.tributary.client.common.errors.SslAuthenticationException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * SSL and SASL_SSL: the JDK's {@link SSLEngine} over a non-blocking socket. Buffers: {@code netIn} holds received
 * ciphertext (write mode), {@code netOut} ciphertext still to send (read mode, always flushed before the next wrap),
 * {@code appIn} decrypted bytes not yet taken (write mode). Delegated tasks (certificate checks) run inline on the
 * network thread: they are short, and a thread pool is not worth it for one connection per broker. A handshake
 * failure (untrusted certificate, host name mismatch, no common protocol) becomes {@link SslAuthenticationException}
 * carrying the JDK's reason; failures after the handshake are plain I/O errors, i.e. a retriable disconnect.
 */
final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final String peer;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean started;

    TlsTransport(SocketChannel channel, ChannelSecurityConfig security, String host, int port) {
        this.channel = channel;
        this.peer = host + ":" + port;
        this.engine = security.sslContext().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(security.ssl().enabledProtocols().toArray(String[]::new));
        List<String> suites = security.ssl().cipherSuites();
        if (!suites.isEmpty()) {
            params.setCipherSuites(suites.toArray(String[]::new));
        }
        if ("https".equalsIgnoreCase(security.ssl().endpointIdentificationAlgorithm())) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(params);
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet);
        netOut = ByteBuffer.allocate(packet).flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    @Override
    public int handshake() throws IOException {
        try {
            if (!started) {
                engine.beginHandshake();
                started = true;
            }
            while (true) {
                if (!flush()) {
                    return SelectionKey.OP_WRITE;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> wrap(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            return SelectionKey.OP_READ;
                        }
                    }
                    default -> {
                        return flush() ? 0 : SelectionKey.OP_WRITE;
                    }
                }
            }
        } catch (SSLException e) {
            throw new SslAuthenticationException("SSL handshake with " + peer + " failed: " + reason(e), e);
        } catch (EOFException e) {
            // Not an authentication failure: a restarting broker closes handshakes too, and that is worth a retry.
            throw new DisconnectException("The broker " + peer + " closed the connection during the TLS handshake", e);
        }
    }

    /** The innermost distinct message: the JDK wraps the certificate path or host name failure several times. */
    private static String reason(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !out.toString().contains(c.getMessage())) {
                out.append(": ").append(c.getMessage());
            }
        }
        return out.toString();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int total = 0;
        while (true) {
            total += drainApp(dst);
            if (!dst.hasRemaining()) {
                return total;
            }
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            afterUnwrap(r);
            switch (r.getStatus()) {
                case OK -> {
                    // loop: take what it produced, then unwrap the next record
                }
                case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                case BUFFER_UNDERFLOW -> {
                    if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                    }
                    int n = channel.read(netIn);
                    if (n < 0) {
                        return total > 0 ? total : -1;
                    }
                    if (n == 0) {
                        return total;
                    }
                }
                case CLOSED -> {
                    return total > 0 ? total : -1;
                }
            }
        }
    }

    /** Post-handshake messages (TLS 1.3 key updates) may ask us to answer or to run a task. */
    private void afterUnwrap(SSLEngineResult r) throws IOException {
        switch (r.getHandshakeStatus()) {
            case NEED_TASK -> runTasks();
            case NEED_WRAP -> {
                if (flush()) {
                    wrap(EMPTY);
                    flush();
                }
            }
            default -> {
                // nothing to do
            }
        }
    }

    private int drainApp(ByteBuffer dst) {
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        appIn.compact();
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int consumed = 0;
        while (src.hasRemaining() && flush()) {
            consumed += wrap(src);
        }
        flush();
        return consumed;
    }

    /** Wraps into the (flushed, so empty) netOut buffer. */
    private int wrap(ByteBuffer src) throws IOException {
        netOut.clear();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, netOut);
        } finally {
            netOut.flip();
        }
        switch (r.getStatus()) {
            case BUFFER_OVERFLOW ->
                netOut = grow(netOut, engine.getSession().getPacketBufferSize()).flip();
            case CLOSED -> throw new EOFException("TLS session to " + peer + " is closed");
            default -> {
                // OK; BUFFER_UNDERFLOW cannot happen on wrap
            }
        }
        return r.bytesConsumed();
    }

    /** Returns true once the next unwrap has made progress, false when it needs more bytes than the socket has. */
    private boolean unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
        switch (r.getStatus()) {
            case OK -> {
                return true;
            }
            case BUFFER_OVERFLOW -> {
                appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
                return true;
            }
            case BUFFER_UNDERFLOW -> {
                if (!netIn.hasRemaining()) {
                    netIn = grow(netIn, engine.getSession().getPacketBufferSize());
                }
                int n = channel.read(netIn);
                if (n < 0) {
                    throw new EOFException("closed by the broker");
                }
                return n > 0;
            }
            default -> throw new EOFException("closed by the broker");
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    /** A buffer in write mode with at least {@code size} more room, keeping what {@code b} holds. */
    private static ByteBuffer grow(ByteBuffer b, int size) {
        ByteBuffer bigger = ByteBuffer.allocate(b.capacity() + size);
        b.flip();
        bigger.put(b);
        return bigger;
    }

    @Override
    public boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        engine.closeOutbound();
        try {
            if (flush()) {
                wrap(EMPTY);
                flush();
            }
        } catch (IOException | RuntimeException e) {
            // the socket closes next either way
        }
    }
}
