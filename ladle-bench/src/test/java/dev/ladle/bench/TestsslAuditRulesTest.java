package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The judgement of {@code testssl-audit.sh --judge}, on testssl JSON files written here in testssl's
 * format (a flat array of {@code id}, {@code severity}, {@code finding}): which findings and suites fail
 * the audit and which pass. Needs jq only, not testssl.
 */
class TestsslAuditRulesTest {
    private static final String CLEAN_TLS12 = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256";
    private static final String CLEAN_TLS13 = "TLS_AES_256_GCM_SHA384 TLS_AES_128_GCM_SHA256 TLS_CHACHA20_POLY1305_SHA256";

    @TempDir
    Path dir;

    @BeforeAll
    static void needJq() {
        assumeTrue(AuditScript.onPath("jq").isPresent(), "jq is not installed (apt-get install jq; .ci/run installs it)");
    }

    /** One entry of testssl's flat JSON. */
    private record Finding(String id, String severity, String finding) {
        String json() {
            return "{\"id\":\"%s\",\"ip\":\"127.0.0.1/127.0.0.1\",\"port\":\"443\",\"severity\":\"%s\",\"finding\":\"%s\"}"
                    .formatted(id, severity, finding);
        }
    }

    /** Judges a JSON file of a clean server's cipher order plus {@code extra}, as a finished scan. */
    private AuditScript.Result judge(String tls12Order, Finding... extra) throws IOException, InterruptedException {
        List<Finding> findings = new ArrayList<>(List.of(
                new Finding("TLS1_2", "OK", "offered"),
                new Finding("TLS1_3", "OK", "offered with final"),
                new Finding("cipher_order", "OK", "server"),
                new Finding("cipherorder_TLSv1_2", "INFO", tls12Order),
                new Finding("cipherorder_TLSv1_3", "INFO", CLEAN_TLS13),
                new Finding("secure_client_renego", "OK", "not vulnerable"),
                new Finding("LUCKY13", "OK", "not vulnerable")));
        findings.addAll(List.of(extra));
        findings.add(new Finding("scanTime", "INFO", "100"));
        return judgeFile(findings.stream().map(Finding::json).collect(Collectors.joining(",\n", "[\n", "\n]\n")));
    }

    private AuditScript.Result judgeFile(String json) throws IOException, InterruptedException {
        Path file = Files.writeString(dir.resolve("testssl.json"), json);
        return AuditScript.run(List.of("--judge", file.toString()), Map.of(), Duration.ofMinutes(1));
    }

    @Test
    void aeadForwardSecretSuitesWithOkAndInfoFindingsPass() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12, new Finding("TLS_session_ticket", "INFO", "valid for 86400 seconds"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("TLSv1_3 TLS_CHACHA20_POLY1305_SHA256").contains("clean:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "WARN"})
    void findingOfThisSeverityFailsTheAudit(String severity) throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12, new Finding("some_check", severity, "something wrong"));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(severity + " some_check: something wrong");
    }

    @Test
    void clientInitiatedRenegotiationFailsTheAudit() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12, new Finding("secure_client_renego", "HIGH", "VULNERABLE, DoS threat"));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("HIGH secure_client_renego: VULNERABLE, DoS threat");
    }

    @Test
    void cbcSuiteFailsTheAuditEvenWithoutATestsslFinding() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12 + " TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("SUITE TLSv1_2 TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: not AEAD")
                .doesNotContain("no forward secrecy");
    }

    @Test
    void staticRsaSuiteFailsTheAuditForWantOfForwardSecrecy() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12 + " TLS_RSA_WITH_AES_128_GCM_SHA256");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("SUITE TLSv1_2 TLS_RSA_WITH_AES_128_GCM_SHA256: no forward secrecy")
                .doesNotContain("not AEAD");
    }

    @Test
    void ccmSuitesCountAsAead() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12 + " TLS_ECDHE_ECDSA_WITH_AES_128_CCM TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void missingRevocationInfoOfTheThrowawayCertificateIsIgnoredButShown() throws Exception {
        AuditScript.Result result = judge(CLEAN_TLS12, new Finding("cert_revocation", "HIGH", "Neither CRL nor OCSP URI provided"));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ignored: HIGH cert_revocation: Neither CRL nor OCSP URI provided");
    }

    @Test
    void scanWithoutACipherOrderFailsTheAudit() throws Exception {
        AuditScript.Result result = judgeFile("[{\"id\":\"TLS1_3\",\"severity\":\"OK\",\"finding\":\"offered\"},"
                + "{\"id\":\"scanTime\",\"severity\":\"INFO\",\"finding\":\"10\"}]");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("SUITE none");
    }

    @Test
    void unfinishedScanIsAnErrorNotAPass() throws Exception {
        AuditScript.Result result = judgeFile("[{\"id\":\"TLS1_3\",\"severity\":\"OK\",\"finding\":\"offered\"}]");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output()).contains("no scanTime");
    }
}
