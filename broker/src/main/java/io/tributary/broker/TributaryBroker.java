package io.tributary.broker;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.broker.auth.RequestAuthorizer;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.SecurityProtocol;
import io.tributary.broker.dynamic.DynamicConfigs;
import io.tributary.broker.extension.BrokerContext;
import io.tributary.broker.extension.BrokerExtension;
import io.tributary.broker.network.ApiRegistry;
import io.tributary.broker.network.ChannelSecurity;
import io.tributary.broker.network.Connection;
import io.tributary.broker.network.ConnectionQuotas;
import io.tributary.broker.network.FrameDecoder;
import io.tributary.broker.network.RequestDecoder;
import io.tributary.broker.network.RequestDispatcher;
import io.tributary.broker.network.RequestQueue;
import io.tributary.broker.network.ResponseEncoder;
import io.tributary.broker.network.ResponseOrderer;
import io.tributary.broker.network.ServerLoops;
import io.tributary.broker.topic.TopicManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker: owns the data directory, the topic/partition state, the handlers and the Netty
 * server. {@link #start(BrokerConfig)} returns once the listener is bound; {@link #close()} is a
 * graceful shutdown (stop accepting, answer parked fetches, close connections, flush logs).
 * Start and close are called by one controlling thread; everything else runs on event loops.
 */
public final class TributaryBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TributaryBroker.class);
    /** Pipelined requests per connection before reading pauses (Kafka allows 5 per producer). */
    private static final int MAX_IN_FLIGHT_PER_CONNECTION = 100;
    /**
     * Reading a connection stops while more than the high mark of encoded response bytes wait for its socket
     * (a client that pipelines requests and never reads) and resumes below the low mark. Zero-copy record
     * regions count nothing here: they are page cache, not broker memory.
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

    private final BrokerConfig config;
    private final Path dataDir;
    private final ApiRegistry registry = new ApiRegistry();
    private final ChannelGroup channels =
            new DefaultChannelGroup("tributary-connections", GlobalEventExecutor.INSTANCE);
    private BrokerState state;
    private ServerLoops loops;
    private final List<Channel> serverChannels = new ArrayList<>();
    private final List<Connection.Listener> boundListeners = new ArrayList<>();
    private final List<Integer> boundPorts = new ArrayList<>();
    private volatile ChannelSecurity channelSecurity;
    private boolean closed;
    private final List<BrokerExtension> extensions = new ArrayList<>();
    private final ConnectionQuotas connectionQuotas;
    /** Connections accepted before the broker was ready, set up and read once it is (guarded by itself). */
    private final List<Waiting> waitingForReady = new ArrayList<>();
    /** Whether connections are set up as they come (guarded by waitingForReady). */
    private boolean ready;

    private record Waiting(SocketChannel channel, java.util.function.Consumer<SocketChannel> setUp) {}

    private final RequestQueue requestQueue;

    private TributaryBroker(BrokerConfig config) {
        this.config = config;
        this.connectionQuotas = ConnectionQuotas.of(config);
        this.requestQueue = new RequestQueue(config.getInt(BrokerConfig.QUEUED_MAX_REQUESTS));
        this.dataDir = config.logDir().toAbsolutePath().normalize();
    }

    /**
     * Creates, starts and returns a broker; it is listening when this returns. Exactly the given
     * extensions are installed, in order, after the data directory is open and before any
     * connection is served (the listener is bound meanwhile; see {@link #startup}): the caller chooses them (BrokerMain, the cli and testkit pass the group
     * coordinator's {@code GroupCoordinatorExtension}; without it the group APIs are not served).
     */
    public static TributaryBroker start(BrokerConfig config, BrokerExtension... extensions) {
        TributaryBroker broker = new TributaryBroker(config);
        broker.extensions.addAll(List.of(extensions));
        try {
            broker.startup();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * The handler registry. Register more handlers (the group APIs) from a {@link BrokerExtension}
     * so they are advertised from the first connection; registering later also works.
     */
    public ApiRegistry apis() {
        return registry;
    }

    private synchronized TributaryBroker startup() {
        // Netty starts on a thread of its own meanwhile (ServerLoops says why), and that thread binds
        // the listeners as soon as it can, as Kafka's broker binds before it processes requests: a
        // client connecting during the rest of the start-up waits in its connection (set up and
        // read once the broker is ready) instead of being refused and backing off.
        loops = ServerLoops.start(config.numNetworkThreads());
        CompletableFuture<Void> listening =
                loops.started().thenRun(() -> config.listeners().forEach(this::bind));
        try {
            openAndInstall();
        } catch (RuntimeException e) {
            try {
                listening.join(); // close() needs every bound channel
            } catch (RuntimeException bindFailedToo) {
                e.addSuppressed(bindFailedToo);
            }
            throw e;
        }
        try {
            listening.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        for (BrokerConfig.Endpoint endpoint : config.listeners()) {
            if (endpoint.securityProtocol() != SecurityProtocol.PLAINTEXT && channelSecurity == null) {
                throw new IllegalStateException("listener " + endpoint + " is " + endpoint.securityProtocol()
                        + " but no security extension is installed");
            }
        }
        acceptRequests();
        LOG.info(
                "Tributary broker {} listening on {} (cluster {}, data {}); bootstrap.servers={}",
                config.nodeId(),
                describeListeners(),
                state.clusterId(),
                dataDir,
                bootstrapServers());
        return this;
    }

    /** The data directory, the state, the handlers and the extensions. */
    private void openAndInstall() {
        try {
            Files.createDirectories(dataDir);
            MetaProperties meta = MetaProperties.loadOrCreate(dataDir, config.nodeId());
            state = new BrokerState(config, dataDir, meta, this::advertisedHost, this::advertisedPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open data directory " + dataDir, e);
        }
        Handlers.registerAll(registry, state);
        BrokerContext context = new Context();
        for (BrokerExtension e : extensions) {
            e.install(context);
        }
    }

    /** From now on connections are set up as they come; those that came earlier are set up and read now. */
    private void acceptRequests() {
        List<Waiting> early;
        synchronized (waitingForReady) {
            ready = true;
            early = new ArrayList<>(waitingForReady);
            waitingForReady.clear();
        }
        for (Waiting w : early) {
            SocketChannel ch = w.channel();
            ch.eventLoop().execute(() -> {
                if (ch.isOpen()) {
                    w.setUp().accept(ch);
                    ch.config().setAutoRead(true);
                }
            });
        }
    }

    /** Binds a listener (on Netty's start thread, see {@link #startup}). */
    private void bind(BrokerConfig.Endpoint endpoint) {
        Connection.Listener listener =
                new Connection.Listener(endpoint.listenerName(), endpoint.securityProtocol(), "localhost", 0);
        RequestDispatcher dispatcher = new RequestDispatcher(registry);
        ResponseEncoder encoder = new ResponseEncoder();
        int maxFrame = config.socketRequestMaxBytes();
        long idleMs = config.getLong(BrokerConfig.CONNECTIONS_MAX_IDLE_MS);
        ServerBootstrap b = new ServerBootstrap()
                .group(loops.boss(), loops.worker())
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(connectionQuotas)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        synchronized (waitingForReady) {
                            if (!ready) {
                                ch.config().setAutoRead(false);
                                waitingForReady.add(new Waiting(ch, this::setUp));
                                return;
                            }
                        }
                        setUp(ch);
                    }

                    private void setUp(SocketChannel ch) {
                        int sndBuf = config.getInt(BrokerConfig.SOCKET_SEND_BUFFER_BYTES);
                        int rcvBuf = config.getInt(BrokerConfig.SOCKET_RECEIVE_BUFFER_BYTES);
                        if (sndBuf > 0) {
                            ch.config().setSendBufferSize(sndBuf);
                        }
                        if (rcvBuf > 0) {
                            ch.config().setReceiveBufferSize(rcvBuf);
                        }
                        if (idleMs > 0) {
                            ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, idleMs, TimeUnit.MILLISECONDS));
                        }
                        Connection connection = new Connection(listener, ch.remoteAddress());
                        ch.pipeline()
                                .addLast("frameDecoder", new FrameDecoder(maxFrame, listener.name()))
                                .addLast("requestDecoder", new RequestDecoder(registry, connection));
                        if (listener.protocol().tls()) {
                            // Streams log slices under TLS (see ChunkedSlice): reads chunks only while writable.
                            ch.pipeline().addLast("chunkedWriter", new ChunkedWriteHandler());
                        }
                        ch.pipeline()
                                .addLast("responseEncoder", encoder)
                                .addLast(
                                        "responseOrderer",
                                        new ResponseOrderer(MAX_IN_FLIGHT_PER_CONNECTION, requestQueue))
                                .addLast("dispatcher", dispatcher)
                                .addLast("idleCloser", new IdleCloser(idleMs));
                        if (listener.protocol() != SecurityProtocol.PLAINTEXT) {
                            channelSecurity.secure(ch, connection);
                        }
                    }
                });
        InetSocketAddress bindAddress = endpoint.host().isEmpty()
                ? new InetSocketAddress(endpoint.port())
                : new InetSocketAddress(endpoint.host(), endpoint.port());
        Channel server;
        try {
            server = b.bind(bindAddress).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + bindAddress, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on " + endpoint + ": " + e.getMessage(), e);
        }
        serverChannels.add(server);
        connectionQuotas.addServer(server);
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        boundPorts.add(port);
        advertise(endpoint, listener, port);
        boundListeners.add(listener);
    }

    /** The matching advertised.listeners entry by name, else the bound address (a wildcard host as localhost). */
    private void advertise(BrokerConfig.Endpoint endpoint, Connection.Listener listener, int port) {
        for (BrokerConfig.Endpoint adv : config.advertisedListeners()) {
            if (adv.listenerName().equals(endpoint.listenerName())) {
                listener.advertise(wildcardAsLocalhost(adv.host()), adv.port() == 0 ? port : adv.port());
                return;
            }
        }
        listener.advertise(wildcardAsLocalhost(endpoint.host()), port);
    }

    private static String wildcardAsLocalhost(String h) {
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") ? "localhost" : h;
    }

    private String describeListeners() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < boundListeners.size(); i++) {
            out.add(boundListeners.get(i) + " " + serverChannels.get(i).localAddress());
        }
        return String.join(", ", out);
    }

    /**
     * Installs what secures connections on TLS and SASL listeners (the security extension calls this from
     * install, before any listener is bound).
     */
    public void channelSecurity(ChannelSecurity security) {
        this.channelSecurity = security;
    }

    /** The bound port of the first listener. */
    public int boundPort() {
        return boundPorts.get(0);
    }

    /** The bound port of the listener with this name (as in {@code listeners}, upper case). */
    public int boundPort(String listenerName) {
        return boundPorts.get(listenerIndex(listenerName));
    }

    public String advertisedHost() {
        return boundListeners.isEmpty() ? "localhost" : boundListeners.get(0).advertisedHost();
    }

    public int advertisedPort() {
        return boundListeners.isEmpty() ? 0 : boundListeners.get(0).advertisedPort();
    }

    /** host:port of the first listener as clients should use it. */
    public String bootstrapServers() {
        return advertisedHost() + ":" + advertisedPort();
    }

    /** host:port of the named listener as clients should use it. */
    public String bootstrapServers(String listenerName) {
        Connection.Listener l = boundListeners.get(listenerIndex(listenerName));
        return l.advertisedHost() + ":" + l.advertisedPort();
    }

    private int listenerIndex(String listenerName) {
        for (int i = 0; i < boundListeners.size(); i++) {
            if (boundListeners.get(i).name().equalsIgnoreCase(listenerName)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no listener named " + listenerName);
    }

    public BrokerConfig config() {
        return config;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The installed extension of this type (the group coordinator, for tests and tools), or null. */
    public <T extends BrokerExtension> T extension(Class<T> type) {
        for (BrokerExtension e : extensions) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    /** Connections counted by max.connections now (for tests and metrics). */
    public int connectionCount() {
        return connectionQuotas.connections();
    }

    /** Requests counted by queued.max.requests now (for tests and metrics). */
    public int queuedRequests() {
        return requestQueue.queued();
    }

    /** Shared broker state (topics, logs, purgatory) for handlers registered from outside. */
    public BrokerState state() {
        return state;
    }

    /** The narrow view extensions get: delegates to this broker and its state. */
    private final class Context implements BrokerContext {
        @Override
        public BrokerConfig config() {
            return config;
        }

        @Override
        public Path dataDir() {
            return dataDir;
        }

        @Override
        public int nodeId() {
            return state.nodeId();
        }

        @Override
        public String advertisedHost() {
            return TributaryBroker.this.advertisedHost();
        }

        @Override
        public int advertisedPort() {
            return TributaryBroker.this.advertisedPort();
        }

        @Override
        public void channelSecurity(ChannelSecurity security) {
            TributaryBroker.this.channelSecurity(security);
        }

        @Override
        public TopicManager topics() {
            return state.topics();
        }

        @Override
        public DynamicConfigs dynamicConfigs() {
            return state.dynamicConfigs();
        }

        @Override
        public ApiRegistry apis() {
            return registry;
        }

        @Override
        public RequestAuthorizer authorizer() {
            return state.authorizer();
        }

        @Override
        public void authorizer(RequestAuthorizer authorizer) {
            state.authorizer(authorizer);
        }

        @Override
        public ProducerIdManager producerIds() {
            return state.producerIds();
        }

        @Override
        public void partitionAppended(io.tributary.broker.topic.TopicPartition tp) {
            state.purgatory().onAppend(tp);
        }

        @Override
        public void produceTxnVerifier(io.tributary.broker.txn.ProduceTxnVerifier verifier) {
            state.produceTxnVerifier(verifier);
        }
    }

    /** Closes a connection that stays idle for connections.max.idle.ms, with a log line. */
    private static final class IdleCloser extends ChannelInboundHandlerAdapter {
        private final long idleMs;

        IdleCloser(long idleMs) {
            this.idleMs = idleMs;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                LOG.info(
                        "Closing connection from {} idle for {} ms",
                        ctx.channel().remoteAddress(),
                        idleMs);
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("Shutting down broker {}", config.nodeId());
        long timeoutMs = config.shutdownTimeoutMs();
        for (Channel server : serverChannels) {
            server.close().awaitUninterruptibly(timeoutMs);
        }
        connectionQuotas.close();
        if (state != null) {
            state.beginShutdown();
        }
        channels.close().awaitUninterruptibly(timeoutMs);
        if (loops != null) {
            loops.shutdown(timeoutMs);
        }
        for (int i = extensions.size() - 1; i >= 0; i--) {
            try {
                extensions.get(i).close();
            } catch (Exception e) {
                LOG.warn("Closing extension {} failed", extensions.get(i), e);
            }
        }
        if (state != null) {
            state.close();
        }
        LOG.info("Broker {} shut down", config.nodeId());
    }
}
