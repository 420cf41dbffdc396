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

# ---- tools ---------------------------------------------------------------------------------------

java_major() { # the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pick_jdk() { # the same search as ../ladle: $JAVA_HOME, the javac on PATH, /usr/lib/jvm/*
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}

need_tools() { # installs wrk (and curl) from the system's packages when missing, or says what is
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]}"
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null; } \
      || die "could not install ${missing[*]}"
  else
    die "missing ${missing[*]}: install them (for example: sudo apt-get install ${missing[*]})"
  fi
}

# h2load (Debian's nghttp2-client) for the HTTP/2 rows, installed like wrk; when it cannot be had
# those rows are skipped with this reason and the others still run
H2LOAD_MISSING=
need_h2load() {
  command -v h2load >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing nghttp2-client (h2load)"
    { apt-get install -y -qq nghttp2-client >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq nghttp2-client >/dev/null 2>&1; }; } || true
  fi
  command -v h2load >/dev/null 2>&1 && return 0
  H2LOAD_MISSING="h2load is missing: install the nghttp2-client package (for example: sudo apt-get install nghttp2-client)"
  say "run.sh: $H2LOAD_MISSING; the HTTP/2 load rows are skipped"
}

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

# ---- results -------------------------------------------------------------------------------------

declare -a METRICS=()
declare -A LABEL=() UNIT=() BETTER=() RESULT=() NOTE=()
declare -a ROW_ORDER=()
declare -A ROW_MODE=() ROW_SERVERS=()

# metric KEY "label" UNIT higher|lower: declares a figure (a line of the table)
metric() { METRICS+=("$1"); LABEL[$1]=$2; UNIT[$1]=$3; BETTER[$1]=$4; }
# row NAME shared|tls|own [SERVERS]: registers row_NAME, for the given servers only when named
row() { ROW_ORDER+=("$1"); ROW_MODE[$1]=$2; ROW_SERVERS[$1]=${3:-}; }
# put METRIC SERVER VALUE: records a figure
put() { RESULT[$1,$2]=$3; say "  $2 ${LABEL[$1]# }: $3 ${UNIT[$1]}"; }
# skip METRIC SERVER "why": records why a figure is missing
skip() { NOTE[$1,$2]=$3; say "  $2 ${LABEL[$1]# }: skipped ($3)"; }
# note METRIC SERVER "what": a footnote to a recorded figure
note() { NOTE[$1,$2]=$3; say "  $2 ${LABEL[$1]# }: note: $3"; }

# ---- servers -------------------------------------------------------------------------------------

SERVER_PID=
SERVER_LOG=
STARTUP_MS=

# start_server NAME [JVM options...] [-- server arguments]: starts NAME pinned to SERVER_CPU and
# waits for its first 200 on /plaintext (http or https); sets SERVER_PID, SERVER_LOG, STARTUP_MS
start_server() {
  local name=$1; shift
  local jvm=() args=() scheme=http
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  args=("$@")
  for a in "${args[@]}"; do [ "$a" = --tls ] && scheme=https; done
  SERVER_LOG="$work/$name-$(date +%s%N).log"
  local t0 t1 code i
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" "$JAVA" $JAVA_OPTS "${jvm[@]}" -cp "$CP" dev.ladle.bench.Main "$name" "$PORT" "${args[@]}" \
    >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  for ((i = 0; i < 3000; i++)); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$scheme://127.0.0.1:$PORT/plaintext" 2>/dev/null || true)
    if [ "$code" = 200 ]; then
      t1=$(date +%s%N)
      STARTUP_MS=$(( (t1 - t0) / 1000000 ))
      return 0
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=
      return 1
    fi
    sleep 0.002
  done
  stop_server
  return 1
}

# the reason a server did not start, from its log
start_failure() { grep -m1 -E '^failed|Exception|Error' "$SERVER_LOG" 2>/dev/null | cut -c1-160 || echo "did not answer"; }

# peak resident set of the running server, in MiB
peak_rss_mib() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

# stop_server: SIGTERM, then waits (the server prints peak-heap-bytes= on its way out)
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  local i
  for ((i = 0; i < 100; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap stop_server EXIT

client() { taskset -c "$CLIENT_CPU" "$@"; }
url() { echo "${SCHEME:-http}://127.0.0.1:$PORT$1"; }

# ---- wrk -----------------------------------------------------------------------------------------

LUA="$work/lua"
mkdir -p "$LUA"
cat >"$LUA/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d bytes=%d errors=%d non2xx=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), summary.bytes,
    e.connect + e.read + e.write, e.status, e.timeout))
