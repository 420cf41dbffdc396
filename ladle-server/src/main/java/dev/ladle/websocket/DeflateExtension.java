package dev.ladle.websocket;

import dev.ladle.websocket.internal.MessageDeflater;
import dev.ladle.websocket.internal.MessageInflater;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code permessage-deflate} extension (RFC 7692), registered on every server by default.
 *
 * <p>As a server it accepts an offer whose parameters are all valid and answers with exactly the
 * ones it honours, never with one the client did not offer: {@code server_no_context_takeover},
 * {@code client_no_context_takeover} and {@code server_max_window_bits=N} are echoed;
 * {@code client_max_window_bits} is left out of the answer because the decompressor reads every
 * window size. An offer with an unknown, repeated or malformed parameter is declined (the handshake
 * succeeds without compression, or with the client's next offer).
 *
 * <p>{@code server_max_window_bits} below 15 is honoured although the JDK's compressor always uses a
 * 32 KiB window: messages are then compressed afresh and only when no longer than the window, so no
 * back-reference reaches past it; longer messages go out uncompressed.
 *
 * <p>Every non-empty message is compressed when the window allows it. Decompression stops at the
 * connection's maximum incoming payload size (a message that would inflate beyond it closes the
 * connection with {@link CloseCode#TOO_BIG}).
 */
public class DeflateExtension extends WebSocketExtension {
    private static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    private static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    private static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    private static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";
    private static final int MAX_WINDOW_BITS = 15;

    private Map<String, String> responseParams = Map.of();
    private MessageDeflater deflater;
    private MessageInflater inflater;

    /** Creates an instance for one connection. */
    public DeflateExtension() {
    }

    @Override
    public String getName() {
        return "permessage-deflate";
    }

    /**
     * {@inheritDoc}
     *
     * <p>As a server, {@code params} is one offer of the client; as a client, the server's answer to
     * {@link #getRequestParams()}.
     */
    @Override
    public void configure(ConnectionType type, Map<String, String> params) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverWindowBits = MAX_WINDOW_BITS;
        int clientWindowBits = MAX_WINDOW_BITS;
        boolean clientWindowBitsGiven = false;
        Map<String, String> answer = new LinkedHashMap<>();
        for (Map.Entry<String, String> param : params.entrySet()) {
            String name = param.getKey().toLowerCase(Locale.ROOT);
            String value = param.getValue();
            if (answer.containsKey(name) || (name.equals(CLIENT_MAX_WINDOW_BITS) && clientWindowBitsGiven)) {
                throw new IllegalArgumentException("repeated parameter " + name);
            }
            switch (name) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(name, value);
                    serverNoContext = true;
                    answer.put(name, null);
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    requireNoValue(name, value);
                    clientNoContext = true;
                    answer.put(name, null);
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    serverWindowBits = windowBits(name, value);
                    answer.put(name, Integer.toString(serverWindowBits));
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    // A client offers it (with or without a value) to say it can limit its window; a
                    // server's answer must carry a value, and only if the client offered the parameter.
                    if (value != null || type == ConnectionType.CLIENT) {
                        clientWindowBits = windowBits(name, value);
                    }
                    clientWindowBitsGiven = true;
                }
                default -> throw new IllegalArgumentException("unknown parameter " + name);
            }
        }
        boolean server = type == ConnectionType.SERVER;
        close();
        deflater = new MessageDeflater(server ? serverNoContext : clientNoContext,
                server ? serverWindowBits : clientWindowBits);
        inflater = new MessageInflater(server ? clientNoContext : serverNoContext);
        responseParams = server ? Collections.unmodifiableMap(answer) : Map.of();
    }

    private static void requireNoValue(String name, String value) {
        if (value != null) {
            throw new IllegalArgumentException(name + " takes no value");
        }
    }

    private static int windowBits(String name, String value) {
        // RFC 7692: 1*DIGIT from 8 to 15, no leading zero.
        if (value == null || !value.matches("[89]|1[0-5]")) {
            throw new IllegalArgumentException(name + " must be 8 to 15, not " + value);
        }
        return Integer.parseInt(value);
    }

    /** Offers {@code client_max_window_bits} (without a value): this client can honour a smaller window. */
    @Override
    public Map<String, String> getRequestParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put(CLIENT_MAX_WINDOW_BITS, null);
        return Collections.unmodifiableMap(params);
    }

    @Override
    public Map<String, String> getResponseParams() {
        return responseParams;
    }

    @Override
    public Message processOutgoingMessage(DataType type, Message message) throws IOException {
        requireConfigured();
        if (!deflater.accepts(message.payload().length)) {
            return message;
        }
        return new Message(message.reservedBits() | RSV1, deflater.compress(message.payload()));
    }

    @Override
    public Message processIncomingMessage(DataType type, Message message, long maxPayloadSize) throws IOException {
        requireConfigured();
        if ((message.reservedBits() & RSV1) == 0) {
            return message;
        }
        return new Message(message.reservedBits() & ~RSV1, inflater.inflate(message.payload(), maxPayloadSize));
    }

    private void requireConfigured() {
        if (deflater == null) {
            throw new IllegalStateException("permessage-deflate used before configure()");
        }
    }

    @Override
    public void close() {
        if (deflater != null) {
            deflater.close();
            inflater.close();
        }
    }
}
