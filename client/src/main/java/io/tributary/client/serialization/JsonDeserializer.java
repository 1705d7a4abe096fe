package io.tributary.client.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.common.errors.SerializationException;
import java.io.IOException;
import java.util.Map;

/**
 * JSON through Jackson (an optional dependency: only this class needs it). Either to a tree
 * ({@link JsonNode}, the default) or to a class, chosen in code ({@link #to(Class)}) or by
 * the keys {@code json.key.type} / {@code json.value.type} when created from a class name.
 */
public class JsonDeserializer<T> implements Deserializer<T> {
    public static final String KEY_TYPE_CONFIG = "json.key.type";
    public static final String VALUE_TYPE_CONFIG = "json.value.type";

    private final ObjectMapper mapper;
    private Class<?> type;

    /** A tree deserializer, unless configure names a class. */
    public JsonDeserializer() {
        this(JsonNode.class, new ObjectMapper());
    }

    private JsonDeserializer(Class<?> type, ObjectMapper mapper) {
        this.type = type;
        this.mapper = mapper;
    }

    public static <T> JsonDeserializer<T> to(Class<T> type) {
        return new JsonDeserializer<>(type, new ObjectMapper());
    }

    public static <T> JsonDeserializer<T> to(Class<T> type, ObjectMapper mapper) {
        return new JsonDeserializer<>(type, mapper);
    }

    public static JsonDeserializer<JsonNode> tree() {
        return new JsonDeserializer<>(JsonNode.class, new ObjectMapper());
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object name = configs.get(isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG);
        if (name instanceof Class<?> c) {
            type = c;
        } else if (name != null) {
            try {
                type = Class.forName(
                        name.toString().trim(), true, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new SerializationException(
                        "Class " + name + " named by " + (isKey ? KEY_TYPE_CONFIG : VALUE_TYPE_CONFIG) + " not found",
                        e);
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            if (type == JsonNode.class) {
                return (T) mapper.readTree(data);
            }
            return (T) mapper.readValue(data, type);
        } catch (IOException e) {
            throw new SerializationException(
                    "Cannot deserialize JSON from topic " + topic + " as " + type.getName(), e);
        }
    }
}
