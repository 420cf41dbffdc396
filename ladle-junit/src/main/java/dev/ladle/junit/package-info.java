/**
 * A mock HTTP server for tests and the JUnit 5 extension that manages it. {@link dev.ladle.junit.MockServer}
 * works without JUnit too.
 */
package dev.ladle.junit;
