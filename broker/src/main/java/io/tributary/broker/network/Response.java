package io.tributary.broker.network;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.message.ApiMessageType;

/**
 * What a handler answers to one request: a body to send, nothing (acks=0 produce), or "close the
 * connection" (Kafka's answer to some bad requests). Immutable; may be created on any thread.
 */
public final class Response {
    /** What the writer does with this response. */
    public enum Kind {
        SEND,
        NONE,
        CLOSE,
        /** Send the body, then close once it is written (a failed SASL authentication). */
        SEND_THEN_CLOSE
    }

    private final Request request;
    private final Kind kind;
    private final ApiMessage body;
    private final short bodyVersion;
    private final boolean flexibleHeader;
    private final String closeReason;

    private Response(
            Request request,
            Kind kind,
            ApiMessage body,
            short bodyVersion,
            boolean flexibleHeader,
            String closeReason) {
        this.request = request;
        this.kind = kind;
        this.body = body;
        this.bodyVersion = bodyVersion;
        this.flexibleHeader = flexibleHeader;
        this.closeReason = closeReason;
    }

    /** A response at the request's version with the header its API prescribes. */
    public static Response of(Request request, ApiMessage body) {
        return new Response(
                request,
                Kind.SEND,
                body,
                request.apiVersion(),
                flexibleResponseHeader(request.apiKey(), request.apiVersion()),
                null);
    }

    /** Response header v1 for flexible versions, except ApiVersions which always uses v0. */
    private static boolean flexibleResponseHeader(short key, short version) {
        ApiMessageType type = ApiMessageType.fromApiKey(key);
        return type != null && type.responseHeaderVersion(version) >= 1;
    }

    /** A response written at an explicit version with an explicit header layout. */
    public static Response ofVersion(Request request, ApiMessage body, short version, boolean flexibleHeader) {
        return new Response(request, Kind.SEND, body, version, flexibleHeader, null);
    }

    /** The body at the request's version, after which the connection closes. */
    public static Response sendThenClose(Request request, ApiMessage body, String reason) {
        return new Response(
                request,
                Kind.SEND_THEN_CLOSE,
                body,
                request.apiVersion(),
                flexibleResponseHeader(request.apiKey(), request.apiVersion()),
                reason);
    }

    public static Response none(Request request) {
        return new Response(request, Kind.NONE, null, (short) 0, false, null);
    }

    public static Response close(Request request, String reason) {
        return new Response(request, Kind.CLOSE, null, (short) 0, false, reason);
    }

    public Request request() {
        return request;
    }

    public Kind kind() {
        return kind;
    }

    public ApiMessage body() {
        return body;
    }

    public short bodyVersion() {
        return bodyVersion;
    }

    public boolean flexibleHeader() {
        return flexibleHeader;
    }

    public String closeReason() {
        return closeReason;
    }
}
