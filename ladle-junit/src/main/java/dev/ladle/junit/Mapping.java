package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonString;
import dev.ladle.junit.json.JsonValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One stub mapping in (a subset of) WireMock's JSON format, read and checked, ready to be registered on
 * a {@link MockServer}. The subset is documented on {@link MockServer#loadMappings}; anything outside
 * it is refused with the source and the field named, never ignored.
 *
 * @param id the mapping's {@code id} (or {@code uuid}); a random UUID when it has none
 * @param priority 1 first; {@link Stub#DEFAULT_PRIORITY} when it has none
 * @param scenario {@code scenarioName}, or null
 * @param requiredState {@code requiredScenarioState}, or null
 * @param newState {@code newScenarioState}, or null
 * @param request the conditions
 * @param response the answer
 * @param json the mapping to keep with its stub: as given, with its {@code id} and any body file inlined
 */
record Mapping(String id, int priority, String scenario, String requiredState, String newState,
        MappingRequest request, MockResponse response, JsonObject json) {
    private static final Set<String> FIELDS = Set.of("id", "uuid", "name", "priority", "request", "response",
            "scenarioName", "requiredScenarioState", "newScenarioState", "persistent", "insertionIndex");

    /**
     * Reads the mappings in one JSON document: a single mapping, or {@code {"mappings": [...]}}.
     *
     * @param source where it came from, for messages: a file, or the admin API
     * @param files the directory {@code bodyFileName} is relative to, or null
     * @throws IllegalArgumentException naming the source and the field, for anything outside the subset
     */
    static List<Mapping> readAll(JsonValue document, String source, Path files) {
        if (document instanceof JsonObject o && o.has("mappings")) {
            MappingFields top = MappingFields.top(o, source).onlyKnown("a file of mappings", Set.of("mappings", "meta"));
            List<JsonValue> all = top.array("mappings");
            List<Mapping> mappings = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                mappings.add(read(top.element("mappings", i, all.get(i)), files));
            }
            return mappings;
        }
        return List.of(read(MappingFields.top(document, source), files));
    }

    /**
     * Reads one mapping given as JSON text (the admin API's, {@link MockServer#addMapping}'s).
     *
     * @throws IllegalArgumentException when it is not JSON or is outside the subset, naming the field
     */
    static Mapping parse(String json) {
        JsonValue document;
        try {
            document = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mapping: not valid JSON: " + e.getMessage(), e);
        }
        return read(MappingFields.top(document, "mapping"), null);
    }

    /** Reads one mapping object. */
    static Mapping read(MappingFields spec, Path files) {
        spec.onlyKnown("a mapping", FIELDS);
        String id = spec.string("id");
        String uuid = spec.string("uuid");
        if (id != null && uuid != null && !id.equals(uuid)) {
            throw spec.error("uuid", "differs from id " + StringMatcher.quote(id) + "; give one, or the same in both");
        }
        if (id == null) {
            id = uuid != null ? uuid : UUID.randomUUID().toString();
        }
        spec.string("name"); // checked: a string
        spec.bool("persistent", true); // WireMock's: whether its admin API saves the stub; here all are saveable
        spec.integer("insertionIndex", 0, Long.MAX_VALUE, 0); // WireMock's bookkeeping: files load in name order
        int priority = (int) spec.integer("priority", 1, Integer.MAX_VALUE, Stub.DEFAULT_PRIORITY);
        String scenario = spec.string("scenarioName");
        String requiredState = spec.string("requiredScenarioState");
        String newState = spec.string("newScenarioState");
        if (scenario == null && (requiredState != null || newState != null)) {
            throw spec.error(requiredState != null ? "requiredScenarioState" : "newScenarioState", "needs scenarioName");
        }
        MappingFields request = spec.object("request");
        if (request == null) {
            throw spec.error("request", "is missing");
        }
        MappingFields response = spec.object("response");
        if (response == null) {
            throw spec.error("response", "is missing");
        }
        MappingRequest conditions = MappingRequest.read(request);
        MappingResponse answer = MappingResponse.read(response, files);
        return new Mapping(id, priority, scenario, requiredState, newState, conditions, answer.response(),
                withIdAndResponse(spec.object(), id, answer.json()));
    }

    /** Registers the stub this mapping describes on {@code server}, replacing one with the same id. */
    Stub register(MockServer server) {
        Stubbing stubbing = request.stubbing(server).fromMapping(json, priority);
        if (scenario != null) {
            stubbing.inScenario(scenario);
            if (requiredState != null) {
                stubbing.whenState(requiredState);
            }
            if (newState != null) {
                stubbing.willSetStateTo(newState);
            }
        }
        return stubbing.respond(response);
    }

    /** The mapping with {@code id} first (WireMock's clients look for it) and the response as read. */
    private static JsonObject withIdAndResponse(JsonObject mapping, String id, JsonObject response) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        members.put("id", new JsonString(id));
        mapping.members().forEach((name, value) -> {
            if (!name.equals("id")) {
                members.put(name, name.equals("response") ? response : value);
            }
        });
        return new JsonObject(members);
    }
}
