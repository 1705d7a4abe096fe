package io.tributary.protocol;

import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.RequestHeaderData;
import io.tributary.protocol.message.ResponseHeaderData;
import java.nio.ByteBuffer;

/**
 * Framing shared by the broker and the client: a frame is int32 size, header, body. Header
 * versions follow the API's flexible versions (see {@link ApiMessageType}).
 */
public final class Messages {
    private Messages() {}

    /** Writes a complete request frame (size prefix included). */
    public static ProtocolWriter requestFrame(
            ApiMessageType api, short version, int correlationId, String clientId, Message body) {
        return request(new ProtocolWriter(), api, version, correlationId, clientId, body);
    }

    /**
     * As {@link #requestFrame}, into a {@link ProtocolWriter#gathering()} writer: the request's
     * records fields stay views of their own buffers, and {@link ProtocolWriter#chunks()} is the
     * frame for a gathering write.
     */
    public static ProtocolWriter gatheringRequestFrame(
            ApiMessageType api, short version, int correlationId, String clientId, Message body) {
        return request(ProtocolWriter.gathering(), api, version, correlationId, clientId, body);
    }

    private static ProtocolWriter request(
            ProtocolWriter w, ApiMessageType api, short version, int correlationId, String clientId, Message body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(api.apiKey())
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId(clientId);
        return frame(w, header, api.requestHeaderVersion(version), body, version);
    }

    /** Writes a complete response frame (size prefix included). */
    public static ProtocolWriter responseFrame(ApiMessageType api, short version, int correlationId, Message body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        return frame(new ProtocolWriter(), header, api.responseHeaderVersion(version), body, version);
    }

    private static ProtocolWriter frame(
            ProtocolWriter w, Message header, short headerVersion, Message body, short version) {
        w.writeInt(0); // patched below once the size is known
        header.write(w, headerVersion);
        body.write(w, version);
        patchSize(w);
        return w;
    }

    private static void patchSize(ProtocolWriter w) {
        w.patchInt(0, w.size() - 4);
    }

    /** Serializes one message without framing. */
    public static byte[] toBytes(Message m, short version) {
        ProtocolWriter w = new ProtocolWriter();
        m.write(w, version);
        return w.toByteArray();
    }

    /** Reads a message from the whole buffer; trailing bytes are a protocol error. */
    public static <T extends Message> T read(T m, ByteBuffer buf, short version) {
        ProtocolReader r = new ProtocolReader(buf);
        m.read(r, version);
        if (r.remaining() != 0) {
            throw new ProtocolException(r.remaining() + " unexpected trailing bytes after "
                    + m.getClass().getSimpleName());
        }
        return m;
    }
}
