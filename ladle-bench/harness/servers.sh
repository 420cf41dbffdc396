# shellcheck shell=bash
# run.sh's servers: starting one pinned to SERVER_CPU, waiting for its first answer, stopping it.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

SERVER_PID=
SERVER_LOG=
STARTUP_MS=

# SERVE says what the servers of the group in progress serve: "app", the endpoints of
# dev.ladle.bench.Main (ladle is LadlePeer), or "files", the directory $WWW (ladle is ladle-httpd)
SERVE=app

# server_command NAME [JVM options...] [-- server arguments]: sets CMD to the command line that starts
# NAME, by what the group serves: a server of dev.ladle.bench.Main, ladle-httpd, nginx (one worker, the
# configuration nginx_config wrote) or jwebserver
server_command() {
  local name=$1; shift
  local jvm=() args=() o
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  args=("$@")
  # shellcheck disable=SC2206
  jvm=($JAVA_OPTS ${jvm[@]+"${jvm[@]}"})
  case $name in
    nginx) CMD=("$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log") ;;
    jwebserver) # the JDK's own launcher, which sets the limits jwebserver runs with; JVM options as -J
      CMD=("$JAVA_HOME/bin/jwebserver")
      for o in "${jvm[@]}"; do CMD+=("-J$o"); done
      CMD+=(-b 127.0.0.1 -p "$PORT" -d "$WWW" -o none) ;;
    ladle) if [ "$SERVE" = files ]; then
        CMD=("$JAVA" "${jvm[@]}" -jar "$HTTPD_JAR" --root "$WWW" --port "$PORT" --bind 127.0.0.1)
      else
        CMD=("$JAVA" "${jvm[@]}" -cp "$CP" dev.ladle.bench.Main ladle "$PORT" ${args[@]+"${args[@]}"})
      fi ;;
    ladle-jfr|ladle-jfr-events) # Ladle under a Flight Recorder recording: the JDK's default settings
      # (Ladle's events disabled, as a production recording has them), or those plus Ladle's events
      local jfc=default
      [ "$name" = ladle-jfr ] || jfc=$(ladle_events_jfc)
      CMD=("$JAVA" "${jvm[@]}" "-XX:StartFlightRecording:settings=$jfc,filename=$work/$name-$(date +%s%N).jfr"
           -cp "$CP" dev.ladle.bench.Main ladle "$PORT" ${args[@]+"${args[@]}"}) ;;
    *) CMD=("$JAVA" "${jvm[@]}" -cp "$CP" dev.ladle.bench.Main "$name" "$PORT" ${args[@]+"${args[@]}"}) ;;
  esac
}

# ladle_events_jfc: a recording settings file, the JDK's default with Ladle's three events enabled
# (written once per run by the JDK's jfr tool); prints its path
ladle_events_jfc() {
  local jfc="$work/ladle-events.jfc"
  [ -f "$jfc" ] || "$JAVA_HOME/bin/jfr" configure --input default +dev.ladle.Request#enabled=true \
    +dev.ladle.Connection#enabled=true +dev.ladle.WebSocketMessage#enabled=true --output "$jfc" >/dev/null
  echo "$jfc"
}

# start_server NAME [JVM options...] [-- server arguments]: starts NAME (see server_command) pinned to
# SERVER_CPU and waits for its first 200 on /plaintext (http or https; the file servers serve the file
# of that name); sets SERVER_PID, SERVER_LOG, STARTUP_MS
start_server() {
  local name=$1 scheme=http a
  for a in "$@"; do [ "$a" = --tls ] && scheme=https; done
  server_command "$@"
  SERVER_LOG="$work/$name-$SERVE-$(date +%s%N).log"
  local t0 t1 code i
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" "${CMD[@]}" >"$SERVER_LOG" 2>&1 &
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

# server_pids: the running server's process and its children (nginx's worker)
server_pids() {
  [ -n "$SERVER_PID" ] || return 0
  echo "$SERVER_PID"
  pgrep -P "$SERVER_PID" || true
}

# serving_pid: the process that holds the connections: nginx's worker, else the server itself
serving_pid() {
  local child
  child=$(pgrep -P "$SERVER_PID" | head -n 1) || true
  echo "${child:-$SERVER_PID}"
}

# server_cpu_ticks: user plus system CPU time of the server's processes so far, in clock ticks
# (fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces)
server_cpu_ticks() {
  local pid total=0 ticks
  for pid in $(server_pids); do
    ticks=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }') || true
    total=$((total + ${ticks:-0}))
  done
  echo "$total"
}

# the reason a server did not start, from its log
start_failure() {
  local why
  why=$(grep -m1 -E '^failed|Exception|Error|\[emerg\]|\[alert\]' "$SERVER_LOG" 2>/dev/null | cut -c1-160) || true
  echo "${why:-did not answer: $(tail -n 1 "$SERVER_LOG" 2>/dev/null | cut -c1-120)}"
}

# peak resident set of the running server (its processes together), in MiB
peak_rss_mib() {
  local pid
  for pid in $(server_pids); do cat "/proc/$pid/status" 2>/dev/null; done \
    | awk '/^VmHWM:/ { kib += $2 } END { printf "%.1f", kib / 1024 }'
}

# stop_server: SIGTERM, then waits (the server prints peak-heap-bytes= on its way out)
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local i children
  children=$(pgrep -P "$SERVER_PID" | tr '\n' ' ') || true
  kill "$SERVER_PID" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  # a server still there after 10 s is killed, with its children (which a clean stop takes along)
  # shellcheck disable=SC2086
  ! kill -0 "$SERVER_PID" 2>/dev/null || kill -9 "$SERVER_PID" $children 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

client() { taskset -c "$CLIENT_CPU" "$@"; }
url() { echo "${SCHEME:-http}://127.0.0.1:$PORT$1"; }

# native_server NAME: a server that is not a JVM (no jcmd, no heap options)
native_server() { [ "$1" = nginx ]; }
