#!/usr/bin/env bash
# Soak: one Ladle server (ladle-bench's LadlePeer, the same as run.sh's) under a long mixed load, then a
# check that it gave back what the load took.
#
#   ladle-bench/soak.sh                 the full soak (about 5 million keep-alive requests, 500,000 new
#                                       connections, 1,000,000 WebSocket messages, 10,000 aborted uploads)
#   SCALE=0.01 ladle-bench/soak.sh      a short rehearsal (1 % of each count)
#
# Before the load and after it (once the server has been left alone for SETTLE seconds, so idle
# connections time out), it reads: the live heap after a full GC (jcmd GC.class_histogram, which
# collects first), the threads, platform and virtual (jcmd Thread.dump_to_file -format=json), the open
# file descriptors (/proc/PID/fd) and the files in the server's own temporary directory. It prints
# key=value lines and a verdict; exit 0 when threads, descriptors and temp files are back where they
# started and the heap grew by less than HEAP_SLACK_KIB.
# Server pinned to CPU $SERVER_CPU, load (wrk, the Java clients) to CPU $CLIENT_CPU, as in run.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
SCALE=${SCALE:-1}
PORT=${PORT:-18080}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
SETTLE=${SETTLE:-35}
HEAP_SLACK_KIB=${HEAP_SLACK_KIB:-2048}
CONNECTIONS=${CONNECTIONS:-50}
BUILD=${BUILD:-1}

say() { echo "soak: $*" >&2; }
die() { say "$*"; exit 2; }
count() { awk -v n="$1" -v s="$SCALE" 'BEGIN { printf "%d", n * s }'; }

KEEPALIVE=$(count 5000000)
NEWCONN=$(count 500000)
WSMSG=$(count 1000000)
ABORTS=$(count 10000)

# shellcheck source=../scripts/jdk.sh
. "$here/../scripts/jdk.sh"
JAVA_HOME=$(pick_jdk) || die "no JDK 21 or newer found (set JAVA_HOME)"
[ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/jcmd" ] || die "the JDK at $JAVA_HOME has no jcmd (set JAVA_HOME to a full JDK)"
JAVA="$JAVA_HOME/bin/java"
JCMD="$JAVA_HOME/bin/jcmd"
command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
command -v taskset >/dev/null || die "taskset is missing (util-linux)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$BUILD" = 1 ]; then
  say "building ladle-bench"
  "$repo/ladle" mvn -B -q -ntp -DskipTests -pl ladle-bench -am package >&2 || die "build failed"
fi
CP="$here/target/classes:$here/target/lib/*"
work=$(mktemp -d)
mkdir -p "$work/tmp"
trap 'kill "$SERVER_PID" 2>/dev/null || true; rm -rf "$work"' EXIT

taskset -c "$SERVER_CPU" "$JAVA" -Xmx1g -Djava.io.tmpdir="$work/tmp" -cp "$CP" dev.ladle.bench.Main ladle "$PORT" \
  >"$work/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 500); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/plaintext" && break
  kill -0 "$SERVER_PID" 2>/dev/null || die "server did not start: $(tail -n 3 "$work/server.log")"
  sleep 0.02
done
client() { taskset -c "$CLIENT_CPU" "$@"; }

# measure PREFIX: heap (KiB, live after a full GC), threads, descriptors, temp files
measure() {
  local p=$1 heap threads fds tmp
  heap=$("$JCMD" "$SERVER_PID" GC.class_histogram | awk '/^Total/ { printf "%d", $3 / 1024 }')
  rm -f "$work/threads.json"
  "$JCMD" "$SERVER_PID" Thread.dump_to_file -format=json "$work/threads.json" >/dev/null
  threads=$(grep -c '"tid"' "$work/threads.json" || true)
  fds=$(find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 | wc -l)
  tmp=$(find "$work/tmp" -type f | wc -l)
  echo "${p}_heap_kib=$heap"; echo "${p}_threads=$threads"; echo "${p}_fds=$fds"; echo "${p}_temp_files=$tmp"
  eval "${p}_heap=$heap ${p}_threads=$threads ${p}_fds=$fds ${p}_tmp=$tmp"
}