end
EOF
{ cat <<'EOF'
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do r[i] = wrk.format(nil, "/plaintext") end
  req = table.concat(r)
end
request = function() return req end
EOF
  cat "$LUA/report.lua"; } >"$LUA/pipeline.lua"
for size in 4096 1048576; do
  { echo "wrk.method = \"POST\""
    echo "wrk.headers[\"Content-Type\"] = \"application/octet-stream\""
    echo "wrk.body = string.rep(\"x\", $size)"
    cat "$LUA/report.lua"; } >"$LUA/post$size.lua"
done

W_RPS= W_P50= W_P99= W_ERRORS= W_MIBS=
# wrk_run [wrk options...] URL: warm-up, then the measured run; sets W_RPS W_P50 W_P99 (ms) W_ERRORS W_MIBS
wrk_run() {
  local out line
  client timeout $((WARMUP + 60)) wrk -t1 -d"${WARMUP}s" "$@" >/dev/null 2>&1 || true
  out=$(client timeout $((DURATION + 60)) wrk -t1 -d"${DURATION}s" --timeout 10s "$@" 2>&1) || true
  line=$(grep '^RESULT' <<<"$out" || true)
  if [ -z "$line" ]; then
    W_RPS= W_ERRORS="wrk failed: $(tail -n 1 <<<"$out")"
    return 1
  fi
  eval "local ${line#RESULT }"
  # shellcheck disable=SC2154
  W_RPS=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
  W_MIBS=$(awk -v b="$bytes" -v d="$duration_us" 'BEGIN { printf "%.1f", b / (d / 1e6) / 1048576 }')
  W_P50=$(awk -v u="$p50_us" 'BEGIN { printf "%.2f", u / 1000 }')
  W_P99=$(awk -v u="$p99_us" 'BEGIN { printf "%.2f", u / 1000 }')
  W_ERRORS=
  if [ "$errors" -gt 0 ] || [ "$non2xx" -gt 0 ] || [ "$timeouts" -gt 0 ]; then
    W_ERRORS="$errors socket errors, $non2xx non-2xx, $timeouts timeouts of $requests"
  fi
}

# wrk_row METRIC SERVER [wrk options...] URL: one wrk figure (requests/s) with its footnote
wrk_row() {
  local m=$1 s=$2; shift 2
  if wrk_run "$@"; then
    put "$m" "$s" "$W_RPS"
    [ -z "$W_ERRORS" ] || note "$m" "$s" "$W_ERRORS"
  else
    skip "$m" "$s" "$W_ERRORS"
  fi
}

# ---- h2load --------------------------------------------------------------------------------------

H2_CHECK=
# speaks_h2: true when the running server answers /plaintext over HTTP/2 (h2c with prior knowledge, or
# h2 by ALPN over https), as curl sees it; otherwise H2_CHECK says what curl got
speaks_h2() {
  local how=--http2-prior-knowledge got
  [ "${SCHEME:-http}" = https ] && how=--http2
  got=$(curl -sk "$how" -o /dev/null -w '%{http_version} %{http_code}' --max-time 2 "$(url /plaintext)" 2>/dev/null) || true
  [ "$got" = "2 200" ] && return 0
  case $got in
    "" | "0 000") H2_CHECK="curl $how got no answer" ;;
    *) H2_CHECK="curl $how got HTTP/${got% *} ${got#* }" ;;
  esac
  return 1
}

