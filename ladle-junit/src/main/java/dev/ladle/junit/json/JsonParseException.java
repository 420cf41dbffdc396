package dev.ladle.junit.json;

/**
 * Text that is not JSON, or exceeds {@link JsonLimits}: says where (line and column, both from 1;
 * columns count UTF-16 characters) and what was expected there, e.g.
 * {@code line 3, column 7: expected ',' or '}' but found '"'}.
 */
public final class JsonParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @serial where the error is: line, from 1 */
    private final int line;
    /** @serial where the error is: column, from 1 */
    private final int column;
    /** @serial where the error is: offset in characters, from 0 */
    private final int offset;
    /** @serial what is wrong, without the position */
    private final String reason;

    JsonParseException(int line, int column, int offset, String reason) {
        super("line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.offset = offset;
        this.reason = reason;
    }

    /** The line of the error, from 1 (lines end at LF, CR LF or CR). */
    public int line() {
        return line;
    }

    /** The column of the error within its line, from 1. */
    public int column() {
        return column;
    }

    /** The offset of the error in characters from the start of the text, from 0. */
    public int offset() {
        return offset;
    }

    /** What is wrong, without the position: {@code expected a value but found ']'}. */
    public String reason() {
        return reason;
    }
}
