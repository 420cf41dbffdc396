package dev.ladle.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Splits PEM text (RFC 7468) into labelled DER blocks. Text between blocks is ignored, as OpenSSL
 * writes comments and "Bag Attributes" there. Malformed blocks throw {@link IllegalArgumentException}.
 */
final class Pem {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}...) and its decoded content. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    /** Returns the blocks of {@code text} in order; none when it holds no PEM block. */
    static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        String label = null;
        StringBuilder base64 = null;
        int lineNumber = 0;
        for (String raw : text.split("\r\n|\r|\n", -1)) {
            lineNumber++;
            String line = raw.strip();
            if (label == null) {
                if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + DASHES.length()) {
                    label = line.substring(BEGIN.length(), line.length() - DASHES.length());
                    base64 = new StringBuilder();
                }
                continue;
            }
            if (line.startsWith(END)) {
                if (!line.equals(END + label + DASHES)) {
                    throw new IllegalArgumentException("PEM block \"" + label + "\" ends with \"" + line + "\" at line " + lineNumber);
                }
                blocks.add(new Block(label, decode(label, base64)));
                label = null;
                continue;
            }
            if (line.indexOf(':') >= 0) {
                // RFC 1421 headers: only the legacy OpenSSL encryption header changes the meaning of the block
                if (line.startsWith("Proc-Type:") && line.contains("ENCRYPTED")) {
                    throw new IllegalArgumentException("PEM block \"" + label + "\" is encrypted; encrypted keys are not supported"
                            + " (decrypt it first, for example with: openssl pkey -in key.pem -out plain-key.pem)");
                }
                continue;
            }
            base64.append(line);
        }
        if (label != null) {
            throw new IllegalArgumentException("PEM block \"" + label + "\" has no END line");
        }
        return blocks;
    }

    private static byte[] decode(String label, StringBuilder base64) {
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PEM block \"" + label + "\" is not valid base64: " + e.getMessage(), e);
        }
    }
}
