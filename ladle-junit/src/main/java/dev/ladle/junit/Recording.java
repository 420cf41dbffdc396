package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonNumber;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The exchanges a {@link MockServer} forwarded while {@linkplain MockServer#startRecording recording},
 * turned into mappings when it stops: one per distinct request (method, path and query, and the body
 * unless the method is {@code GET} or {@code HEAD}) with the real answer. A request that got different
 * answers on its repeats becomes a scenario, as WireMock records it: a stub per repeat, in order, the
 * first answering in state {@code Started} and moving the scenario on to {@code 2}, and so on; the last
 * answer repeats.
 *
 * <p>Thread-safe: exchanges are added from the connections' threads.
 */
final class Recording {
    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

    /** A forwarded request and the real answer. */
    private record Exchange(RecordedRequest request, MockResponse response) {
    }

    /** The part of a request that decides whether two requests are the same one. */
    private record Key(String method, String url, String body) {
    }

    void add(RecordedRequest request, MockResponse response) {
        exchanges.add(new Exchange(request, response));
    }

    /** The mappings recorded so far, in the order their requests first came. */
    List<JsonObject> mappings() {
        Map<Key, List<Exchange>> byRequest = new LinkedHashMap<>();
        for (Exchange e : exchanges) {
            byRequest.computeIfAbsent(key(e.request()), k -> new ArrayList<>()).add(e);
        }
        List<JsonObject> mappings = new ArrayList<>();
        int n = 0;
        for (List<Exchange> repeats : byRequest.values()) {
            n++;
            List<Exchange> answers = answers(repeats);
            RecordedRequest first = repeats.get(0).request();
            String name = first.method() + " " + MappingRequest.urlAsSent(first);
            if (answers.size() == 1) {
                mappings.add(mapping(name, first, answers.get(0).response(), null, null, null));
                continue;
            }
            // a scenario of its own per request, states "Started", "2", "3"...: the last answer repeats
            String scenario = "recorded " + n + ": " + name;
            for (int i = 0; i < answers.size(); i++) {
                String required = i == 0 ? MockServer.SCENARIO_STARTED : Integer.toString(i + 1);
                String next = i + 1 < answers.size() ? Integer.toString(i + 2) : null;
                mappings.add(mapping(name, first, answers.get(i).response(), scenario, required, next));
            }
        }
        return mappings;
    }

    /** One answer when the request always got the same one, else every answer in the order they came. */
    private static List<Exchange> answers(List<Exchange> repeats) {
        MockResponse first = repeats.get(0).response();
        return repeats.stream().allMatch(e -> same(first, e.response())) ? List.of(repeats.get(0)) : repeats;
    }

    private static boolean same(MockResponse a, MockResponse b) {
        return a.status() == b.status() && a.headers().equals(b.headers()) && Arrays.equals(a.body(), b.body());
    }

    private static Key key(RecordedRequest r) {
        return new Key(r.method(), MappingRequest.urlAsSent(r), hasBodyCondition(r)
                ? Base64.getEncoder().encodeToString(r.body()) : null);
    }

    private static boolean hasBodyCondition(RecordedRequest r) {
        return !r.method().equals("GET") && !r.method().equals("HEAD") && r.body().length > 0;
    }

    private static JsonObject mapping(String name, RecordedRequest request, MockResponse response, String scenario,
            String requiredState, String newState) {
        JsonObject.Builder mapping = JsonObject.builder()
                .put("id", UUID.randomUUID().toString())
                .put("name", name)
                .put("request", request(request))
                .put("response", response(response));
        if (scenario != null) {
            mapping.put("scenarioName", scenario).put("requiredScenarioState", requiredState);
            if (newState != null) {
                mapping.put("newScenarioState", newState);
            }
        }
        return mapping.build();
    }

    /** The method, the exact path and query, and the body (as JSON when it is JSON, else as text or bytes). */
    private static JsonObject request(RecordedRequest r) {
        JsonObject.Builder request = JsonObject.builder().put("method", r.method()).put("url", MappingRequest.urlAsSent(r));
        if (hasBodyCondition(r)) {
            request.put("bodyPatterns", JsonArray.of(bodyPattern(r)));
        }
        return request.build();
    }

    private static JsonObject bodyPattern(RecordedRequest r) {
        String text = MappingResponse.utf8(r.body());
        String type = Objects.requireNonNullElse(r.header("Content-Type"), "").toLowerCase(Locale.ROOT);
        if (text != null && type.contains("json")) {
            try {
                return JsonObject.builder().put("equalToJson", Json.parse(text)).build();
            } catch (IllegalArgumentException notJson) {
                // declared JSON but is not: matched as the text it is
            }
        }
        if (text != null) {
            return JsonObject.builder().put("equalTo", text).build();
        }
        return JsonObject.builder().put("binaryEqualTo", Base64.getEncoder().encodeToString(r.body())).build();
    }

    /** The status, the headers (a name given twice as an array) and the body, as text when it is UTF-8. */
    private static JsonObject response(MockResponse response) {
        JsonObject.Builder json = JsonObject.builder().put("status", JsonNumber.of(response.status()));
        Map<String, List<JsonValue>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : response.headers()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(new JsonString(h.getValue()));
        }
        if (!headers.isEmpty()) {
            JsonObject.Builder names = JsonObject.builder();
            headers.forEach((name, values) -> names.put(name, values.size() == 1 ? values.get(0) : JsonArray.of(values)));
            json.put("headers", names.build());
        }
        byte[] body = response.body();
        if (body.length > 0) {
            String text = MappingResponse.utf8(body);
            if (text != null) {
                json.put("body", text);
            } else {
                json.put("base64Body", Base64.getEncoder().encodeToString(body));
            }
        }
        return json.build();
    }
}
