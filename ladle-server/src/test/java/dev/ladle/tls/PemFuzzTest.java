package dev.ladle.tls;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.List;

/**
 * Fuzzes the reading of certificates and private keys: PEM text ({@link Pem}, then
 * {@link TlsCertificate#fromPem}), and private-key DER ({@link Der}, {@link PrivateKeys}) in each of
 * the forms a PEM label announces. Seeds: keys and certificates made by openssl (RSA PKCS#8 and
 * PKCS#1, EC SEC1 with and without a separate {@code EC PARAMETERS} block, Ed25519, a chain with its key).
 *
 * <p>Invariants: bad input is refused only with {@link IllegalArgumentException} naming the problem;
 * a key that is read, encoded as PKCS#8 again, reads back equal; a DER element re-encoded reads back
 * with the same tag and content.
 */
class PemFuzzTest {
    private static final List<String> KEY_LABELS = List.of("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY");

    @FuzzTest
    void pem(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        List<Pem.Block> blocks;
        try {
            blocks = Pem.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        try {
            PrivateKey key = PrivateKeys.fromBlocks(blocks);
            assertThat(PrivateKeys.fromPkcs8(key.getEncoded())).isEqualTo(key);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        try {
            TlsCertificate certificate = TlsCertificate.fromPem(text);
            assertThat(certificate.getCertificateChain()).isNotEmpty();
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /** The content of a private-key block, read as each key label (and as EC parameters). */
    @FuzzTest
    void privateKeyDer(byte[] input) {
        checkDerRoundTrip(input);
        for (String label : KEY_LABELS) {
            try {
                PrivateKey key = PrivateKeys.fromBlocks(List.of(new Pem.Block(label, input)));
                assertThat(PrivateKeys.fromPkcs8(key.getEncoded())).isEqualTo(key);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        // an EC key whose curve comes from a separate EC PARAMETERS block, as openssl ecparam -genkey writes
        int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
        try {
            PrivateKeys.fromBlocks(List.of(
                    new Pem.Block("EC PARAMETERS", java.util.Arrays.copyOfRange(input, 0, split)),
                    new Pem.Block("EC PRIVATE KEY", java.util.Arrays.copyOfRange(input, split, input.length))));
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    private static void checkDerRoundTrip(byte[] der) {
        Der.Reader reader = Der.Reader.of(der);
        try {
            while (reader.hasNext()) {
                Der.Element element = reader.next();
                Der.Element again = Der.Reader.of(Der.encode(element.tag(), element.content())).next();
                assertThat(again.tag()).isEqualTo(element.tag());
                assertThat(again.content()).isEqualTo(element.content());
                if (element.tag() == Der.OBJECT_IDENTIFIER) {
                    try {
                        assertThat(Der.objectIdentifier(element)).matches("[0-2](\\.[0-9]+)+");
                    } catch (IllegalArgumentException e) {
                        assertThat(e.getMessage()).isNotBlank();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
