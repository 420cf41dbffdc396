package dev.ladle.examples.guide.forms;

import dev.ladle.codec.Form;
import dev.ladle.http.Status;
import dev.ladle.http.StatusException;
import dev.ladle.server.Server;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/** An HTML form's submission read as a {@link Form}: one field, and a field with several values. */
public final class SignupForm {
    private SignupForm() {
    }

    /** Starts the server on a free loopback port. */
    public static Server start() throws IOException {
        Server server = new Server();
        // tag::signup[]
        server.addHandler("/signup", (srv, msg, path, query) -> {
            Form form = msg.getRequestBodyAs(Form.class); // 415 unless a form was sent, 400 when it is malformed
            String email = form.get("email");             // the last value, or null when the field was not sent
            if (email == null || email.isBlank()) {
                throw new StatusException(Status.UNPROCESSABLE_CONTENT, "an email address is required");
            }
            List<String> topics = form.getAll("topic");   // one value per ticked checkbox, in order
            msg.setResponseValue(Status.CREATED, email + " subscribed to " + topics + "\n");
        });
        // end::signup[]
        server.listenLocal(0, Set.of());
        return server;
    }
}
