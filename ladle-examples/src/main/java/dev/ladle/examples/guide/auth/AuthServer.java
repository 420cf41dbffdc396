package dev.ladle.examples.guide.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ladle.auth.BasicAuthDomain;
import dev.ladle.auth.DigestAuthDomain;
import dev.ladle.server.Server;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

/** The guide's auth chapter: a Basic domain, a Digest domain and a filter, on one server. */
public final class AuthServer {
    private AuthServer() {
    }

    /** Starts the server on the loopback addresses at {@code port}; 0 picks a free port. */
    public static Server start(int port) throws IOException {
        Server server = new Server();

        // tag::basic[]
        BasicAuthDomain admin = new BasicAuthDomain("admin", (domain, msg, user, password) ->
                user.equals("ada") && MessageDigest.isEqual(password.getBytes(UTF_8), "lovelace".getBytes(UTF_8)));
        admin.addPath("/admin");            // /admin and everything below it
        admin.removePath("/admin/health");  // ... except this, for the load balancer
        server.addAuthDomain(admin);

        server.addHandler("/admin", (srv, msg, path, query) ->
                msg.setResponseValue("Hello, " + msg.getAuthUser() + "\n"));
        // end::basic[]
        server.addHandler("/admin/health", (srv, msg, path, query) -> msg.setResponseValue("ok\n"));

        // tag::digest[]
        // H(user:realm:password) for each user, made once when the password is set: no cleartext is kept
        Map<String, String> storedHashes = Map.of("grace", DigestAuthDomain.encodePassword("grace", "files", "cobol"));
        DigestAuthDomain files = new DigestAuthDomain("files", (domain, msg, user) -> storedHashes.get(user), "/files");
        server.addAuthDomain(files);
        // end::digest[]
        server.addHandler("/files", (srv, msg, path, query) -> msg.setResponseValue("Files for " + msg.getAuthUser() + "\n"));

        // tag::filter[]
        // anyone may read /notes; writing needs a user
        BasicAuthDomain writers = new BasicAuthDomain("notes", (domain, msg, user, password) ->
                user.equals("ada") && MessageDigest.isEqual(password.getBytes(UTF_8), "lovelace".getBytes(UTF_8)), "/notes");
        writers.setFilter(msg -> !msg.getMethod().equals("GET") && !msg.getMethod().equals("HEAD"));
        server.addAuthDomain(writers);
        // end::filter[]
        server.addHandler("/notes", (srv, msg, path, query) ->
                msg.setResponseValue(msg.getMethod() + " by " + (msg.getAuthUser() == null ? "anyone" : msg.getAuthUser()) + "\n"));

        server.listenLocal(port, Set.of());
        return server;
    }
}
