package io.tributary.broker.network;

import io.netty.channel.Channel;

/**
 * Secures a new connection on a TLS or SASL listener: adds its TLS handler in front of the pipeline and its SASL
 * gate between the frame decoder ({@code "frameDecoder"}) and the request decoder ({@code "requestDecoder"}), and
 * sets the connection's principal once the client is known. Called on the connection's event loop, once.
 */
@FunctionalInterface
public interface ChannelSecurity {
    void secure(Channel channel, Connection connection);
}
