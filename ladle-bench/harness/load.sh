# shellcheck shell=bash
# run.sh's load generators: wrk and h2load, each with its warm-up, parsed into figures.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

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
