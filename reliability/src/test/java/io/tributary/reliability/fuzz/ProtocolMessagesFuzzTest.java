package io.tributary.reliability.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.ProtocolException;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.message.ApiMessageType;
import java.nio.ByteBuffer;

/**
 * Fuzz targets for the protocol's message decoding (issue 15, parser family 1): every request body
 * the broker reads and every response body our client reads, at every version the message
 * specification defines. The property: decoding any bytes either yields a message or throws
 * {@link ProtocolException}, the one error the broker turns into a closed connection; any other
 * exception (an index out of bounds, a negative array size, an out-of-memory from a length field)
 * is a finding. Lengths are checked against the bytes left, so no allocation exceeds the input.
 */
class ProtocolMessagesFuzzTest {
    private static final ApiMessageType[] APIS = ApiMessageType.values();

    @FuzzTest(maxDuration = "10s")
    void requestBodies(FuzzedDataProvider data) {
        ApiMessageType api = data.pickValue(APIS);
        short version = (short) data.consumeInt(api.lowestSupportedVersion(), api.highestSupportedVersion());
        decode(api.newRequest(), version, data.consumeRemainingAsBytes());
    }

    @FuzzTest(maxDuration = "10s")
    void responseBodies(FuzzedDataProvider data) {
        ApiMessageType api = data.pickValue(APIS);
        short version = (short) data.consumeInt(api.lowestSupportedVersion(), api.highestSupportedVersion());
        decode(api.newResponse(), version, data.consumeRemainingAsBytes());
    }

    /** A request frame as the broker's RequestDecoder reads it: header v1/v2, then the body. */
    @FuzzTest(maxDuration = "10s")
    void requestFrames(byte[] frame) {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(frame));
        try {
            short key = r.readShort();
            short version = r.readShort();
            r.readInt();
            r.readString();
            ApiMessageType api = ApiMessageType.fromApiKey(key);
            if (api == null || !api.isVersionSupported(version)) {
                return;
            }
            if (api.requestHeaderVersion(version) >= 2) {
                int tags = r.readUnsignedVarint();
                for (int i = 0; i < tags; i++) {
                    r.readUnsignedVarint();
                    r.skip(r.readUnsignedVarint());
                }
            }
            api.newRequest().read(r, version);
        } catch (ProtocolException expected) {
            // malformed: the broker closes the connection
        }
    }

    private static void decode(ApiMessage message, short version, byte[] bytes) {
        try {
            message.read(new ProtocolReader(ByteBuffer.wrap(bytes)), version);
        } catch (ProtocolException expected) {
            // malformed input, reported as such
        }
    }
}
