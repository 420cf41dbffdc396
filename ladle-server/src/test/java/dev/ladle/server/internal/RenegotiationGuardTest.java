package dev.ladle.server.internal;

import static dev.ladle.server.internal.TlsRecordFramingTest.concat;
import static dev.ladle.server.internal.TlsRecordFramingTest.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The check under an https connection's SSLSocket, fed raw records over a real TCP connection (the
 * end-to-end behaviour with TLS clients is in {@code dev.ladle.tls.RenegotiationTest}).
 */
class RenegotiationGuardTest {
    private static final int APPLICATION_DATA = 23;

    ServerSocket listener;
    Socket client;
    Socket accepted;
    RenegotiationGuard guard;

    @BeforeEach
    void connect() throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        accepted = listener.accept();
        accepted.setSoTimeout(20_000);
        client.setSoTimeout(20_000);
        guard = new RenegotiationGuard(accepted);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        listener.close();
    }

    private void send(byte[]... records) throws IOException {
        client.getOutputStream().write(concat(records));
        client.getOutputStream().flush();
    }

    /** Reads exactly {@code length} bytes through the guard, {@code size} bytes at most per read. */
    private byte[] read(int length, int size) throws IOException {
        byte[] data = new byte[length];
        InputStream in = guard.getInputStream();
        int off = 0;
        while (off < length) {
            int n = in.read(data, off, Math.min(size, length - off));
            assertThat(n).as("end of stream after %d bytes", off).isPositive();
            off += n;
        }
        return data;
    }

    @Test
    void aHandshakeRecordAfterATls12HandshakeIsRefusedAndTheConnectionClosed() throws IOException {
        guard.handshakeComplete("TLSv1.2");
        send(record(TlsRecordFraming.HANDSHAKE, 40, 1));

        assertThatThrownBy(() -> read(45, 45)).isInstanceOf(SocketException.class)
                .hasMessage("client-initiated TLS renegotiation refused");
        assertThat(accepted.isClosed()).isTrue();
        assertClosedByPeer(client);
    }

    /** The peer closed: the end of the stream, or a reset when it closed with bytes left unread. */
    static void assertClosedByPeer(Socket socket) {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (IOException e) {
            assertThat(e).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
    }

    @Test
    void handshakeRecordsPassWhileTheHandshakeIsUnderWay() throws IOException {
        byte[] flight = concat(record(TlsRecordFraming.HANDSHAKE, 200, 1), record(20, 1, 1), record(TlsRecordFraming.HANDSHAKE, 40, 1));
        send(flight);

        assertThat(read(flight.length, 7)).isEqualTo(flight);
    }

    @Test
    void applicationDataPassesAnArmedGuardWhateverTheReadSizes() throws IOException {
        // fragments full of 22s: only a record's first byte says its type
        byte[] data = concat(record(APPLICATION_DATA, 1000, TlsRecordFraming.HANDSHAKE), record(21, 2, TlsRecordFraming.HANDSHAKE),
                record(APPLICATION_DATA, 3, TlsRecordFraming.HANDSHAKE));
        guard.handshakeComplete("TLSv1.2");
        send(data);

        assertThat(read(data.length, 3)).isEqualTo(data);
    }

    @Test
    void aHandshakeRecordArrivingInPiecesAfterApplicationDataIsRefused() throws IOException {
        byte[] data = record(APPLICATION_DATA, 100, 0);
        guard.handshakeComplete("TLSv1.2");
        send(data, record(TlsRecordFraming.HANDSHAKE, 40, 1));

        assertThat(read(data.length, 1)).isEqualTo(data);
        assertThatThrownBy(() -> read(45, 1)).isInstanceOf(SocketException.class);
    }

    @Test
    void theRecordsAreFollowedFromTheFirstByteSoArmingMidRecordKeepsTheBoundaries() throws IOException {
        // the handshake's last record is read in part, then the guard is armed: the rest of that
        // record's fragment, full of 22s, is no header
        byte[] last = record(TlsRecordFraming.HANDSHAKE, 40, TlsRecordFraming.HANDSHAKE);
        byte[] after = record(APPLICATION_DATA, 10, TlsRecordFraming.HANDSHAKE);
        send(last, after);
        read(20, 20);

        guard.handshakeComplete("TLSv1.2");

        assertThat(read(last.length - 20 + after.length, 64)).hasSize(last.length - 20 + after.length);
    }

    @Test
    void afterATls13HandshakeTheGuardStepsAside() throws IOException {
        byte[] data = concat(record(APPLICATION_DATA, 10, 0), record(TlsRecordFraming.HANDSHAKE, 40, 1));
        guard.handshakeComplete("TLSv1.3");
        send(data);

        assertThat(read(data.length, 4)).isEqualTo(data);
        assertThat(accepted.isClosed()).isFalse();
    }

    @Test
    void theSocketIsThePlainSocketsAddressesTimeoutAndClose() throws IOException {
        assertThat(guard.isConnected()).isTrue();
        assertThat(guard.getRemoteSocketAddress()).isEqualTo(accepted.getRemoteSocketAddress());
        assertThat(guard.getLocalSocketAddress()).isEqualTo(accepted.getLocalSocketAddress());
        assertThat(guard.getPort()).isEqualTo(client.getLocalPort());
        assertThat(guard.getChannel()).isNull();

        guard.setSoTimeout(50);
        assertThat(accepted.getSoTimeout()).isEqualTo(50);
        assertThatThrownBy(() -> guard.getInputStream().read(new byte[1], 0, 1)).isInstanceOf(SocketTimeoutException.class);

        guard.close();
        assertThat(accepted.isClosed()).isTrue();
        assertThat(guard.isClosed()).isTrue();
    }
}
