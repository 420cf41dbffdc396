package dev.ladle.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ProtocolClient} for HTTP/1.1 over a {@link WireClient}: requests are written as exact bytes,
 * one at a time on one connection.
 */
final class Http1Client implements ProtocolClient {
    private final WireClient wire;
    private final String authority;
    /** The current request's body is chunked. */
    private boolean chunked;
    /** The current request is HEAD: its response has no body. */
    private boolean head;
    /** A final response read while waiting for 100 Continue, kept for {@link #read}. */
    private WireClient.Response pending;
    private final List<Integer> informational = new ArrayList<>();
    private final List<String> informationalLines = new ArrayList<>();
    /** The framing of the response body being read piece by piece. */
    private long remaining;
    private boolean bodyChunked;
    private boolean bodyDone;
    private boolean closedSeen;

    Http1Client(URI uri) throws IOException {
        wire = new WireClient(uri);
        authority = uri.getAuthority();
    }

    @Override
    public Protocol protocol() {
        return Protocol.HTTP_1_1;
    }

    /** The status lines of the 1xx responses to the current request. */
    List<String> informationalStatusLines() {
        return List.copyOf(informationalLines);
    }

    /** The raw connection, for a test that checks HTTP/1.1 bytes. */
    WireClient wire() {
        return wire;
    }

    @Override
    public ProtocolClient send(Request request) throws IOException {
        byte[] body = request.body();
        if (body != null && request.value("Content-Length") == null && request.value("Transfer-Encoding") == null) {
            request = request.header("Content-Length", Integer.toString(body.length));
        }
        writeHead(request, body != null);
        if (body != null && body.length > 0) {
            sendBody(body);
        }
        return endBody();
    }

    @Override
    public ProtocolClient sendHead(Request request) throws IOException {
        return writeHead(request, true);
    }

    /** Writes the head; a body that follows without a length or framing of its own is chunked. */
    private ProtocolClient writeHead(Request request, boolean bodyFollows) throws IOException {
        informational.clear();
        informationalLines.clear();
        pending = null;
        head = request.method().equals("HEAD");
        chunked = bodyFollows && request.value("Content-Length") == null && request.value("Transfer-Encoding") == null;
        StringBuilder sb = new StringBuilder(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        if (request.value("Host") == null) {
            sb.append("Host: ").append(authority).append("\r\n");
        }
        for (String[] h : request.headers()) {
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (chunked) {
            sb.append("Transfer-Encoding: chunked\r\n");
        }
        chunked |= "chunked".equalsIgnoreCase(request.value("Transfer-Encoding"));
        wire.send(sb.append("\r\n").toString());
        return this;
    }

    @Override
    public ProtocolClient sendBody(byte[] piece) throws IOException {
        if (chunked) {
            wire.send(Integer.toHexString(piece.length) + "\r\n");
            wire.send(piece);
            wire.send("\r\n");
        } else {
            wire.send(piece);
        }
        return this;
    }

    @Override
    public ProtocolClient endBody() throws IOException {
        if (chunked) {
            wire.send("0\r\n\r\n");
            chunked = false;
        }
        return this;
    }

    @Override
    public int awaitContinue() throws IOException {
        WireClient.Response r = wire.readHead();
        if (r.status() == 100) {
            interim(r);
            return 100;
        }
        pending = withBody(r);
        return r.status();
    }

    @Override
    public Response read() throws IOException {
        WireClient.Response r = pending;
        pending = null;
        while (r == null || r.status() / 100 == 1) {
            if (r != null) {
                interim(r);
            }
            r = wire.read(head);
        }
        return convert(r, r.body());
    }

    private void interim(WireClient.Response r) {
        informational.add(r.status());
        informationalLines.add(r.statusLine());
    }

    private WireClient.Response withBody(WireClient.Response headOnly) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        startBody(headOnly);
        byte[] piece;
        while ((piece = readBodyPiece()) != null) {
            body.write(piece);
        }
        return new WireClient.Response(headOnly.statusLine(), headOnly.status(), headOnly.fields(), body.toByteArray());
    }

    @Override
    public Response readHead() throws IOException {
        WireClient.Response r = wire.readHead();
        while (r.status() / 100 == 1) {
            interim(r);
            r = wire.readHead();
        }
        startBody(r);
        return convert(r, new byte[0]);
    }

    private void startBody(WireClient.Response r) {
        bodyDone = WireClient.hasNoBody(r, head);
        bodyChunked = r.hasToken("transfer-encoding", "chunked");
        String length = r.header("content-length");
        remaining = bodyChunked || length == null ? -1 : Long.parseLong(length);
        bodyDone |= remaining == 0;
    }

    @Override
    public byte[] readBodyPiece() throws IOException {
        if (bodyDone) {
            return null;
        }
        if (bodyChunked) {
            byte[] chunk = wire.readChunk();
            bodyDone = chunk == null;
            return chunk;
        }
        byte[] buffer = new byte[64 * 1024];
        InputStream in = wire.socket().getInputStream();
        int n = in.read(buffer, 0, remaining < 0 ? buffer.length : (int) Math.min(buffer.length, remaining));
        if (n < 0) {
            bodyDone = true;
            closedSeen = true;
            return null;
        }
        if (remaining > 0) {
            remaining -= n;
            bodyDone = remaining == 0;
        }
        return java.util.Arrays.copyOf(buffer, n);
    }

    private Response convert(WireClient.Response r, byte[] body) {
        String line = r.statusLine();
        String reason = line.length() > 13 ? line.substring(13) : "";
        return new Response(r.status(), reason, r.fields(), body, List.copyOf(informational));
    }

    @Override
    public void cancel() throws IOException {
        wire.close();
    }

    @Override
    public boolean endedByServer(int millis) throws IOException {
        // a timeout of 0 would wait forever
        return closedSeen || wire.closedWithin(Math.max(1, millis));
    }

    @Override
    public void closeWithReset() throws IOException {
        wire.socket().setSoLinger(true, 0);
        wire.close();
    }

    @Override
    public void close() throws IOException {
        wire.close();
    }
}
