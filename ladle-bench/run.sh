#!/usr/bin/env bash
# Ladle against Netty, Undertow, Jetty, Helidon and the JDK HttpServer (and, where they make sense,
# nginx with one worker and the JDK's jwebserver), in one run.
#
#   ladle-bench/run.sh                 every row, every server, LAUNCHES=3 (about an hour)
#   SERVERS="ladle netty" ROWS="plaintext echo4k" ladle-bench/run.sh
#   LAUNCHES=2 DURATION=2 WARMUP=1 SERVERS="ladle netty" ROWS=plaintext ladle-bench/run.sh   a quick look
#   SERVERS="ladle nginx jwebserver" ROWS="static1k static100k static1g" ladle-bench/run.sh   the file rows
#   PROFILE=1 SERVERS=ladle ROWS=plaintext ladle-bench/run.sh   also record JFR and print the hot spots
#                                   (the shared and the file rows: ROWS=static1k profiles ladle-httpd)
#   SERVERS="netty jetty" ROWS="h2c h2c_1conn h2c_16k h2_tls idle_h2" ladle-bench/run.sh   the HTTP/2 rows
#   SERVERS="ladle ladle-jfr ladle-jfr-events" REFERENCE_SERVERS="ladle-jfr ladle-jfr-events" \
#     ROWS="plaintext websocket64" ladle-bench/run.sh   what Ladle's Flight Recorder events cost, off and on
#
# Each server runs alone, pinned to CPU $SERVER_CPU; the load generator is pinned to CPU $CLIENT_CPU.
# Every wrk and h2load row has a warm-up of $WARMUP seconds, then measures for $DURATION seconds. The
# TLS handshake row warms up for at least $TLS_WARMUP seconds (20): every server there does its
# handshakes with the JDK's JSSE, whose key exchange (X25519 in Java code) reaches full speed only
# after the JIT compiled it, which takes 15-30 s of handshakes on one CPU; with 2 s the row measured
# how fast each JVM compiled (2026-11-30: one launch of each ran 66 -> 1,900 req/s over 30 s for Ladle,
# 120 -> 1,090 for Undertow, 97 -> 1,070 for Netty, in 3 s steps). The keep-alive file rows (static1k,
# static100k) warm up for at least $FILE_WARMUP seconds (10): ladle-httpd and jwebserver need 4-6 s of
# requests before the JIT has compiled their file path, and a file server runs for long.
#
# Launches: one JVM launch can run ~20 % slower than the next for its whole life, so one launch per
# server says little. The rows are run in groups (below); in each group every server is launched
# LAUNCHES times (3), in rounds: first a warm-up launch of the group's first server whose figures are
# discarded, then round 1 in the order of SERVERS, round 2 in the reverse order, and so on. Rows that
# measure bytes rather than speed (idle10k, idlews, idle_h2, idle100k, alloc) run in the first
# MEMORY_LAUNCHES (1) rounds only, and not in the warm-up. The table shows each figure's median over
# the launches with its spread, "±N%": the launch farthest from the median, in percent of it (a spread
# as large as a gap between two servers means that gap is not measured); ratios compare medians. The
# TSV beside it keeps every launch's figure. A default run (LAUNCHES=3, DURATION=5, 8 servers) takes
# about an hour on 2 CPUs: the shared rows ~25 min, TLS ~17, files ~7, the scale rows ~20 (idle100k
# ~15 of them, where the descriptor limit lets it run); LAUNCHES=1 about 35 min. (Estimates from the
# rows' durations.)
#
# nginx and jwebserver: nginx (Debian's nginx-light, installed when missing) runs with one worker,
# sendfile on and no access log, its configuration written into the run's directory; it is a reference
# (REFERENCE_SERVERS), not a peer: the ratio column leaves it out and a line "ladle against nginx"
# follows each of its figures. jwebserver is the JDK's own launcher. In the file rows (static1k,
# static100k, static1g) "ladle" is ladle-httpd, the CLI file server, serving a directory made here.
#
# A row is a function row_NAME taking the server's name, registered with `row NAME MODE [SERVERS]`;
# the figures it records are declared with `metric`. MODE is the row's group, which says what it runs
# against:
#   shared  the plain server, started once per launch for all shared rows (in registration order)
#   tls     the server started once per launch with --tls (a self-signed key made here with keytool)
#   files   the file server (ladle-httpd, nginx, jwebserver) started once per launch on $WWW
#   own     the row starts and stops its server itself (start_server / stop_server)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