# a short warm-up of every kind of load, so that the baseline already holds what the JDK makes once
# (compiled code, the virtual-thread pollers' descriptors, pools)
client wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$PORT/plaintext" >/dev/null
client wrk -t1 -c"$CONNECTIONS" -d2s -H 'Connection: close' "http://127.0.0.1:$PORT/plaintext" >/dev/null
client "$JAVA" -cp "$CP" dev.ladle.bench.load.WebSocketLoad "$PORT" "$CONNECTIONS" 64 0 2 >/dev/null 2>&1
client "$JAVA" -cp "$CP" dev.ladle.bench.load.AbortedUploads "$PORT" 200 32 >/dev/null 2>&1
sleep "$SETTLE"
measure before

# wrk_until TOTAL ARGS...: runs wrk in 10 s rounds until TOTAL requests were answered; prints the total
wrk_until() {
  local total=$1 done_=0 n errors=0 silent=0 out; shift
  while [ "$done_" -lt "$total" ]; do
    out=$(client wrk -t1 -c"$CONNECTIONS" -d10s "$@" 2>&1)
    n=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server is gone: $(tail -n 3 "$work/server.log")"
    # A round without a single answer counts as a round with errors; three in a row (30 s without an
    # answer) end the soak: a server that stopped answering. (On a machine at load 24-40, one 10 s round
    # in hundreds answered nothing while a fuzzer in another process stalled for 11 s as well.)
    if [ -z "$n" ] || [ "$n" -eq 0 ]; then
      silent=$((silent + 1)); errors=$((errors + 1)); echo "$out" >>"$work/wrk-errors.txt"
      [ "$silent" -lt 3 ] || die "three wrk rounds in a row answered nothing: $out"
      continue
    fi
    silent=0
    done_=$((done_ + n))
    if grep -q "Non-2xx\|Socket errors" <<<"$out"; then errors=$((errors + 1)); echo "$out" >>"$work/wrk-errors.txt"; fi
  done
  echo "$done_ $errors"
}

t0=$(date +%s)
say "keep-alive: $KEEPALIVE requests"
# (die inside the command substitution only ends the subshell: the status says it failed)
totals=$(wrk_until "$KEEPALIVE" "http://127.0.0.1:$PORT/plaintext") || die "keep-alive load failed"
read -r ka ka_err <<<"$totals"
echo "keepalive_requests=$ka"; echo "keepalive_rounds_with_errors=$ka_err"
say "new connections: $NEWCONN"
totals=$(wrk_until "$NEWCONN" -H 'Connection: close' "http://127.0.0.1:$PORT/plaintext") || die "new-connection load failed"
read -r nc nc_err <<<"$totals"
echo "new_connection_requests=$nc"; echo "new_connection_rounds_with_errors=$nc_err"
say "WebSocket: $WSMSG messages"
ws=0
while [ "$ws" -lt "$WSMSG" ]; do
  out=$(client "$JAVA" -cp "$CP" dev.ladle.bench.load.WebSocketLoad "$PORT" "$CONNECTIONS" 64 0 10 2>&1)
  rate=$(sed -n 's/^messages_per_s=//p' <<<"$out")
  [ -n "$rate" ] && [ "$rate" -gt 0 ] || die "WebSocket load failed: $out"
  ws=$((ws + rate * 10))
done
echo "websocket_messages=$ws"
say "aborted uploads: $ABORTS"
out=$(client "$JAVA" -cp "$CP" dev.ladle.bench.load.AbortedUploads "$PORT" "$ABORTS" 32 2>&1)
echo "aborted_uploads=$(sed -n 's/^aborted=//p' <<<"$out")"; echo "aborted_upload_failures=$(sed -n 's/^failed=//p' <<<"$out")"
echo "load_seconds=$(( $(date +%s) - t0 ))"

say "letting the server settle for $SETTLE s"
sleep "$SETTLE"
measure after
kill -0 "$SERVER_PID" 2>/dev/null || die "the server died: $(tail -n 5 "$work/server.log")"
if grep -q "Exception\|Error" "$work/server.log"; then
  echo "server_log_problems=$(grep -c "Exception\|Error" "$work/server.log")"
  grep -m 5 "Exception\|Error" "$work/server.log" >&2
fi

verdict=ok
[ "$after_threads" -le "$before_threads" ] || verdict="threads $before_threads -> $after_threads"
[ "$after_fds" -le "$before_fds" ] || verdict="descriptors $before_fds -> $after_fds"
[ "$after_tmp" -le "$before_tmp" ] || verdict="temp files $before_tmp -> $after_tmp"
[ $((after_heap - before_heap)) -lt "$HEAP_SLACK_KIB" ] || verdict="heap $before_heap -> $after_heap KiB"
echo "heap_growth_kib=$((after_heap - before_heap))"
echo "verdict=$verdict"
[ "$verdict" = ok ]
