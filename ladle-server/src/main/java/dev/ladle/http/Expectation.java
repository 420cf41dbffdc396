package dev.ladle.http;

/** The expectations a request's {@code Expect} header can carry (RFC 9110 section 10.1.1). */
public enum Expectation {
    /** An expectation other than {@code 100-continue}; the server answers 417. */
    UNRECOGNIZED,
    /** {@code Expect: 100-continue}. */
    CONTINUE
}
