package io.tributary.broker.security;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tributary.broker.config.BrokerConfig;
import io.tributary.broker.config.ConfigException;
import io.tributary.broker.metadata.MetadataImage;
import io.tributary.broker.network.ChannelSecurity;
import io.tributary.broker.network.Connection;
import io.tributary.broker.network.FrameDecoder;
import io.tributary.broker.security.tls.ListenerSslContext;
import io.tributary.protocol.tls.SslMaterial;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secures the connections of TLS and SASL listeners: a TLS handler first in the pipeline (its context built once
 * per listener at start-up, so a bad key store fails the start, not the first client), and a {@link SaslGate} after
 * the frame decoder. On an SSL listener without SASL the principal is the client certificate's subject
 * ({@code User:CN=...}, Kafka's DEFAULT mapping) or User:ANONYMOUS without one. Immutable after start-up.
 */
final class ListenerSecurity implements ChannelSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSecurity.class);
    private static final String PRINCIPAL_MAPPING_RULES = "ssl.principal.mapping.rules";

    private final Map<String, SslContext> tls = new HashMap<>();
    private final Map<String, ListenerSasl> sasl = new HashMap<>();

    static ListenerSecurity from(BrokerConfig config, Supplier<MetadataImage> image) {
        ListenerSecurity s = new ListenerSecurity();
        for (BrokerConfig.Endpoint l : config.listeners()) {
            String name = l.listenerName();
            if (l.securityProtocol().tls()) {
                Map<String, String> settings = config.listenerSettings(name);
                String rules = settings.get(PRINCIPAL_MAPPING_RULES);
                if (rules != null && !rules.trim().equals("DEFAULT")) {
                    throw new ConfigException(
                            PRINCIPAL_MAPPING_RULES,
                            rules,
                            "only DEFAULT (the certificate's full subject) is supported");
                }
                try {
                    s.tls.put(name, ListenerSslContext.build(name, SslMaterial.from(settings)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage());
                }
            }
            if (l.securityProtocol().sasl()) {
                s.sasl.put(name, ListenerSasl.from(name, config, image));
            }
        }
        return s;
    }

    boolean isEmpty() {
        return tls.isEmpty() && sasl.isEmpty();
    }

    @Override
    public void secure(Channel channel, Connection connection) {
        String name = connection.listener().name();
        ListenerSasl listenerSasl = sasl.get(name);
        SslContext context = tls.get(name);
        if (context != null) {
            channel.pipeline().addFirst("tls", context.newHandler(channel.alloc()));
            channel.pipeline().addAfter("tls", "tlsEvents", new TlsEvents(connection, listenerSasl == null));
        }
        if (listenerSasl != null) {
            SaslGate gate =
                    new SaslGate(connection, listenerSasl, channel.pipeline().get(FrameDecoder.class));
            channel.attr(SaslGate.KEY).set(gate);
            channel.pipeline().addAfter("frameDecoder", "saslGate", gate);
        }
    }

    /** Logs a failed TLS handshake with the listener and cause, and takes the principal from the certificate. */
    private static final class TlsEvents extends ChannelInboundHandlerAdapter {
        private final Connection connection;
        private final boolean principalFromCertificate;
        private boolean failureLogged;

        TlsEvents(Connection connection, boolean principalFromCertificate) {
            this.connection = connection;
            this.principalFromCertificate = principalFromCertificate;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    failureLogged = true;
                    LOG.warn(
                            "TLS handshake failed from {} on listener {}: {}",
                            connection.remoteAddress(),
                            connection.listener().name(),
                            rootMessage(done.cause()));
                    ctx.close();
                } else if (principalFromCertificate) {
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    try {
                        connection.principal("User:"
                                + ssl.engine().getSession().getPeerPrincipal().getName());
                    } catch (SSLPeerUnverifiedException e) {
                        connection.principal(Connection.ANONYMOUS);
                    }
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failureLogged) {
                ctx.close();
                return;
            }
            LOG.warn(
                    "Closing TLS connection from {} on listener {}: {}",
                    connection.remoteAddress(),
                    connection.listener().name(),
                    rootMessage(cause));
            ctx.close();
        }

        private static String rootMessage(Throwable t) {
            Throwable c = t;
            while (c.getCause() != null && c.getCause() != c) {
                c = c.getCause();
            }
            String m = c.getMessage();
            return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.strip());
        }
    }
}
