package dev.ladle.junit;

import dev.ladle.junit.json.Json;
import dev.ladle.junit.json.JsonArray;
import dev.ladle.junit.json.JsonObject;
import dev.ladle.junit.json.JsonValue;
import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * WireMock's admin API on a {@link MockServer}, under {@code /__admin/}, for tests written in other
 * languages (see {@link MockServer.Builder#adminApi()}). Requests and answers are JSON, shaped as
 * WireMock's; admin requests are not journaled.
 *
 * <pre>
 * GET    /__admin/mappings            the stubs that have a mapping, the one tried first first
 * POST   /__admin/mappings            add one mapping (201, the mapping with its id; 422 when it is not valid)
 * DELETE /__admin/mappings            remove every stub
 * POST   /__admin/mappings/reset      remove every stub, then load the mapping files again
 * GET    /__admin/mappings/{id}       one mapping (404 when there is none)
 * DELETE /__admin/mappings/{id}       remove one stub
 * GET    /__admin/requests            the journal, newest first: method, url, headers, body, status, answeredBy
 * DELETE /__admin/requests            forget the requests received
 * POST   /__admin/reset               everything: stubs (the files loaded again), journal, scenarios
 * GET    /__admin/scenarios           each scenario's state and possible states
 * POST   /__admin/scenarios/reset     every scenario back to Started
 * POST   /__admin/recordings/start    {"targetBaseUrl": "http://..."}: forward unmatched requests and record
 * POST   /__admin/recordings/stop     add the recorded stubs and return their mappings
 * </pre>
 *
 * <p>An unknown path gets {@code 404}, a known path with another method {@code 405}, each with
 * {@code {"errors": [{"title": ...}]}}.
 */
final class AdminApi {
    /** Where the admin API lives. */
    static final String PREFIX = "/__admin";
    private static final String JSON = "application/json";

    private final MockServer mock;
    private final List<Path> defaults;

    private AdminApi(MockServer mock, List<Path> defaults) {
        this.mock = mock;
        this.defaults = List.copyOf(defaults);
    }

    /**
     * Serves the admin API on {@code mock}; its resets load {@code defaults} (mapping files or
     * directories) again.
     */
    static void install(MockServer mock, List<Path> defaults) {
        AdminApi api = new AdminApi(mock, defaults);
        // a handler on a longer path takes these requests from the mock, its early (100 Continue) lookup included
        mock.server().addHandler(PREFIX, api::handle);
    }

    /** A status and a JSON document to answer with. */
    private record Reply(int status, JsonValue body) {
        static Reply ok(JsonValue body) {
            return new Reply(200, body);
        }

        static Reply error(int status, String message) {
            return new Reply(status, AdminJson.error(message));
        }
    }

    private void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        mock.notJournaled(msg);
        Reply reply;
        try {
            reply = route(msg.getMethod(), path.substring(PREFIX.length()), msg.getRequestBody().flatten());
        } catch (IllegalArgumentException e) {
            reply = Reply.error(422, e.getMessage());
        } catch (RuntimeException e) {
            reply = Reply.error(500, e.toString());
        }
        msg.setStatus(reply.status());
        msg.setResponse(JSON, (Json.writePretty(reply.body()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Reply route(String method, String route, byte[] body) {
        return switch (route) {
            case "/mappings" -> switch (method) {
                case "GET" -> Reply.ok(AdminJson.mappings(mock.stubs()));
                case "POST" -> new Reply(201, mock.addMapping(text(body)).mapping().orElseThrow());
                case "DELETE" -> {
                    mock.stubs().forEach(Stub::remove);
                    yield Reply.ok(JsonObject.of());
                }
                default -> notAllowed(method, route);
            };
            case "/mappings/reset" -> post(method, route, () -> {
                List<Mapping> fresh = readDefaults();
                mock.stubs().forEach(Stub::remove);
                fresh.forEach(m -> m.register(mock));
            });
            case "/requests" -> switch (method) {
                case "GET" -> Reply.ok(AdminJson.journal(mock.requests()));
                case "DELETE" -> {
                    mock.clearRequests();
                    yield Reply.ok(JsonObject.of());
                }
                default -> notAllowed(method, route);
            };
            case "/reset" -> post(method, route, () -> {
                List<Mapping> fresh = readDefaults();
                mock.reset();
                fresh.forEach(m -> m.register(mock));
            });
            case "/scenarios" -> method.equals("GET") ? Reply.ok(AdminJson.scenarios(mock.stubs(), mock)) : notAllowed(method, route);
            case "/scenarios/reset" -> post(method, route, () -> mock.scenarios().reset());
            case "/recordings/start" -> post(method, route, () -> mock.startRecording(target(body)));
            case "/recordings/stop" -> method.equals("POST") ? stopRecording() : notAllowed(method, route);
            default -> route.startsWith("/mappings/") ? oneMapping(method, route.substring("/mappings/".length()))
                    : Reply.error(404, "no admin endpoint " + PREFIX + route);
        };
    }

    private Reply oneMapping(String method, String id) {
        Stub stub = mock.stubs().stream().filter(s -> id.equals(s.id())).findFirst().orElse(null);
        if (stub == null) {
            return Reply.error(404, "no mapping with id " + id);
        }
        return switch (method) {
            case "GET" -> Reply.ok(stub.mapping().orElseThrow());
            case "DELETE" -> {
                stub.remove();
                yield Reply.ok(JsonObject.of());
            }
            default -> notAllowed(method, "/mappings/" + id);
        };
    }

    private Reply stopRecording() {
        try {
            List<JsonValue> mappings = new ArrayList<>();
            mock.stopRecording().forEach(s -> mappings.add(s.mapping().orElseThrow()));
            return Reply.ok(JsonObject.builder().put("mappings", JsonArray.of(mappings)).build());
        } catch (IllegalStateException e) {
            return Reply.error(409, e.getMessage());
        }
    }

    /** Every default mapping read and checked, before anything is removed. */
    private List<Mapping> readDefaults() {
        List<Mapping> all = new ArrayList<>();
        defaults.forEach(d -> all.addAll(MappingFiles.read(d)));
        return all;
    }

    private static Reply post(String method, String route, Runnable action) {
        if (!method.equals("POST")) {
            return notAllowed(method, route);
        }
        try {
            action.run();
        } catch (IllegalStateException e) {
            return Reply.error(409, e.getMessage());
        }
        return Reply.ok(JsonObject.of());
    }

    private static Reply notAllowed(String method, String route) {
        return Reply.error(405, method + " is not allowed on " + PREFIX + route);
    }

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The {@code targetBaseUrl} of a recording's start. */
    private static URI target(byte[] body) {
        JsonValue json;
        try {
            json = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recording: not valid JSON: " + e.getMessage(), e);
        }
        MappingFields spec = MappingFields.top(json, "recording").onlyKnown("a recording", Set.of("targetBaseUrl"));
        try {
            return URI.create(spec.requiredString("targetBaseUrl"));
        } catch (IllegalArgumentException e) {
            throw spec.error("targetBaseUrl", "is not a URI: " + e.getMessage(), e);
        }
    }
}
