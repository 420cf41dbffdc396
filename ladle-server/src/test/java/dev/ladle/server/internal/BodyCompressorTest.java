package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladle.server.Compression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

/**
 * The in-memory half of {@link BodyCompressor}, checked with the JDK's decoders; the streaming half is
 * tested on the wire ({@code CompressionTest}).
 */
class BodyCompressorTest {
    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    private static byte[] inflate(byte[] data) throws IOException {
        try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    @Test
    void gzipRoundTripsWithChecksumAndLength() throws IOException {
        byte[] text = "hello, compressed world\n".repeat(500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] gz = BodyCompressor.compress(Compression.Coding.GZIP, 6, text);
        assertThat(gz.length).isLessThan(text.length / 20);
        assertThat(gunzip(gz)).isEqualTo(text);
    }

    @Test
    void deflateIsTheZlibFormat() throws IOException {
        byte[] text = "abcabcabc".repeat(300).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] z = BodyCompressor.compress(Compression.Coding.DEFLATE, 9, text);
        // the zlib header: CM 8 and a check value that makes the first two bytes a multiple of 31
        assertThat(z[0] & 0x0f).isEqualTo(8);
        assertThat(((z[0] & 0xff) << 8 | (z[1] & 0xff)) % 31).isZero();
        assertThat(inflate(z)).isEqualTo(text);
    }

    @Test
    void incompressibleBytesGrowTheOutputArrayAndStillRoundTrip() throws IOException {
        byte[] random = new byte[100_000];
        new Random(7).nextBytes(random);
        assertThat(gunzip(BodyCompressor.compress(Compression.Coding.GZIP, 1, random))).isEqualTo(random);
        assertThat(inflate(BodyCompressor.compress(Compression.Coding.DEFLATE, 1, random))).isEqualTo(random);
    }

    @Test
    void anEmptyBodyIsAValidGzipMember() throws IOException {
        assertThat(gunzip(BodyCompressor.compress(Compression.Coding.GZIP, 6, new byte[0]))).isEmpty();
    }
}
