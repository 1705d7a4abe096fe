package io.tributary.client.serialization;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.Headers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Avro in Confluent's schema-registry wire format (C11): magic byte 0, the writer schema's id
 * as a big-endian int32, then the Avro binary encoding of the value. The writer schema comes
 * from the registry ({@code GET {url}/schemas/ids/{id}}) and is cached by id (bounded). Gives
 * {@code GenericRecord}s (and the plain Java/Avro value for non-record schemas: a top-level
 * string becomes a {@link String}, a bytes schema a {@code byte[]}), or {@code SpecificRecord}s
 * with {@value #SPECIFIC_AVRO_READER_CONFIG}=true. Null data (a tombstone) gives null.
 *
 * <p>Created by class name ({@code value.deserializer=io.tributary.client.serialization.AvroDeserializer})
 * it is configured from the consumer's properties; in code, use {@link #AvroDeserializer(Map, boolean)}.
 * Avro ({@code org.apache.avro:avro}) and Jackson are optional dependencies of the client: without
 * them, configuring this class fails with a {@link ConfigException} naming what to add. This class
 * itself mentions no Avro type so that it can load and say so; {@link AvroDecoding} does the work.
 *
 * <p>Thread: called on the consumer's application thread. A registry lookup (only for an id not
 * in the cache) blocks that thread for at most the connect plus read timeouts per URL; no thread
 * is started.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    /** Comma-separated registry base URLs, tried in order (Confluent's key). Required. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    /** true: SpecificRecord classes generated from the schemas; false (default): GenericRecord (Confluent's key). */
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    /** Convert logical types (decimal, uuid, date, time, timestamp) to Java types (Confluent's key; default false). */
    public static final String USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";
    /** Optional reader schema (Avro JSON) that every value is resolved to, Avro's schema-evolution rules applying. */
    public static final String READER_SCHEMA_CONFIG = "avro.reader.schema";
    /** Connect timeout per registry request (Confluent's key). */
    public static final String CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
    /** Read timeout per registry request (Confluent's key). */
    public static final String READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
    /** Writer schemas kept, least recently used dropped first. */
    public static final String CACHE_CAPACITY_CONFIG = "schema.registry.cache.capacity";

    /** Lower than Confluent's 60 s: a lookup blocks poll, and a dead registry should show quickly. */
    public static final int DEFAULT_TIMEOUT_MS = 10_000;

    public static final int DEFAULT_CACHE_CAPACITY = 1000;

    /** Every key this class reads, so the consumer need not report them as unknown. */
    public static final List<String> CONFIG_KEYS = List.of(
            SCHEMA_REGISTRY_URL_CONFIG,
            SPECIFIC_AVRO_READER_CONFIG,
            USE_LOGICAL_TYPE_CONVERTERS_CONFIG,
            READER_SCHEMA_CONFIG,
            CONNECT_TIMEOUT_MS_CONFIG,
            READ_TIMEOUT_MS_CONFIG,
            CACHE_CAPACITY_CONFIG);

    private SchemaRegistryDeserializer<Object> framing;
    private boolean configuredInCode;

    /** For creation by class name: {@link #configure} must follow. */
    public AvroDeserializer() {}

    /**
     * Configured now. A later {@link #configure} without {@value #SCHEMA_REGISTRY_URL_CONFIG}
     * (as when a consumer passes its own properties to a deserializer given in code) keeps this
     * configuration.
     */
    public AvroDeserializer(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey);
        configuredInCode = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object urls = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
        if (configuredInCode && urls == null) {
            return;
        }
        Settings settings = settings(configs, "AvroDeserializer");
        boolean specific = bool(configs, SPECIFIC_AVRO_READER_CONFIG);
        boolean logical = bool(configs, USE_LOGICAL_TYPE_CONVERTERS_CONFIG);
        Object reader = configs.get(READER_SCHEMA_CONFIG);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        AvroDecoding decoding = new AvroDecoding(
                new SchemaRegistryClient(settings.urls(), settings.connectTimeoutMs(), settings.readTimeoutMs()),
                settings.cacheCapacity(),
                specific,
                reader == null ? null : reader.toString(),
                logical,
                loader != null ? loader : AvroDeserializer.class.getClassLoader());
        framing = new SchemaRegistryDeserializer<>(decoding::decode);
    }

    /** The registry keys both Avro classes read, parsed and checked once. */
    record Settings(List<String> urls, int connectTimeoutMs, int readTimeoutMs, int cacheCapacity) {}

    static Settings settings(Map<String, ?> configs, String who) {
        requireOnClasspath("org.apache.avro.Schema", "org.apache.avro:avro", who);
        requireOnClasspath(
                "com.fasterxml.jackson.databind.ObjectMapper", "com.fasterxml.jackson.core:jackson-databind", who);
        Object urls = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
        List<String> registryUrls = urlList(urls);
        if (registryUrls.isEmpty()) {
            throw new ConfigException(
                    SCHEMA_REGISTRY_URL_CONFIG, urls, who + " needs the schema registry's URL(s), comma-separated");
        }
        return new Settings(
                registryUrls,
                positiveInt(configs, CONNECT_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS),
                positiveInt(configs, READ_TIMEOUT_MS_CONFIG, DEFAULT_TIMEOUT_MS),
                positiveInt(configs, CACHE_CAPACITY_CONFIG, DEFAULT_CACHE_CAPACITY));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : deserialize(topic, Headers.EMPTY, ByteBuffer.wrap(data));
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        if (framing == null) {
            throw new IllegalStateException(
                    "AvroDeserializer used before configure (needs " + SCHEMA_REGISTRY_URL_CONFIG + ")");
        }
        return (T) framing.deserialize(topic, headers, data);
    }

    private static void requireOnClasspath(String className, String artifact, String who) {
        try {
            Class.forName(className, false, AvroDeserializer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ConfigException(who + " needs " + artifact + " on the classpath (" + className
                    + " not found); the Tributary client declares it optional, so add it to your application");
        }
    }

    private static List<String> urlList(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(x -> addUrls(out, String.valueOf(x)));
        } else if (v != null) {
            addUrls(out, v.toString());
        }
        return out;
    }

    private static void addUrls(List<String> out, String s) {
        for (String u : s.split(",")) {
            if (!u.isBlank()) {
                out.add(u.trim());
            }
        }
    }

    private static int positiveInt(Map<String, ?> configs, String key, int dflt) {
        Object v = configs.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = v instanceof Number num
                    ? num.intValue()
                    : Integer.parseInt(v.toString().trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, v, "must be a positive integer");
    }

    static boolean bool(Map<String, ?> configs, String key) {
        Object v = configs.get(key);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key, v, "must be true or false");
    }
}
