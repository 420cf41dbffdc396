package dev.ladle.websocket.internal;

import dev.ladle.websocket.CloseCode;
import dev.ladle.websocket.DataType;
import dev.ladle.websocket.WebSocketException;
import dev.ladle.websocket.WebSocketExtension;
import java.io.IOException;
import java.util.Arrays;

/**
 * Joins the frames of one data message (RFC 6455 section 5.4). Uncompressed text is checked as UTF-8
 * frame by frame, so a bad fragment fails before the rest arrives. An unfragmented message is read
 * into an array of its exact size; no buffer is kept between messages.
 */
public final class MessageAssembler {
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
        int length = (int) header.length();
        if (header.opcode() != Opcode.CONTINUATION) {
            opcode = header.opcode();
            reservedBits = header.reservedBits();
            // With reserved bits set an extension transforms the payload: check the result instead.
            checkUtf8 = opcode == Opcode.TEXT && reservedBits == 0;
            utf8.reset();
            size = 0;
            data = header.fin() ? new byte[length] : new byte[Math.max(length, 1024)];
        } else if (data.length - size < length) {
            data = Arrays.copyOf(data, (int) Math.max(size + (long) length, Math.min(Integer.MAX_VALUE - 8, data.length * 2L)));
        }
        reader.readPayload(header, data, size);
        if (checkUtf8 && !utf8.feed(data, size, length)) {
            reset();
            throw new WebSocketException(CloseCode.BAD_DATA, "text message is not valid UTF-8");
        }
        size += length;
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
