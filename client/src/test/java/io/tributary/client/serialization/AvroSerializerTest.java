package io.tributary.client.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.errors.SerializationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.ClassSecurityValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: {@link AvroSerializer} against a real HTTP schema registry ({@link TinySchemaRegistry})
 * writes Confluent's framing (magic 0, the registered id, Avro's own binary encoding), registers
 * each schema once per subject (TopicNameStrategy), and what it writes {@link AvroDeserializer}
 * reads back.
 */
class AvroSerializerTest {
    private static final Schema USER = new Schema.Parser().parse("""
            {"type":"record","name":"User","namespace":"acct","fields":[
              {"name":"name","type":"string"},{"name":"age","type":["null","int"],"default":null}]}""");

    private TinySchemaRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new TinySchemaRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private <T> AvroSerializer<T> serializer(boolean isKey, Map<String, Object> extra) {
        var c = new java.util.HashMap<String, Object>(extra);
        c.put("schema.registry.url", registry.url());
        return new AvroSerializer<>(c, isKey);
    }

    private AvroDeserializer<Object> deserializer(boolean specific) {
        return new AvroDeserializer<>(
                Map.of("schema.registry.url", registry.url(), "specific.avro.reader", specific), false);
    }

    private static byte[] avroEncoding(Schema schema, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(value, e);
        e.flush();
        return out.toByteArray();
    }

    @Test
    void genericRecordIsFramedRegisteredOnceAndReadBack() throws IOException {
        GenericRecord user = new GenericData.Record(USER);
        user.put("name", "ada");
        user.put("age", 36);
        AvroSerializer<GenericRecord> s = serializer(false, Map.of());
        byte[] first = s.serialize("users", user);
        byte[] second = s.serialize("users", user);

        assertThat(first).isEqualTo(second);
        assertThat(first[0]).isZero();
        int id = ByteBuffer.wrap(first, 1, 4).getInt();
        assertThat(id).isPositive();
        assertThat(Arrays.copyOfRange(first, 5, first.length)).isEqualTo(avroEncoding(USER, user));
        assertThat(registry.hits("/subjects/users-value/versions")).isEqualTo(1);

        Object back = deserializer(false).deserialize("users", first);
        assertThat(back).isInstanceOf(GenericRecord.class);
        assertThat(back.toString()).isEqualTo(user.toString());

        // a key goes under <topic>-key, a new registration of the same schema gets the same id
        byte[] key = serializer(true, Map.of()).serialize("users", user);
        assertThat(registry.hits("/subjects/users-key/versions")).isEqualTo(1);
        assertThat(ByteBuffer.wrap(key, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void primitivesAndSpecificRecordsRoundTrip() {
        AvroDeserializer<Object> generic = deserializer(false);
        assertThat(generic.deserialize("p", serializer(false, Map.of()).serialize("p", "hello"))
                        .toString())
                .isEqualTo("hello");
        assertThat(generic.deserialize("q", serializer(false, Map.of()).serialize("q", 42L)))
                .isEqualTo(42L);
        byte[] raw = serializer(false, Map.of()).serialize("b", new byte[] {1, 2, 3});
        assertThat(Arrays.copyOfRange(raw, 5, raw.length)).containsExactly(1, 2, 3);
        assertThat(generic.deserialize("b", raw)).isEqualTo(new byte[] {1, 2, 3});

        Greeting g = new Greeting();
        g.text = "hi";
        g.count = 2;
        // Avro refuses untrusted SpecificRecord classes on both sides; an application trusts its own.
        ClassSecurityValidator.ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(global, c -> c == Greeting.class));
        try {
            Object back = deserializer(true)
                    .deserialize("g", serializer(false, Map.of()).serialize("g", g));
            assertThat(back).isInstanceOf(Greeting.class);
            assertThat(((Greeting) back).text.toString()).isEqualTo("hi");
            assertThat(((Greeting) back).count).isEqualTo(2);
        } finally {
            ClassSecurityValidator.setGlobal(global);
        }

        assertThat(serializer(false, Map.of()).serialize("t", null)).isNull();
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsRefusedNamingTheSubject() {
        GenericRecord user = new GenericData.Record(USER);
        user.put("name", "bob");
        AvroSerializer<GenericRecord> s = serializer(false, Map.of("auto.register.schemas", "false"));
        assertThatThrownBy(() -> s.serialize("accounts", user))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("accounts-value");
        registry.registerVersion("accounts-value", 1, 77, USER.toString());
        byte[] framed = s.serialize("accounts", user);
        assertThat(ByteBuffer.wrap(framed, 1, 4).getInt()).isEqualTo(77);
    }

    @Test
    void badInputNamesTheProblem() {
        assertThatThrownBy(() -> new AvroSerializer<>(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> serializer(false, Map.of("auto.register.schemas", "maybe")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
        AvroSerializer<Object> s = serializer(false, Map.of());
        assertThatThrownBy(() -> s.serialize("t", new java.util.ArrayList<>()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("java.util.ArrayList");
        assertThatThrownBy(() -> new AvroSerializer<Object>().serialize("t", "x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure");
    }
}
