package dev.ladle.server.internal;

import dev.ladle.http.Status;
import java.io.IOException;
import java.io.InputStream;

/**
 * The request body as a blocking stream, for an early handler that reads the body itself. Reads go
 * straight to the connection's body reader; framing errors surface as {@link IOException}s naming them.
 */
final class RequestBodyStream extends InputStream {
    private final Exchange exchange;

    RequestBodyStream(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        try {
            return exchange.io.readBody(exchange, b, off, len);
        } catch (HttpException e) {
            exchange.bodyError = e;
            throw new IOException("invalid request body: " + e.getMessage() + " (" + Status.phrase(e.status()) + ")", e);
        } catch (IOException e) {
            // the client is gone: whatever the handler makes of it, nobody is left to answer
            exchange.bodyInputFailed = true;
            throw e;
        }
    }
}
