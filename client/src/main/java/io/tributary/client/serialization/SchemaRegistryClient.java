package io.tributary.client.serialization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.client.common.errors.SerializationException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads schemas from a Confluent-compatible schema registry over HTTP (GET /schemas/ids/{id},
 * GET /subjects/{subject}/versions/{version}) and registers or looks up the producer's schemas
 * (POST /subjects/{subject}/versions, POST /subjects/{subject}). Owns no cache and no thread: each call is one
 * blocking request on the caller's thread (the consumer's application thread, inside poll),
 * bounded by the connect and read timeouts. {@link HttpURLConnection} rather than
 * java.net.http.HttpClient, because the latter starts a selector thread per client.
 * Uses Jackson, so only classes that need a registry load it.
 */
final class SchemaRegistryClient {
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    /** Confluent's "Schema not found" and "Subject/version not found" codes. */
    private static final int SCHEMA_NOT_FOUND = 40403;

    /** A schema as the registry returns it; references are (name, subject, version). */
    record Registered(String schemaType, String schema, List<Reference> references) {}

    record Reference(String name, String subject, int version) {}

    private final List<String> baseUrls;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final ObjectMapper mapper = new ObjectMapper();

    SchemaRegistryClient(List<String> baseUrls, int connectTimeoutMs, int readTimeoutMs) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no schema registry URL");
        }
        List<String> urls = new ArrayList<>();
        for (String u : baseUrls) {
            urls.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        }
        this.baseUrls = List.copyOf(urls);
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
    }

    List<String> baseUrls() {
        return baseUrls;
    }

    Registered schemaById(int id, String topic) {
        return parse(get("/schemas/ids/" + id, "schema id " + id, topic), "schema id " + id);
    }

    Registered schemaByVersion(String subject, int version, String topic) {
        String what = "subject " + subject + " version " + version;
        return parse(
                get(
                        "/subjects/"
                                + URLEncoder.encode(subject, StandardCharsets.UTF_8)
                                        .replace("+", "%20") + "/versions/" + version,
                        what,
                        topic),
                what);
    }

    /** Registers an Avro schema under the subject (or finds it registered): its global id. */
    int register(String subject, String avroSchema, String topic) {
        return idOf(
                request(
                        "POST",
                        "/subjects/" + encode(subject) + "/versions",
                        avroSchema,
                        "registering a schema under subject " + subject,
                        topic),
                "subject " + subject);
    }

    /** The global id of an Avro schema already registered under the subject. */
    int lookup(String subject, String avroSchema, String topic) {
        return idOf(
                request(
                        "POST",
                        "/subjects/" + encode(subject),
                        avroSchema,
                        "looking up a schema under subject " + subject,
                        topic),
                "subject " + subject);
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static int idOf(JsonNode body, String what) {
        JsonNode id = body.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new SerializationException(
                    "Schema registry answer for " + what + " has no \"id\": " + abbreviate(body.toString()));
        }
        return id.asInt();
    }

    private Registered parse(JsonNode body, String what) {
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw new SerializationException(
                    "Schema registry answer for " + what + " has no \"schema\" string: " + abbreviate(body.toString()));
        }
        JsonNode type = body.get("schemaType");
        List<Reference> refs = new ArrayList<>();
        JsonNode rs = body.get("references");
        if (rs != null && rs.isArray()) {
            for (JsonNode r : rs) {
                refs.add(new Reference(
                        r.path("name").asText(),
                        r.path("subject").asText(),
                        r.path("version").asInt()));
            }
        }
        // The registry omits schemaType for Avro, its original and default type.
        return new Registered(type == null || type.isNull() ? "AVRO" : type.asText(), schema.asText(), refs);
    }

    /**
     * Tries each URL in turn: a connection failure, timeout or 5xx moves on to the next one;
     * any other answer (a 404 above all) is the registry's word and is not retried.
     */
    private JsonNode get(String path, String what, String topic) {
        return request("GET", path, null, what, topic);
    }

    /** {@code avroSchema} non-null: POSTed as {"schema": ...} (Avro, the registry's default type). */
    private JsonNode request(String method, String path, String avroSchema, String what, String topic) {
        SerializationException last = null;
        for (String base : baseUrls) {
            HttpURLConnection c = null;
            try {
                c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
                c.setConnectTimeout(connectTimeoutMs);
                c.setReadTimeout(readTimeoutMs);
                c.setUseCaches(false);
                c.setRequestProperty("Accept", ACCEPT);
                if (avroSchema != null) {
                    byte[] body =
                            mapper.writeValueAsBytes(mapper.createObjectNode().put("schema", avroSchema));
                    c.setRequestMethod(method);
                    c.setDoOutput(true);
                    c.setRequestProperty("Content-Type", "application/vnd.schemaregistry.v1+json");
                    try (var out = c.getOutputStream()) {
                        out.write(body);
                    }
                }
                int status = c.getResponseCode();
                if (status == 200) {
                    try (InputStream in = c.getInputStream()) {
                        return mapper.readTree(in);
                    }
                }
                String body = errorBody(c);
                String explained = explain(body);
                if (status >= 500 || status == 408 || status == 429) {
                    last = new SerializationException("Schema registry " + base + " answered HTTP " + status + " for "
                            + what + " (topic " + topic + ")" + explained);
                    continue;
                }
                if (status == 404 && errorCode(body) == SCHEMA_NOT_FOUND) {
                    throw new SerializationException("Unknown " + what + " (topic " + topic + "): schema registry "
                            + base + " answered HTTP 404" + explained);
                }
                throw new SerializationException("Schema registry " + base + " answered HTTP " + status + " for " + what
                        + " (topic " + topic + ")" + explained);
            } catch (SocketTimeoutException e) {
                last = new SerializationException(
                        "Schema registry " + base + " timed out " + (avroSchema == null ? "fetching " : "") + what
                                + " (topic " + topic + "; connect timeout " + connectTimeoutMs + " ms, read timeout "
                                + readTimeoutMs + " ms)",
                        e);
            } catch (IOException | IllegalArgumentException e) {
                last = new SerializationException(
                        "Schema registry " + base + " unreachable " + (avroSchema == null ? "fetching " : "") + what
                                + " (topic " + topic + "): " + e,
                        e);
            } finally {
                if (c != null) {
                    // Schemas are cached, so the connection is not kept alive: no idle sockets, no keep-alive timer.
                    c.disconnect();
                }
            }
        }
        if (baseUrls.size() > 1) {
            last = new SerializationException(
                    "No schema registry of " + baseUrls + " could serve " + what + "; last error: " + last.getMessage(),
                    last.getCause());
        }
        throw last;
    }

    private static String errorBody(HttpURLConnection c) {
        try (InputStream in = c.getErrorStream()) {
            return in == null ? "" : new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private int errorCode(String body) {
        try {
            return mapper.readTree(body).path("error_code").asInt(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Confluent's error JSON is {"error_code":40403,"message":"Schema not found"}. */
    private String explain(String body) {
        if (body.isBlank()) {
            return "";
        }
        try {
            JsonNode n = mapper.readTree(body);
            if (n.has("error_code") || n.has("message")) {
                return ": error_code " + n.path("error_code").asText("?") + ", "
                        + n.path("message").asText("");
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: show it raw
        }
        return ": " + abbreviate(body);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
