package io.tributary.client.serialization;

import io.tributary.client.common.errors.SerializationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;

/**
 * The Avro half of {@link AvroDeserializer}, kept in its own class so that the deserializer
 * class loads (and can explain what is missing) without Avro on the classpath. Owns the bounded
 * cache of writer schemas and their datum readers, keyed by schema id: the registry is asked
 * once per id while the id stays in the cache. Thread: the consumer's application thread; the
 * cache is synchronized so that one instance may serve several consumers.
 */
final class AvroDecoding {
    private record Entry(Schema writer, DatumReader<Object> reader) {}

    private final SchemaRegistryClient registry;
    private final boolean specific;
    private final Schema readerSchema;
    private final GenericData genericModel;
    private final ClassLoader classLoader;
    private final Map<Integer, Entry> cache;

    AvroDecoding(
            SchemaRegistryClient registry,
            int cacheCapacity,
            boolean specific,
            String readerSchemaJson,
            boolean logicalTypeConversions,
            ClassLoader classLoader) {
        this.registry = registry;
        this.specific = specific;
        this.classLoader = classLoader;
        try {
            this.readerSchema = readerSchemaJson == null ? null : new Schema.Parser().parse(readerSchemaJson);
        } catch (SchemaParseException e) {
            throw new SerializationException(
                    "Cannot parse the reader schema given by " + AvroDeserializer.READER_SCHEMA_CONFIG + ": "
                            + e.getMessage(),
                    e);
        }
        this.genericModel = logicalTypeConversions ? withConversions(new GenericData(classLoader)) : GenericData.get();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
                return size() > cacheCapacity;
            }
        };
    }

    private static GenericData withConversions(GenericData data) {
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        return data;
    }

    /** Decodes one framed payload; the buffer is only valid during the call. */
    Object decode(String topic, int schemaId, ByteBuffer payload) {
        Entry e = entry(topic, schemaId);
        if (e.writer.getType() == Schema.Type.BYTES && readerSchema == null) {
            // Confluent's serializer writes a bytes-schema value raw, without Avro's length prefix.
            byte[] raw = new byte[payload.remaining()];
            payload.duplicate().get(raw);
            return raw;
        }
        byte[] array;
        int offset;
        int length = payload.remaining();
        if (payload.hasArray()) {
            array = payload.array();
            offset = payload.arrayOffset() + payload.position();
        } else {
            array = new byte[length];
            payload.duplicate().get(array);
            offset = 0;
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(array, offset, length, null);
        Object value;
        try {
            value = e.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException("bytes left over after the value");
            }
        } catch (SecurityException ex) {
            throw untrusted(ex, topic, schemaId);
        } catch (IOException | RuntimeException ex) {
            throw new SerializationException(
                    "Avro payload of " + length + " bytes in topic " + topic
                            + " does not match its writer schema (id " + schemaId + ", " + e.writer.getFullName()
                            + "): "
                            + ex,
                    ex);
        }
        if (value instanceof Utf8 && e.writer.getType() == Schema.Type.STRING) {
            value = value.toString();
        }
        return value;
    }

    private Entry entry(String topic, int schemaId) {
        synchronized (cache) {
            Entry e = cache.get(schemaId);
            if (e != null) {
                return e;
            }
        }
        // Fetched outside the lock: a slow registry must not block other users of a cached id.
        Entry e = load(topic, schemaId);
        synchronized (cache) {
            cache.putIfAbsent(schemaId, e);
            return cache.get(schemaId);
        }
    }

    private Entry load(String topic, int schemaId) {
        SchemaRegistryClient.Registered reg = registry.schemaById(schemaId, topic);
        if (!"AVRO".equalsIgnoreCase(reg.schemaType())) {
            throw new SerializationException(
                    "Schema id " + schemaId + " (topic " + topic + ") is a " + reg.schemaType() + " schema, not Avro");
        }
        Schema.Parser parser = new Schema.Parser();
        Schema writer;
        try {
            // Referenced named types must be known to the parser before the schema that uses them.
            parseReferences(parser, reg, topic, new HashSet<>());
            writer = parser.parse(reg.schema());
        } catch (SchemaParseException e) {
            throw new SerializationException(
                    "Schema id " + schemaId + " (topic " + topic + ") from the registry is not a valid Avro schema: "
                            + e.getMessage(),
                    e);
        }
        return new Entry(writer, reader(writer, topic, schemaId));
    }

    private void parseReferences(
            Schema.Parser parser, SchemaRegistryClient.Registered reg, String topic, Set<String> seen) {
        for (SchemaRegistryClient.Reference r : reg.references()) {
            if (seen.add(r.subject() + "/" + r.version())) {
                SchemaRegistryClient.Registered dep = registry.schemaByVersion(r.subject(), r.version(), topic);
                parseReferences(parser, dep, topic, seen);
                parser.parse(dep.schema());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<Object> reader(Schema writer, String topic, int schemaId) {
        if (specific && readerSchema == null && isNamed(writer)) {
            SpecificData lookup = new SpecificData(classLoader);
            Class<?> c;
            try {
                c = lookup.getClass(writer);
            } catch (SecurityException e) {
                throw untrusted(e, topic, schemaId);
            }
            if (c == null || !SpecificRecord.class.isAssignableFrom(c) && writer.getType() == Schema.Type.RECORD) {
                throw new SerializationException(AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG + " is true but no "
                        + "SpecificRecord class " + writer.getFullName() + " (writer schema id " + schemaId
                        + ", topic " + topic + ") is on the classpath");
            }
            SpecificData model = SpecificData.getForClass(c);
            return new SpecificDatumReader<>(writer, model.getSchema(c), model);
        }
        if (specific) {
            return new SpecificDatumReader<>(
                    writer, readerSchema == null ? writer : readerSchema, new SpecificData(classLoader));
        }
        return new GenericDatumReader<>(writer, readerSchema == null ? writer : readerSchema, genericModel);
    }

    /** Avro 1.12 only loads classes from packages the application trusts. */
    private static SerializationException untrusted(SecurityException e, String topic, int schemaId) {
        return new SerializationException(
                "Avro refused to load a SpecificRecord class for schema id " + schemaId
                        + " (topic " + topic
                        + "): list its package in the system property org.apache.avro.SERIALIZABLE_PACKAGES"
                        + " (or see org.apache.avro.util.ClassSecurityValidator). " + e.getMessage(),
                e);
    }

    private static boolean isNamed(Schema s) {
        return s.getType() == Schema.Type.RECORD || s.getType() == Schema.Type.ENUM || s.getType() == Schema.Type.FIXED;
    }
}
