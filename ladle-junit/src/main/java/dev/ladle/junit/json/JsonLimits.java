package dev.ladle.junit.json;

/**
 * Bounds on what {@link Json#parse} accepts, so that hostile or broken input fails with a
 * {@link JsonParseException} instead of exhausting the stack or the heap.
 *
 * @param maxDepth the deepest nesting of objects and arrays ({@code [[1]]} is 2 deep); the reader
 *     recurses once per level, and the default of 512 stays far from any thread's stack limit
 * @param maxLength the longest text in characters (for bytes: after decoding UTF-8)
 * @param maxNumberLength the longest number in characters, sign, fraction and exponent included; long
 *     numbers cost quadratic time to convert into decimals
 */
public record JsonLimits(int maxDepth, int maxLength, int maxNumberLength) {
    /** Depth 512, 64 Mi characters (the Ladle server's default body limit is 64 MiB), numbers of 1000 characters. */
    public static final JsonLimits DEFAULT = new JsonLimits(512, 64 * 1024 * 1024, 1000);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException when a limit is not positive
     */
    public JsonLimits {
        positive(maxDepth, "maxDepth");
        positive(maxLength, "maxLength");
        positive(maxNumberLength, "maxNumberLength");
    }

    /** These limits with another {@link #maxDepth()}. */
    public JsonLimits withMaxDepth(int maxDepth) {
        return new JsonLimits(maxDepth, maxLength, maxNumberLength);
    }

    /** These limits with another {@link #maxLength()}. */
    public JsonLimits withMaxLength(int maxLength) {
        return new JsonLimits(maxDepth, maxLength, maxNumberLength);
    }

    /** These limits with another {@link #maxNumberLength()}. */
    public JsonLimits withMaxNumberLength(int maxNumberLength) {
        return new JsonLimits(maxDepth, maxLength, maxNumberLength);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
