package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.protocol.message.ApiVersionsResponseData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The orderer on an EmbeddedChannel: completion order differs from request order. */
class ResponseOrdererTest {
    @Test
    void holdsLaterResponsesUntilEarlierOnesAreOutAndPausesReading() {
        List<Request> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ResponseOrderer(2)).addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add((Request) msg);
            }
        });
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(new Request((short) 18, (short) 0, i, "c", null, ch));
        }
        assertThat(seen).hasSize(3);
        assertThat(ch.config().isAutoRead()).isFalse();

        ch.writeOutbound(Response.of(seen.get(2), new ApiVersionsResponseData()));
        ch.writeOutbound(Response.none(seen.get(1)));
        assertThat(ch.<Object>readOutbound()).isNull();

        ch.writeOutbound(Response.of(seen.get(0), new ApiVersionsResponseData()));
        Response first = ch.readOutbound();
        Response third = ch.readOutbound();
        assertThat(first.request().correlationId()).isZero();
        assertThat(third.request().correlationId()).isEqualTo(2);
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void closeResponseSendsEarlierOnesThenCloses() {
        List<Request> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ResponseOrderer(10)).addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add((Request) msg);
            }
        });
        ch.writeInbound(new Request((short) 18, (short) 0, 1, "c", null, ch));
        ch.writeInbound(new Request((short) 0, (short) 7, 2, "c", null, ch));
        ch.writeOutbound(Response.close(seen.get(1), "bad"));
        assertThat(ch.isActive()).isTrue();
        ch.writeOutbound(Response.of(seen.get(0), new ApiVersionsResponseData()));
        Response sent = ch.readOutbound();
        assertThat(sent.request().correlationId()).isEqualTo(1);
        assertThat(ch.isActive()).isFalse();
    }

    /** Issue 15: queued.max.requests holds a request read while the broker-wide queue is full, and the ones behind it. */
    @Test
    void aFullRequestQueueHoldsRequestsInOrderUntilAResponseCompletes() {
        RequestQueue queue = new RequestQueue(1);
        List<Request> seenA = new ArrayList<>();
        List<Request> seenB = new ArrayList<>();
        EmbeddedChannel a = channel(queue, seenA);
        EmbeddedChannel b = channel(queue, seenB);
        a.writeInbound(new Request((short) 18, (short) 0, 1, "a", null, a));
        assertThat(queue.queued()).isEqualTo(1);

        b.writeInbound(new Request((short) 18, (short) 0, 1, "b", null, b));
        b.writeInbound(new Request((short) 1, (short) 4, 2, "b", null, b));
        assertThat(seenB)
                .as("held while the queue is full, the fetch behind it too")
                .isEmpty();
        assertThat(b.config().isAutoRead()).isFalse();

        a.writeOutbound(Response.of(seenA.get(0), new ApiVersionsResponseData()));
        b.runPendingTasks();
        assertThat(seenB).extracting(Request::correlationId).containsExactly(1, 2);
        assertThat(queue.queued()).as("the fetch is not counted").isEqualTo(1);
        b.writeOutbound(Response.of(seenB.get(0), new ApiVersionsResponseData()));
        assertThat(queue.queued()).isZero();
        assertThat(b.config().isAutoRead()).isTrue();
    }

    private static EmbeddedChannel channel(RequestQueue queue, List<Request> seen) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ResponseOrderer(10, queue)).addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add((Request) msg);
            }
        });
        return ch;
    }
}
