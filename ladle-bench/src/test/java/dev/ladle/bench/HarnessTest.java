package dev.ladle.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launch plan and the statistics of {@code run.sh}'s harness ({@code harness/launches.sh},
 * {@code results.sh}, {@code table.sh}), run by bash with the launches themselves replaced by a line
 * that names them: the warm-up launch is not recorded, rounds alternate the server order, and the table
 * shows the median and the spread of the launches.
 */
class HarnessTest {
    private static final Path HARNESS = Path.of("harness").toAbsolutePath();

    /** Runs {@code script} in bash after sourcing the harness parts, with run.sh's say and die. */
    private static List<String> bash(String script) throws IOException, InterruptedException {
        String prelude = "set -euo pipefail; say() { :; }; die() { echo \"die: $*\"; exit 1; }\n"
                + "for part in results launches table servers; do . '" + HARNESS + "'/$part.sh; done\n";
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", prelude + script).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bash ended").isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    @Test
    void roundsAfterTheUnrecordedWarmUpAlternateTheServerOrder() throws Exception {
        List<String> launches = bash("""
                PEERS="ladle netty jetty"; SERVERS=$PEERS; ROWS=plaintext; LAUNCHES=3; MEMORY_LAUNCHES=1
                metric plaintext "Keep-alive" req/s higher
                row plaintext shared
                launch() { echo "$LAUNCH $2"; }
                run_group shared
                """);
        assertThat(launches).containsExactly(
                "0 ladle",
                "1 ladle", "1 netty", "1 jetty",
                "2 jetty", "2 netty", "2 ladle",
                "3 ladle", "3 netty", "3 jetty");
    }

    @Test
    void memoryRowsRunOnlyInTheirLaunchesAndNeverInTheWarmUp() throws Exception {
        List<String> launches = bash("""
                PEERS="ladle netty"; SERVERS=$PEERS; ROWS=idle10k; LAUNCHES=3; MEMORY_LAUNCHES=1
                metric idle_memory "Idle" KiB lower
                row idle10k own
                memory_row idle10k
                for l in 0 1 2 3; do echo "$l: $(group_rows own ladle $l | tr '\\n' ' ')"; done
                """);
        assertThat(launches).containsExactly("0: ", "1: idle10k ", "2: ", "3: ");
    }

    @Test
    void theWarmUpLaunchesFigureIsNotRecordedAndTheTableShowsMedianAndSpread() throws Exception {
        List<String> figures = bash("""
                PEERS="ladle netty"; SERVERS=$PEERS
                metric plaintext "Keep-alive" req/s higher
                LAUNCH=0; put plaintext ladle 1
                LAUNCH=1; put plaintext ladle 100; put plaintext netty 80
                LAUNCH=2; put plaintext ladle 120; put plaintext netty 90
                LAUNCH=3; put plaintext ladle 90; put plaintext netty 100
                summarize
                echo "${VALUES[plaintext,ladle]}|${MEDIAN[plaintext,ladle]}|${SPREAD[plaintext,ladle]}"
                echo "${MEDIAN[plaintext,netty]}|${SPREAD[plaintext,netty]}"
                echo "$(ratio "${MEDIAN[plaintext,ladle]}" "${MEDIAN[plaintext,netty]}" higher)"
                echo "$(stats 2.5 1 4 3)"
                """);
        // ladle: launches 100, 120, 90 (the warm-up's 1 dropped): median 100, farthest 120 = 20 %
        assertThat(figures).containsExactly("100 120 90|100|20", "90|11", "1.11", "2.8 1 4");
    }

    @Test
    void theTlsHandshakeAndFileRowsWarmUpLongerThanTheOthersAndNeverShorterThanWarmup() throws Exception {
        // rows.sh and files.sh sourced with what run.sh defines before them; wrk replaced by a line
        // that shows the warm-up each row's wrk would get
        List<String> lines = bash("""
                PEERS="ladle netty"; JFR_SERVERS=; S_TIME_CLIENTS=4; IDLE_MANY=100000; CONNECTIONS=50; STREAMS=10
                WARMUP=2; TLS_WARMUP=20; FILE_WARMUP=10; LUA=/tmp; work=$(mktemp -d); repo=/nonexistent
                . '%1$s/rows.sh'; . '%1$s/files.sh'
                url() { echo "u$1"; }; wrk_row() { echo "$1 $WARMUP"; }; got() { return 1; }
                served_size() { echo "200 1024"; }
                row_plaintext ladle; row_tls_handshake ladle; row_static1k ladle
                WARMUP=30; row_tls_handshake ladle; row_static1k ladle; echo "after: $WARMUP"
                rm -r "$work"
                """.formatted(HARNESS));
        assertThat(lines).containsExactly("plaintext 2", "tls_handshake 20", "static1k 10",
                "tls_handshake 30", "static1k 30", "after: 30");
    }

    @Test
    void anIdleRowNeedingMoreDescriptorsThanTheLimitIsSkippedWithTheReasonAndStartsNoServer() throws Exception {
        // the limit lowered in this bash only; a row that fits goes on to start its server
        List<String> lines = bash("""
                PEERS="ladle netty"; JFR_SERVERS=; S_TIME_CLIENTS=4; IDLE_MANY=100000; CONNECTIONS=50; STREAMS=10
                WARMUP=2; TLS_WARMUP=20; FILE_WARMUP=10; LUA=/tmp; repo=/nonexistent
                . '%1$s/rows.sh'
                skip() { echo "skip $1 $2: $3"; }; native_server() { return 1; }
                start_server() { echo "started $1"; return 1; }; start_failure() { echo "stub"; }
                ulimit -n 5000
                row_idle100k ladle
                IDLE_MANY=3000; row_idle100k netty
                """.formatted(HARNESS));
        assertThat(lines).containsExactly(
                "skip idle_many_memory ladle: 100000 connections need 101000 descriptors in the server and in the"
                        + " client; the limit is 5000 (hard limit 5000, which the script could not raise)",
                "started netty", "skip idle_many_memory netty: stub");
    }

    @Test
    void theFlightRecorderVariantsRunLadleUnderARecordingWithItsEventsOffOrOn() throws Exception {
        List<String> lines = bash("""
                work=$(mktemp -d); JAVA=java; CP=classes; PORT=7; JAVA_OPTS=-Xmx1g
                server_command ladle-jfr; echo "${CMD[*]}"
                server_command ladle-jfr-events; echo "${CMD[*]}"
                grep -A1 '<event name="dev.ladle.' "$work/ladle-events.jfc" | grep -c '<setting name="enabled">true'
                grep -A1 '<event name="jdk.ThreadPark">' "$work/ladle-events.jfc" | grep -c '<setting name="enabled">true'
                rm -r "$work"
                """);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("java -Xmx1g -XX:StartFlightRecording:settings=default,filename=\\S+/ladle-jfr-\\d+\\.jfr"
                + " -cp classes dev\\.ladle\\.bench\\.Main ladle 7");
        assertThat(lines.get(1)).matches("java -Xmx1g -XX:StartFlightRecording:settings=\\S+/ladle-events\\.jfc,filename=\\S+"
                + " -cp classes dev\\.ladle\\.bench\\.Main ladle 7");
        assertThat(lines.get(2)).as("Request, Connection and WebSocketMessage enabled").isEqualTo("3");
        assertThat(lines.get(3)).as("the rest of the JDK's default settings kept").isEqualTo("1");
    }
}
