package dev.ladle.junit;

import dev.ladle.http.HttpVersion;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An HTTP/1.1 response as bytes, for a connection taken from the server: what the server's own writer
 * will not send (interim responses, trailers) or must not (a head or body broken on purpose). The
 * connection always closes after it, so the head says {@code Connection: close}.
 */
final class RawHttp1Response {
    /** Where a chunk-size line belongs, a malformed chunk has this, which is not hexadecimal. */
    static final String MALFORMED_CHUNK_SIZE = "zz";

    private final MockResponse response;
    private final boolean interimAllowed;
    private final boolean bodyAllowed;
    private final boolean chunked;
    private final List<Map.Entry<String, String>> serverFields;

    /**
     * @param response what to write
     * @param version the request's version: an HTTP/1.0 client gets no interim responses
     * @param method the request's method: HEAD gets no body
     * @param serverFields the fields the server put on every response ({@code Date}, {@code Server})
     */
    RawHttp1Response(MockResponse response, HttpVersion version, String method, MessageHeaders serverFields) {
        this.response = response;
        this.interimAllowed = version == HttpVersion.HTTP_1_1;
        int status = response.status();
        boolean noContent = status == Status.NO_CONTENT || status == Status.NOT_MODIFIED;
        this.bodyAllowed = !noContent && !method.equals("HEAD");
        this.chunked = !noContent && (response.pacing().chunked() || !response.trailers().isEmpty()
                || response.fault().is(Fault.Kind.MALFORMED_CHUNK));
        this.serverFields = new ArrayList<>();
        serverFields.forEach((name, value) -> this.serverFields.add(Map.entry(name, value)));
    }

    /** The interim responses, one after the other; empty for an HTTP/1.0 client. */
    byte[] interimHeads() {
        ByteArrayOutputStream heads = new ByteArrayOutputStream();
        if (interimAllowed) {
            for (MockResponse.Informational interim : response.informational()) {
                heads.writeBytes(head(interim.status(), interim.headers()));
            }
        }
        return heads.toByteArray();
    }

    /** The final response's status line and header fields, with its framing and {@code Connection: close}. */
    byte[] finalHead() {
        List<Map.Entry<String, String>> fields = new ArrayList<>(serverFields);
        Predicate<String> framing = name -> name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Connection")
                || name.equalsIgnoreCase("Trailer");
        for (Map.Entry<String, String> h : response.headers()) {
            if (!framing.test(h.getKey())) {
                fields.add(h);
            }
        }
        int status = response.status();
        if (chunked) {
            fields.add(Map.entry("Transfer-Encoding", "chunked"));
            if (!response.trailers().isEmpty()) {
                fields.add(Map.entry("Trailer", response.trailers().stream().map(Map.Entry::getKey)
                        .distinct().collect(Collectors.joining(", "))));
            }
        } else if (status != Status.NO_CONTENT && status != Status.NOT_MODIFIED) {
            fields.add(Map.entry("Content-Length", Integer.toString(response.bodyBytes().length)));
        } else {
            response.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Content-Length")).forEach(fields::add);
        }
        fields.add(Map.entry("Connection", "close"));
        return head(status, fields);
    }

    /**
     * Writes the body (in pieces, with pauses, chunked or not, as the response says), up to where a
     * fault cuts it; then, for a chunked body, the last chunk and the trailers, or the malformed chunk.
     *
     * @param pause waits between pieces; false when the wait was cut short and the body must stop
     * @return false when a pause was cut short
     */
    boolean writeBody(OutputStream out, Predicate<Duration> pause) throws IOException {
        if (!bodyAllowed) {
            return true;
        }
        Fault fault = response.fault();
        byte[] body = response.bodyBytes();
        int end = fault.is(Fault.Kind.BODY_CUT) ? fault.bytes() : body.length;
        boolean whole = response.pacing().writePieces(body, end, pause, (bytes, off, len) -> {
            if (chunked) {
                out.write(ascii(Integer.toHexString(len) + "\r\n"));
                out.write(bytes, off, len);
                out.write(ascii("\r\n"));
            } else {
                out.write(bytes, off, len);
            }
            out.flush();
        });
        if (!whole) {
            return false;
        }
        if (fault.is(Fault.Kind.BODY_CUT)) {
            return true;
        }
        if (fault.is(Fault.Kind.MALFORMED_CHUNK)) {
            out.write(ascii(MALFORMED_CHUNK_SIZE + "\r\n"));
        } else if (chunked) {
            StringBuilder end0 = new StringBuilder("0\r\n");
            for (Map.Entry<String, String> t : response.trailers()) {
                end0.append(t.getKey()).append(": ").append(t.getValue()).append("\r\n");
            }
            out.write(ascii(end0.append("\r\n").toString()));
        }
        out.flush();
        return true;
    }

    private static byte[] head(int status, List<Map.Entry<String, String>> fields) {
        StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(phrase(status)).append("\r\n");
        for (Map.Entry<String, String> f : fields) {
            b.append(f.getKey()).append(": ").append(f.getValue()).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String phrase(int status) {
        return status == 103 ? "Early Hints" : Status.phrase(status);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
