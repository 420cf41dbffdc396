package dev.ladle.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How responses are compressed: which content codings are offered, from which body size, for which
 * media types, at which level. Immutable; set for a whole server with {@link Server#setCompression} and
 * for one response with {@link ServerMessage#setCompression} (a handler, an early handler or a router
 * filter can turn it on, change it or turn it off per request). Off by default.
 *
 * <pre>{@code
 * server.setCompression(Compression.DEFAULT);                        // gzip or deflate, text-like types, 1 KiB up
 * server.setCompression(Compression.DEFAULT.withMinimumSize(256).withLevel(4));
 * msg.setCompression(Compression.OFF);                               // this response as it is
 * }</pre>
 *
 * <p>When a response is written, the server compresses it when all of these hold: the setting has at
 * least one coding; the request's {@code Accept-Encoding} accepts one of them (highest {@code q} wins,
 * ties going to the order of {@link #getCodings()}; {@code q=0} refuses a coding; {@code *} stands for the
 * codings not named; an {@code identity} listed with a higher {@code q} than every coding keeps the
 * response as it is); the status is not 1xx, 204, 206 or 304 and the method not CONNECT (nor is it a
 * WebSocket handshake); the response has no {@code Content-Encoding} and no {@code Cache-Control: no-transform}; its
 * {@code Content-Type} is one of {@link #getMediaTypes()} and not an already compressed format
 * ({@link #compresses}); and its length, when known, is at least {@link #getMinimumSize()}.
 *
 * <p>What compression changes: {@code Content-Encoding} is set; {@code Vary: Accept-Encoding} is added
 * to every response of a compressible type, compressed or not (a cache must not give a gzip body to a
 * client that did not ask for one); a strong {@code ETag} becomes weak ({@code W/"..."}), since the
 * bytes differ from the uncompressed ones; {@code Accept-Ranges} is dropped. Ranges are served from the
 * uncompressed body: a request with a satisfiable {@code Range} gets its 206 uncompressed.
 *
 * <p>A complete body of up to 64 KiB is compressed in memory before the head is written and keeps a
 * {@code Content-Length} (the compressed one; when compressing would not make it smaller it is sent as
 * it is). A larger body, a body of files (no {@code sendfile} then), a chunked body the handler appends
 * to, and a body written to {@link ServerMessage#getResponseBodyStream()} are compressed as they are
 * written, in 16 KiB pieces, chunked on HTTP/1.1 (close-delimited for an HTTP/1.0 client) and as DATA
 * frames on HTTP/2: memory stays bounded whatever the body's size. Each chunk a paused handler appends
 * is flushed through the compressor ({@code SYNC_FLUSH}) so that it reaches the client at once; on the
 * body stream, what was written reaches the client at each {@code flush()}, not at each {@code write}.
 * A response whose handler declared a {@code Content-Length} but has not given the whole body yet is
 * sent uncompressed. A response compressed as it is written holds a {@link java.util.zip.Deflater}
 * (some 300 KiB of native memory at the default level) until it ends: for thousands of long-lived
 * streams at once, turn compression off for them ({@code msg.setCompression(Compression.OFF)}).
 *
 * <p>HEAD is answered with the headers GET would get ({@code Content-Encoding}, {@code Vary}, the weak
 * {@code ETag}) but without {@code Content-Length}: the compressed length is known only by compressing,
 * which a HEAD does not do.
 */
public final class Compression {
    /** A content coding the server can compress with (RFC 9110 section 8.4.1). */
    public enum Coding {
        /** {@code gzip}: DEFLATE in the gzip format (RFC 1952); every client takes it. */
        GZIP("gzip"),
        /** {@code deflate}: DEFLATE in the zlib format (RFC 1950), as RFC 9110 defines it. */
        DEFLATE("deflate");

        private final String token;

        Coding(String token) {
            this.token = token;
        }

        /** Returns the coding's name in {@code Accept-Encoding} and {@code Content-Encoding}. */
        public String token() {
            return token;
        }
    }

    /** The default smallest body compressed, in bytes: below it the saving does not pay for the work. */
    public static final int DEFAULT_MINIMUM_SIZE = 1024;
    /** The default DEFLATE level (zlib's own default). */
    public static final int DEFAULT_LEVEL = 6;
    /** The default media types: text, JSON, JavaScript, XML, SVG. */
    public static final List<String> DEFAULT_MEDIA_TYPES = List.of("text/*", "application/json",
            "application/javascript", "application/xml", "+json", "+xml", "image/svg+xml");

    /** gzip, then deflate; the default sizes, types and level. */
    public static final Compression DEFAULT = new Compression(List.of(Coding.GZIP, Coding.DEFLATE),
            DEFAULT_MINIMUM_SIZE, DEFAULT_MEDIA_TYPES, DEFAULT_LEVEL);
    /** No compression (the server's default); a response with this setting is sent as it is. */
    public static final Compression OFF = DEFAULT.withCodings();

    /** Formats that are compressed already: never compressed again, whatever the media types say. */
    private static final Set<String> COMPRESSED_TYPES = Set.of("application/zip", "application/gzip",
            "application/x-gzip", "application/zstd", "application/x-bzip2", "application/x-xz",
            "application/x-7z-compressed", "application/x-rar-compressed", "application/vnd.rar",
            "application/java-archive", "application/x-compress", "font/woff", "font/woff2", "image/png",
            "image/jpeg", "image/gif", "image/webp", "image/avif", "image/heic", "image/heif", "image/jxl");

    private final List<Coding> codings;
    private final int minimumSize;
    private final List<String> mediaTypes;
    private final int level;

    private Compression(List<Coding> codings, int minimumSize, List<String> mediaTypes, int level) {
        this.codings = List.copyOf(codings);
        this.minimumSize = minimumSize;
        this.mediaTypes = List.copyOf(mediaTypes);
        this.level = level;
    }

    /**
     * Returns a copy offering {@code codings}, in the server's order of preference (used when the client
     * gives several the same {@code q}); none turns compression off.
     *
     * @throws NullPointerException when a coding is null
     */
    public Compression withCodings(Coding... codings) {
        List<Coding> list = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(codings)));
        list.forEach(c -> Objects.requireNonNull(c, "coding"));
        return new Compression(list, minimumSize, mediaTypes, level);
    }

    /**
     * Returns a copy that leaves bodies shorter than {@code bytes} uncompressed (a body whose length is
     * not known, one streamed by the handler, is compressed whatever its size).
     *
     * @throws IllegalArgumentException when {@code bytes} is negative
     */
    public Compression withMinimumSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("minimum size must be >= 0: " + bytes);
        }
        return new Compression(codings, bytes, mediaTypes, level);
    }

    /**
     * Returns a copy compressing these media types (replacing the set): {@code type/subtype},
     * {@code type/*}, {@code +suffix} for every type with that structured-syntax suffix
     * ({@code +json} covers {@code application/problem+json}), or {@code *}{@code /*} for every type.
     * Parameters such as {@code charset} are ignored when matching; case does not matter. Formats that are
     * compressed already ({@code image/png}, {@code application/zip}, {@code font/woff2}...) are never
     * compressed, listed or not.
     *
     * @throws IllegalArgumentException when a pattern has none of these forms
     */
    public Compression withMediaTypes(String... types) {
        List<String> list = new ArrayList<>(types.length);
        for (String type : types) {
            String t = Objects.requireNonNull(type, "media type").trim().toLowerCase(Locale.ROOT);
            boolean suffix = t.startsWith("+") && t.length() > 1 && t.indexOf('/') < 0;
            int slash = t.indexOf('/');
            boolean full = slash > 0 && slash < t.length() - 1 && t.indexOf('/', slash + 1) < 0
                    && t.indexOf(';') < 0 && t.indexOf(' ') < 0 && (t.charAt(0) != '*' || t.equals("*/*"));
            if (!suffix && !full) {
                throw new IllegalArgumentException("not a media type pattern (type/subtype, type/*, +suffix or */*): " + type);
            }
            list.add(t);
        }
        return new Compression(codings, minimumSize, list, level);
    }

    /**
     * Returns a copy compressing at {@code level}: 1 is fastest, 9 smallest; 6 (the default) is zlib's
     * balance.
     *
     * @throws IllegalArgumentException when {@code level} is not within 1 to 9
     */
    public Compression withLevel(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("level must be within 1 to 9: " + level);
        }
        return new Compression(codings, minimumSize, mediaTypes, level);
    }

    /** Returns true when at least one coding is offered, false for {@link #OFF}. */
    public boolean isEnabled() {
        return !codings.isEmpty();
    }

    /** Returns the codings offered, most preferred first; empty when off. */
    public List<Coding> getCodings() {
        return codings;
    }

    /** Returns the smallest body compressed, in bytes. */
    public int getMinimumSize() {
        return minimumSize;
    }

    /** Returns the media type patterns, lower case, as given to {@link #withMediaTypes}. */
    public List<String> getMediaTypes() {
        return mediaTypes;
    }

    /** Returns the DEFLATE level, 1 to 9. */
    public int getLevel() {
        return level;
    }

    /**
     * Returns true when a body of {@code contentType} (a {@code Content-Type} value, parameters allowed)
     * is compressed: it matches one of the media types and is not a compressed format. False for null.
     */
    public boolean compresses(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String essence = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        int slash = essence.indexOf('/');
        if (slash <= 0 || COMPRESSED_TYPES.contains(essence) || essence.startsWith("video/")
                || essence.startsWith("audio/") || essence.endsWith("+zip")) {
            return false;
        }
        for (String pattern : mediaTypes) {
            if (pattern.equals(essence) || pattern.equals("*/*")
                    || pattern.startsWith("+") && essence.endsWith(pattern)
                    || pattern.endsWith("/*") && essence.regionMatches(0, pattern, 0, slash + 1)
                            && pattern.length() == slash + 2) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression c && c.codings.equals(codings) && c.minimumSize == minimumSize
                && c.mediaTypes.equals(mediaTypes) && c.level == level;
    }

    @Override
    public int hashCode() {
        return Objects.hash(codings, minimumSize, mediaTypes, level);
    }

    @Override
    public String toString() {
        return isEnabled() ? "Compression" + codings + " from " + minimumSize + " bytes, level " + level + ", " + mediaTypes
                : "Compression.OFF";
    }
}
