package dev.ladle.junit.json;

/**
 * Writes the normalized JSON path of a node ({@code $.items[2].name}, {@code $['a b']}), as differences
 * report it; {@link JsonPath#compile} reads every path written here.
 */
final class PathText {
    static final String ROOT = "$";

    private PathText() {
    }

    /** The path of member {@code name} of the object at {@code parent}. */
    static String member(String parent, String name) {
        return isShorthand(name) ? parent + "." + name : parent + "[" + quote(name) + "]";
    }

    /** The path of element {@code index} of the array at {@code parent}. */
    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** True when {@code name} can be written after a dot: an ASCII letter or {@code _}, then those or digits. */
    static boolean isShorthand(String name) {
        if (name.isEmpty() || !isNameStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!isNameStart(name.charAt(i)) && !(name.charAt(i) >= '0' && name.charAt(i) <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    /** {@code name} in single quotes, with {@code '} and {@code \} and control characters escaped. */
    static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('\'');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }
}
