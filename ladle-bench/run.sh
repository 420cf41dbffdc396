#!/usr/bin/env bash
# Ladle against Netty, Undertow, Jetty, Helidon and the JDK HttpServer, in one run.
#
#   ladle-bench/run.sh                 every row, every server (about 15 minutes)
#   SERVERS="ladle netty" ROWS="plaintext echo4k" DURATION=5 ladle-bench/run.sh
#   PROFILE=1 SERVERS=ladle ROWS=plaintext ladle-bench/run.sh   also record JFR and print the hot spots
#   SERVERS="netty jetty" ROWS="h2c h2c_1conn h2c_16k h2_tls idle_h2" ladle-bench/run.sh   the HTTP/2 rows
#
# Each server runs alone, pinned to CPU $SERVER_CPU; the load generator is pinned to CPU $CLIENT_CPU.
# Every wrk and h2load row has a warm-up of $WARMUP seconds, then measures for $DURATION seconds. The table
# (each figure and its ratio to the best peer) is printed and written to ladle-bench/results/.
#
# A row is a function row_NAME taking the server's name, registered with `row NAME MODE [SERVERS]`;
# the figures it records are declared with `metric`. MODE says which server it runs against:
#   shared  the plain server started once per server for all shared rows (in registration order)
#   tls     the server started once more with --tls (a self-signed key made here with keytool)
#   own     the row starts and stops its server itself (start_server / stop_server)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

SERVERS=${SERVERS:-"ladle netty undertow jetty helidon jdk"}
ROWS=${ROWS:-"plaintext pipelined close echo4k echo1m websocket64 websocket16k h2c h2c_1conn h2c_16k tls_handshake tls_keepalive tls_resume h2_tls idle10k idlews idle_h2 upload2g alloc"}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-50}
STREAMS=${STREAMS:-10}
S_TIME_CLIENTS=${S_TIME_CLIENTS:-4}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
PORT=${PORT:-18080}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g"}
PROFILE=${PROFILE:-0}
BUILD=${BUILD:-1}

results="$here/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
work="$results/$stamp"
mkdir -p "$work"

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

for part in tools results servers load rows; do
  # shellcheck source=/dev/null
  . "$here/harness/$part.sh"
done

JAVA_HOME=$(pick_jdk) || die "no JDK 21 or newer found (set JAVA_HOME)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
need_tools
# 10,000 idle connections need that many descriptors in the server and in the client
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$BUILD" = 1 ]; then
  say "building ladle-bench (mvn package, tests skipped)"
  "$repo/ladle" mvn -B -q -ntp -DskipTests -pl ladle-bench -am package >&2 || die "build failed"
fi
CP="$here/target/classes:$here/target/lib/*"
[ -d "$here/target/lib" ] || die "no $here/target/lib: build with BUILD=1"

# ---- the run -------------------------------------------------------------------------------------

selected() { [[ " $ROWS " == *" $1 "* ]]; }
row_applies() { local r=$1 s=$2; [ -z "${ROW_SERVERS[$r]}" ] || [[ " ${ROW_SERVERS[$r]} " == *" $s "* ]]; }

h2load_rows_selected() { local r; for r in h2c h2c_1conn h2c_16k h2_tls; do selected "$r" && return 0; done; return 1; }
if h2load_rows_selected; then need_h2load; fi

KEYSTORE="$work/bench.p12"
tls_rows_selected() { local r; for r in "${ROW_ORDER[@]}"; do selected "$r" && [ "${ROW_MODE[$r]}" = tls ] && return 0; done; return 1; }
if tls_rows_selected; then
  "$JAVA_HOME/bin/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=127.0.0.1 \
    -ext SAN=ip:127.0.0.1 -validity 2 -storetype PKCS12 -keystore "$KEYSTORE" -storepass changeit \
    -keypass changeit >/dev/null 2>&1 || die "keytool could not make the TLS key"
fi

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr); $("$JAVA" -version 2>&1 | head -n 1); $( (wrk -v 2>&1 || true) | head -n 1 | cut -d' ' -f1-2)$( (h2load_rows_selected && [ -z "$H2LOAD_MISSING" ] && h2load --version | head -n 1 | sed 's/^/, /') || true)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "machine: $machine; load average $load_before"
started=$(date +%s)

for mode in shared tls own; do
  for s in $SERVERS; do
    rows=()
    for r in "${ROW_ORDER[@]}"; do
      if selected "$r" && [ "${ROW_MODE[$r]}" = "$mode" ] && row_applies "$r" "$s"; then rows+=("$r"); fi
    done
    [ ${#rows[@]} -gt 0 ] || [ "$mode" = shared ] || continue
    case $mode in
      shared)
        say "== $s"
        prof=()
        [ "$PROFILE" = 1 ] && prof=(-XX:StartFlightRecording=filename="$work/$s.jfr",settings=profile)
        if ! start_server "$s" "${prof[@]}"; then
          skip startup_ms "$s" "$(start_failure)"
          continue
        fi
        put startup_ms "$s" "$STARTUP_MS"
        for r in "${rows[@]}"; do "row_$r" "$s"; done
        put peak_rss "$s" "$(peak_rss_mib)"
        stop_server
        if [ "$PROFILE" = 1 ] && [ -f "$work/$s.jfr" ]; then
          "$JAVA" -cp "$CP" dev.ladle.bench.load.JfrTop "$work/$s.jfr" dev.ladle. 25 | tee "$work/$s-profile.txt" >&2
        fi
        ;;
      tls)
        say "== $s (TLS)"
        if ! start_server "$s" -- --tls "$KEYSTORE" changeit; then
          for r in "${rows[@]}"; do skip "$r" "$s" "$(start_failure)"; done
          continue
        fi
        for r in "${rows[@]}"; do SCHEME=https "row_$r" "$s"; done
        stop_server
        ;;
      own)
        say "== $s (scale)"
        for r in "${rows[@]}"; do "row_$r" "$s"; done
        ;;
    esac
  done
done

# ---- the table -----------------------------------------------------------------------------------

report="$results/bench-$stamp.md"
{
  echo "## Benchmark run $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $machine. Load average before the run: $load_before."
  echo "Server pinned to CPU $SERVER_CPU, load generator (wrk -t1, h2load -t1, or the Java clients) to CPU $CLIENT_CPU; JVM options \`$JAVA_OPTS\`; $WARMUP s warm-up and $DURATION s per row; the run took $(( ($(date +%s) - started) / 60 )) min."
  echo
  table
} >"$report"
cp "$report" "$results/latest.md"
{
  echo -e "metric\tserver\tvalue\tnote"
  for m in "${METRICS[@]}"; do for s in $SERVERS; do
    [ -n "${RESULT[$m,$s]:-}${NOTE[$m,$s]:-}" ] && echo -e "$m\t$s\t${RESULT[$m,$s]:-}\t${NOTE[$m,$s]:-}"
  done; done
} >"$results/bench-$stamp.tsv"
cat "$report"
say "written: $report (raw figures: $results/bench-$stamp.tsv, logs: $work/)"