H_RPS= H_P50= H_P99= H_ERRORS=
# h2load_run [h2load options...] URL: warm-up, then the measured run (one h2load); sets H_RPS, H_P50 and H_P99 (ms,
# from h2load's per-request log) and H_ERRORS; fails unless h2load spoke HTTP/2 and got answers
h2load_run() {
  local out log="$work/h2load.log" proto line total=0 done_=0 ok=0 failed=0 errored=0 timeouts=0 non2xx
  # h2load's own warm-up: the connections (and TLS handshakes) made and used for $WARMUP s, then the
  # same connections measured for $DURATION s; the summary and the log count the measured part only
  out=$(client timeout $((WARMUP + DURATION + 60)) h2load -t1 --warm-up-time="$WARMUP" -D "$DURATION" \
    --log-file="$log" "$@" 2>&1) || true
  echo "$out" >>"$work/h2load-output.txt"
  proto=$(sed -n 's/^Application protocol: *//p' <<<"$out" | head -n 1)
  line=$(grep -m1 '^finished in' <<<"$out" || true)   # finished in 5.00s, 61234.40 req/s, 2.17MB/s
  if [ -z "$line" ] || { [ "$proto" != h2c ] && [ "$proto" != h2 ]; }; then
    H_RPS= H_ERRORS="h2load failed (protocol ${proto:-none}): $(grep -v '^progress' <<<"$out" | tail -n 1)"
    rm -f "$log"
    return 1
  fi
  # requests: 300000 total, 300500 started, 300000 done, 299990 succeeded, 10 failed, 0 errored, 0 timeout
  read -r total done_ ok failed errored timeouts < <(sed -n 's/^requests: \([0-9]*\) total, [0-9]* started, \([0-9]*\) done, \([0-9]*\) succeeded, \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 \2 \3 \4 \5 \6/p' <<<"$out")
  non2xx=$(sed -n 's/^status codes: [0-9]* 2xx, \([0-9]*\) 3xx, \([0-9]*\) 4xx, \([0-9]*\) 5xx.*/\1 \2 \3/p' <<<"$out" | awk '{ print $1 + $2 + $3 }')
  if [ "${ok:-0}" -eq 0 ]; then
    H_RPS= H_ERRORS="h2load got no answer: $(grep -m1 '^requests:' <<<"$out")"
    rm -f "$log"
    return 1
  fi
  H_RPS=$(awk '{ printf "%.0f", $4 }' <<<"$line")
  # the log: start time (us), status, microseconds until the end of the answer; one line per request
  read -r H_P50 H_P99 < <(awk -F'\t' '{ print $3 }' "$log" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "", ""; exit }
    i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
    printf "%.2f %.2f\n", v[i50] / 1000, v[i99] / 1000 }') || true
  rm -f "$log"
  H_ERRORS=
  if [ "${failed:-0}" -gt 0 ] || [ "${errored:-0}" -gt 0 ] || [ "${timeouts:-0}" -gt 0 ] || [ "${non2xx:-0}" -gt 0 ]; then
    H_ERRORS="$failed failed, $errored errored, $timeouts timeouts, $non2xx non-2xx of $total requests"
  fi
}

# h2_row METRIC SERVER [h2load options...] URL: one h2load figure (requests/s) with its footnote, when
# h2load is there and the server speaks HTTP/2; always returns 0 (a row's figures may be missing)
h2_row() {
  local m=$1 s=$2; shift 2
  if [ -n "$H2LOAD_MISSING" ]; then
    skip "$m" "$s" "$H2LOAD_MISSING"
  elif ! speaks_h2; then
    skip "$m" "$s" "no HTTP/2 in this build: $H2_CHECK"
  elif h2load_run "$@"; then
    put "$m" "$s" "$H_RPS"
    [ -z "$H_ERRORS" ] || note "$m" "$s" "$H_ERRORS"
  else
    skip "$m" "$s" "$H_ERRORS"
  fi
  return 0
}

# ---- rows ----------------------------------------------------------------------------------------

metric startup_ms "Start to first response" ms lower
metric plaintext "Keep-alive plaintext ($CONNECTIONS conns)" req/s higher
metric plaintext_p50 " latency p50" ms lower
metric plaintext_p99 " latency p99" ms lower
row plaintext shared
row_plaintext() {
  wrk_row plaintext "$1" -c"$CONNECTIONS" -s "$LUA/report.lua" "$(url /plaintext)" || return 0
  [ -n "${RESULT[plaintext,$1]:-}" ] || return 0
  put plaintext_p50 "$1" "$W_P50"
  put plaintext_p99 "$1" "$W_P99"
}

metric pipelined "Pipelined plaintext (depth 16)" req/s higher
row pipelined shared
row_pipelined() { wrk_row pipelined "$1" -c"$CONNECTIONS" -s "$LUA/pipeline.lua" "$(url /plaintext)" -- 16; }

metric close "New connection per request" req/s higher
row close shared
row_close() { wrk_row close "$1" -c"$CONNECTIONS" -H 'Connection: close' -s "$LUA/report.lua" "$(url /plaintext)"; }

