package dev.ladle.codec;

import dev.ladle.http.HeaderValue;
import dev.ladle.http.Tokens;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;

/**
 * A media type with its parameters, as in {@code Content-Type} and {@code Accept}: for example
 * {@code text/plain; charset=utf-8}, or a range such as {@code text/*} in an {@code Accept}.
 *
 * @param type the top-level type, lower case, such as {@code text}; {@code *} in a range
 * @param subtype the subtype, lower case, such as {@code plain} or {@code problem+json}; {@code *} in a range
 * @param parameters the parameters in order, names lower case, values as sent (unquoted); never null
 */
public record MediaType(String type, String subtype, Map<String, String> parameters) {
    /** {@code text/plain; charset=utf-8}: what the text codec writes. */
    public static final MediaType TEXT_PLAIN_UTF_8 = parse("text/plain; charset=utf-8");
    /** {@code application/octet-stream}: bytes of no declared type, also what a request without a type is taken as. */
    public static final MediaType APPLICATION_OCTET_STREAM = parse("application/octet-stream");
    /** {@code application/json}. */
    public static final MediaType APPLICATION_JSON = parse("application/json");
    /** {@code application/x-www-form-urlencoded}. */
    public static final MediaType FORM_URLENCODED = parse("application/x-www-form-urlencoded");
    /** {@code multipart/form-data}. */
    public static final MediaType MULTIPART_FORM_DATA = parse("multipart/form-data");

    /**
     * Creates a media type; {@code type} and {@code subtype} are lower-cased, {@code parameters} copied.
     *
     * @throws IllegalArgumentException when the type or subtype is not a token
     */
    public MediaType {
        if (!Tokens.isToken(type) || !Tokens.isToken(subtype)) {
            throw new IllegalArgumentException("not a media type: " + type + "/" + subtype);
        }
        type = type.toLowerCase(Locale.ROOT);
        subtype = subtype.toLowerCase(Locale.ROOT);
        parameters = new HeaderValue(type, parameters).parameters();
    }

    /**
     * Parses a header value such as {@code text/html; charset=ISO-8859-1}.
     *
     * @throws IllegalArgumentException when {@code text} is not {@code type/subtype} followed by
     *     parameters
     * @throws NullPointerException when {@code text} is null
     */
    public static MediaType parse(String text) {
        return of(HeaderValue.parse(text));
    }

    /** Makes the media type {@code value} (parsed already) names: {@link #parse} after its first step. */
    static MediaType of(HeaderValue value) {
        String name = value.value();
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1) {
            throw new IllegalArgumentException("not a media type: \"" + name + "\"");
        }
        return new MediaType(name.substring(0, slash).trim(), name.substring(slash + 1).trim(), value.parameters());
    }

    /** Returns {@code type/subtype} without parameters, for example {@code text/plain}. */
    public String essence() {
        return type + "/" + subtype;
    }

    /** Returns true when this type is {@code name} ({@code type/subtype}, case-insensitive), whatever its parameters. */
    public boolean is(String name) {
        return essence().equalsIgnoreCase(name);
    }

    /**
     * Returns true when the subtype ends with the structured syntax suffix {@code +suffix} (RFC 6838
     * section 4.2.8), or is {@code suffix} itself: {@code hasSuffix("json")} is true for
     * {@code application/json} and {@code application/problem+json}.
     */
    public boolean hasSuffix(String suffix) {
        return subtype.equals(suffix) || subtype.endsWith("+" + suffix.toLowerCase(Locale.ROOT));
    }

    /** Returns a parameter by case-insensitive name, or null. */
    public String parameter(String name) {
        return parameters.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Returns the charset the {@code charset} parameter names, or {@code fallback} when there is none.
     *
     * @throws java.nio.charset.IllegalCharsetNameException when the name is not a legal charset name
     * @throws java.nio.charset.UnsupportedCharsetException when this JVM does not know the charset
     */
    public Charset charset(Charset fallback) {
        String name = parameter("charset");
        return name == null || name.isEmpty() ? fallback : Charset.forName(name);
    }

    /**
     * Returns true when this type, taken as a media range of an {@code Accept} ({@code *}{@code /*},
     * {@code text/*}, or a full type), includes {@code other}: the types match or are wildcards, and every
     * parameter of this range but {@code q} is also on {@code other} with the same value (ignoring case).
     */
    public boolean includes(MediaType other) {
        if (!type.equals("*") && !(type.equals(other.type) && (subtype.equals("*") || subtype.equals(other.subtype)))) {
            return false;
        }
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            if (!p.getKey().equals("q") && !p.getValue().equalsIgnoreCase(other.parameter(p.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Formats this type as a header value, for example {@code text/plain; charset=utf-8}. */
    @Override
    public String toString() {
        return new HeaderValue(essence(), parameters).format();
    }
}
