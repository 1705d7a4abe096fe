package io.tributary.client.network;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Errors;
import io.tributary.protocol.Messages;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ResponseHeaderData;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The bytes of {@link NetworkClient}'s requests and responses: a request becomes the buffers of its frame, a response
 * frame becomes the message its request expects (with the two ApiVersions quirks). Stateless.
 */
final class Framing {
    private Framing() {}

    /**
     * A Produce request is written around its batches: the frame is [header and fields, batch, fields, batch, ...]
     * with each batch's own (pooled) buffer, sent by one gathering write, so record bytes are not copied into the
     * frame. The batches must not change until the frame is written; the producer reuses a batch's buffer only
     * once its request is answered or failed. Other requests are small and go as one buffer.
     */
    static ByteBuffer[] request(
            ApiMessageType api, short version, int correlationId, String clientId, ApiMessage body) {
        if (api != ApiMessageType.PRODUCE) {
            return new ByteBuffer[] {
                Messages.requestFrame(api, version, correlationId, clientId, body)
                        .toByteBuffer()
            };
        }
        List<Object> chunks = Messages.gatheringRequestFrame(api, version, correlationId, clientId, body)
                .chunks();
        return chunks.toArray(new ByteBuffer[0]);
    }

    /**
     * The body of a response frame (size prefix removed) to {@code request}.
     *
     * @throws DisconnectException naming the API and version when the body does not parse
     */
    static ApiMessage response(ByteBuffer frame, Connection.InFlight request, NetworkClient.Endpoint from) {
        ProtocolReader r = new ProtocolReader(frame);
        ApiMessageType api = request.api();
        // ApiVersions answers always use header v0, whatever the request version.
        short headerVersion = api == ApiMessageType.API_VERSIONS ? 0 : api.responseHeaderVersion(request.version());
        new ResponseHeaderData().read(r, headerVersion);
        short version = request.version();
        if (api == ApiMessageType.API_VERSIONS
                && version > 0
                && r.remaining() >= 2
                && frame.getShort(frame.position()) == Errors.UNSUPPORTED_VERSION.code()) {
            // An unsupported ApiVersions version is answered in the v0 layout.
            version = 0;
        }
        ApiMessage body = api.newResponse();
        try {
            body.read(r, version);
        } catch (RuntimeException e) {
            throw new DisconnectException(
                    "Cannot parse " + api.apiName() + " v" + version + " response from " + from, e);
        }
        return body;
    }
}