metric echo4k "POST echo 4 KiB" req/s higher
row echo4k shared
row_echo4k() { wrk_row echo4k "$1" -c"$CONNECTIONS" -s "$LUA/post4096.lua" "$(url /echo)"; }

metric echo1m "POST echo 1 MiB" req/s higher
row echo1m shared
row_echo1m() { wrk_row echo1m "$1" -c"$CONNECTIONS" -s "$LUA/post1048576.lua" "$(url /echo)"; }

# ws_row METRIC SERVER SIZE: WebSocket echo over 100 connections, when the server does the handshake
ws_row() {
  local m=$1 s=$2 size=$3 code out
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
    -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$(url /ws)" 2>/dev/null || true)
  if [ "$code" != 101 ]; then
    skip "$m" "$s" "no WebSocket echo at /ws in this build: the handshake got ${code:-no answer}"
    return 0
  fi
  out=$(client timeout $((WARMUP + DURATION + 60)) "$JAVA" -cp "$CP" dev.ladle.bench.load.WebSocketLoad "$PORT" 100 "$size" "$WARMUP" "$DURATION" 2>&1) || true
  local v; v=$(sed -n 's/^messages_per_s=//p' <<<"$out")
  if [ -n "$v" ]; then put "$m" "$s" "$v"; else skip "$m" "$s" "client failed: $(tail -n 1 <<<"$out")"; fi
  grep -q '^failed_connections=0' <<<"$out" || note "$m" "$s" "$(grep failed_connections <<<"$out")"
}
metric websocket64 "WebSocket echo 64 B (100 conns)" msg/s higher
row websocket64 shared "ladle jetty netty helidon undertow"
row_websocket64() { ws_row websocket64 "$1" 64; }
metric websocket16k "WebSocket echo 16 KiB (100 conns)" msg/s higher
row websocket16k shared "ladle jetty netty helidon undertow"
row_websocket16k() { ws_row websocket16k "$1" 16384; }

# HTTP/2: every server that has it (not the JDK's); Ladle's rows are skipped until its build speaks it
H2_SERVERS="ladle netty undertow jetty helidon"
metric h2c "HTTP/2 h2c plaintext ($CONNECTIONS conns × $STREAMS streams)" req/s higher
metric h2c_p50 " latency p50" ms lower
metric h2c_p99 " latency p99" ms lower
row h2c shared "$H2_SERVERS"
row_h2c() {
  h2_row h2c "$1" -c"$CONNECTIONS" -m"$STREAMS" "$(url /plaintext)"
  [ -n "${RESULT[h2c,$1]:-}" ] || return 0
  [ -z "$H_P50" ] || put h2c_p50 "$1" "$H_P50"
  [ -z "$H_P99" ] || put h2c_p99 "$1" "$H_P99"
}
metric h2c_1conn "HTTP/2 h2c plaintext (1 conn × 100 streams)" req/s higher
row h2c_1conn shared "$H2_SERVERS"
row_h2c_1conn() { h2_row h2c_1conn "$1" -c1 -m100 "$(url /plaintext)"; }
metric h2c_16k "HTTP/2 h2c 16 KiB answers ($CONNECTIONS × $STREAMS)" req/s higher
row h2c_16k shared "$H2_SERVERS"
row_h2c_16k() { h2_row h2c_16k "$1" -c"$CONNECTIONS" -m"$STREAMS" "$(url /bytes16k)"; }

