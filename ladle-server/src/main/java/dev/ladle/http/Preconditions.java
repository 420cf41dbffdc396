package dev.ladle.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates conditional request headers against a file's {@link Validators}, in the order RFC 9110
 * section 13.2.2 prescribes: {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match},
 * {@code If-Modified-Since}. {@code If-Range} is not evaluated here: it only decides whether a
 * {@code Range} is honoured, which the server does with the response's {@code ETag} and
 * {@code Last-Modified} when it applies the range. Stateless and thread-safe.
 */
public final class Preconditions {

    /** The outcome of the evaluation. */
    public enum Outcome {
        /** Handle the request normally. */
        PROCEED,
        /** Answer 304 Not Modified (GET and HEAD only). */
        NOT_MODIFIED,
        /** Answer 412 Precondition Failed. */
        FAILED
    }

    private Preconditions() {
    }

    /**
     * Evaluates the preconditions of a request.
     *
     * @param method the request method
     * @param headers the request headers
     * @param current the validators of the current file, or null when there is none (a PUT creating it)
     * @return what to answer; unparsable dates are ignored, as RFC 9110 asks
     */
    public static Outcome evaluate(String method, MessageHeaders headers, Validators current) {
        boolean safe = method.equals("GET") || method.equals("HEAD");
        String ifMatch = headers.getList("If-Match");
        if (ifMatch != null) {
            if (current == null || !matches(ifMatch, current.etag(), true)) {
                return Outcome.FAILED;
            }
        } else if (current != null) {
            Instant unmodifiedSince = HttpDates.parse(headers.getOne("If-Unmodified-Since"));
            if (unmodifiedSince != null && current.lastModified().isAfter(unmodifiedSince)) {
                return Outcome.FAILED;
            }
        }
        String ifNoneMatch = headers.getList("If-None-Match");
        if (ifNoneMatch != null) {
            if (current != null && matches(ifNoneMatch, current.etag(), false)) {
                return safe ? Outcome.NOT_MODIFIED : Outcome.FAILED;
            }
        } else if (safe && current != null) {
            Instant modifiedSince = HttpDates.parse(headers.getOne("If-Modified-Since"));
            if (modifiedSince != null && !current.lastModified().isAfter(modifiedSince)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Returns true when the entity-tag list {@code list} ({@code *} or comma-separated tags) matches
     * {@code etag}: with strong comparison both must be strong and equal; weak comparison ignores
     * {@code W/}.
     */
    static boolean matches(String list, String etag, boolean strong) {
        if (list.trim().equals("*")) {
            return true;
        }
        for (String tag : splitTags(list)) {
            boolean weak = tag.startsWith("W/");
            String opaque = weak ? tag.substring(2) : tag;
            if (strong && weak) {
                continue;
            }
            if (opaque.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** Splits an entity-tag list on the commas outside quotes; tags keep their quotes. */
    private static List<String> splitTags(String list) {
        List<String> tags = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                addTag(tags, current);
            } else {
                current.append(c);
            }
        }
        addTag(tags, current);
        return tags;
    }

    private static void addTag(List<String> tags, StringBuilder current) {
        String tag = current.toString().trim();
        if (!tag.isEmpty()) {
            tags.add(tag);
        }
        current.setLength(0);
    }
}
