package dev.ladle.junit;

import dev.ladle.http.Forms;
import dev.ladle.http.HeaderValue;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Multipart;
import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonPath;
import dev.ladle.junit.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The structured parts of a recorded request's body that conditions test: the JSON values at a path,
 * form fields, multipart parts. A body that is not of the kind asked for has none, rather than failing.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /** The values {@code path} selects in the body, or null when the body is not JSON. */
    static List<JsonValue> select(JsonPath path, RecordedRequest r) {
        try {
            return path.select(Json.parse(r.bodyAsString()));
        } catch (IllegalArgumentException notJson) {
            return null;
        }
    }

    /**
     * The fields of an {@code application/x-www-form-urlencoded} body; none for a body of another type,
     * or one that does not decode.
     */
    static Map<String, List<String>> formFields(RecordedRequest r) {
        String type = r.header("Content-Type");
        if (type == null || !type.regionMatches(true, 0, Forms.MIME_TYPE_URLENCODED, 0, Forms.MIME_TYPE_URLENCODED.length())) {
            return Map.of();
        }
        try {
            return Forms.decodeMulti(r.bodyAsString());
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }

    /** The parts of a {@code multipart/*} body by name, as UTF-8 text; none for a body that is not multipart. */
    static Map<String, List<String>> multipartParts(RecordedRequest r) {
        MessageHeaders headers = new MessageHeaders();
        r.headers("Content-Type").forEach(v -> headers.append("Content-Type", v));
        Map<String, List<String>> parts = new HashMap<>();
        try {
            Multipart multipart = Multipart.fromMessage(headers, r.body());
            for (int i = 0; i < multipart.getLength(); i++) {
                Multipart.Part part = multipart.getPart(i);
                HeaderValue disposition = part.headers().getContentDisposition();
                String name = disposition == null ? null : disposition.parameter("name");
                if (name != null) {
                    parts.computeIfAbsent(name, n -> new ArrayList<>())
                            .add(new String(part.body(), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException notMultipart) {
            return Map.of();
        }
        return parts;
    }
}