metric tls_handshake "TLS: new connection per request" req/s higher
row tls_handshake tls "ladle jetty netty undertow"
row_tls_handshake() { wrk_row tls_handshake "$1" -c"$CONNECTIONS" -H 'Connection: close' -s "$LUA/report.lua" "$(url /plaintext)"; }
metric tls_keepalive "TLS: keep-alive plaintext" req/s higher
row tls_keepalive tls "ladle jetty netty undertow"
row_tls_keepalive() { wrk_row tls_keepalive "$1" -c"$CONNECTIONS" -s "$LUA/report.lua" "$(url /plaintext)"; }
S_RATE= S_REUSED=0 S_COUNT=
# s_time_run PROTOCOL-OPTION -new|-reuse: $S_TIME_CLIENTS openssl s_time clients at once, each making
# connections one after the other (a handshake and a GET /plaintext each), for $WARMUP s (discarded)
# then $DURATION s; sets S_RATE (connections per wall-clock second, all clients together: s_time's own
# figures are per second of its CPU, or in whole seconds), S_COUNT and S_REUSED (how many resumed the
# session, from s_time's 'r' marks)
s_time_run() {
  local i t0 t1 out=() pids=() n marks
  S_REUSED=0 S_COUNT=0
  if ! command -v openssl >/dev/null 2>&1; then
    S_RATE= S_COUNT="openssl is missing: install the openssl package"
    return 1
  fi
  for ((i = 0; i < S_TIME_CLIENTS; i++)); do
    client timeout $((WARMUP + 30)) openssl s_time -connect "127.0.0.1:$PORT" "$@" -time "$WARMUP" -www /plaintext >/dev/null 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  pids=()
  t0=$(date +%s%N)
  for ((i = 0; i < S_TIME_CLIENTS; i++)); do
    out+=("$work/s_time.$i")
    client timeout $((DURATION + 30)) openssl s_time -connect "127.0.0.1:$PORT" "$@" -time "$DURATION" -www /plaintext \
      >"${out[i]}" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  t1=$(date +%s%N)
  for ((i = 0; i < S_TIME_CLIENTS; i++)); do
    n=$(sed -n 's/^\([0-9]*\) connections in [0-9.]*s;.*/\1/p' "${out[i]}" | tail -n 1)
    if [ -z "$n" ] || [ "$n" -eq 0 ]; then
      S_RATE= S_COUNT="s_time failed: $(tail -n 1 "${out[i]}")"
      return 1
    fi
    S_COUNT=$((S_COUNT + n))
    # one mark per connection, on lines of their own: r resumed, * (or t, 3) a full handshake
    marks=$(grep -E '^[r*t3]+$' "${out[i]}" | tr -cd r | wc -c) || marks=0
    S_REUSED=$((S_REUSED + marks))
  done
  rm -f "${out[@]}"
  S_RATE=$(awk -v n="$S_COUNT" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
}

# tls_resume_pair SERVER VERSION FULL-METRIC RESUMED-METRIC SPEEDUP-METRIC: full handshakes, then resumed
# ones, with s_time -tls1_3 or -tls1_2; a resumed figure where fewer than 99% resumed is footnoted
tls_resume_pair() {
  local s=$1 v=$2 full=$3 resumed=$4 speedup=$5 full_rate
  if s_time_run "-tls$v" -new; then
    put "$full" "$s" "$S_RATE"
    full_rate=$S_RATE
    [ "$S_REUSED" -eq 0 ] || note "$full" "$s" "$S_REUSED of $S_COUNT connections resumed although s_time -new"
  else
    skip "$full" "$s" "$S_COUNT"
  fi
  if ! s_time_run "-tls$v" -reuse; then skip "$resumed" "$s" "$S_COUNT"; return 0; fi
  put "$resumed" "$s" "$S_RATE"
  if [ $((S_REUSED * 100)) -lt $((S_COUNT * 99)) ]; then
    note "$resumed" "$s" "only $S_REUSED of $S_COUNT connections resumed the session"
  fi
  [ -z "${full_rate:-}" ] || put "$speedup" "$s" "$(awk -v r="$S_RATE" -v f="$full_rate" 'BEGIN { printf "%.2f", r / f }')"
}
metric tls_resume "TLS 1.3 full handshakes (s_time, $S_TIME_CLIENTS clients)" conn/s higher
metric tls13_resumed " resumed with a ticket (s_time -reuse)" conn/s higher
metric tls13_speedup " resumed ÷ full" × higher
metric tls12_full "TLS 1.2 full handshakes (s_time, $S_TIME_CLIENTS clients)" conn/s higher
metric tls12_resumed " resumed (s_time -reuse)" conn/s higher
metric tls12_speedup " resumed ÷ full" × higher
row tls_resume tls "ladle jetty netty undertow"
row_tls_resume() {
  tls_resume_pair "$1" 1_3 tls_resume tls13_resumed tls13_speedup
  tls_resume_pair "$1" 1_2 tls12_full tls12_resumed tls12_speedup
}
metric h2_tls "TLS: HTTP/2 plaintext (h2 by ALPN, $CONNECTIONS × $STREAMS)" req/s higher
row h2_tls tls "$H2_SERVERS"
row_h2_tls() { h2_row h2_tls "$1" -c"$CONNECTIONS" -m"$STREAMS" "$(url /plaintext)"; }

metric idle_memory "10k idle conns: memory per conn" KiB lower
metric idle_p50 " new request p50 meanwhile" ms lower
metric idle_p99 " new request p99 meanwhile" ms lower
row idle10k own
row_idle10k() {
  local s=$1 out v
  # a fixed, pre-touched heap: the RSS difference is then what lives outside the heap
  start_server "$s" -Xms1g -Xmx1g -XX:+AlwaysPreTouch || { skip idle_memory "$s" "$(start_failure)"; return 0; }
  out=$(client timeout 300 "$JAVA" -cp "$CP" dev.ladle.bench.load.IdleConnections "$PORT" "$SERVER_PID" 10000 2000 2>&1) || true
  stop_server
  echo "$out" >"$work/idle10k-$s.txt"
  v=$(sed -n 's/^memory_per_connection_kib=//p' <<<"$out")
  if [ -z "$v" ]; then skip idle_memory "$s" "$(tail -n 1 <<<"$out")"; return 0; fi
  local open; open=$(sed -n 's/^still_open=//p' <<<"$out")
  if [ "${open:-0}" -lt 9000 ]; then # a server that dropped most of them did not hold 10,000
    skip idle_memory "$s" "only ${open:-?} of 10000 idle connections were still open afterwards"
  else
    put idle_memory "$s" "$v"
    [ "$open" = 10000 ] || note idle_memory "$s" "$open of 10000 idle connections were still open afterwards"
  fi
  v=$(sed -n 's/^p50_ms=//p' <<<"$out"); [ -z "$v" ] || put idle_p50 "$s" "$v"
  v=$(sed -n 's/^p99_ms=//p' <<<"$out"); [ -z "$v" ] || put idle_p99 "$s" "$v"
  v=$(sed -n 's/^probe_failed=//p' <<<"$out"); [ -z "$v" ] || skip idle_p50 "$s" "new request failed: $v"
}

# idle_memory_row METRIC SERVER MODE "WHAT still ...": 10,000 idle connections of IdleConnections' MODE
# (websocket, http2) and no probes; memory per connection measured as for idle HTTP/1 connections
idle_memory_row() {
  local m=$1 s=$2 mode=$3 what=$4 out v open
  start_server "$s" -Xms1g -Xmx1g -XX:+AlwaysPreTouch || { skip "$m" "$s" "$(start_failure)"; return 0; }
  if [ "$mode" = http2 ] && ! speaks_h2; then
    stop_server
    skip "$m" "$s" "no HTTP/2 in this build: $H2_CHECK"
    return 0
  fi
  out=$(client timeout 300 "$JAVA" -cp "$CP" dev.ladle.bench.load.IdleConnections "$PORT" "$SERVER_PID" 10000 0 5 "$mode" 2>&1) || true
  stop_server
  echo "$out" >"$work/$m-$s.txt"
  v=$(sed -n 's/^memory_per_connection_kib=//p' <<<"$out")
  if [ -z "$v" ]; then skip "$m" "$s" "$(tail -n 1 <<<"$out")"; return 0; fi
  open=$(sed -n 's/^still_open=//p' <<<"$out")
  if [ "${open:-0}" -lt 9000 ]; then
    skip "$m" "$s" "only ${open:-?} of 10000 $what afterwards"
  else
    put "$m" "$s" "$v"
    [ "$open" = 10000 ] || note "$m" "$s" "$open of 10000 $what afterwards"
  fi
}

metric idle_ws_memory "10k idle WebSockets: memory per conn" KiB lower
row idlews own "ladle jetty netty helidon undertow"
row_idlews() { idle_memory_row idle_ws_memory "$1" websocket "idle WebSockets still echoed"; }

metric idle_h2_memory "10k idle HTTP/2 conns: memory per conn" KiB lower
row idle_h2 own "$H2_SERVERS"
row_idle_h2() { idle_memory_row idle_h2_memory "$1" http2 "idle HTTP/2 connections still answered"; }

metric upload "2 GiB upload, -Xmx64m" MiB/s higher
metric upload_heap " peak heap" MiB lower
row upload2g own
row_upload2g() {
  local s=$1 out v heap
  start_server "$s" -Xms64m -Xmx64m || { skip upload "$s" "$(start_failure)"; return 0; }
  out=$(client timeout 300 "$JAVA" -cp "$CP" dev.ladle.bench.load.StreamUpload "$PORT" $((2 << 30)) 2>&1) || true
  local log=$SERVER_LOG
  stop_server
  v=$(sed -n 's/^mib_per_s=//p' <<<"$out")
  if [ -z "$v" ] || ! grep -q '^status=200' <<<"$out"; then
    skip upload "$s" "failed: $(tr '\n' ' ' <<<"$out" | cut -c1-120)"
    grep -q OutOfMemoryError "$log" && note upload "$s" "OutOfMemoryError in the server"
    return 0
  fi
  put upload "$s" "$v"
  grep -q "^received=$((2 << 30))\$" <<<"$out" || note upload "$s" "server counted $(sed -n 's/^received=//p' <<<"$out") bytes"
  heap=$(sed -n 's/^peak-heap-bytes=//p' "$log")
  [ -z "$heap" ] || put upload_heap "$s" "$(awk -v b="$heap" 'BEGIN { printf "%.1f", b / 1048576 }')"
}

metric alloc "Allocated per plaintext request" B lower
row alloc own
row_alloc() { # JMH's GC profiler over one keep-alive connection, server and client in one JVM
  local s=$1 out v
  out=$(timeout 300 taskset -c "$SERVER_CPU,$CLIENT_CPU" "$JAVA" -cp "$CP" org.openjdk.jmh.Main EndToEndBenchmark \
    -p server="$s" -prof gc -f 1 -wi 2 -w 1 -i 3 -r 1 2>&1) || true
  echo "$out" >"$work/alloc-$s.txt"
  v=$(awk '/plaintext:gc.alloc.rate.norm/ && /B\/op$/ { printf "%.0f", $(NF - 3) }' <<<"$out")
  if [ -n "$v" ]; then put alloc "$s" "$v"; else skip alloc "$s" "JMH failed: $(tail -n 1 <<<"$out")"; fi
}

metric peak_rss "Peak RSS (shared rows)" MiB lower

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

# ratio VALUE BEST higher|lower: how VALUE compares with BEST, above 1 meaning better
ratio() { awk -v v="$1" -v b="$2" -v d="$3" 'BEGIN { if (v <= 0 || b <= 0) { print "" } else if (d == "higher") printf "%.2f", v / b; else printf "%.2f", b / v }'; }

# fmt VALUE: thousands separated, for the table
fmt() { awk -v v="$1" 'BEGIN { if (v + 0 < 1000) { print v; exit } s = sprintf("%.0f", v); out = ""
  while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'; }

table() {
  local servers=($SERVERS) m s v best r cell header sep
  header="| Figure | Unit |"; sep="| --- | --- |"
  for s in "${servers[@]}"; do header+=" $s |"; sep+=" ---: |"; done
  echo "$header"; echo "$sep"
  local footnotes=() n=0
  for m in "${METRICS[@]}"; do
    local any=0
    for s in "${servers[@]}"; do [ -n "${RESULT[$m,$s]:-}${NOTE[$m,$s]:-}" ] && any=1; done
    [ $any = 1 ] || continue
    best=
    for s in "${servers[@]}"; do
      [ "$s" = ladle ] && continue
      v=${RESULT[$m,$s]:-}
      [ -n "$v" ] || continue
      if [ -z "$best" ] || awk -v v="$v" -v b="$best" -v d="${BETTER[$m]}" 'BEGIN { exit !((d == "higher") ? v > b : v < b) }'; then best=$v; fi
    done
    local line="| ${LABEL[$m]/# /↳ } | ${UNIT[$m]} |"
    for s in "${servers[@]}"; do
      v=${RESULT[$m,$s]:-}
      cell=
      if [ -n "$v" ]; then
        cell=$(fmt "$v")
        r=
        [ -z "$best" ] || r=$(ratio "$v" "$best" "${BETTER[$m]}")
        [ -z "$r" ] || cell+=" (${r}×)"
      fi
      if [ -n "${NOTE[$m,$s]:-}" ]; then
        n=$((n + 1))
        footnotes+=("[$n] $s, ${LABEL[$m]# }: ${NOTE[$m,$s]}")
        if [ -n "$cell" ]; then cell+=" [$n]"; else cell="– [$n]"; fi
      fi
      line+=" ${cell:-–} |"
    done
    echo "$line"
  done
  echo
  echo "Ratio: each figure against the best peer (Ladle excluded) in its line; above 1.00× is better than that peer, whichever way the unit runs."
  if [ ${#footnotes[@]} -gt 0 ]; then
    echo
    local f; for f in "${footnotes[@]}"; do echo "- $f"; done
  fi
}

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
