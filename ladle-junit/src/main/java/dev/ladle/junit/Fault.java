package dev.ladle.junit;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a {@link MockResponse} breaks the exchange, if it does: what kind of break, and the byte count
 * (where a head or body is cut, how many random bytes) or random seed it takes. What each kind puts on
 * the wire is documented on the {@code MockResponse} method that makes it; {@link ResponsePlayer} and
 * {@link RawHttp1Response} carry it out.
 *
 * @param kind the kind of break
 * @param bytes the byte count, 0 for the kinds that take none
 * @param seed the seed of the random bytes, or null for fresh bytes each time
 */
record Fault(Kind kind, int bytes, Long seed) {
    /** The kinds of break. */
    enum Kind {
        /** None: an ordinary response. */
        NONE,
        /** The connection closes (FIN) after the request, before any response byte. */
        DISCONNECT,
        /** The connection is reset (RST) after the request, before any response byte. */
        RESET,
        /** Nothing is written and the connection stays open until the client or the server closes it. */
        STALL,
        /** Random bytes instead of a response, then the connection closes. */
        RANDOM_BYTES,
        /** The server shuts its output down (FIN) and keeps reading. */
        HALF_CLOSE,
        /** The first bytes of the head, then the connection closes. */
        HEAD_CUT,
        /** The head and the first bytes of the body, then the connection closes. */
        BODY_CUT,
        /** The head, the body as a chunk, then a chunk-size line that is not a number; then it closes. */
        MALFORMED_CHUNK
    }

    /** No fault. */
    static final Fault NONE = new Fault(Kind.NONE, 0, null);

    /** True when this is a fault of {@code kind}. */
    boolean is(Kind kind) {
        return this.kind == kind;
    }

    /** True for the faults that send no response head at all: the client gets no status. */
    boolean sendsNoResponse() {
        return switch (kind) {
            case DISCONNECT, RESET, STALL, RANDOM_BYTES, HALF_CLOSE -> true;
            case NONE, HEAD_CUT, BODY_CUT, MALFORMED_CHUNK -> false;
        };
    }

    /** The bytes of a {@link Kind#RANDOM_BYTES} fault: the same ones each time when it has a seed. */
    byte[] noise() {
        byte[] noise = new byte[bytes];
        (seed == null ? ThreadLocalRandom.current() : new Random(seed)).nextBytes(noise);
        return noise;
    }

    /** {@code body cut after 3 bytes}, {@code random bytes (16 bytes)}: for {@link MockResponse#toString()}. */
    String describe(boolean afterAResponse) {
        String name = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (bytes == 0) {
            return name;
        }
        return afterAResponse ? name + " after " + bytes + " bytes" : name + " (" + bytes + " bytes)";
    }
}
