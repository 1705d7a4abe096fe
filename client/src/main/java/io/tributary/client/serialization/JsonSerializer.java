package io.tributary.client.serialization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.common.errors.SerializationException;

/**
 * JSON through Jackson, the producer's side of {@link JsonDeserializer} (issue 12): any value
 * Jackson can write (a {@code JsonNode}, a record, a bean, a map) as UTF-8 JSON; null stays null
 * (a tombstone). Jackson is an optional dependency of the client: only this class needs it.
 */
public class JsonSerializer<T> implements Serializer<T> {
    private final ObjectMapper mapper;

    public JsonSerializer() {
        this(new ObjectMapper());
    }

    /** With the application's own mapper (modules, naming strategy, ...). */
    public JsonSerializer(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new SerializationException(
                    "Cannot serialize " + data.getClass().getName() + " as JSON for topic " + topic + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }
}
