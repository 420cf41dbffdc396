/**
 * Ladle for tests: {@link dev.ladle.junit.MockServer}, a real HTTP server with stubs, a request journal
 * and verification, and {@link dev.ladle.junit.LadleExtension}, which gives each JUnit 5 test its own;
 * {@link dev.ladle.junit.TestCertificates} for TLS tests, and a small JSON library in
 * {@code dev.ladle.junit.json}.
 */
module dev.ladle.junit {
    requires transitive dev.ladle.server;
    requires static transitive org.junit.jupiter.api;

    exports dev.ladle.junit;
    exports dev.ladle.junit.json;
}
