package io.tributary.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.protocol.ApiMessage;
import io.tributary.protocol.Message;
import io.tributary.protocol.ProtocolReader;
import io.tributary.protocol.ProtocolWriter;
import io.tributary.protocol.record.MemoryRecords;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden test of the generator (B1): for every generated message and every version of its spec,
 * a randomly filled message written by our code must be read by Apache Kafka's generated class
 * and written back by Kafka to exactly the same bytes; and our reader must parse Kafka's bytes
 * into an equal message. Kafka's classes are only on the test classpath.
 */
class GeneratedMessagesMatchKafkaTest {

    static Stream<Arguments> messagesAndVersions() {
        List<Arguments> out = new ArrayList<>();
        List<Class<?>> classes = new ArrayList<>();
        for (ApiMessageType t : ApiMessageType.values()) {
            classes.add(t.newRequest().getClass());
            classes.add(t.newResponse().getClass());
        }
        classes.add(RequestHeaderData.class);
        classes.add(ResponseHeaderData.class);
        classes.add(ConsumerProtocolSubscriptionData.class);
        classes.add(ConsumerProtocolAssignmentData.class);
        for (Class<?> c : classes) {
            ApiMessage m = (ApiMessage) newInstance(c);
            for (short v = m.lowestSupportedVersion(); v <= m.highestSupportedVersion(); v++) {
                out.add(Arguments.of(c.getSimpleName(), v));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("messagesAndVersions")
    void ourBytesRoundTripThroughKafka(String simpleName, short version) throws Exception {
        Class<?> ours = Class.forName("io.tributary.protocol.message." + simpleName);
        // Kafka names its data messages without the "Data" suffix.
        String kafkaName = simpleName.startsWith("ConsumerProtocol") ? simpleName.replace("Data", "") : simpleName;
        Class<?> kafka = Class.forName("org.apache.kafka.common.message." + kafkaName);
        for (int seed = 0; seed < 5; seed++) {
            Random random = new Random(seed * 31L + version);
            Message msg = (Message) newInstance(ours);
            fill(msg, random, 0);
            ProtocolWriter w = new ProtocolWriter();
            msg.write(w, version);
            byte[] ourBytes = w.toByteArray();

            Object theirs = kafka.getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class)
                    .newInstance(new ByteBufferAccessor(ByteBuffer.wrap(ourBytes)), version);
            byte[] kafkaBytes = kafkaWrite(theirs, version);
            assertThat(kafkaBytes)
                    .as("%s v%d seed %d", simpleName, version, seed)
                    .isEqualTo(ourBytes);

            Message back = (Message) newInstance(ours);
            ProtocolReader r = new ProtocolReader(ByteBuffer.wrap(kafkaBytes));
            back.read(r, version);
            assertThat(r.remaining()).isZero();
            ProtocolWriter w2 = new ProtocolWriter();
            back.write(w2, version);
            assertThat(w2.toByteArray()).isEqualTo(ourBytes);
        }
    }

    private static byte[] kafkaWrite(Object kafkaMessage, short version) throws Exception {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = (int) kafkaMessage
                .getClass()
                .getMethod("size", ObjectSerializationCache.class, short.class)
                .invoke(kafkaMessage, cache, version);
        ByteBuffer buf = ByteBuffer.allocate(size);
        kafkaMessage
                .getClass()
                .getMethod(
                        "write",
                        org.apache.kafka.common.protocol.Writable.class,
                        ObjectSerializationCache.class,
                        short.class)
                .invoke(kafkaMessage, new ByteBufferAccessor(buf), cache, version);
        return buf.array();
    }

    private static Object newInstance(Class<?> c) {
        try {
            return c.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Sets every public field to a random non-null value (structures 2 levels of lists deep at most). */
    private static void fill(Object msg, Random random, int depth) {
        for (Field f : msg.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                f.set(msg, randomValue(f.getType(), f.getGenericType(), random, depth));
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static Object randomValue(Class<?> type, Type generic, Random random, int depth) {
        if (type == byte.class || type == Byte.class) {
            return (byte) random.nextInt();
        } else if (type == short.class || type == Short.class) {
            return (short) random.nextInt();
        } else if (type == int.class || type == Integer.class) {
            return random.nextInt(1000) - 1;
        } else if (type == long.class || type == Long.class) {
            return random.nextLong();
        } else if (type == double.class || type == Double.class) {
            return random.nextDouble();
        } else if (type == boolean.class || type == Boolean.class) {
            return random.nextBoolean();
        } else if (type == String.class) {
            return "s" + Integer.toHexString(random.nextInt()) + (random.nextBoolean() ? "é" : "");
        } else if (type == byte[].class) {
            byte[] b = new byte[random.nextInt(5)];
            random.nextBytes(b);
            return b;
        } else if (type == UUID.class) {
            return new UUID(random.nextLong(), random.nextLong());
        } else if (type == io.tributary.protocol.record.BaseRecords.class) {
            byte[] b = new byte[random.nextInt(20)];
            random.nextBytes(b);
            return new MemoryRecords(ByteBuffer.wrap(b));
        } else if (type == List.class) {
            Type element = ((ParameterizedType) generic).getActualTypeArguments()[0];
            Class<?> ec = (Class<?>) element;
            List<Object> list = new ArrayList<>();
            int n = depth > 2 ? 0 : 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                list.add(randomValue(ec, ec, random, depth + 1));
            }
            return list;
        } else {
            Object struct = newInstance(type);
            fill(struct, random, depth + 1);
            return struct;
        }
    }
}
