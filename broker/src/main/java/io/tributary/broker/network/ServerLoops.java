package io.tributary.broker.network;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The broker's two Netty event-loop groups (accepting, and the connections'), created on a thread of their own
 * while the starting thread opens the data directory and replays the coordinators' logs (issue 16, cold start).
 * Creating them is most of Netty's class initialisation; the first pipeline Netty builds reads the {@code @Skip}
 * and {@code @Sharable} annotations of the handler adapters, for which the JVM generates proxy classes at run
 * time (not in the CDS archive); the first channel id reads the machine's MAC address. Done on this thread,
 * that work overlaps the start-up's disk and replay work instead of following it. The broker binds its
 * listeners as soon as the groups exist ({@link #started()}). Owned by the broker's controlling thread.
 */
public final class ServerLoops {
    private final CompletableFuture<EventLoopGroup[]> groups = new CompletableFuture<>();

    private ServerLoops() {}

    /** Starts creating the groups ({@code networkThreads} connection loops) and returns at once. */
    public static ServerLoops start(int networkThreads) {
        ServerLoops loops = new ServerLoops();
        Thread t = new Thread(
                () -> {
                    try {
                        EventLoopGroup boss = new NioEventLoopGroup(1);
                        EventLoopGroup worker = new NioEventLoopGroup(networkThreads);
                        loops.groups.complete(new EventLoopGroup[] {boss, worker});
                        warm();
                    } catch (Throwable e) {
                        loops.groups.completeExceptionally(e);
                    }
                },
                "tributary-netty-start");
        t.setDaemon(true);
        t.start();
        return loops;
    }

    /**
     * What Netty does once per JVM on the first pipeline and channel, done here on a throwaway channel. Only
     * global caches are touched (annotation proxies, parsed annotations, the allocator's size classes, the
     * MAC address); the per-thread handler masks are computed again on the event loops. Failure here only
     * means that work happens on the first connection instead.
     */
    private static void warm() {
        try {
            EmbeddedChannel ch = new EmbeddedChannel(
                    new ChannelInboundHandlerAdapter(),
                    new ChannelOutboundHandlerAdapter(),
                    new ChannelDuplexHandler());
            ch.finishAndReleaseAll();
            DefaultChannelId.newInstance();
            ByteBufAllocator.DEFAULT.isDirectBufferPooled();
        } catch (RuntimeException ignored) {
            // nothing depends on it
        }
    }

    /** Completes once both groups exist, on the thread that created them (before its warm-up), or fails as they did. */
    public CompletableFuture<Void> started() {
        return groups.thenApply(g -> null);
    }

    /** The accepting group; waits until it exists and rethrows what creating the groups threw. */
    public EventLoopGroup boss() {
        return groups.join()[0];
    }

    /** The connections' group; as {@link #boss()}. */
    public EventLoopGroup worker() {
        return groups.join()[1];
    }

    /** Shuts both groups down (connections first), waiting up to {@code timeoutMs} for each. */
    public void shutdown(long timeoutMs) {
        EventLoopGroup[] g;
        try {
            g = groups.join();
        } catch (RuntimeException failedToCreate) {
            return;
        }
        g[1].shutdownGracefully(0, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMs);
        g[0].shutdownGracefully(0, timeoutMs, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMs);
    }
}