# the servers of dev.ladle.bench.Main: a row names its servers, or runs against these
PEERS="ladle netty undertow jetty helidon jdk"
SERVERS=${SERVERS:-"$PEERS nginx jwebserver"}
# Ladle under a Flight Recorder recording, with its events off and on (plaintext and websocket64 rows):
# SERVERS="ladle $JFR_SERVERS" REFERENCE_SERVERS="$JFR_SERVERS" ROWS="plaintext websocket64"
JFR_SERVERS="ladle-jfr ladle-jfr-events"
REFERENCE_SERVERS=${REFERENCE_SERVERS:-nginx}
ROWS=${ROWS:-"plaintext pipelined close echo4k echo1m websocket64 websocket16k h2c h2c_1conn h2c_16k tls_handshake tls_keepalive tls_resume h2_tls static1k static100k static1g idle10k idlews idle_h2 idle100k upload2g alloc"}
LAUNCHES=${LAUNCHES:-3}
MEMORY_LAUNCHES=${MEMORY_LAUNCHES:-1}
DURATION=${DURATION:-5}
WARMUP=${WARMUP:-2}
TLS_WARMUP=${TLS_WARMUP:-20}
FILE_WARMUP=${FILE_WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-50}
STREAMS=${STREAMS:-10}
S_TIME_CLIENTS=${S_TIME_CLIENTS:-4}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT=${PORT:-18080}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g"}
PROFILE=${PROFILE:-0}
BUILD=${BUILD:-1}
IDLE_MANY=${IDLE_MANY:-100000}   # the connections of the idle100k row
IDLE_SOURCES=${IDLE_SOURCES:-}   # 127.0.0.x source addresses for them (default: as the port range needs)

results="$here/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
work="$results/$stamp"
mkdir -p "$work"

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

# shellcheck source=../scripts/jdk.sh
. "$repo/scripts/jdk.sh"
for part in tools results servers load rows files launches table; do
  # shellcheck source=/dev/null
  . "$here/harness/$part.sh"
done

JAVA_HOME=$(pick_jdk) || die "no JDK 21 or newer found (set JAVA_HOME)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
need_tools
# idle connections need a descriptor each in the server and in the client: the hard limit is raised
# where this may (root, outside a container that forbids it), then the soft limit to it
[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge $((IDLE_MANY + 10000)) ] \
  || ulimit -Hn $((IDLE_MANY + 10000)) 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$BUILD" = 1 ]; then
  say "building ladle-bench (mvn package, tests skipped)"
  "$repo/ladle" mvn -B -q -ntp -DskipTests -pl ladle-bench -am package >&2 || die "build failed"
fi
CP="$here/target/classes:$here/target/lib/*"
[ -d "$here/target/lib" ] || die "no $here/target/lib: build with BUILD=1"

# ---- the run -------------------------------------------------------------------------------------

# runs_against NAME: true when NAME is among SERVERS and a selected row runs against it
runs_against() {
  local r
  [[ " $SERVERS " == *" $1 "* ]] || return 1
  for r in "${ROW_ORDER[@]}"; do selected "$r" && row_applies "$r" "$1" && return 0; done
  return 1
}
if runs_against nginx; then need_nginx; fi
if runs_against jwebserver; then need_jwebserver; fi
h2load_rows_selected() { local r; for r in h2c h2c_1conn h2c_16k h2_tls; do selected "$r" && return 0; done; return 1; }
if h2load_rows_selected; then need_h2load; fi

KEYSTORE="$work/bench.p12"
tls_rows_selected() { local r; for r in "${ROW_ORDER[@]}"; do selected "$r" && [ "${ROW_MODE[$r]}" = tls ] && return 0; done; return 1; }
if tls_rows_selected; then
  "$JAVA_HOME/bin/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 \
    -ext SAN=ip:127.0.0.1 -validity 2 -storetype PKCS12 -keystore "$KEYSTORE" -storepass changeit \
    -keypass changeit >/dev/null 2>&1 || die "keytool could not make the TLS key"
fi
make_www
[ -z "$NGINX" ] || nginx_config
cleanup() { stop_server; rm -f "$WWW/1g.bin"; }
trap cleanup EXIT

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr); $("$JAVA" -version 2>&1 | head -n 1); $( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)$( (h2load_rows_selected && [ -z "$H2LOAD_MISSING" ] && h2load --version | head -n 1 | sed 's/^/, /') || true)$( [ -z "$NGINX" ] || "$NGINX" -v 2>&1 | sed 's/^nginx version: /, /')"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "machine: $machine; load average $load_before; descriptors: $(ulimit -n)"
started=$(date +%s)

for mode in shared tls files own; do run_group "$mode"; done

# ---- the table -----------------------------------------------------------------------------------

report="$results/bench-$stamp.md"
{
  echo "## Benchmark run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $machine. Load average before the run: $load_before."
  echo "Server pinned to CPU $SERVER_CPU, load generator (wrk -t1, h2load -t1, curl, or the Java clients) to CPU $CLIENT_CPU; JVM options \`$JAVA_OPTS\`; $WARMUP s warm-up (TLS handshakes $TLS_WARMUP s, keep-alive file rows $FILE_WARMUP s) and $DURATION s per row; $LAUNCHES launch(es) per server after a warm-up launch, the order reversed every round; the run took $(( ($(date +%s) - started) / 60 )) min; load average after it: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  table
} >"$report"
cp "$report" "$results/latest.md"
raw_tsv >"$results/bench-$stamp.tsv"
cat "$report"
say "written: $report (raw figures: $results/bench-$stamp.tsv, logs: $work/)"
