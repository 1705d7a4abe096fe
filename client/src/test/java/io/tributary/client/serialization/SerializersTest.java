package io.tributary.client.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.client.common.errors.SerializationException;
import java.nio.ByteBuffer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Issue 12: each serializer writes the bytes Apache's does, and our deserializer reads them back. */
class SerializersTest {

    @Test
    void serializersMatchApacheAndRoundTrip() {
        try (var apacheString = new org.apache.kafka.common.serialization.StringSerializer();
                var apacheInt = new org.apache.kafka.common.serialization.IntegerSerializer();
                var apacheLong = new org.apache.kafka.common.serialization.LongSerializer();
                var apacheDouble = new org.apache.kafka.common.serialization.DoubleSerializer();
                var apacheUuid = new org.apache.kafka.common.serialization.UUIDSerializer();
                var apacheBuffer = new org.apache.kafka.common.serialization.ByteBufferSerializer()) {
            String s = "grüße, tributary";
            assertThat(new StringSerializer().serialize("t", s)).isEqualTo(apacheString.serialize("t", s));
            assertThat(new StringDeserializer().deserialize("t", new StringSerializer().serialize("t", s)))
                    .isEqualTo(s);
            assertThat(new IntegerSerializer().serialize("t", -42)).isEqualTo(apacheInt.serialize("t", -42));
            assertThat(new IntegerDeserializer().deserialize("t", new IntegerSerializer().serialize("t", 7)))
                    .isEqualTo(7);
            assertThat(new LongSerializer().serialize("t", Long.MIN_VALUE))
                    .isEqualTo(apacheLong.serialize("t", Long.MIN_VALUE));
            assertThat(new DoubleSerializer().serialize("t", Math.PI)).isEqualTo(apacheDouble.serialize("t", Math.PI));
            assertThat(new DoubleDeserializer().deserialize("t", new DoubleSerializer().serialize("t", 2.5)))
                    .isEqualTo(2.5);
            UUID u = UUID.randomUUID();
            assertThat(new UUIDSerializer().serialize("t", u)).isEqualTo(apacheUuid.serialize("t", u));
            assertThat(new UUIDDeserializer().deserialize("t", new UUIDSerializer().serialize("t", u)))
                    .isEqualTo(u);
            ByteBuffer b = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
            b.position(2);
            assertThat(new ByteBufferSerializer().serialize("t", b)).containsExactly(9, 1, 2, 3);
            assertThat(new ByteBufferSerializer().serialize("t", b.duplicate()))
                    .isEqualTo(apacheBuffer.serialize("t", b.duplicate()));
            assertThat(b.position()).as("the caller's buffer is untouched").isEqualTo(2);
            byte[] raw = {1, 2};
            assertThat(new ByteArraySerializer().serialize("t", raw)).isSameAs(raw);
            assertThat(new StringSerializer().serialize("t", null)).isNull();
            assertThat(new LongSerializer().serialize("t", null)).isNull();
        }
    }

    /** A value Jackson cannot write: a self-reference. */
    public static final class Loop {
        public Loop getSelf() {
            return this;
        }
    }

    @Test
    void jsonSerializerWritesWhatJsonDeserializerReads() {
        var order = new DeserializersTest.Order("o-1", 3);
        byte[] json = new JsonSerializer<DeserializersTest.Order>().serialize("t", order);
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"o-1\",\"qty\":3}");
        assertThat(JsonDeserializer.to(DeserializersTest.Order.class).deserialize("t", json))
                .isEqualTo(order);
        assertThat(new JsonSerializer<Object>().serialize("t", null)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new JsonSerializer<Object>().serialize("orders", new Loop()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(Loop.class.getName())
                .hasMessageContaining("orders");
    }
}
