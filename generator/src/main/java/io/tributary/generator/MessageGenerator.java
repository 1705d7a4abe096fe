package io.tributary.generator;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Build-time generator: reads Kafka's JSON message specifications (from the kafka-clients jar on
 * its classpath) and writes one Java class per message into the protocol module's generated
 * sources. The wire rules live here once, instead of in hand-written code per API and version.
 */
public final class MessageGenerator {
    static final String PACKAGE = "io.tributary.protocol.message";

    /** The APIs (request + response pairs) we generate. Add a name here to get a new API. */
    static final List<String> APIS = List.of(
            "Produce",
            "Fetch",
            "ListOffsets",
            "Metadata",
            "OffsetCommit",
            "OffsetFetch",
            "FindCoordinator",
            "JoinGroup",
            "Heartbeat",
            "LeaveGroup",
            "SyncGroup",
            "DescribeGroups",
            "ListGroups",
            "SaslHandshake",
            "ApiVersions",
            "CreateTopics",
            "DeleteTopics",
            "DeleteRecords",
            "DescribeLogDirs",
            "InitProducerId",
            "OffsetForLeaderEpoch",
            "DescribeConfigs",
            "AlterConfigs",
            "SaslAuthenticate",
            "CreatePartitions",
            "DeleteGroups",
            "IncrementalAlterConfigs",
            "OffsetDelete",
            "TxnOffsetCommit",
            "DescribeCluster",
            "DescribeProducers",
            "ConsumerGroupHeartbeat",
            "ConsumerGroupDescribe",
            "DescribeTopicPartitions",
            "DescribeAcls",
            "CreateAcls",
            "DeleteAcls",
            "DescribeUserScramCredentials",
            "AlterUserScramCredentials",
            "AddPartitionsToTxn",
            "AddOffsetsToTxn",
            "EndTxn",
            "DescribeTransactions",
            "ListTransactions",
            "WriteTxnMarkers");

    /** Headers and data messages that are not APIs. */
    static final List<String> OTHERS =
            List.of("RequestHeader", "ResponseHeader", "ConsumerProtocolSubscription", "ConsumerProtocolAssignment");

    public static void main(String[] args) throws IOException {
        String output = System.getProperty("tributary.generator.output", args.length > 0 ? args[0] : null);
        if (output == null) {
            throw new IllegalArgumentException("usage: MessageGenerator OUTPUT_DIR (or -Dtributary.generator.output)");
        }
        Path out = Path.of(output, PACKAGE.replace('.', '/'));
        Files.createDirectories(out);
        ObjectMapper mapper = new ObjectMapper();
        mapper.configure(JsonParser.Feature.ALLOW_COMMENTS, true);
        List<MessageSpec> apis = new ArrayList<>();
        for (String api : APIS) {
            for (String suffix : List.of("Request", "Response")) {
                MessageSpec spec = MessageSpec.parse(load(mapper, api + suffix));
                write(out, spec.name + "Data", new ClassWriter(spec).generate());
                apis.add(spec);
            }
        }
        for (String other : OTHERS) {
            MessageSpec spec = MessageSpec.parse(load(mapper, other));
            write(out, spec.name + "Data", new ClassWriter(spec).generate());
        }
        write(out, "ApiMessageType", ApiTypeWriter.generate(apis));
    }

