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
}
