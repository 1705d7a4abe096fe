package io.tributary.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.protocol.message.ApiMessageType;
import io.tributary.protocol.message.ApiVersionsRequestData;
import io.tributary.protocol.message.RequestHeaderData;
import java.nio.ByteBuffer;
import org.apache.kafka.common.utils.ByteUtils;
import org.junit.jupiter.api.Test;

/** Wire primitives against Kafka's own encoders, and malformed input handling (B1). */
class PrimitivesTest {

    @Test
    void varintsMatchKafkaEncoding() {
        int[] ints = {0, 1, -1, 63, -64, 64, 300, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int v : ints) {
            ProtocolWriter w = new ProtocolWriter();
            w.writeVarint(v);
            ByteBuffer theirs = ByteBuffer.allocate(10);
            ByteUtils.writeVarint(v, theirs);
            theirs.flip();
            assertThat(w.toByteBuffer()).as("varint %d", v).isEqualTo(theirs);
            assertThat(new ProtocolReader(w.toByteBuffer()).readVarint()).isEqualTo(v);
        }
        long[] longs = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40};
        for (long v : longs) {
            ProtocolWriter w = new ProtocolWriter();
            w.writeVarlong(v);
            ByteBuffer theirs = ByteBuffer.allocate(10);
            ByteUtils.writeVarlong(v, theirs);
            theirs.flip();
            assertThat(w.toByteBuffer()).as("varlong %d", v).isEqualTo(theirs);
            assertThat(new ProtocolReader(w.toByteBuffer()).readVarlong()).isEqualTo(v);
        }
    }

    @Test
    void compactNullsAndStrings() {
        ProtocolWriter w = new ProtocolWriter();
        w.writeCompactString(null);
        w.writeCompactString("héllo");
        w.writeString(null);
        w.writeBytes(null);
        w.writeCompactBytes(new byte[] {1, 2});
        ProtocolReader r = new ProtocolReader(w.toByteBuffer());
        assertThat(r.readCompactString()).isNull();
        assertThat(r.readCompactString()).isEqualTo("héllo");
        assertThat(r.readString()).isNull();
        assertThat(r.readBytes()).isNull();
        assertThat(r.readCompactBytes()).containsExactly(1, 2);
        assertThat(r.remaining()).isZero();
    }

    @Test
    void malformedInputFailsWithProtocolException() {
        // A string claiming 1000 bytes with only 2 present.
        ByteBuffer b = ByteBuffer.allocate(4)
                .putShort((short) 1000)
                .putShort((short) 0)
                .flip();
        assertThatThrownBy(() -> new ProtocolReader(b).readString()).isInstanceOf(ProtocolException.class);
        // An array claiming two billion elements.
        ByteBuffer a = ByteBuffer.allocate(4).putInt(2_000_000_000).flip();
        assertThatThrownBy(() -> new ProtocolReader(a).readArrayLength()).isInstanceOf(ProtocolException.class);
        // A truncated int.
        assertThatThrownBy(() -> new ProtocolReader(ByteBuffer.allocate(2)).readInt())
                .isInstanceOf(ProtocolException.class);
        // A varint that never ends.
        ByteBuffer v = ByteBuffer.wrap(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        assertThatThrownBy(() -> new ProtocolReader(v).readUnsignedVarint()).isInstanceOf(ProtocolException.class);
    }

    @Test
    void requestFrameHasSizePrefixAndHeaderVersionOfTheApi() {
        ApiVersionsRequestData body =
                new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1");
        ByteBuffer frame = Messages.requestFrame(ApiMessageType.API_VERSIONS, (short) 3, 7, "cid", body)
                .toByteBuffer();
        assertThat(frame.getInt(0)).isEqualTo(frame.remaining() - 4);
        frame.position(4);
        RequestHeaderData header = new RequestHeaderData();
        ProtocolReader r = new ProtocolReader(frame);
        header.read(r, (short) 2);
        assertThat(header.requestApiKey).isEqualTo((short) 18);
        assertThat(header.correlationId).isEqualTo(7);
        assertThat(header.clientId).isEqualTo("cid");
        ApiVersionsRequestData back = new ApiVersionsRequestData();
        back.read(r, (short) 3);
        assertThat(back).isEqualTo(body);
        assertThat(r.remaining()).isZero();
    }

    /** Found by ProtocolMessagesFuzzTest (issue 15): a tagged field size above 2^31 reads negative. */
    @Test
    void aNegativeSkipIsAProtocolError() {
        ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> r.skip(-386_800_688)).isInstanceOf(ProtocolException.class);
        assertThat(r.remaining()).isEqualTo(3);
    }
}
