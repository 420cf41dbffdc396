package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code response} part of a mapping, read and checked: the {@link MockResponse} it describes, and
 * the response JSON to keep with the stub, in which a {@code bodyFileName} is replaced by the file's
 * content ({@code body}, or {@code base64Body} when it is not UTF-8 text), so that a saved mapping
 * stands on its own.
 *
 * @param response what the stub answers
 * @param json the response object to keep in the stub's mapping
 */
record MappingResponse(MockResponse response, JsonObject json) {
    private static final Set<String> FIELDS = Set.of("status", "headers", "body", "jsonBody", "base64Body",
            "bodyFileName", "fixedDelayMilliseconds", "delayDistribution", "fault");
    private static final Set<String> BODY_FIELDS = Set.of("body", "jsonBody", "base64Body", "bodyFileName");
    /** How many random bytes {@code RANDOM_DATA_THEN_CLOSE} sends. */
    static final int RANDOM_DATA_LENGTH = 256;

    /**
     * Reads a mapping's {@code response} object.
     *
     * @param files the directory {@code bodyFileName} is relative to, or null when there is none
     * @throws IllegalArgumentException naming the source and the field, for anything outside the subset
     */
    static MappingResponse read(MappingFields spec, Path files) {
        spec.onlyKnown("a response", FIELDS);
        int status = (int) spec.integer("status", 200, 599, 200);
        JsonObject json = spec.object();
        List<String> bodies = spec.present(BODY_FIELDS);
        if (bodies.size() > 1) {
            throw spec.error(bodies.get(1), "cannot go with " + bodies.get(0) + ": a response has one body");
        }
        String bodyField = bodies.isEmpty() ? null : bodies.get(0);
        byte[] body = bodyField == null ? new byte[0] : switch (bodyField) {
            case "body" -> spec.requiredString(bodyField).getBytes(StandardCharsets.UTF_8);
            case "base64Body" -> MappingRequest.base64(spec, bodyField);
            case "jsonBody" -> Json.write(spec.value(bodyField)).getBytes(StandardCharsets.UTF_8);
            default -> bodyFile(spec, files);
        };
        if ("bodyFileName".equals(bodyField)) {
            json = inlined(json, body);
        }
        // the body first: a Content-Length header is checked against it
        MockResponse response = MockResponse.status(status).withBody(body);
        MappingFields headers = spec.object("headers");
        if (headers != null) {
            for (Map.Entry<String, JsonValue> h : headers.object().members().entrySet()) {
                for (String value : headerValues(headers, h.getKey(), h.getValue())) {
                    try {
                        response = response.withHeader(h.getKey(), value);
                    } catch (IllegalArgumentException e) {
                        throw headers.error(h.getKey(), "does not fit the body: " + e.getMessage(), e);
                    }
                }
            }
        }
        if ("jsonBody".equals(bodyField) && !hasHeader(response, "Content-Type")) {
            response = response.withHeader("Content-Type", "application/json");
        }
        response = delay(spec, response);
        response = fault(spec, response);
        return new MappingResponse(response, json);
    }

    private static List<String> headerValues(MappingFields headers, String name, JsonValue value) {
        if (value instanceof JsonString s) {
            return List.of(s.value());
        }
        if (value instanceof JsonArray a && !a.elements().isEmpty()
                && a.elements().stream().allMatch(e -> e instanceof JsonString)) {
            return a.elements().stream().map(e -> ((JsonString) e).value()).toList();
        }
        throw headers.error(name, "must be a string or an array of strings, not " + Json.write(value));
    }

    private static boolean hasHeader(MockResponse response, String name) {
        return response.headers().stream().anyMatch(h -> h.getKey().equalsIgnoreCase(name));
    }