    private static JsonNode load(ObjectMapper mapper, String name) throws IOException {
        String resource = "common/message/" + name + ".json";
        try (InputStream in = MessageGenerator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("message spec not found on the classpath: " + resource);
            }
            return mapper.readTree(in);
        }
    }

    private static void write(Path dir, String className, String source) throws IOException {
        Path file = dir.resolve(className + ".java");
        // Leave an unchanged file alone so incremental compilation does not rebuild everything.
        if (Files.exists(file) && Files.readString(file).equals(source)) {
            return;
        }
        Files.writeString(file, source, StandardCharsets.UTF_8);
    }

    /** An inclusive version range; empty when lo > hi ("none"). */
    record Versions(int lo, int hi) {
        static final Versions NONE = new Versions(1, 0);
        static final Versions ALL = new Versions(0, Short.MAX_VALUE);

        static Versions parse(String s) {
            if (s == null) {
                return null;
            }
            s = s.trim();
            if (s.equals("none")) {
                return NONE;
            }
            if (s.endsWith("+")) {
                return new Versions(Integer.parseInt(s.substring(0, s.length() - 1)), Short.MAX_VALUE);
            }
            int dash = s.indexOf('-');
            if (dash > 0) {
                return new Versions(Integer.parseInt(s.substring(0, dash)), Integer.parseInt(s.substring(dash + 1)));
            }
            int v = Integer.parseInt(s);
            return new Versions(v, v);
        }

        boolean isEmpty() {
            return lo > hi;
        }

        Versions intersect(Versions o) {
            return new Versions(Math.max(lo, o.lo), Math.min(hi, o.hi));
        }

        boolean containsAll(Versions o) {
            return o.isEmpty() || (lo <= o.lo && hi >= o.hi);
        }

        /** A Java condition on {@code version} that holds inside this range, given the message's range. */
        String condition(Versions within) {
            if (isEmpty() || intersect(within).isEmpty()) {
                return "false";
            }
            if (containsAll(within)) {
                return "true";
            }
            boolean checkLo = lo > within.lo;
            boolean checkHi = hi < within.hi;
            if (checkLo && checkHi) {
                return lo == hi ? "version == " + lo : "version >= " + lo + " && version <= " + hi;
            }
            return checkLo ? "version >= " + lo : "version <= " + hi;
        }
    }

    /** A field's type: a primitive, a struct name, or an array of either. */
    record FieldType(String name, boolean array) {
        static FieldType parse(String s) {
            return s.startsWith("[]") ? new FieldType(s.substring(2), true) : new FieldType(s, false);
        }

        boolean isStruct() {
            return !PRIMITIVES.containsKey(name);
        }

        static final Map<String, String> PRIMITIVES = Map.ofEntries(
                Map.entry("int8", "byte"),
                Map.entry("int16", "short"),
                Map.entry("uint16", "int"),
                Map.entry("int32", "int"),
                Map.entry("uint32", "long"),
                Map.entry("int64", "long"),
                Map.entry("float64", "double"),
                Map.entry("bool", "boolean"),
                Map.entry("string", "String"),
                Map.entry("bytes", "byte[]"),
                Map.entry("uuid", "java.util.UUID"),
                Map.entry("records", "io.tributary.protocol.record.BaseRecords"));

        static final Map<String, String> BOXED = Map.of(
                "byte", "Byte", "short", "Short", "int", "Integer", "long", "Long", "double", "Double", "boolean",
                "Boolean");

        String elementJava() {
            return isStruct() ? name : PRIMITIVES.get(name);
        }

        String java() {
            if (!array) {
                return elementJava();
            }
            String e = elementJava();
            return "java.util.List<" + BOXED.getOrDefault(e, e) + ">";
        }
    }

    record FieldSpec(
            String name,
            FieldType type,
            Versions versions,
            Versions nullableVersions,
            Versions taggedVersions,
            int tag,
            String defaultValue,
            Versions flexibleOverride,
            List<FieldSpec> fields) {

        static FieldSpec parse(JsonNode n) {
            List<FieldSpec> children = new ArrayList<>();
            if (n.has("fields")) {
                for (JsonNode c : n.get("fields")) {
                    children.add(parse(c));
                }
            }
            Versions versions = Versions.parse(n.path("versions").asText("0+"));
            Versions nullable = n.has("nullableVersions")
                    ? Versions.parse(n.get("nullableVersions").asText())
                    : Versions.NONE;
            Versions tagged = n.has("taggedVersions")
                    ? Versions.parse(n.get("taggedVersions").asText())
                    : Versions.NONE;
            return new FieldSpec(
                    n.get("name").asText(),
                    FieldType.parse(n.get("type").asText()),
                    versions,
                    nullable,
                    tagged,
                    n.path("tag").asInt(-1),
                    n.has("default") ? n.get("default").asText() : null,
                    n.has("flexibleVersions")
                            ? Versions.parse(n.get("flexibleVersions").asText())
                            : null,
                    children);
        }

        String javaName() {
            String s = Character.toLowerCase(name.charAt(0)) + name.substring(1);
            // "ID" suffixes such as "TopicID" read better in the usual camel case.
            return s.equals("class") ? "klass" : s;
        }

        String setter() {
            return "set" + Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }
    }

    record StructSpec(String name, List<FieldSpec> fields) {}

    record MessageSpec(
            String name,
            String type,
            int apiKey,
            Versions valid,
            Versions flexible,
            List<FieldSpec> fields,
            Map<String, StructSpec> structs) {

        static MessageSpec parse(JsonNode n) {
            List<FieldSpec> fields = new ArrayList<>();
            for (JsonNode f : n.get("fields")) {
                fields.add(FieldSpec.parse(f));
            }
            Map<String, StructSpec> structs = new TreeMap<>();
            if (n.has("commonStructs")) {
                for (JsonNode s : n.get("commonStructs")) {
                    List<FieldSpec> sf = new ArrayList<>();
                    for (JsonNode f : s.get("fields")) {
                        sf.add(FieldSpec.parse(f));
                    }
                    collect(sf, structs);
                    structs.put(
                            s.get("name").asText(), new StructSpec(s.get("name").asText(), sf));
                }
            }
            collect(fields, structs);
            return new MessageSpec(
                    n.get("name").asText(),
                    n.get("type").asText(),
                    n.path("apiKey").asInt(-1),
                    Versions.parse(n.get("validVersions").asText()),
                    Versions.parse(n.path("flexibleVersions").asText("none")),
                    fields,
                    structs);
        }

        private static void collect(List<FieldSpec> fields, Map<String, StructSpec> structs) {
            for (FieldSpec f : fields) {
                if (f.type.isStruct() && !f.fields.isEmpty()) {
                    structs.put(f.type.name, new StructSpec(f.type.name, f.fields));
                    collect(f.fields, structs);
                }
            }
        }
    }
}
