package dev.ladle.junit.json;

/**
 * A JSON path that does not compile: says where (a position in the expression, from 0) and what was
 * expected there, e.g. {@code invalid JSON path "$.a[" at position 4: expected an index, '*' or a quoted name but found the end}.
 */
public final class JsonPathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @serial the path as given */
    private final String expression;
    /** @serial where the error is, from 0 */
    private final int position;

    JsonPathException(String expression, int position, String reason) {
        super("invalid JSON path \"" + expression + "\" at position " + position + ": " + reason);
        this.expression = expression;
        this.position = position;
    }

    /** The path as given. */
    public String expression() {
        return expression;
    }

    /** The position of the error in the expression, from 0 (the expression's length when it ended too soon). */
    public int position() {
        return position;
    }
}
