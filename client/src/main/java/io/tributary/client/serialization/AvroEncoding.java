package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The Avro half of {@link AvroSerializer}, apart so that the serializer class loads without Avro
 * and can say what is missing. Finds a value's schema (its own for records, enums and fixed;
 * the primitive schema for boolean, int, long, float, double, string and bytes, as
 * Confluent's serializer does), gets the schema's id from the registry once per (subject,
 * schema) and writes the framing: magic 0, the id as int32 big-endian, the Avro binary
 * encoding (for a top-level bytes schema the raw bytes, as Confluent writes them).
 */
final class AvroEncoding {
    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private record Key(String subject, Schema schema) {}

    private final SchemaRegistryClient registry;
    private final boolean autoRegister;
    private final Map<Key, Integer> ids;

    AvroEncoding(SchemaRegistryClient registry, boolean autoRegister, int cacheCapacity) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.ids = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Integer> eldest) {
                return size() > cacheCapacity;
            }
        };
    }

    byte[] encode(String topic, boolean isKey, Object value) {
        Schema schema = schemaOf(value, topic);
        String subject = topic + (isKey ? "-key" : "-value");
        int id = idOf(subject, schema, topic);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(0);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            if (value instanceof byte[] raw) {
                out.write(raw);
            } else if (value instanceof ByteBuffer buf) {
                ByteBuffer d = buf.duplicate();
                byte[] raw = new byte[d.remaining()];
                d.get(raw);
                out.write(raw);
            } else {
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                writer(value, schema).write(value, encoder);
                encoder.flush();
            }
        } catch (IOException | AvroRuntimeException | ClassCastException e) {
            throw new SerializationException(
                    "Cannot encode a " + value.getClass().getName() + " with schema " + schema.getFullName()
                            + " for topic " + topic + ": " + e.getMessage(),
                    e);
        }
        return out.toByteArray();
    }

    private synchronized int idOf(String subject, Schema schema, String topic) {
        Key key = new Key(subject, schema);
        Integer id = ids.get(key);
        if (id == null) {
            String json = schema.toString();
            id = autoRegister ? registry.register(subject, json, topic) : registry.lookup(subject, json, topic);
            ids.put(key, id);
        }
        return id;
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writer(Object value, Schema schema) {
        return value instanceof SpecificRecord
                ? (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema)
                : new GenericDatumWriter<>(schema);
    }

    private static Schema schemaOf(Object value, String topic) {
        if (value instanceof GenericContainer c) {
            return c.getSchema();
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof Integer) {
            return INT;
        } else if (value instanceof Long) {
            return LONG;
        } else if (value instanceof Float) {
            return FLOAT;
        } else if (value instanceof Double) {
            return DOUBLE;
        } else if (value instanceof CharSequence) {
            return STRING;
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            return BYTES;
        }
        throw new SerializationException(
                "Cannot serialize a " + value.getClass().getName() + " as Avro for topic "
                        + topic + ": give a GenericRecord, a SpecificRecord, an enum or fixed GenericContainer, or a "
                        + "primitive (Boolean, Integer, Long, Float, Double, CharSequence, byte[], ByteBuffer)");
    }
}
