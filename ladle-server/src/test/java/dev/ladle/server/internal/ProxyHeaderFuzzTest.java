package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ladle.fuzz.TrickleInput;
import dev.ladle.server.ProxyHeader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the start of a connection on a PROXY protocol listener: {@link ProxyHeaderReader} on the
 * peer's bytes (handed over a few at a time), then {@link ProxyHeaderParser}. Seeds: version 1 TCP4,
 * TCP6 and UNKNOWN lines, version 2 PROXY over IPv4 with TLVs (ALPN, authority, SSL, CRC32c), over
 * IPv6 and over Unix, and a LOCAL health check, each followed by a request.
 *
 * <p>Invariants: only {@link ProxyHeaderException} escapes; an accepted header was read exactly (the
 * bytes after it are all still unread) and parses the same from those bytes alone; a header we
 * serialise parses to an equal header (its CRC32c value recomputed) and serialises to the same bytes.
 */
class ProxyHeaderFuzzTest {
    private static final long FAR = Long.MAX_VALUE / 2;

    @FuzzTest
    void proxyHeader(byte[] input) throws IOException {
        TrickleInput in = new TrickleInput(input);
        Transport transport = new StreamTransport(in, OutputStream.nullOutputStream(), null, null, null);
        ProxyHeader header;
        try {
            header = ProxyHeaderReader.read(transport, System.nanoTime() + FAR);
        } catch (ProxyHeaderException e) {
            return;
        }
        int consumed = input.length - in.available();
        assertThat(ProxyHeaderParser.parse(Arrays.copyOf(input, consumed))).isEqualTo(header);

        byte[] encoded = header.encode();
        ProxyHeader again = ProxyHeaderParser.parse(encoded);
        assertThat(withoutChecksum(again)).isEqualTo(withoutChecksum(header));
        assertThat(again.encode()).isEqualTo(encoded);
    }

    @Test
    void everySeedStartsWithAnAcceptedHeader() throws Exception {
        Path seeds = Path.of(getClass().getResource("ProxyHeaderFuzzTestInputs/proxyHeader").toURI());
        try (Stream<Path> files = Files.list(seeds)) {
            for (Path seed : files.filter(f -> f.getFileName().toString().startsWith("crafted-")).toList()) {
                TrickleInput in = new TrickleInput(Files.readAllBytes(seed));
                assertThat(ProxyHeaderReader.read(new StreamTransport(in, OutputStream.nullOutputStream(), null, null, null),
                        System.nanoTime() + FAR)).as("%s", seed.getFileName()).isNotNull();
                assertThat(in.available()).as("%s: the request after the header", seed.getFileName()).isPositive();
            }
        }
    }

    /** The header with every CRC32c value zeroed: encoding recomputes it over bytes that may differ. */
    private static ProxyHeader withoutChecksum(ProxyHeader h) {
        List<ProxyHeader.Tlv> tlvs = h.tlvs().stream()
                .map(t -> t.type() == ProxyHeader.PP2_TYPE_CRC32C ? new ProxyHeader.Tlv(t.type(), new byte[t.length()]) : t)
                .toList();
        return new ProxyHeader(h.version(), h.command(), h.sourceAddress(), h.destinationAddress(), tlvs);
    }
}
