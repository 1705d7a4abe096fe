package io.tributary.client.serialization;

import io.tributary.client.common.ConfigException;
import java.util.List;
import java.util.Map;

/**
 * Avro in Confluent's schema-registry wire format, the producer's side of {@link AvroDeserializer}
 * (issue 12): magic byte 0, the schema's registry id as int32 big-endian, then the Avro binary
 * encoding. The subject is Confluent's default TopicNameStrategy ({@code <topic>-key} or
 * {@code <topic>-value}); with {@value #AUTO_REGISTER_SCHEMAS_CONFIG}=true (the default, as
 * Confluent's) the value's schema is registered under it, otherwise it must already be there.
 * Ids are cached per (subject, schema), so the registry is asked once per schema. Null stays null
 * (a tombstone).
 *
 * <p>Avro and Jackson are optional dependencies of the client: without them, configuring this
 * class fails with a {@link ConfigException} naming what to add. Thread: the producer's
 * application thread (send); a registry request blocks it for at most the connect plus read
 * timeouts per URL.
 */
public class AvroSerializer<T> implements Serializer<T> {
    /** Confluent's key: register the value's schema when it is new (default true). */
    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";

    /** Every key this class reads. */
    public static final List<String> CONFIG_KEYS = List.of(
            AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG,
            AUTO_REGISTER_SCHEMAS_CONFIG,
            AvroDeserializer.CONNECT_TIMEOUT_MS_CONFIG,
            AvroDeserializer.READ_TIMEOUT_MS_CONFIG,
            AvroDeserializer.CACHE_CAPACITY_CONFIG);

    private AvroEncoding encoding;
    private boolean isKey;
    private boolean configuredInCode;

    /** For creation by class name: {@link #configure} must follow. */
    public AvroSerializer() {}

    /** Configured now; a later {@link #configure} without a registry URL keeps this configuration. */
    public AvroSerializer(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey);
        configuredInCode = true;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object urls = configs.get(AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG);
        if (configuredInCode && urls == null) {
            return;
        }
        // The deserializer's parsing of the shared keys, so that both sides read them alike.
        AvroDeserializer.Settings s = AvroDeserializer.settings(configs, "AvroSerializer");
        boolean autoRegister = configs.get(AUTO_REGISTER_SCHEMAS_CONFIG) == null
                || AvroDeserializer.bool(configs, AUTO_REGISTER_SCHEMAS_CONFIG);
        this.isKey = isKey;
        encoding = new AvroEncoding(
                new SchemaRegistryClient(s.urls(), s.connectTimeoutMs(), s.readTimeoutMs()),
                autoRegister,
                s.cacheCapacity());
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (encoding == null) {
            throw new IllegalStateException(
                    "AvroSerializer used before configure (needs " + AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG + ")");
        }
        return encoding.encode(topic, isKey, data);
    }
}
