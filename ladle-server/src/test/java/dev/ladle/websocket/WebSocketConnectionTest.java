package dev.ladle.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server-side WebSocketConnection against raw frames over a real loopback socket. */
@Timeout(30)
class WebSocketConnectionTest {
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONT = 0x0;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts the connection answers with a close frame carrying {@code code}, then ends. */
    private static void assertClosedWith(SocketPair pair, int code) throws Exception {
        RawPeer.Frame close = pair.peer.readClose();
        assertThat(close.closeCode()).isEqualTo(code);
        pair.peer.sendClose(code, "");
        pair.recorder.awaitClosed();
        assertThat(pair.recorder.errors).anySatisfy(e ->
                assertThat(((WebSocketException) e).getCloseCode()).isEqualTo(code));
        assertThat(pair.peer.isClosedByOtherSide()).isTrue();
    }

    @Test
    void textMessageIsDeliveredWhole() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendText("héllo");
            Recorder.Received m = pair.recorder.message();
            assertThat(m.type()).isEqualTo(DataType.TEXT);
            assertThat(m.text()).isEqualTo("héllo");
        }
    }

    @Test
    void binaryMessageIsDelivered() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            byte[] data = new byte[70_000];
            Arrays.fill(data, (byte) 7);
            pair.peer.send(BINARY, data);
            Recorder.Received m = pair.recorder.message();
            assertThat(m.type()).isEqualTo(DataType.BINARY);
            assertThat(m.data()).isEqualTo(data);
        }
    }

    @Test
    void framesOfMixedSizesInOneBurstAreDeliveredIntactAndInOrder() throws Exception {
        // sizes around the reader's buffer (8 KiB, grown to 32 KiB after the first large frame) and the
        // writer's (16 KiB + header), sent back to back so frames straddle every read
        int[] sizes = {5, 8_180, 8_192, 8_200, 60, 16_384, 16_390, 3, 32_760, 32_768, 40_000, 1, 16_384, 0, 125, 126};
        try (SocketPair pair = SocketPair.server().start()) {
            java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) {
                byte[] data = new byte[sizes[i]];
                for (int j = 0; j < data.length; j++) {
                    data[j] = (byte) (i * 31 + j * 7);
                }
                sent.add(data);
                burst.writeBytes(RawPeer.frame(true, 0, BINARY, true, data, 0));
            }
            pair.peer.sendRaw(burst.toByteArray());
            for (byte[] data : sent) {
                Recorder.Received m = pair.recorder.message();
                assertThat(m.data()).as("message of %d bytes", data.length).isEqualTo(data);
                pair.conn.sendBinary(m.data());
            }
            for (byte[] data : sent) {
                RawPeer.Frame f = pair.peer.read();
                assertThat(f.fin()).isTrue();
                assertThat(f.masked()).isFalse();
                assertThat(f.payload()).as("echo of %d bytes", data.length).isEqualTo(data);
            }
        }
    }

    @Test
    void textWithEmbeddedNulIsDeliveredIntact() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendText("a\0b");
            assertThat(pair.recorder.message().text()).isEqualTo("a\0b");
        }
    }

    @Test
    void serverSendsOneUnmaskedFramePerMessage() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.sendText("hi");
            RawPeer.Frame f = pair.peer.read();
            assertThat(f.fin()).isTrue();
            assertThat(f.opcode()).isEqualTo(TEXT);
            assertThat(f.masked()).isFalse();
            assertThat(f.text()).isEqualTo("hi");
        }
    }

    @Test
    void clientMasksEveryFrame() throws Exception {
        try (SocketPair pair = SocketPair.client().start()) {
            byte[] big = new byte[40_000];
            Arrays.fill(big, (byte) 'x');
            pair.conn.sendBinary(big);
            pair.conn.sendText("small");
            RawPeer.Frame f = pair.peer.read();
            assertThat(f.masked()).isTrue();
            assertThat(f.payload()).isEqualTo(big);
            RawPeer.Frame g = pair.peer.read();
            assertThat(g.masked()).isTrue();
            assertThat(g.text()).isEqualTo("small");
            assertThat(big[0]).isEqualTo((byte) 'x');
        }
    }

    @Test
    void fragmentedMessageIsReassembled() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(false, 0, TEXT, utf8("one "));
            pair.peer.send(false, 0, CONT, utf8("two "));
            pair.peer.send(true, 0, CONT, utf8("three"));
            assertThat(pair.recorder.message().text()).isEqualTo("one two three");
        }
    }

    @Test
    void utf8CharacterSplitAcrossFragmentsIsAccepted() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            byte[] euro = utf8("€");
            pair.peer.send(false, 0, TEXT, Arrays.copyOfRange(euro, 0, 1));
            pair.peer.send(true, 0, CONT, Arrays.copyOfRange(euro, 1, 3));
            assertThat(pair.recorder.message().text()).isEqualTo("€");
        }
    }

    @Test
    void pingBetweenFragmentsIsAnsweredAndMessageStaysIntact() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(false, 0, BINARY, new byte[] {1, 2});
            pair.peer.send(PING, utf8("mid"));
            RawPeer.Frame pong = pair.peer.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("mid");
            pair.peer.send(true, 0, CONT, new byte[] {3});
            assertThat(pair.recorder.message().data()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheSamePayload() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(PING, utf8("are you there"));
            RawPeer.Frame pong = pair.peer.read();
            assertThat(pong.opcode()).isEqualTo(PONG);
            assertThat(pong.text()).isEqualTo("are you there");
        }
    }

    @Test
    void pongIsReportedToListeners() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(PONG, utf8("beat"));
            assertThat(new String(pair.recorder.pongs.poll(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("beat");
        }
    }

    @Test
    void sendPingReachesThePeer() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.sendPing(utf8("p"));
            RawPeer.Frame ping = pair.peer.read();
            assertThat(ping.opcode()).isEqualTo(PING);
            assertThat(ping.text()).isEqualTo("p");
        }
    }

    @Test
    void peerCloseIsEchoedWithItsCodeAndReasonThenTcpIsClosed() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendClose(4001, "done here");
            RawPeer.Frame echo = pair.peer.read();
            assertThat(echo.opcode()).isEqualTo(CLOSE);
            assertThat(echo.closeCode()).isEqualTo(4001);
            assertThat(echo.closeReason()).isEqualTo("done here");
            pair.recorder.awaitClosed();
            assertThat(pair.peer.isClosedByOtherSide()).isTrue();
            assertThat(pair.conn.getState()).isEqualTo(WebSocketState.CLOSED);
            assertThat(pair.conn.getCloseCode()).isEqualTo(4001);
            assertThat(pair.conn.getCloseData()).isEqualTo("done here");
            assertThat(pair.recorder.events).containsExactly("closing", "closed");
            assertThat(pair.recorder.errors).isEmpty();
        }
    }

    @Test
    void emptyCloseIsAnsweredWithNormalClosure() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(CLOSE, new byte[0]);
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.NORMAL);
            pair.recorder.awaitClosed();
            assertThat(pair.conn.getCloseCode()).isEqualTo(CloseCode.NO_STATUS);
        }
    }

    @Test
    void oneByteClosePayloadIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(CLOSE, new byte[] {3});
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            pair.recorder.awaitClosed();
            assertThat(pair.peer.isClosedByOtherSide()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535})
    void invalidCloseCodeIsAProtocolError(int code) throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendClose(code, "");
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            pair.recorder.awaitClosed();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 1012, 1014, 3000, 4999})
    void validCloseCodeIsEchoed(int code) throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendClose(code, "");
            assertThat(pair.peer.read().closeCode()).isEqualTo(code);
        }
    }

    @Test
    void closeReasonThatIsNotUtf8GetsBadData() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(CLOSE, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28});
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.BAD_DATA);
            pair.recorder.awaitClosed();
        }
    }

    @Test
    void unmaskedClientFrameIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendRaw(RawPeer.frame(true, 0, TEXT, false, utf8("plain"), 0));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
            assertThat(pair.recorder.messages).isEmpty();
        }
    }

    @Test
    void maskedServerFrameIsAProtocolErrorForAClient() throws Exception {
        try (SocketPair pair = SocketPair.client().start()) {
            pair.peer.sendRaw(RawPeer.frame(true, 0, TEXT, true, utf8("masked"), 0));
            RawPeer.Frame close = pair.peer.readClose();
            assertThat(close.closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            assertThat(close.masked()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void reservedBitWithoutAnExtensionIsAProtocolError(int rsv) throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(true, rsv, TEXT, utf8("x"));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodeIsAProtocolError(int opcode) throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(opcode, utf8("x"));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void controlFrameOver125BytesIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(PING, new byte[126]);
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void fragmentedControlFrameIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(false, 0, PING, utf8("a"));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void continuationWithoutAStartIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(true, 0, CONT, utf8("orphan"));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void newMessageInsideAFragmentedOneIsAProtocolError() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(false, 0, TEXT, utf8("first"));
            pair.peer.send(true, 0, TEXT, utf8("second"));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
            assertThat(pair.recorder.messages).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8})
    void nonMinimalLengthEncodingIsAProtocolError(int lengthBytes) throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendRaw(RawPeer.frame(true, 0, TEXT, true, utf8("short"), lengthBytes));
            assertClosedWith(pair, CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void lengthWithTheTopBitSetIsAProtocolErrorAndEndsTheConnection() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.sendRaw(new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.PROTOCOL_ERROR);
            pair.recorder.awaitClosed();
            assertThat(pair.peer.isClosedByOtherSide()).isTrue();
        }
    }

    @Test
    void invalidUtf8TextIsBadData() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(TEXT, new byte[] {'o', 'k', (byte) 0xFF});
            assertClosedWith(pair, CloseCode.BAD_DATA);
            assertThat(pair.recorder.messages).isEmpty();
        }
    }

    @Test
    void textEndingInsideACharacterIsBadData() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.send(TEXT, new byte[] {'o', (byte) 0xE2, (byte) 0x82});
            assertClosedWith(pair, CloseCode.BAD_DATA);
        }
    }

    @Test
    void invalidUtf8FailsOnTheFirstFragmentWithoutWaitingForTheRest() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            // An encoded surrogate (U+D800) in the first fragment; the message is never finished.
            pair.peer.send(false, 0, TEXT, new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80});
            assertClosedWith(pair, CloseCode.BAD_DATA);
        }
    }

    @Test
    void defaultLimitIs128KibAndAcceptsExactlyThat() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            assertThat(pair.conn.getMaxIncomingPayloadSize()).isEqualTo(128 * 1024);
            pair.peer.send(BINARY, new byte[128 * 1024]);
            assertThat(pair.recorder.message().data()).hasSize(128 * 1024);
            pair.peer.send(BINARY, new byte[128 * 1024 + 1]);
            assertClosedWith(pair, CloseCode.TOO_BIG);
        }
    }

    @Test
    void frameDeclaringMoreThanTheLimitIsTooBigBeforeItsPayloadArrives() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setMaxIncomingPayloadSize(1000);
            pair.start();
            // Only the header of a 1 MiB frame: the verdict must not wait for the payload.
            pair.peer.sendRaw(new byte[] {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0x10, 0, 0, 1, 2, 3, 4});
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.TOO_BIG);
            assertThat(((WebSocketException) pair.recorder.error()).getCloseCode()).isEqualTo(CloseCode.TOO_BIG);
        }
    }

    @Test
    void reassembledMessageOverTheLimitIsTooBig() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setMaxIncomingPayloadSize(1000);
            pair.start();
            pair.peer.send(false, 0, BINARY, new byte[600]);
            pair.peer.send(true, 0, CONT, new byte[600]);
            assertClosedWith(pair, CloseCode.TOO_BIG);
        }
    }

    @Test
    void zeroLimitAcceptsLargeMessages() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setMaxIncomingPayloadSize(0);
            pair.start();
            pair.peer.send(BINARY, new byte[1 << 20]);
            assertThat(pair.recorder.message().data()).hasSize(1 << 20);
        }
    }

    @Test
    void serverCloseWaitsForThePeersCloseIgnoringDataMeanwhile() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.close(CloseCode.GOING_AWAY, "bye");
            RawPeer.Frame close = pair.peer.read();
            assertThat(close.closeCode()).isEqualTo(CloseCode.GOING_AWAY);
            assertThat(close.closeReason()).isEqualTo("bye");
            assertThat(pair.conn.getState()).isEqualTo(WebSocketState.CLOSING);
            assertThatThrownBy(() -> pair.conn.sendText("late")).isInstanceOf(IllegalStateException.class);
            pair.peer.sendText("ignored");
            pair.peer.send(PING, utf8("unanswered"));
            pair.peer.sendClose(CloseCode.NORMAL, "ok");
            pair.recorder.awaitClosed();
            assertThat(pair.peer.isClosedByOtherSide()).isTrue();
            assertThat(pair.recorder.messages).isEmpty();
            assertThat(pair.conn.getCloseCode()).isEqualTo(CloseCode.NORMAL);
            assertThat(pair.recorder.events).containsExactly("closing", "closed");
        }
    }

    @Test
    void closeTimeoutEndsTheConnectionWhenThePeerNeverAnswers() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setCloseTimeout(Duration.ofMillis(200));
            pair.start();
            long start = System.nanoTime();
            pair.conn.close(CloseCode.NORMAL, null);
            assertThat(pair.peer.read().closeCode()).isEqualTo(CloseCode.NORMAL);
            pair.recorder.awaitClosed();
            assertThat(pair.peer.isClosedByOtherSide()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(pair.conn.getCloseCode()).isEqualTo(CloseCode.ABNORMAL);
        }
    }

    @Test
    void closeWithNoStatusSendsAnEmptyCloseFrame() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.close(CloseCode.NO_STATUS, "ignored");
            assertThat(pair.peer.read().payload()).isEmpty();
        }
    }

    @Test
    void closeRejectsCodesThatMayNotBeSent() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            assertThatThrownBy(() -> pair.conn.close(CloseCode.ABNORMAL, null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> pair.conn.close(999, null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void longCloseReasonIsCutAtACharacterBoundary() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.close(CloseCode.NORMAL, "é".repeat(100));
            RawPeer.Frame close = pair.peer.read();
            assertThat(close.payload().length).isLessThanOrEqualTo(125);
            assertThat(close.closeReason()).isEqualTo("é".repeat(61));
        }
    }

    @Test
    void abruptEndOfStreamClosesWithAbnormalCodeAndNoClosingEvent() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.close();
            pair.recorder.awaitClosed();
            assertThat(pair.conn.getCloseCode()).isEqualTo(CloseCode.ABNORMAL);
            assertThat(pair.conn.getState()).isEqualTo(WebSocketState.CLOSED);
            assertThat(pair.recorder.events).containsExactly("closed");
        }
    }

    @Test
    void keepaliveSendsNumberedPings() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setKeepaliveInterval(Duration.ofMillis(50));
            pair.start();
            RawPeer.Frame first = pair.peer.read();
            RawPeer.Frame second = pair.peer.read();
            assertThat(first.opcode()).isEqualTo(PING);
            assertThat(first.text()).isEqualTo("ladle-keepalive-1");
            assertThat(second.text()).isEqualTo("ladle-keepalive-2");
        }
    }

    @Test
    void missingPongClosesWithPolicyViolation() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setKeepaliveInterval(Duration.ofMillis(50));
            pair.conn.setKeepalivePongTimeout(Duration.ofMillis(150));
            pair.start();
            RawPeer.Frame close = pair.peer.readClose();
            assertThat(close.closeCode()).isEqualTo(CloseCode.POLICY_VIOLATION);
            pair.peer.sendClose(CloseCode.POLICY_VIOLATION, "");
            pair.recorder.awaitClosed();
            assertThat(((WebSocketException) pair.recorder.error()).getCloseCode()).isEqualTo(CloseCode.POLICY_VIOLATION);
        }
    }

    @Test
    void answeredPingsKeepTheConnectionOpen() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.setKeepaliveInterval(Duration.ofMillis(30));
            pair.conn.setKeepalivePongTimeout(Duration.ofMillis(100));
            pair.start();
            for (int i = 0; i < 10; i++) {
                RawPeer.Frame ping = pair.peer.read();
                assertThat(ping.opcode()).isEqualTo(PING);
                pair.peer.send(PONG, ping.payload());
            }
            assertThat(pair.conn.getState()).isEqualTo(WebSocketState.OPEN);
        }
    }

    @Test
    void largeMessagesAreFragmentedWhenAFrameSizeIsSet() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.setMaxOutgoingFrameSize(4);
            pair.conn.sendText("abcdefghij");
            List<RawPeer.Frame> frames = List.of(pair.peer.read(), pair.peer.read(), pair.peer.read());
            assertThat(frames).extracting(RawPeer.Frame::opcode).containsExactly(TEXT, CONT, CONT);
            assertThat(frames).extracting(RawPeer.Frame::fin).containsExactly(false, false, true);
            assertThat(frames).extracting(RawPeer.Frame::text).containsExactly("abcd", "efgh", "ij");
        }
    }

    @Test
    void concurrentSendsKeepEachMessageWholeAndEachSendersOrder() throws Exception {
        int threads = 8;
        int perThread = 300;
        try (SocketPair pair = SocketPair.server().start()) {
            pair.conn.setMaxOutgoingFrameSize(5);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                senders.add(Thread.startVirtualThread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        pair.conn.sendText(id + ":" + i + ":" + "payload".repeat(id + 1));
                    }
                }));
            }
            go.countDown();
            Map<Integer, Integer> next = new HashMap<>();
            StringBuilder message = new StringBuilder();
            for (int received = 0; received < threads * perThread; ) {
                RawPeer.Frame f = pair.peer.read();
                assertThat(f.opcode()).isEqualTo(message.isEmpty() ? TEXT : CONT);
                message.append(f.text());
                if (f.fin()) {
                    String[] parts = message.toString().split(":");
                    int id = Integer.parseInt(parts[0]);
                    assertThat(Integer.parseInt(parts[1])).isEqualTo(next.getOrDefault(id, 0));
                    assertThat(parts[2]).isEqualTo("payload".repeat(id + 1));
                    next.put(id, next.getOrDefault(id, 0) + 1);
                    message.setLength(0);
                    received++;
                }
            }
            for (Thread sender : senders) {
                sender.join();
            }
        }
    }

    @Test
    void eventsRunOnTheReaderThread() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            Thread reader = pair.conn.start();
            pair.peer.sendText("a");
            pair.recorder.message();
            pair.conn.close(CloseCode.NORMAL, null);
            pair.peer.readClose();
            pair.peer.sendClose(CloseCode.NORMAL, "");
            pair.recorder.awaitClosed();
            assertThat(pair.recorder.threads).containsOnly(reader);
        }
    }

    @Test
    void listenerThatThrowsClosesWithServerError() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            pair.conn.onMessage((type, data) -> {
                throw new IllegalStateException("boom");
            });
            pair.start();
            pair.peer.sendText("x");
            assertThat(pair.peer.readClose().closeCode()).isEqualTo(CloseCode.SERVER_ERROR);
        }
    }

    @Test
    void runTwiceIsRefused() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            assertThatThrownBy(pair.conn::run).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closedSubscriptionStopsDelivery() throws Exception {
        try (SocketPair pair = SocketPair.server()) {
            List<String> seen = new ArrayList<>();
            var sub = pair.conn.onMessage((t, d) -> seen.add(new String(d, StandardCharsets.UTF_8)));
            pair.start();
            pair.peer.sendText("one");
            pair.recorder.message();
            sub.close();
            pair.peer.sendText("two");
            pair.recorder.message();
            assertThat(seen).containsExactly("one");
        }
    }

    @Test
    void sendFailureIsReportedAndClosesTheConnection() throws Exception {
        try (SocketPair pair = SocketPair.server().start()) {
            pair.peer.socket().setSoLinger(true, 0);
            pair.peer.close();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 1000 && pair.conn.getState() == WebSocketState.OPEN; i++) {
                    pair.conn.sendBinary(chunk);
                }
            } catch (IllegalStateException expected) {
                // the connection noticed between the state check and the send
            }
            pair.recorder.awaitClosed();
            assertThat(pair.conn.getState()).isEqualTo(WebSocketState.CLOSED);
        }
    }

}