    private static byte[] bodyFile(MappingFields spec, Path files) {
        String name = spec.requiredString("bodyFileName");
        if (files == null) {
            throw spec.error("bodyFileName", "needs a __files directory next to the mappings, and there is none");
        }
        Path file = files.resolve(name).normalize();
        if (!file.startsWith(files.normalize())) {
            throw spec.error("bodyFileName", "must name a file under " + files + ", not " + StringMatcher.quote(name));
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw spec.error("bodyFileName", "cannot be read: " + file + ": " + e, e);
        }
    }

    /** The response object with the file's content in place of {@code bodyFileName}. */
    private static JsonObject inlined(JsonObject json, byte[] body) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (Map.Entry<String, JsonValue> m : json.members().entrySet()) {
            if (m.getKey().equals("bodyFileName")) {
                String text = utf8(body);
                if (text != null) {
                    members.put("body", new JsonString(text));
                } else {
                    members.put("base64Body", new JsonString(Base64.getEncoder().encodeToString(body)));
                }
            } else {
                members.put(m.getKey(), m.getValue());
            }
        }
        return new JsonObject(members);
    }

    /** {@code bytes} as text when they are well-formed UTF-8, else null. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code fixedDelayMilliseconds} or a {@code delayDistribution}: uniform or lognormal. */
    private static MockResponse delay(MappingFields spec, MockResponse response) {
        if (spec.has("fixedDelayMilliseconds") && spec.has("delayDistribution")) {
            throw spec.error("delayDistribution", "cannot go with fixedDelayMilliseconds: a response has one delay");
        }
        if (spec.has("fixedDelayMilliseconds")) {
            long ms = spec.integer("fixedDelayMilliseconds", 0, Integer.MAX_VALUE, 0);
            return response.withDelay(Duration.ofMillis(ms));
        }
        MappingFields distribution = spec.object("delayDistribution");
        if (distribution == null) {
            return response;
        }
        String type = distribution.requiredString("type");
        return switch (type) {
            case "uniform" -> {
                distribution.onlyKnown("a uniform delay", Set.of("type", "lower", "upper"));
                long lower = distribution.integer("lower", 0, Integer.MAX_VALUE, -1);
                long upper = distribution.integer("upper", 0, Integer.MAX_VALUE, -1);
                if (lower < 0 || upper < lower) {
                    throw distribution.error("upper", "and lower are needed, with lower <= upper (milliseconds)");
                }
                yield response.withDelay(Delay.uniform(Duration.ofMillis(lower), Duration.ofMillis(upper)));
            }
            case "lognormal" -> {
                distribution.onlyKnown("a lognormal delay", Set.of("type", "median", "sigma"));
                double median = distribution.number("median");
                double sigma = distribution.number("sigma");
                yield response.withDelay(Delay.logNormal(Duration.ofNanos(Math.round(median * 1_000_000)), sigma));
            }
            default -> throw distribution.error("type", "must be uniform or lognormal, not " + StringMatcher.quote(type));
        };
    }

    /** WireMock's faults, as the nearest {@link MockResponse} faults; the delay stays. */
    private static MockResponse fault(MappingFields spec, MockResponse response) {
        String fault = spec.string("fault");
        if (fault == null) {
            return response;
        }
        MockResponse faulty = switch (fault) {
            case "EMPTY_RESPONSE" -> MockResponse.disconnect();
            case "CONNECTION_RESET_BY_PEER" -> MockResponse.reset();
            case "RANDOM_DATA_THEN_CLOSE" -> MockResponse.randomBytes(RANDOM_DATA_LENGTH);
            case "MALFORMED_RESPONSE_CHUNK" -> null;
            default -> throw spec.error("fault", "must be EMPTY_RESPONSE, CONNECTION_RESET_BY_PEER,"
                    + " RANDOM_DATA_THEN_CLOSE or MALFORMED_RESPONSE_CHUNK, not " + StringMatcher.quote(fault));
        };
        return faulty == null ? response.withMalformedChunk() : faulty.withDelay(response.delay());
    }
}
