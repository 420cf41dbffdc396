package dev.ladle.tls;

import java.io.ByteArrayOutputStream;

/**
 * Just enough DER (ITU-T X.690) to look inside private-key structures and to wrap PKCS#1 and SEC1 keys
 * into PKCS#8, which is the only form the JDK's {@code KeyFactory} reads. Malformed input throws
 * {@link IllegalArgumentException}.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, as in SEC1's {@code parameters} field. */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** One element: its tag and where its encoding and its content lie in {@code buf}. */
    record Element(byte[] buf, int tag, int start, int contentStart, int end) {
        /** Returns a copy of the content octets. */
        byte[] content() {
            return java.util.Arrays.copyOfRange(buf, contentStart, end);
        }

        /** Returns a copy of the whole encoding (tag, length and content). */
        byte[] encoded() {
            return java.util.Arrays.copyOfRange(buf, start, end);
        }

        /** Returns a reader over the elements nested in this (constructed) element. */
        Reader children() {
            return new Reader(buf, contentStart, end);
        }
    }

    /** Reads consecutive elements from a region of a buffer. */
    static final class Reader {
        private final byte[] buf;
        private int pos;
        private final int end;

        Reader(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        /** Returns a reader over all of {@code der}. */
        static Reader of(byte[] der) {
            return new Reader(der, 0, der.length);
        }

        boolean hasNext() {
            return pos < end;
        }

        /** Reads the next element, whatever its tag. */
        Element next() {
            int start = pos;
            if (end - pos < 2) {
                throw new IllegalArgumentException("truncated DER element");
            }
            int tag = buf[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte DER tags are not used in key structures");
            }
            int first = buf[pos++] & 0xFF;
            long length;
            if (first < 0x80) {
                length = first;
            } else {
                int octets = first & 0x7F;
                if (octets == 0 || octets > 4 || end - pos < octets) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (buf[pos++] & 0xFF);
                }
            }
            if (length > end - pos) {
                throw new IllegalArgumentException("DER element longer than its container");
            }
            int contentStart = pos;
            pos += (int) length;
            return new Element(buf, tag, start, contentStart, pos);
        }

        /** Reads the next element and checks its tag. */
        Element next(int expectedTag) {
            Element element = next();
            if (element.tag() != expectedTag) {
                throw new IllegalArgumentException(String.format("expected DER tag 0x%02X, found 0x%02X", expectedTag, element.tag()));
            }
            return element;
        }
    }

    /** Encodes an element from its tag and the concatenation of {@code parts}. */
    static byte[] encode(int tag, byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Returns the dotted form ({@code 1.2.840.10045.2.1}) of an OBJECT IDENTIFIER element. */
    static String objectIdentifier(Element oid) {
        if (oid.tag() != OBJECT_IDENTIFIER || oid.end() == oid.contentStart()) {
            throw new IllegalArgumentException("not an OBJECT IDENTIFIER");
        }
        StringBuilder dotted = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = oid.contentStart(); i < oid.end(); i++) {
            int b = oid.buf()[i] & 0xFF;
            value = (value << 7) | (b & 0x7F);
            if (value > Long.MAX_VALUE >>> 7) {
                throw new IllegalArgumentException("OBJECT IDENTIFIER arc too large");
            }
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    dotted.append(top).append('.').append(value - top * 40);
                    first = false;
                } else {
                    dotted.append('.').append(value);
                }
                value = 0;
            }
        }
        if (value != 0 || (oid.buf()[oid.end() - 1] & 0x80) != 0) {
            throw new IllegalArgumentException("truncated OBJECT IDENTIFIER");
        }
        return dotted.toString();
    }
}
