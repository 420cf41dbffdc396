package dev.ladle.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Decompresses what a test received, with the JDK's own decoders (never the server's code): whole
 * bodies in gzip or zlib ({@code deflate}) format, and a gzip stream piece by piece as it arrives.
 */
final class Compressed {
    private Compressed() {
    }

    /** Returns the gzip body {@code body} decompressed as UTF-8 text (GZIPInputStream also checks the CRC and length). */
    static String gunzip(byte[] body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the {@code deflate} (zlib format) body decompressed as UTF-8 text. */
    static String inflate(byte[] body) {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A gzip stream decoded as its pieces arrive: {@link #feed} returns all the text decodable so far,
     * which after a server's flush is everything written before it.
     */
    static final class GzipPieces {
        /** The fixed part of a gzip member header; a header with optional fields is not expected here. */
        private static final int HEADER = 10;
        private final Inflater inflater = new Inflater(true);
        private final StringBuilder text = new StringBuilder();
        private byte[] header = new byte[0];

        /** Feeds one piece of the body; returns the whole text decoded so far. */
        String feed(byte[] piece) {
            byte[] data = piece;
            if (header.length < HEADER) {
                int take = Math.min(HEADER - header.length, data.length);
                header = Arrays.copyOf(header, header.length + take);
                System.arraycopy(data, 0, header, header.length - take, take);
                data = Arrays.copyOfRange(data, take, data.length);
                if (header.length == HEADER && (header[0] != 0x1f || header[1] != (byte) 0x8b || header[3] != 0)) {
                    throw new AssertionError("not a plain gzip header: " + Arrays.toString(header));
                }
            }
            inflater.setInput(data);
            byte[] out = new byte[8192];
            try {
                int n;
                while ((n = inflater.inflate(out)) > 0) {
                    text.append(new String(out, 0, n, StandardCharsets.UTF_8));
                }
            } catch (DataFormatException e) {
                throw new AssertionError("the piece does not continue a deflate stream", e);
            }
            return text.toString();
        }

        /** Returns true once the deflate stream's last block was decoded (the trailer may follow). */
        boolean finished() {
            return inflater.finished();
        }
    }
}
