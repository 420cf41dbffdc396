# shellcheck shell=bash
# run.sh's rows: each a row_NAME function registered with row, its figures declared with metric.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

launch_metric startup_ms "Start to first response" ms lower
metric plaintext "Keep-alive plaintext ($CONNECTIONS conns)" req/s higher
metric plaintext_p50 " latency p50" ms lower
metric plaintext_p99 " latency p99" ms lower
row plaintext shared "$PEERS nginx $JFR_SERVERS"
row_plaintext() {
  wrk_row plaintext "$1" -c"$CONNECTIONS" -s "$LUA/report.lua" "$(url /plaintext)" || return 0
  got plaintext "$1" || return 0
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
row websocket64 shared "ladle jetty netty helidon undertow $JFR_SERVERS"
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
  got h2c "$1" || return 0
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
# the longer warm-up: see TLS_WARMUP in run.sh
row_tls_handshake() {
  WARMUP=$((WARMUP > TLS_WARMUP ? WARMUP : TLS_WARMUP)) wrk_row tls_handshake "$1" -c"$CONNECTIONS" \
    -H 'Connection: close' -s "$LUA/report.lua" "$(url /plaintext)"
}
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

# source_addresses COUNT: how many 127.0.0.x source addresses COUNT client sockets to one server port
# need (IDLE_SOURCES when set): one per 90 % of the ephemeral port range, whose ports a client
# binding its source address may use once per address
source_addresses() {
  local lo hi per
  if [ -n "${IDLE_SOURCES:-}" ]; then echo "$IDLE_SOURCES"; return 0; fi
  read -r lo hi </proc/sys/net/ipv4/ip_local_port_range
  per=$(( (hi - lo + 1) * 9 / 10 ))
  echo $(( ($1 + per - 1) / per ))
}

# idle_row SERVER COUNT MODE PROBES HEAP "WHAT" MEMORY-METRIC [P50-METRIC P99-METRIC]: COUNT idle
# connections of IdleConnections' MODE (http1, websocket, http2), then PROBES new requests on another
# connection. A JVM server runs with a fixed, pre-touched heap of HEAP, so that the RSS difference is
# what lives outside the heap and the live heap is counted apart; nginx is measured by its worker's RSS
# alone. A server that kept fewer than 90 % of the connections open gets no figure, with the reason.
idle_row() {
  local s=$1 count=$2 mode=$3 probes=$4 heap=$5 what=$6 m=$7 p50=${8:-} p99=${9:-} out v open need flags=()
  need=$((count + 1000))
  if [ "$(ulimit -n)" -lt "$need" ]; then
    skip "$m" "$s" "$count connections need $need descriptors in the server and in the client; the limit is $(ulimit -n) (hard limit $(ulimit -Hn), which the script could not raise)"
    return 0
  fi
  if native_server "$s"; then
    flags+=(--native)
    start_server "$s" || { skip "$m" "$s" "$(start_failure)"; return 0; }
  else
    start_server "$s" "-Xms$heap" "-Xmx$heap" -XX:+AlwaysPreTouch || { skip "$m" "$s" "$(start_failure)"; return 0; }
  fi
  if [ "$mode" = http2 ] && ! speaks_h2; then
    stop_server
    skip "$m" "$s" "no HTTP/2 in this build: $H2_CHECK"
    return 0
  fi
  flags+=(--sources "$(source_addresses "$count")")
  out=$(client timeout $((300 + count / 100)) "$JAVA" -cp "$CP" dev.ladle.bench.load.IdleConnections \
    "$PORT" "$(serving_pid)" "$count" "$probes" 5 "$mode" "${flags[@]}" 2>&1) || true
  stop_server
  echo "$out" >"$work/$m-$s-$LAUNCH.txt"
  v=$(sed -n 's/^memory_per_connection_kib=//p' <<<"$out")
  if [ -z "$v" ]; then skip "$m" "$s" "$(tail -n 1 <<<"$out")"; return 0; fi
  open=$(sed -n 's/^still_open=//p' <<<"$out")
  if [ "${open:-0}" -lt $((count * 9 / 10)) ]; then # a server that dropped most of them did not hold them
    skip "$m" "$s" "only ${open:-?} of $count $what afterwards"
  else
    put "$m" "$s" "$v"
    [ "$open" = "$count" ] || note "$m" "$s" "$open of $count $what afterwards"
  fi
  [ -n "$p99" ] || return 0
  v=$(sed -n 's/^p50_ms=//p' <<<"$out"); [ -z "$v" ] || put "$p50" "$s" "$v"
  v=$(sed -n 's/^p99_ms=//p' <<<"$out"); [ -z "$v" ] || put "$p99" "$s" "$v"
  v=$(sed -n 's/^probe_failed=//p' <<<"$out"); [ -z "$v" ] || skip "$p50" "$s" "new request failed: $v"
}

metric idle_memory "10k idle conns: memory per conn" KiB lower
metric idle_p50 " new request p50 meanwhile" ms lower
metric idle_p99 " new request p99 meanwhile" ms lower
row idle10k own
memory_row idle10k
row_idle10k() { idle_row "$1" 10000 http1 2000 1g "idle connections were still open" idle_memory idle_p50 idle_p99; }

metric idle_ws_memory "10k idle WebSockets: memory per conn" KiB lower
row idlews own "ladle jetty netty helidon undertow"
memory_row idlews
row_idlews() { idle_row "$1" 10000 websocket 0 1g "idle WebSockets still echoed" idle_ws_memory; }

metric idle_h2_memory "10k idle HTTP/2 conns: memory per conn" KiB lower
row idle_h2 own "$H2_SERVERS"
memory_row idle_h2
row_idle_h2() { idle_row "$1" 10000 http2 0 1g "idle HTTP/2 connections still answered" idle_h2_memory; }

# IDLE_MANY (100,000) idle keep-alive connections: a 4 GiB heap, so that a peer needing more than 1 GiB
# for them (Helidon's 22 KiB each) is measured rather than run out of memory
metric idle_many_memory "$((IDLE_MANY / 1000))k idle conns: memory per conn" KiB lower
metric idle_many_p50 " new request p50 meanwhile" ms lower
metric idle_many_p99 " new request p99 meanwhile" ms lower
row idle100k own "$PEERS nginx"
memory_row idle100k
row_idle100k() {
  idle_row "$1" "$IDLE_MANY" http1 2000 4g "idle connections were still open" idle_many_memory idle_many_p50 idle_many_p99
}

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
memory_row alloc
row_alloc() { # JMH's GC profiler over one keep-alive connection, server and client in one JVM
  local s=$1 out v
  out=$(timeout 300 taskset -c "$SERVER_CPU,$CLIENT_CPU" "$JAVA" -cp "$CP" org.openjdk.jmh.Main EndToEndBenchmark \
    -p server="$s" -prof gc -f 1 -wi 2 -w 1 -i 3 -r 1 2>&1) || true
  echo "$out" >"$work/alloc-$s-$LAUNCH.txt"
  v=$(awk '/plaintext:gc.alloc.rate.norm/ && /B\/op$/ { printf "%.0f", $(NF - 3) }' <<<"$out")
  if [ -n "$v" ]; then put alloc "$s" "$v"; else skip alloc "$s" "JMH failed: $(tail -n 1 <<<"$out")"; fi
}

launch_metric peak_rss "Peak RSS (shared rows)" MiB lower
