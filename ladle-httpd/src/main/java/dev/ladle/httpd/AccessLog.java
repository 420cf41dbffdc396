package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.PrintStream;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code --access-log}: one line per request in the Common Log Format on stdout,
 * {@code host ident authuser [date] "request line" status bytes}, written when the response was sent
 * (or the exchange was cut short). {@code bytes} counts the body bytes actually written, {@code -} for
 * none. Quotes, backslashes and control characters in the request line are escaped so a client cannot
 * forge log lines.
 */
final class AccessLog {
    private static final DateTimeFormatter CLF_DATE =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final PrintStream out;

    /** Creates a log writing to {@code out}. */
    AccessLog(PrintStream out) {
        this.out = out;
    }

    /**
     * Subscribes to {@code server}'s requests. Each message counts its own body bytes and logs itself
     * when it ends (the Finished event fires for completed and aborted exchanges alike), so nothing is
     * kept per request outside the message.
     */
    void install(Server server) {
        server.onRequestStarted(msg -> {
            AtomicLong bytes = new AtomicLong();
            msg.onWroteBodyData(bytes::addAndGet);
            msg.onFinished(() -> log(msg, bytes.get()));
        });
    }

    private void log(ServerMessage msg, long bytes) {
        out.println(format(msg, bytes, ZonedDateTime.now()));
        out.flush();
    }

    /** Formats one log line. */
    static String format(ServerMessage msg, long bytes, ZonedDateTime when) {
        String host = msg.getRemoteHost();
        String user = msg.getAuthUser();
        int status = msg.getStatus();
        return (host == null ? "-" : host)
                + " - "
                + (user == null ? "-" : escape(user))
                + " [" + CLF_DATE.format(when) + "] \""
                + escape(requestLine(msg)) + "\" "
                + (status == 0 ? "-" : Integer.toString(status)) + " "
                + (bytes == 0 ? "-" : Long.toString(bytes));
    }

    private static String requestLine(ServerMessage msg) {
        if (msg.getMethod() == null) {
            // the request line never arrived or could not be parsed
            return "-";
        }
        String target;
        if (msg.isOptionsPing()) {
            target = "*";
        } else {
            URI uri = msg.getUri();
            String path = uri == null ? null : uri.getRawPath();
            String query = uri == null ? null : uri.getRawQuery();
            target = (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
        }
        return msg.getMethod() + " " + target + " " + msg.getHttpVersion();
    }

    /** Escapes {@code "}, {@code \} and control or non-ASCII characters the way Apache httpd does. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
