package io.tributary.broker.security;

import io.tributary.broker.network.Request;
import io.tributary.broker.network.Response;
import io.tributary.protocol.Errors;
import io.tributary.protocol.message.SaslAuthenticateRequestData;
import io.tributary.protocol.message.SaslAuthenticateResponseData;
import io.tributary.protocol.message.SaslHandshakeRequestData;
import io.tributary.protocol.message.SaslHandshakeResponseData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * SaslHandshake (v0-1) and SaslAuthenticate (v0-2, KIP-152) over a connection's {@link SaslGate}. On a listener
 * without SASL both answer ILLEGAL_SASL_STATE, as Kafka does. A failed authentication is answered after
 * {@code connection.failed.authentication.delay.ms} and the connection then closes. Stateless; runs on the
 * connection's event loop.
 */
final class SaslApis {
    private SaslApis() {}

    static CompletionStage<Response> handshake(Request request) {
        SaslHandshakeRequestData req = request.body();
        SaslGate gate = request.channel().attr(SaslGate.KEY).get();
        if (gate == null) {
            return CompletableFuture.completedFuture(Response.of(
                    request, new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code())));
        }
        SaslSession.Step step = gate.session().handshake(req.mechanism, request.apiVersion(), now());
        SaslHandshakeResponseData resp = new SaslHandshakeResponseData()
                .setErrorCode(step.error().code())
                .setMechanisms(List.copyOf(gate.session().enabledMechanisms()));
        if (step.close()) {
            gate.failed(step.message());
            return CompletableFuture.completedFuture(Response.sendThenClose(request, resp, step.message()));
        }
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }

    static CompletionStage<Response> authenticate(Request request) {
        SaslAuthenticateRequestData req = request.body();
        SaslGate gate = request.channel().attr(SaslGate.KEY).get();
        if (gate == null) {
            return CompletableFuture.completedFuture(Response.of(
                    request,
                    new SaslAuthenticateResponseData()
                            .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                            .setErrorMessage("SaslAuthenticate on a listener without SASL")));
        }
        SaslSession.Step step = gate.session().authenticate(req.authBytes, now());
        SaslAuthenticateResponseData resp = new SaslAuthenticateResponseData()
                .setErrorCode(step.error().code())
                .setErrorMessage(step.error() == Errors.NONE ? null : step.message())
                .setAuthBytes(step.token() == null ? new byte[0] : step.token())
                .setSessionLifetimeMs(step.sessionLifetimeMs());
        if (step.close()) {
            gate.failed(step.message());
            CompletableFuture<Response> delayed = new CompletableFuture<>();
            request.channel()
                    .eventLoop()
                    .schedule(
                            () -> delayed.complete(Response.sendThenClose(request, resp, step.message())),
                            gate.sasl().failureDelayMs(),
                            TimeUnit.MILLISECONDS);
            return delayed;
        }
        if (gate.session().phase() == SaslSession.Phase.AUTHENTICATED) {
            gate.authenticated();
        }
        return CompletableFuture.completedFuture(Response.of(request, resp));
    }

    private static long now() {
        return System.currentTimeMillis();
    }
}
