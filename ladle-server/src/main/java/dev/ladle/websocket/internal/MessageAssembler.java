package dev.ladle.websocket.internal;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketException;
import dev.ladle.websocket.WebSocketExtension;
import java.io.IOException;
import java.util.Arrays;

/**
 * Joins the frames of one data message (RFC 6455 section 5.4). Uncompressed text is checked as UTF-8
 * as it arrives, so a bad fragment fails before the rest arrives. An unfragmented message is read
 * into an array of its exact size (grown 64 KiB at a time as its bytes arrive); no buffer is kept
 * between messages.
 */
public final class MessageAssembler {
    /** How much of a payload is allocated ahead of its bytes arriving. */
    private static final int STEP = 64 * 1024;

    private final Utf8Validator utf8 = new Utf8Validator();
    private int opcode = -1;
    private int reservedBits;
    private boolean checkUtf8;
    private byte[] data;
    private int size;

    /** Creates an assembler with no message in progress. */
    public MessageAssembler() {
    }

    /**
     * A complete message.
     *
     * @param type its type
     * @param message its first frame's reserved bits and the joined payload
     */
    public record Assembled(DataType type, WebSocketExtension.Message message) {
    }

    /** Returns true while a fragmented message has started and not ended. */
    public boolean inProgress() {
        return opcode >= 0;
    }

    /**
     * Returns the bytes allocated for the message in progress (0 when none is). Not synchronised: call
     * it from the reading thread, or after synchronising with it.
     */
    public int capacity() {
        return data == null ? 0 : data.length;
    }

    /** Returns the payload bytes of the message in progress. */
    public int size() {
        return size;
    }

    /**
     * Reads the payload of a data frame whose header passed the protocol checks.
     *
     * @return the message when this frame ended it, otherwise null
     * @throws WebSocketException {@link CloseCode#BAD_DATA} when uncompressed text is not UTF-8
     */
    public Assembled read(FrameHeader header, FrameReader reader) throws IOException {
        long length = header.length();
        if (header.opcode() != Opcode.CONTINUATION) {
            opcode = header.opcode();
            reservedBits = header.reservedBits();
            // With reserved bits set an extension transforms the payload: check the result instead.
            checkUtf8 = opcode == Opcode.TEXT && reservedBits == 0;
            utf8.reset();
            size = 0;
            data = new byte[(int) Math.min(header.fin() ? length : Math.max(length, 1024), STEP)];
        }
        // Memory follows the bytes that arrive, STEP at a time, not the length a header claims: a peer
        // that declares a large frame and sends nothing costs one step, not the whole message.
        long done = 0;
        while (done < length) {
            int step = (int) Math.min(length - done, STEP);
            if (data.length - size < step) {
                long eventual = size + (length - done);
                data = Arrays.copyOf(data, (int) Math.min(eventual, Math.max(size + (long) step, data.length * 2L)));
            }
            reader.readPayload(header, done, data, size, step);
            if (checkUtf8 && !utf8.feed(data, size, step)) {
                reset();
                throw new WebSocketException(CloseCode.BAD_DATA, "text message is not valid UTF-8");
            }
            size += step;
            done += step;
        }
        if (!header.fin()) {
            return null;
        }
        if (checkUtf8 && !utf8.isComplete()) {
            reset();
            throw new WebSocketException(CloseCode.BAD_DATA, "text message ends inside a UTF-8 character");
        }
        byte[] payload = size == data.length ? data : Arrays.copyOf(data, size);
        DataType type = opcode == Opcode.TEXT ? DataType.TEXT : DataType.BINARY;
        Assembled result = new Assembled(type, new WebSocketExtension.Message(reservedBits, payload));
        reset();
        return result;
    }

    private void reset() {
        opcode = -1;
        data = null;
        size = 0;
    }
}
