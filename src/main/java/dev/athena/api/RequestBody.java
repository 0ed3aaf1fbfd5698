package dev.athena.api;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.athena.config.Spelling;
import dev.athena.repository.RepositoryLayout;

/** A request's JSON body, read leniently (empty is {}) and checked field by field with exact messages. */
final class RequestBody {
    private final ObjectNode node;

    private RequestBody(ObjectNode node) {
        this.node = node;
    }

    static RequestBody parse(String body) {
        if (body == null || body.isBlank()) {
            return new RequestBody(JsonNodeFactory.instance.objectNode());
        }
        JsonNode n;
        try {
            n = ApiJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed JSON: " + e.getOriginalMessage());
        }
        if (n == null || n.isMissingNode()) {
            return new RequestBody(JsonNodeFactory.instance.objectNode());
        }
        if (!n.isObject()) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        return new RequestBody((ObjectNode) n);
    }

    ObjectNode node() {
        return node;
    }

    /**
     * Refuses a field the endpoint does not know, naming it and the nearest known one: a misspelt
     * {@code "dryrun": true} ignored would turn a dry run into a restore over the live platform.
     */
    RequestBody allowOnly(Set<String> known) {
        allowOnly(node, "", known);
        return this;
    }

    static void allowOnly(JsonNode object, String path, Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ApiException(400, "unknown field '" + path + name + "'" + Spelling.hint(name, known)
                        + (known.isEmpty() ? "; this request takes no fields" : "; known: " + String.join(", ", new TreeSet<>(known))));
            }
        }
    }

    boolean bool(String field, boolean fallback) {
        return bool(node, field, field, fallback);
    }

    static boolean bool(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new ApiException(400, "field '" + path + "' must be true or false");
        }
        return v.booleanValue();
    }

    String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiException(400, "field '" + field + "' must be a string");
        }
        return v.textValue();
    }

    /** The timestamp from ?timestamp= or the body, checked: never a path. */
    static String timestamp(String query, RequestBody body, boolean required) {
        String ts = query != null ? query : body.string("timestamp");
        if (ts == null) {
            if (required) {
                throw new ApiException(400, "a timestamp is required, in the body ({\"timestamp\": \"2023-02-02t17-03-15\"}) or as ?timestamp=");
            }
            return null;
        }
        try {
            return RepositoryLayout.checkTimestamp(ts);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
