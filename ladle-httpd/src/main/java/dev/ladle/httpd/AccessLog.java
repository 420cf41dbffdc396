package dev.ladle.httpd;

import dev.ladle.server.Server;
import dev.ladle.server.ServerMessage;
import java.io.PrintStream;
import java.net.URI;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private final Map<ServerMessage, AtomicLong> bodyBytes = new ConcurrentHashMap<>();

    /** Creates a log writing to {@code out}. */
    AccessLog(PrintStream out) {
        this.out = out;
    }

    /** Subscribes to {@code server}'s request events. */
    void install(Server server) {
        server.onRequestStarted(msg -> {
            AtomicLong counter = new AtomicLong();
            bodyBytes.put(msg, counter);
            msg.onWroteBodyData(counter::addAndGet);
        });
        server.onRequestFinished(this::log);
        server.onRequestAborted(this::log);
    }

    private void log(ServerMessage msg) {
        AtomicLong counter = bodyBytes.remove(msg);
        long bytes = counter == null ? 0 : counter.get();
        String line = format(msg, bytes, ZonedDateTime.now());
        out.println(line);
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
