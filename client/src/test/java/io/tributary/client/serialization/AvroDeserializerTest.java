package io.tributary.client.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.client.common.ConfigException;
import io.tributary.client.common.Headers;
import io.tributary.client.common.errors.SerializationException;
import io.tributary.client.consumer.TributaryConsumer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AvroDeserializer} against a real schema registry over HTTP ({@link TinySchemaRegistry}).
 * Payloads are encoded by Avro's own {@link GenericDatumWriter} and framed by hand in
 * Confluent's wire format:
 * <pre>
 *   byte 0      magic byte, always 0
 *   bytes 1-4   schema id, int32 big-endian (the registry's global id)
 *   bytes 5-    the value's Avro binary encoding with the writer schema
 *               (for a top-level "bytes" schema: the raw bytes, no length prefix)
 * </pre>
 */
class AvroDeserializerTest {
    private static final String ORDER_SCHEMA = """
            {"type":"record","name":"Order","namespace":"shop","fields":[
              {"name":"id","type":"long"},
              {"name":"customer","type":{"type":"record","name":"Customer","fields":[
                 {"name":"name","type":"string"},
                 {"name":"email","type":["null","string"],"default":null}]}},
              {"name":"status","type":{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}},
              {"name":"items","type":{"type":"array","items":"string"}},
              {"name":"attributes","type":{"type":"map","values":"int"}},
              {"name":"signature","type":"bytes"},
              {"name":"total","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
              {"name":"placedAt","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"dueOn","type":{"type":"int","logicalType":"date"}}]}""";

    private static final String USER_V1 = """
            {"type":"record","name":"User","namespace":"acct","fields":[{"name":"name","type":"string"}]}""";

    private TinySchemaRegistry registry;

    @BeforeEach
    void start() throws IOException {
        registry = new TinySchemaRegistry();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private AvroDeserializer<Object> deserializer(Map<String, Object> extra) {
        Map<String, Object> c = new HashMap<>(extra);
        c.putIfAbsent(AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        return new AvroDeserializer<>(c, false);
    }

    private AvroDeserializer<Object> deserializer() {
        return deserializer(Map.of());
    }

    /** Confluent framing: magic 0, int32 BE schema id, payload. */
    static byte[] frame(int schemaId, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(payload)
                .array();
    }

    static byte[] avro(Schema schema, Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(value, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static GenericRecord order(Schema s, long id, String email) {
        Schema customerSchema = s.getField("customer").schema();
        GenericRecord customer = new GenericData.Record(customerSchema);
        customer.put("name", "Ada");
        customer.put("email", email);
        GenericRecord o = new GenericData.Record(s);
        o.put("id", id);
        o.put("customer", customer);
        o.put("status", new GenericData.EnumSymbol(s.getField("status").schema(), "PAID"));
        o.put("items", List.of("pen", "ink"));
        o.put("attributes", Map.of("gift", 1, "priority", 3));
        o.put("signature", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        // Logical types written as their underlying Avro values: decimal 123.45 (unscaled 12345), epoch values.
        o.put("total", ByteBuffer.wrap(BigDecimal.valueOf(12345).toBigInteger().toByteArray()));
        o.put("placedAt", 1_700_000_000_123L);
        o.put("dueOn", 19_700);
        return o;
    }

    @Test
    void genericRecordRoundTrip() throws IOException {
        Schema s = new Schema.Parser().parse(ORDER_SCHEMA);
        registry.register(7, ORDER_SCHEMA);
        try (AvroDeserializer<Object> d =
                deserializer(Map.of(AvroDeserializer.USE_LOGICAL_TYPE_CONVERTERS_CONFIG, "true"))) {
            GenericRecord r =
                    (GenericRecord) d.deserialize("orders", frame(7, avro(s, order(s, 42L, "ada@example.org"))));
            assertThat(r.getSchema()).isEqualTo(s);
            assertThat(r.get("id")).isEqualTo(42L);
            GenericRecord customer = (GenericRecord) r.get("customer");
            assertThat(customer.get("name")).hasToString("Ada");
            assertThat(customer.get("email")).hasToString("ada@example.org");
            assertThat(r.get("status")).hasToString("PAID");
            assertThat(((List<?>) r.get("items")).stream().map(Object::toString))
                    .containsExactly("pen", "ink");
            Map<String, Object> attrs = ((Map<?, ?>) r.get("attributes"))
                    .entrySet().stream()
                            .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue));
            assertThat(attrs).containsExactlyInAnyOrderEntriesOf(Map.of("gift", 1, "priority", 3));
            ByteBuffer sig = (ByteBuffer) r.get("signature");
            byte[] sigBytes = new byte[sig.remaining()];
            sig.get(sigBytes);
            assertThat(sigBytes).containsExactly(1, 2, 3);
            assertThat(r.get("total")).isEqualTo(new BigDecimal("123.45"));
            assertThat(r.get("placedAt")).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
            assertThat(r.get("dueOn")).isEqualTo(LocalDate.ofEpochDay(19_700));

            // The null branch of the union, read from the consumer's zero-copy path: a view in the middle of a larger
            // array.
            byte[] framed = frame(7, avro(s, order(s, 43L, null)));
            byte[] fetched = new byte[framed.length + 20];
            System.arraycopy(framed, 0, fetched, 10, framed.length);
            ByteBuffer view = ByteBuffer.wrap(fetched, 10, framed.length).slice();
            GenericRecord r2 = (GenericRecord) d.deserialize("orders", Headers.EMPTY, view);
            assertThat(r2.get("id")).isEqualTo(43L);
            assertThat(((GenericRecord) r2.get("customer")).get("email")).isNull();
        }
    }

    @Test
    void logicalTypesStayRawByDefault() throws IOException {
        Schema s = new Schema.Parser().parse(ORDER_SCHEMA);
        registry.register(7, ORDER_SCHEMA);
        try (AvroDeserializer<Object> d = deserializer()) {
            GenericRecord r = (GenericRecord) d.deserialize("orders", frame(7, avro(s, order(s, 1L, null))));
            assertThat(r.get("placedAt")).isEqualTo(1_700_000_000_123L);
            assertThat(r.get("total")).isInstanceOf(ByteBuffer.class);
        }
    }

    @Test
    void topLevelPrimitivesAndNull() throws IOException {
        registry.register(1, "\"string\"");
        registry.register(2, "\"bytes\"");
        registry.register(3, "\"int\"");
        try (AvroDeserializer<Object> d = deserializer()) {
            assertThat(d.deserialize("t", frame(1, avro(Schema.create(Schema.Type.STRING), new Utf8("héllo")))))
                    .isEqualTo("héllo");
            // Confluent writes a bytes-schema value raw: no Avro length prefix.
            assertThat((byte[]) d.deserialize("t", frame(2, new byte[] {9, 8, 7})))
                    .containsExactly(9, 8, 7);
            assertThat(d.deserialize("t", frame(3, avro(Schema.create(Schema.Type.INT), -5))))
                    .isEqualTo(-5);
            assertThat(d.deserialize("t", null)).isNull();
            assertThat(d.deserialize("t", Headers.EMPTY, (ByteBuffer) null)).isNull();
        }
        assertThat(registry.hits("/schemas/ids/1")).isEqualTo(1);
    }

    @Test
    void schemasAreFetchedOncePerIdAndTheCacheIsBounded() throws IOException {
        Schema user = new Schema.Parser().parse(USER_V1);
        registry.register(1, USER_V1);
        registry.register(2, "\"long\"");
        GenericRecord u = new GenericData.Record(user);
        u.put("name", "grace");
        byte[] m1 = frame(1, avro(user, u));
        byte[] m2 = frame(2, avro(Schema.create(Schema.Type.LONG), 77L));
        try (AvroDeserializer<Object> d = deserializer()) {
            for (int i = 0; i < 5; i++) {
                assertThat(((GenericRecord) d.deserialize("users", m1)).get("name"))
                        .hasToString("grace");
                assertThat(d.deserialize("users", m2)).isEqualTo(77L);
            }
        }
        assertThat(registry.hits("/schemas/ids/1")).isEqualTo(1);
        assertThat(registry.hits("/schemas/ids/2")).isEqualTo(1);

        // With room for one schema, alternating ids evict each other and are fetched again.
        try (AvroDeserializer<Object> d = deserializer(Map.of(AvroDeserializer.CACHE_CAPACITY_CONFIG, 1))) {
            d.deserialize("users", m1);
            d.deserialize("users", m2);
            d.deserialize("users", m1);
        }
        assertThat(registry.hits("/schemas/ids/1")).isEqualTo(3);
        assertThat(registry.hits("/schemas/ids/2")).isEqualTo(2);
    }

    @Test
    void unknownSchemaIdNamesTheRegistrysError() {
        try (AvroDeserializer<Object> d = deserializer()) {
            assertThatThrownBy(() -> d.deserialize("payments", frame(99, new byte[] {2})))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Unknown schema id 99")
                    .hasMessageContaining("topic payments")
                    .hasMessageContaining("404")
                    .hasMessageContaining("error_code 40403, Schema not found");
        }
        assertThat(registry.hits("/schemas/ids/99")).isEqualTo(1);
    }

    @Test
    void badMagicByteAndShortFramesFail() {
        registry.register(1, "\"int\"");
        try (AvroDeserializer<Object> d = deserializer()) {
            byte[] framed = frame(1, new byte[] {2});
            framed[0] = 1;
            assertThatThrownBy(() -> d.deserialize("orders", framed))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("Unknown magic byte 1 in topic orders");
            assertThatThrownBy(() -> d.deserialize("orders", new byte[] {0, 0, 0}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("at least 5 bytes");
            // Plain JSON text is a classic mistake: '{' is the first byte.
            assertThatThrownBy(() -> d.deserialize("orders", "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("magic byte 123");
        }
        assertThat(registry.hits("/schemas/ids/1")).isZero();
    }

    @Test
    void payloadThatDoesNotMatchItsSchemaFails() throws IOException {
        Schema user = new Schema.Parser().parse(USER_V1);
        registry.register(1, USER_V1);
        registry.register(2, "\"double\"");
        registry.register(3, "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}");
        GenericRecord u = new GenericData.Record(user);
        u.put("name", "a rather long name");
        byte[] userPayload = avro(user, u);
        try (AvroDeserializer<Object> d = deserializer()) {
            // Truncated: the string's length says more bytes than there are.
            assertThatThrownBy(() -> d.deserialize("users", frame(1, java.util.Arrays.copyOf(userPayload, 5))))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("does not match its writer schema (id 1, acct.User)")
                    .hasMessageContaining("topic users");
            // Written with one schema, framed with another's id: a user record is not a double plus nothing.
            assertThatThrownBy(() -> d.deserialize("users", frame(2, userPayload)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("id 2");
            // Enum index out of range.
            assertThatThrownBy(() -> d.deserialize("users", frame(3, avro(Schema.create(Schema.Type.INT), 7))))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("id 3, E");
            // A huge declared string length must fail cleanly, not try to allocate it.
            byte[] huge = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'x'};
            assertThatThrownBy(() -> d.deserialize("users", frame(1, huge)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("acct.User");
        }
    }

    @Test
    void unreachableRegistryFailsWithinTheTimeout() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (AvroDeserializer<Object> d =
                deserializer(Map.of(AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, "http://127.0.0.1:" + deadPort))) {
            assertThatThrownBy(() -> d.deserialize("orders", frame(1, new byte[] {2})))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("http://127.0.0.1:" + deadPort + " unreachable")
                    .hasMessageContaining("schema id 1")
                    .hasMessageContaining("topic orders");
        }
        // A registry that accepts the connection but never answers: the read timeout ends the wait.
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
                AvroDeserializer<Object> d = deserializer(Map.of(
                        AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG,
                        "http://127.0.0.1:" + silent.getLocalPort(),
                        AvroDeserializer.READ_TIMEOUT_MS_CONFIG,
                        "300"))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> d.deserialize("orders", frame(1, new byte[] {2})))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("timed out")
                    .hasMessageContaining("read timeout 300 ms");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 5_000L);
        }
    }

    @Test
    void failsOverToTheNextRegistryUrl() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        registry.register(5, "\"int\"");
        try (AvroDeserializer<Object> d = deserializer(Map.of(
                AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG,
                "http://127.0.0.1:" + deadPort + " , " + registry.url() + "/"))) {
            assertThat(d.deserialize("t", frame(5, avro(Schema.create(Schema.Type.INT), 12))))
                    .isEqualTo(12);
        }
        assertThat(registry.hits("/schemas/ids/5")).isEqualTo(1);
    }

    @Test
    void specificReaderBuildsTheGeneratedClass() throws IOException {
        registry.register(11, Greeting.SCHEMA$.toString());
        GenericRecord g = new GenericData.Record(Greeting.SCHEMA$);
        g.put("text", "hi");
        g.put("count", 3);
        byte[] framed = frame(11, avro(Greeting.SCHEMA$, g));
        // Avro 1.12 loads only classes from trusted packages; the error says how to trust them.
        try (AvroDeserializer<Object> d = deserializer(Map.of(AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, "true"))) {
            assertThatThrownBy(() -> d.deserialize("greetings", framed))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("org.apache.avro.SERIALIZABLE_PACKAGES");
        }
        ClassSecurityValidator.ClassSecurityPredicate global = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(global, c -> c == Greeting.class));
        try (AvroDeserializer<Object> d = deserializer(Map.of(AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, "true"))) {
            Object v = d.deserialize("greetings", framed);
            assertThat(v).isInstanceOf(Greeting.class);
            assertThat(((Greeting) v).text).hasToString("hi");
            assertThat(((Greeting) v).count).isEqualTo(3);

            registry.register(12, USER_V1);
            Schema user = new Schema.Parser().parse(USER_V1);
            GenericRecord u = new GenericData.Record(user);
            u.put("name", "x");
            assertThatThrownBy(() -> d.deserialize("users", frame(12, avro(user, u))))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("no SpecificRecord class acct.User");
        } finally {
            ClassSecurityValidator.setGlobal(global);
        }
    }

    @Test
    void readerSchemaResolvesOldWriters() throws IOException {
        Schema v1 = new Schema.Parser().parse(USER_V1);
        registry.register(1, USER_V1);
        String v2 = """
                {"type":"record","name":"User","namespace":"acct","fields":[{"name":"name","type":"string"},
                 {"name":"age","type":"int","default":-1}]}""";
        GenericRecord u = new GenericData.Record(v1);
        u.put("name", "old");
        try (AvroDeserializer<Object> d = deserializer(Map.of(AvroDeserializer.READER_SCHEMA_CONFIG, v2))) {
            GenericRecord r = (GenericRecord) d.deserialize("users", frame(1, avro(v1, u)));
            assertThat(r.get("name")).hasToString("old");
            assertThat(r.get("age")).isEqualTo(-1);
        }
    }

    @Test
    void schemaReferencesAreFetchedFirst() throws IOException {
        String address = """
                {"type":"record","name":"Address","namespace":"geo","fields":[{"name":"city","type":"string"}]}""";
        String person = """
                {"type":"record","name":"Person","namespace":"geo","fields":[{"name":"home","type":"geo.Address"}]}""";
        registry.registerVersion("address-value", 1, 20, address);
        registry.register(21, person, null, List.of(new TinySchemaRegistry.Ref("geo.Address", "address-value", 1)));
        Schema.Parser p = new Schema.Parser();
        Schema addressSchema = p.parse(address);
        Schema personSchema = p.parse(person);
        GenericRecord a = new GenericData.Record(addressSchema);
        a.put("city", "Lyon");
        GenericRecord pr = new GenericData.Record(personSchema);
        pr.put("home", a);
        try (AvroDeserializer<Object> d = deserializer()) {
            GenericRecord r = (GenericRecord) d.deserialize("people", frame(21, avro(personSchema, pr)));
            assertThat(((GenericRecord) r.get("home")).get("city")).hasToString("Lyon");
        }
        assertThat(registry.hits("/subjects/address-value/versions/1")).isEqualTo(1);
    }

    @Test
    void nonAvroSchemasAreRefused() {
        registry.register(30, "syntax = \"proto3\"; message M {}", "PROTOBUF", List.of());
        try (AvroDeserializer<Object> d = deserializer()) {
            assertThatThrownBy(() -> d.deserialize("t", frame(30, new byte[] {0})))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("PROTOBUF schema, not Avro");
        }
    }

    @Test
    void createdByClassNameAndConfiguredFromStringProperties() throws ReflectiveOperationException, IOException {
        registry.register(1, "\"long\"");
        // What the consumer does for value.deserializer=<class name>: no-arg constructor, then configure(props).
        @SuppressWarnings("unchecked")
        Deserializer<Object> d = (Deserializer<Object>) Class.forName(AvroDeserializer.class.getName())
                .getDeclaredConstructor()
                .newInstance();
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                "127.0.0.1:9092",
                AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG,
                registry.url(),
                AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG,
                "false",
                AvroDeserializer.CONNECT_TIMEOUT_MS_CONFIG,
                "2000");
        d.configure(props, false);
        assertThat(d.deserialize("t", frame(1, avro(Schema.create(Schema.Type.LONG), 5L))))
                .isEqualTo(5L);

        assertThatThrownBy(() -> new AvroDeserializer<>().configure(Map.of(), true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new AvroDeserializer<>()
                        .configure(
                                Map.of(
                                        AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG,
                                        registry.url(),
                                        AvroDeserializer.READ_TIMEOUT_MS_CONFIG,
                                        "soon"),
                                true))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.read.timeout.ms");
        assertThatThrownBy(() -> new AvroDeserializer<>().deserialize("t", new byte[5]))
                .isInstanceOf(IllegalStateException.class);

        // Configured in code, then handed the consumer's own properties (no registry URL): it keeps its setup.
        AvroDeserializer<Object> inCode = deserializer();
        inCode.configure(Map.of("bootstrap.servers", "127.0.0.1:9092"), false);
        assertThat(inCode.deserialize("t", frame(1, avro(Schema.create(Schema.Type.LONG), 6L))))
                .isEqualTo(6L);
    }

    /** The consumer's own path: value.deserializer by class name, configured from the consumer's properties. */
    @Test
    void theConsumerCreatesAndConfiguresItByClassName() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "127.0.0.1:9");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", AvroDeserializer.class.getName());
        assertThatThrownBy(() -> new TributaryConsumer<String, Object>(props).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        props.put(AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, registry.url());
        props.put(AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, "maybe");
        assertThatThrownBy(() -> new TributaryConsumer<String, Object>(props).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("specific.avro.reader");
        props.put(AvroDeserializer.SPECIFIC_AVRO_READER_CONFIG, "true");
        new TributaryConsumer<String, Object>(props).close();
    }

    @Test
    void startsNoThread() throws IOException {
        registry.register(1, USER_V1);
        registry.register(2, "\"int\"");
        Schema user = new Schema.Parser().parse(USER_V1);
        GenericRecord u = new GenericData.Record(user);
        u.put("name", "n");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (AvroDeserializer<Object> d = deserializer()) {
            d.deserialize("t", frame(1, avro(user, u)));
            d.deserialize("t", frame(2, avro(Schema.create(Schema.Type.INT), 1)));
            assertThatThrownBy(() -> d.deserialize("t", frame(3, new byte[0])))
                    .isInstanceOf(SerializationException.class);
        }
        List<String> started = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(t)) {
                started.add(t.getName());
            }
        }
        assertThat(started).isEmpty();
    }

    /** Without Avro on the classpath the class still loads, and configuring it says what to add. */
    @Test
    void withoutAvroConfigureExplainsWhatIsMissing() throws Exception {
        URL classes =
                AvroDeserializer.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader noAvro =
                new URLClassLoader(new URL[] {classes}, getClass().getClassLoader()) {
                    @Override
                    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                        if (name.startsWith("org.apache.avro.")) {
                            throw new ClassNotFoundException(name);
                        }
                        if (!name.startsWith("io.tributary.client.")) {
                            return super.loadClass(name, resolve);
                        }
                        synchronized (getClassLoadingLock(name)) {
                            Class<?> c = findLoadedClass(name);
                            return c != null ? c : findClass(name);
                        }
                    }
                }) {
            Class<?> c = Class.forName(AvroDeserializer.class.getName(), true, noAvro);
            assertThat(c).isNotSameAs(AvroDeserializer.class);
            Object d = c.getDeclaredConstructor().newInstance();
            Throwable thrown;
            try {
                c.getMethod("configure", Map.class, boolean.class)
                        .invoke(d, Map.of(AvroDeserializer.SCHEMA_REGISTRY_URL_CONFIG, registry.url()), false);
                thrown = null;
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            assertThat(thrown).isNotNull();
            assertThat(thrown.getClass().getSimpleName()).isEqualTo("ConfigException");
            assertThat(thrown).hasMessageContaining("org.apache.avro:avro");
        }
    }
}
