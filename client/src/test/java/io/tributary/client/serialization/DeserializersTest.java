package io.tributary.client.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.client.common.Headers;
import io.tributary.client.common.errors.SerializationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.UUIDSerializer;
import org.junit.jupiter.api.Test;

/** Bytes come from Apache's serializers, so our deserializers read what Kafka producers write. */
class DeserializersTest {
    @Test
    void readsWhatKafkaSerializersWrite() {
        try (IntegerSerializer is = new IntegerSerializer();
                LongSerializer ls = new LongSerializer();
                DoubleSerializer ds = new DoubleSerializer();
                StringSerializer ss = new StringSerializer();
                UUIDSerializer us = new UUIDSerializer()) {
            for (int v : new int[] {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 123456789}) {
                assertThat(new IntegerDeserializer().deserialize("t", is.serialize("t", v)))
                        .isEqualTo(v);
            }
            for (long v : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 9876543210L}) {
                assertThat(new LongDeserializer().deserialize("t", ls.serialize("t", v)))
                        .isEqualTo(v);
            }
            for (double v : new double[] {0.0, -1.5, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY}) {
                assertThat(new DoubleDeserializer().deserialize("t", ds.serialize("t", v)))
                        .isEqualTo(Double.valueOf(v));
            }
            String s = "héllo wörld ✓";
            assertThat(new StringDeserializer().deserialize("t", ss.serialize("t", s)))
                    .isEqualTo(s);
            UUID u = UUID.randomUUID();
            assertThat(new UUIDDeserializer().deserialize("t", us.serialize("t", u)))
                    .isEqualTo(u);
        }
    }

    /**
     * Issue 16: the consumer hands deserializers views of direct buffers (large fetch answers are
     * read into them); each shipped deserializer reads a view in the middle of a larger direct
     * buffer as it reads the bytes, and leaves the view's position where it was.
     */
    @Test
    void readsViewsOfDirectBuffersAsArrays() {
        try (IntegerSerializer is = new IntegerSerializer();
                LongSerializer ls = new LongSerializer();
                StringSerializer ss = new StringSerializer();
                UUIDSerializer us = new UUIDSerializer()) {
            byte[] text = ss.serialize("t", "héllo wörld ✓");
            assertThat(new StringDeserializer().deserialize("t", Headers.EMPTY, directView(text)))
                    .isEqualTo("héllo wörld ✓");
            assertThat(new IntegerDeserializer().deserialize("t", Headers.EMPTY, directView(is.serialize("t", -7))))
                    .isEqualTo(-7);
            assertThat(new LongDeserializer().deserialize("t", Headers.EMPTY, directView(ls.serialize("t", 1L << 40))))
                    .isEqualTo(1L << 40);
            UUID u = UUID.randomUUID();
            assertThat(new UUIDDeserializer().deserialize("t", Headers.EMPTY, directView(us.serialize("t", u))))
                    .isEqualTo(u);
            assertThat(new ByteArrayDeserializer().deserialize("t", Headers.EMPTY, directView(text)))
                    .isEqualTo(text);
            ByteBuffer view = directView(text);
            int position = view.position();
            assertThat(new ByteBufferDeserializer().deserialize("t", Headers.EMPTY, view))
                    .isEqualTo(ByteBuffer.wrap(text));
            assertThat(view.position()).isEqualTo(position);
            assertThat(new StringDeserializer().deserialize("t", Headers.EMPTY, view))
                    .isEqualTo("héllo wörld ✓");
            assertThat(view.position()).isEqualTo(position);
        }
    }

    /** {@code bytes} between other bytes of a direct buffer, as the consumer's record views are. */
    private static ByteBuffer directView(byte[] bytes) {
        ByteBuffer whole = ByteBuffer.allocateDirect(bytes.length + 16);
        for (int i = 0; i < whole.capacity(); i++) {
            whole.put(i, (byte) 0x7f);
        }
        whole.put(8, bytes);
        return whole.limit(8 + bytes.length).position(8);
    }

    @Test
    void nullGivesNull() {
        assertThat(new IntegerDeserializer().deserialize("t", null)).isNull();
        assertThat(new LongDeserializer().deserialize("t", null)).isNull();
        assertThat(new DoubleDeserializer().deserialize("t", null)).isNull();
        assertThat(new StringDeserializer().deserialize("t", null)).isNull();
        assertThat(new UUIDDeserializer().deserialize("t", null)).isNull();
        assertThat(new ByteArrayDeserializer().deserialize("t", null)).isNull();
        assertThat(new ByteBufferDeserializer().deserialize("t", Headers.EMPTY, (ByteBuffer) null))
                .isNull();
        assertThat(JsonDeserializer.tree().deserialize("t", null)).isNull();
    }

    @Test
    void wrongSizesFail() {
        assertThatThrownBy(() -> new IntegerDeserializer().deserialize("t", new byte[3]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not 4");
        assertThatThrownBy(() -> new LongDeserializer().deserialize("t", new byte[9]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not 8");
        assertThatThrownBy(() -> new UUIDDeserializer().deserialize("t", "nope".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void stringEncodingIsConfigurable() {
        StringDeserializer d = new StringDeserializer();
        d.configure(Map.of("value.deserializer.encoding", "UTF-16"), false);
        assertThat(d.deserialize("t", "abc".getBytes(StandardCharsets.UTF_16))).isEqualTo("abc");
        StringDeserializer k = new StringDeserializer();
        k.configure(Map.of("value.deserializer.encoding", "UTF-16"), true);
        assertThat(k.deserialize("t", "abc".getBytes(StandardCharsets.UTF_8))).isEqualTo("abc");
    }

    @Test
    void byteBufferIsACopy() {
        ByteBuffer fetched = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
        ByteBuffer out = new ByteBufferDeserializer().deserialize("t", Headers.EMPTY, fetched);
        fetched.array()[2] = 7;
        assertThat(out.remaining()).isEqualTo(3);
        assertThat(out.get(1)).isEqualTo((byte) 2);
        assertThat(fetched.position()).isEqualTo(1);
    }

    public record Order(String id, int qty) {}

    @Test
    void jsonToClassAndTree() {
        byte[] json = "{\"id\":\"o-1\",\"qty\":3}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonDeserializer.to(Order.class).deserialize("t", json)).isEqualTo(new Order("o-1", 3));
        JsonNode tree = JsonDeserializer.tree().deserialize("t", json);
        assertThat(tree.get("qty").asInt()).isEqualTo(3);

        JsonDeserializer<Object> configured = new JsonDeserializer<>();
        configured.configure(Map.of("json.value.type", Order.class.getName()), false);
        assertThat(configured.deserialize("t", json)).isEqualTo(new Order("o-1", 3));

        assertThatThrownBy(() ->
                        JsonDeserializer.to(Order.class).deserialize("t", "{oops".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Order");
    }

    @Test
    void schemaRegistryFrameIsSplitForTheDecoder() {
        byte[] payload = "{\"id\":\"o-2\",\"qty\":5}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer framed = ByteBuffer.allocate(5 + payload.length);
        framed.put((byte) 0).putInt(42).put(payload).flip();
        JsonDeserializer<Order> json = JsonDeserializer.to(Order.class);
        SchemaRegistryDeserializer<String> d = new SchemaRegistryDeserializer<>((topic, schemaId, body) -> {
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            return schemaId + ":" + json.deserialize(topic, bytes).id();
        });
        byte[] arr = new byte[framed.remaining()];
        framed.get(arr);
        assertThat(d.deserialize("t", arr)).isEqualTo("42:o-2");
        assertThat(d.deserialize("t", (byte[]) null)).isNull();
        arr[0] = 1;
        assertThatThrownBy(() -> d.deserialize("t", arr))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> d.deserialize("t", new byte[] {0, 0})).isInstanceOf(SerializationException.class);
    }

    @Test
    void customDeserializerIsALambda() {
        Deserializer<Integer> length = (topic, data) -> data == null ? -1 : data.length;
        assertThat(length.deserialize("t", Headers.EMPTY, ByteBuffer.wrap(new byte[5])))
                .isEqualTo(5);
    }
}
