/**
 * Ladle for tests: {@link dev.ladle.junit.MockServer}, a real HTTP server with stubs, a request journal
 * and verification, and {@link dev.ladle.junit.LadleExtension}, which gives each JUnit 5 test its own;
 * {@link dev.ladle.junit.TestCertificates} for TLS tests, and a small JSON library in
 * {@code dev.ladle.junit.json}; mapping files in a subset of WireMock's format, record and replay
 * through a proxy, and WireMock's admin API for a standalone mock server.
 */
module dev.ladle.junit {
    requires transitive dev.ladle.server;
    requires java.net.http; // the proxy and recorder forward to real servers with the JDK's client
    requires static transitive org.junit.jupiter.api;

    exports dev.ladle.junit;
    exports dev.ladle.junit.json;
}
