package dev.ladle.junit;

import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonNumber;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON documents of the {@link AdminApi}, shaped as WireMock's so that its clients can read them:
 * the mappings, the journal, the scenarios, and errors.
 */
final class AdminJson {
    private AdminJson() {
    }

    /** {@code {"mappings": [...], "meta": {"total": n}}}: the stubs that have a mapping, the one tried first first. */
    static JsonObject mappings(List<Stub> stubs) {
        List<JsonValue> mappings = new ArrayList<>();
        for (int i = stubs.size() - 1; i >= 0; i--) {
            stubs.get(i).mapping().ifPresent(mappings::add);
        }
        return JsonObject.builder().put("mappings", JsonArray.of(mappings)).put("meta", total(mappings.size())).build();
    }

    /**
     * {@code {"requests": [...], "meta": {"total": n}}}, newest first as WireMock lists them; each with
     * {@code id}, {@code request} (method, url, absoluteUrl, protocol, headers, body, bodyAsBase64),
     * {@code responseDefinition.status}, {@code wasMatched} and {@code answeredBy}.
     */
    static JsonObject journal(List<RecordedRequest> requests) {
        List<JsonValue> entries = new ArrayList<>(requests.size());
        for (int i = requests.size() - 1; i >= 0; i--) {
            entries.add(entry(requests.get(i)));
        }
        return JsonObject.builder().put("requests", JsonArray.of(entries)).put("meta", total(entries.size()))
                .put("requestJournalDisabled", false).build();
    }

    private static JsonObject entry(RecordedRequest r) {
        Map<String, List<JsonValue>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : r.headerLines()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(new JsonString(h.getValue()));
        }
        JsonObject.Builder headerJson = JsonObject.builder();
        headers.forEach((name, values) -> headerJson.put(name, values.size() == 1 ? values.get(0) : JsonArray.of(values)));
        JsonObject request = JsonObject.builder()
                .put("method", r.method())
                .put("url", MappingRequest.urlAsSent(r))
                .put("absoluteUrl", r.uri().toString())
                .put("protocol", r.version() == null ? null : r.version().text())
                .put("headers", headerJson.build())
                .put("body", r.bodyAsString())
                .put("bodyAsBase64", Base64.getEncoder().encodeToString(r.body()))
                .build();
        return JsonObject.builder()
                .put("id", Integer.toString(r.sequenceNumber()))
                .put("request", request)
                .put("responseDefinition", JsonObject.builder().put("status", JsonNumber.of(r.status())).build())
                .put("wasMatched", r.isMatched())
                .put("answeredBy", r.answeredBy())
                .build();
    }

    /**
     * {@code {"scenarios": [{"id", "name", "state", "possibleStates"}]}} for every scenario a stub is in,
     * by name; the possible states are those its mappings name, and {@code Started}.
     */
    static JsonObject scenarios(List<Stub> stubs, MockServer server) {
        Map<String, Set<String>> states = new TreeMap<>();
        for (Stub stub : stubs) {
            if (stub.scenario() == null) {
                continue;
            }
            Set<String> possible = states.computeIfAbsent(stub.scenario(), n -> new TreeSet<>(Set.of(MockServer.SCENARIO_STARTED)));
            stub.mapping().ifPresent(m -> {
                for (String field : List.of("requiredScenarioState", "newScenarioState")) {
                    if (m.get(field) instanceof JsonString state) {
                        possible.add(state.value());
                    }
                }
            });
        }
        List<JsonValue> scenarios = new ArrayList<>();
        states.forEach((name, possible) -> scenarios.add(JsonObject.builder()
                .put("id", name)
                .put("name", name)
                .put("state", server.scenarioState(name))
                .put("possibleStates", JsonArray.of(possible.stream().map(JsonString::new).toList()))
                .build()));
        return JsonObject.builder().put("scenarios", JsonArray.of(scenarios)).build();
    }

    /** {@code {"errors": [{"title": message}]}}, as WireMock reports a bad request. */
    static JsonObject error(String message) {
        return JsonObject.builder()
                .put("errors", JsonArray.of(JsonObject.builder().put("title", message).build()))
                .build();
    }

    private static JsonObject total(int n) {
        return JsonObject.builder().put("total", JsonNumber.of(n)).build();
    }
}
