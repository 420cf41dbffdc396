package dev.ladle.tls;

import dev.ladle.server.internal.ServerState;
import dev.ladle.server.internal.TlsHandshaker;
import dev.ladle.server.internal.TlsTransport;
import dev.ladle.server.internal.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * A stand-in for the HTTP engine: accepts on 127.0.0.1, runs {@link TlsHandshaker#handshake} on each
 * connection's virtual thread as the engine does, records the outcome, then answers one HTTP request
 * with a description of the TLS connection ({@code secure=... alpn=... peer=... errors=...}).
 */
final class TlsTestServer implements AutoCloseable {
    /** What one handshake gave: a transport or a failure. */
    record Outcome(Transport transport, IOException failure) {
    }

    final ServerState state;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    volatile BiPredicate<List<X509Certificate>, Set<TlsCertificateFlag>> acceptCertificate;

    TlsTestServer(ServerState state) throws IOException {
        this.state = state;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Waits for the outcome of the next handshake. */
    Outcome nextOutcome() throws InterruptedException {
        Outcome outcome = outcomes.poll(20, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("no handshake finished within 20 s");
        }
        return outcome;
    }

    /** Returns the outcome of an already finished handshake, or null. */
    Outcome pollOutcome() {
        return outcomes.poll();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        Transport transport;
        try {
            transport = TlsHandshaker.handshake(state, socket, acceptCertificate);
        } catch (IOException e) {
            outcomes.add(new Outcome(null, e));
            return;
        }
        outcomes.add(new Outcome(transport, null));
        try {
            InputStream in = transport.input();
            if (readHead(in) == null) {
                return;
            }
            String body = describe(transport) + "\n";
            OutputStream out = transport.output();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // the client went away
        } finally {
            transport.close();
        }
    }

    /** Describes a handshake's result in one line. */
    static String describe(Transport transport) {
        String peer = transport.peerCertificates().isEmpty() ? "none"
                : transport.peerCertificates().get(0).getSubjectX500Principal().getName();
        TlsTransport tls = (TlsTransport) transport;
        return "secure=" + transport.isSecure() + " protocol=" + tls.protocol() + " alpn=" + tls.applicationProtocol()
                + " peer=" + peer + " errors=" + transport.peerCertificateErrors();
    }

    /** Reads a request head up to its blank line; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        acceptor.join();
    }
}
