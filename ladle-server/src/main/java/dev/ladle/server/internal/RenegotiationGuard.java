package dev.ladle.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The plain socket of an https connection as its {@code SSLSocket} sees it: everything is the plain
 * socket's, except that what the {@code SSLSocket} reads passes a check that refuses client-initiated
 * renegotiation. Once a TLS 1.2 handshake is complete, a handshake record from the client can only be
 * a renegotiation ClientHello (Ladle never asks for one); the connection is then cut before the JDK
 * reads the record, so the expensive half of the handshake is never redone.
 *
 * <p>Why here: the JDK refuses client renegotiation only through the system property
 * {@code jdk.tls.rejectClientInitiatedRenegotiation}, which would change every other TLS server in
 * the process. A layered {@code SSLSocket} reads its records from this socket's input stream, one
 * record at a time (the header, then exactly its fragment), so the record boundaries are known here.
 *
 * <p>TLS 1.3 has no renegotiation: its post-handshake messages (KeyUpdate, NewSessionTicket) travel
 * encrypted as application data. After a TLS 1.3 handshake the check steps aside, and reading costs
 * one field read more than reading the plain socket.
 */
final class RenegotiationGuard extends Socket {
    private static final System.Logger LOG = System.getLogger("dev.ladle.tls");

    /** What the check does with each read. */
    private enum Mode {
        /** Follow the records: the handshake is under way. */
        HANDSHAKING,
        /** Follow the records and refuse a handshake record: a TLS 1.2 handshake is complete. */
        ARMED,
        /** Pass reads through: TLS 1.3, or the record boundaries are no longer known. */
        OFF
    }

    private final Socket plain;
    private final InputStream input;
    private final TlsRecordFraming framing = new TlsRecordFraming();
    private volatile Mode mode = Mode.HANDSHAKING;

    /** Wraps a connected plain socket, before the {@code SSLSocket} is layered on it. */
    RenegotiationGuard(Socket plain) throws IOException {
        super((SocketImpl) null);
        this.plain = plain;
        this.input = new CheckedInput(plain.getInputStream());
    }

    /**
     * Called once the handshake is complete, with the version it agreed ({@code TLSv1.2}...): arms the
     * check for versions that can renegotiate, turns it off for TLS 1.3. A resumed (abbreviated) TLS 1.2
     * handshake also ends with the client's Finished, so arming here never refuses part of a handshake.
     */
    void handshakeComplete(String protocol) {
        mode = "TLSv1.3".equals(protocol) ? Mode.OFF : Mode.ARMED;
    }

    private SocketException refuse() {
        LOG.log(System.Logger.Level.DEBUG, "refused client-initiated TLS renegotiation from {0}: connection closed",
                plain.getRemoteSocketAddress());
        try {
            plain.close();
        } catch (IOException e) {
            // closing is all that was wanted
        }
        return new SocketException("client-initiated TLS renegotiation refused");
    }

    /** The plain socket's input, followed record by record while the check is on. */
    private final class CheckedInput extends InputStream {
        private final InputStream in;

        CheckedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            Mode current = mode;
            if (n > 0 && current != Mode.OFF
                    && framing.startsRecordOfType(TlsRecordFraming.HANDSHAKE, b, off, n) && current == Mode.ARMED) {
                throw refuse();
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public long skip(long n) throws IOException {
            // the JDK skips only to drain a connection it is closing; the boundaries are lost after it
            mode = Mode.OFF;
            return in.skip(n);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    // ---- everything else is the plain socket's ---------------------------------------------------

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return plain.getOutputStream();
    }

    /** Returns null: I/O on the channel would bypass TLS, and this check with it. */
    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        throw new SocketException("already bound");
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }

    @Override
    public boolean isClosed() {
        return plain.isClosed();
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public void shutdownInput() throws IOException {
        plain.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        plain.shutdownOutput();
    }

    @Override
    public boolean isInputShutdown() {
        return plain.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return plain.isOutputShutdown();
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        plain.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return plain.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        plain.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        plain.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return plain.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return plain.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        plain.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return plain.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        plain.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return plain.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return plain.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        plain.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return plain.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        plain.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return plain.getReuseAddress();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        plain.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        plain.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return plain.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return plain.supportedOptions();
    }

    @Override
    public String toString() {
        return plain.toString();
    }
}
