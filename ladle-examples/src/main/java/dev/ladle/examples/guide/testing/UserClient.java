package dev.ladle.examples.guide.testing;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;

/** The code under test in the testing chapter: a small client of a users service. */
public final class UserClient {
    private static final JsonMapper JSON = new JsonMapper();

    private final HttpClient http;
    private final URI base;

    /** A client of the service at {@code base}, over {@code http}. */
    public UserClient(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
    }

    /** A client of the service at {@code base}, over a default JDK client. */
    public UserClient(URI base) {
        this(HttpClient.newHttpClient(), base);
    }

    /** Returns the name of user {@code id}; any status but 200 is an {@link IOException}. */
    public String name(int id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/users/" + id))
                .header("Accept", "application/json").build();
        HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /users/" + id + ": " + response.statusCode());
        }
        return JSON.readTree(response.body()).path("name").asText();
    }

    /** Renames user {@code id} with a JSON {@code PUT}; any status but 204 is an {@link IOException}. */
    public void rename(int id, String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/users/" + id))
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name)))).build();
        int status = http.send(request, BodyHandlers.discarding()).statusCode();
        if (status != 204) {
            throw new IOException("PUT /users/" + id + ": " + status);
        }
    }
}
