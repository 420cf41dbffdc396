package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * testssl.sh against ladle-httpd's default TLS profile ({@code testssl-audit.sh}): no finding that
 * testssl marks NOT ok, VULNERABLE or potentially vulnerable, and only AEAD suites with forward secrecy.
 * Skipped where testssl.sh or jq is not installed; {@code .ci/run} installs both.
 */
class TestsslAuditTest {
    /** testssl takes one to two minutes on an idle machine; a loaded one needs far longer. */
    private static final Duration LIMIT = Duration.ofMinutes(15);

    @Test
    void defaultTlsProfilePassesTheTestsslAudit() throws Exception {
        assumeTrue(System.getenv("TESTSSL") != null || AuditScript.onPath("testssl", "testssl.sh").isPresent(),
                "testssl.sh is not installed (Debian: apt-get install testssl.sh; .ci/run installs it)");
        assumeTrue(AuditScript.onPath("jq").isPresent(), "jq is not installed (apt-get install jq; .ci/run installs it)");
        Path jar = Path.of(System.getProperty("ladle.httpd.jar", "../ladle-httpd/target/ladle-httpd.jar"));
        assertThat(jar).as("ladle-httpd's jar, which mvn verify builds before this module").isRegularFile();

        AuditScript.Result result = AuditScript.run(List.of(), Map.of("LADLE_HTTPD_JAR", jar.toString(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString()), LIMIT);

        assumeTrue(result.exitCode() != AuditScript.TOOL_MISSING, result.output());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("clean:");
    }
}
