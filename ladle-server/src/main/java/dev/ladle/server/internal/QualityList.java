package dev.ladle.server.internal;

import dev.ladle.http.HeaderValue;
import java.util.ArrayList;
import java.util.List;

/**
 * A field that lists weighted elements, such as {@code Accept} or {@code Accept-Encoding}: elements
 * separated by commas outside quoted strings, each a value with parameters, weighed by its {@code q}
 * (RFC 9110 section 12.4.2). The one parser both negotiations use: {@link AcceptEncoding} and the body
 * codecs' {@code Accept}. Public for {@code dev.ladle.codec}; the package is not exported.
 */
public final class QualityList {
    /** The weight of an element whose {@code q} is not a qvalue: what it means is the caller's rule. */
    public static final int MALFORMED = -1;

    /**
     * One element of the list.
     *
     * @param value the element's value and parameters ({@code q} among them when it was sent)
     * @param quality its weight in thousandths, 0 to 1000 (1000 without a {@code q}), or {@link #MALFORMED}
     */
    public record Element(HeaderValue value, int quality) {
    }

    private QualityList() {
    }

    /** Parses the field value (several fields joined with commas); empty elements are skipped. */
    public static List<Element> parse(String header) {
        List<Element> elements = new ArrayList<>();
        int start = 0;
        while (start <= header.length()) {
            int end = elementEnd(header, start);
            String element = header.substring(start, end);
            if (!element.isBlank()) {
                HeaderValue value = HeaderValue.parse(element);
                String q = value.parameter("q");
                elements.add(new Element(value, q == null ? 1000 : parseQuality(q)));
            }
            start = end + 1;
        }
        return elements;
    }

    /** The index of the first comma from {@code from} that is not inside a quoted string, else the length. */
    private static int elementEnd(String header, int from) {
        boolean quoted = false;
        for (int i = from; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted) {
                i++;
            } else if (c == ',' && !quoted) {
                return i;
            }
        }
        return header.length();
    }

    /**
     * {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )}, in thousandths;
     * {@link #MALFORMED} when {@code text} is not one.
     */
    static int parseQuality(String text) {
        int n = text.length();
        if (n == 0 || n > 5 || (text.charAt(0) != '0' && text.charAt(0) != '1')) {
            return MALFORMED;
        }
        if (n > 1 && text.charAt(1) != '.') {
            return MALFORMED;
        }
        int value = (text.charAt(0) - '0') * 1000;
        int scale = 100;
        for (int i = 2; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return MALFORMED;
            }
            value += (c - '0') * scale;
            scale /= 10;
        }
        return value > 1000 ? MALFORMED : value;
    }
}
