package io.tributary.client.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real (if tiny) schema registry for tests: an HTTP server on 127.0.0.1, port 0, answering
 * the two reads a deserializer makes, with Confluent's JSON shapes:
 * GET /schemas/ids/{id} → {"schema": "..."} (plus "schemaType" and "references" when set), and
 * GET /subjects/{subject}/versions/{version} → {"subject","version","id","schema"}; anything
 * unknown → 404 {"error_code":40403,"message":"Schema not found"}; and the serializer's writes:
 * POST /subjects/{subject}/versions {"schema"} → {"id"} (the same id for the same schema), POST
 * /subjects/{subject} {"schema"} → {"subject","id","version","schema"} or 404 40403. Counts
 * requests per path.
 * Handlers run on the server's single dispatcher thread.
 */
final class TinySchemaRegistry implements AutoCloseable {
    record Ref(String name, String subject, int version) {}

    private record Stored(String schema, String type, List<Ref> refs) {}

    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern BY_VERSION = Pattern.compile("/subjects/([^/]+)/versions/(\\d+)");
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<Integer, Stored> byId = new ConcurrentHashMap<>();
    private final Map<String, Integer> bySubjectVersion = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final HttpServer server;

    TinySchemaRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void register(int id, String avroSchema) {
        byId.put(id, new Stored(avroSchema, null, List.of()));
    }

    void register(int id, String schema, String schemaType, List<Ref> refs) {
        byId.put(id, new Stored(schema, schemaType, refs));
    }

    void registerVersion(String subject, int version, int id, String avroSchema) {
        register(id, avroSchema);
        bySubjectVersion.put(subject + "/" + version, id);
    }

    int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Matcher m;
            Stored s = null;
            ObjectNode body = mapper.createObjectNode();
            if (ex.getRequestMethod().equals("POST")) {
                post(ex, path);
                return;
            }
            if (!ex.getRequestMethod().equals("GET")) {
                send(ex, 405, "{\"error_code\":405,\"message\":\"Method not allowed\"}");
                return;
            }
            if ((m = BY_ID.matcher(path)).matches()) {
                s = byId.get(Integer.parseInt(m.group(1)));
            } else if ((m = BY_VERSION.matcher(path)).matches()) {
                Integer id = bySubjectVersion.get(m.group(1) + "/" + m.group(2));
                if (id != null) {
                    s = byId.get(id);
                    body.put("subject", m.group(1))
                            .put("version", Integer.parseInt(m.group(2)))
                            .put("id", id);
                }
            }
            if (s == null) {
                send(ex, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
                return;
            }
            body.put("schema", s.schema);
            if (s.type != null) {
                body.put("schemaType", s.type);
            }
            if (!s.refs.isEmpty()) {
                ArrayNode refs = body.putArray("references");
                for (Ref r : s.refs) {
                    refs.addObject()
                            .put("name", r.name())
                            .put("subject", r.subject())
                            .put("version", r.version());
                }
            }
            send(ex, 200, mapper.writeValueAsString(body));
        }
    }

    private void post(HttpExchange ex, String path) throws IOException {
        String schema = mapper.readTree(ex.getRequestBody()).path("schema").asText();
        Matcher m;
        boolean register = (m = REGISTER.matcher(path)).matches();
        if (!register && !(m = LOOKUP.matcher(path)).matches()) {
            send(ex, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
            return;
        }
        String subject = m.group(1);
        for (Map.Entry<String, Integer> e : bySubjectVersion.entrySet()) {
            Stored s = byId.get(e.getValue());
            if (e.getKey().startsWith(subject + "/")
                    && mapper.readTree(s.schema).equals(mapper.readTree(schema))) {
                int version = Integer.parseInt(e.getKey().substring(subject.length() + 1));
                send(
                        ex,
                        200,
                        mapper.writeValueAsString(mapper.createObjectNode()
                                .put("subject", subject)
                                .put("id", e.getValue())
                                .put("version", version)
                                .put("schema", s.schema)));
                return;
            }
        }
        if (!register) {
            send(ex, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
            return;
        }
        // As Confluent's: an identical schema keeps its global id across subjects.
        int id = byId.entrySet().stream()
                .filter(e -> sameJson(e.getValue().schema, schema))
                .mapToInt(Map.Entry::getKey)
                .findFirst()
                .orElseGet(() ->
                        byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
        int version = (int) bySubjectVersion.keySet().stream()
                        .filter(k -> k.startsWith(subject + "/"))
                        .count()
                + 1;
        registerVersion(subject, version, id, schema);
        send(ex, 200, "{\"id\":" + id + "}");
    }

    private boolean sameJson(String a, String b) {
        try {
            return mapper.readTree(a).equals(mapper.readTree(b));
        } catch (IOException e) {
            return false;
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
