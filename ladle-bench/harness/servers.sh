# shellcheck shell=bash
# run.sh's servers: starting one pinned to SERVER_CPU, waiting for its first answer, stopping it.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

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
