# shellcheck shell=bash
# run.sh's launches: each group of rows runs a discarded warm-up launch, then LAUNCHES rounds in which
# every server is launched once, the order reversed from one round to the next. Sourced by run.sh.

selected() { [[ " $ROWS " == *" $1 "* ]]; }
row_applies() { [[ " ${ROW_SERVERS[$1]} " == *" $2 "* ]]; }

# group_rows MODE SERVER LAUNCH: the selected rows of MODE for SERVER in that launch, one a line; a
# memory row runs in the first MEMORY_LAUNCHES launches only, never in the warm-up (launch 0)
group_rows() {
  local r
  for r in "${ROW_ORDER[@]}"; do
    selected "$r" && [ "${ROW_MODE[$r]}" = "$1" ] && row_applies "$r" "$2" || continue
    if [ "${ROW_KIND[$r]}" = memory ] && { [ "$3" -lt 1 ] || [ "$3" -gt "$MEMORY_LAUNCHES" ]; }; then continue; fi
    echo "$r"
  done
}

# server_missing NAME: why NAME cannot run here (a tool that could not be installed), or nothing
server_missing() {
  case $1 in
    nginx) echo "$NGINX_MISSING" ;;
    jwebserver) echo "$JWEBSERVER_MISSING" ;;
    ladle) [ "$SERVE" != files ] || [ -f "$HTTPD_JAR" ] || echo "no $HTTPD_JAR: build with BUILD=1" ;;
  esac
}

# launch MODE SERVER: one launch of SERVER for the rows of MODE in launch $LAUNCH: for shared, tls and
# files rows one server process serves them all; own rows start their servers themselves
launch() {
  local mode=$1 s=$2 rows=() r why extra=()
  mapfile -t rows < <(group_rows "$mode" "$s" "$LAUNCH")
  [ ${#rows[@]} -gt 0 ] || return 0
  SERVE=app
  [ "$mode" != files ] || SERVE=files
  why=$(server_missing "$s")
  if [ -n "$why" ]; then
    for r in "${rows[@]}"; do skip "${ROW_METRIC[$r]}" "$s" "$why"; done
    return 0
  fi
  if [ "$mode" = own ]; then
    say "== $s$(launch_tag): ${rows[*]}"
    for r in "${rows[@]}"; do "row_$r" "$s"; done
    return 0
  fi
  case $mode in
    shared | files) # jwebserver's launcher takes JVM options too, so every Java file server is profiled
      [ "$PROFILE" != 1 ] || native_server "$s" || extra=(-XX:StartFlightRecording=settings=profile) ;;
    tls) extra=(-- --tls "$KEYSTORE" changeit) ;;
  esac
  say "== $s$(launch_tag): ${rows[*]}"
  if ! start_server "$s" ${extra[@]+"${extra[@]}"}; then
    why=$(start_failure)
    for r in "${rows[@]}"; do skip "${ROW_METRIC[$r]}" "$s" "$why"; done
    return 0
  fi
  # nginx runs the plaintext row only, so its start and peak RSS would compare nothing
  [ "$mode" != shared ] || native_server "$s" || put startup_ms "$s" "$STARTUP_MS"
  for r in "${rows[@]}"; do
    if [ "$mode" = tls ]; then SCHEME=https "row_$r" "$s"; else "row_$r" "$s"; fi
  done
  case $mode in
    shared) native_server "$s" || put peak_rss "$s" "$(peak_rss_mib)" ;;
    files) put files_rss "$s" "$(peak_rss_mib)" ;;
  esac
  if [ "$PROFILE" = 1 ] && ! native_server "$s" && [ "$mode" != tls ]; then
    # dumped while the server runs: a recording written at exit is lost when the server ends with
    # Runtime.halt, as ladle-httpd's graceful stop does
    "$JAVA_HOME/bin/jcmd" "$SERVER_PID" JFR.dump filename="$work/$s-$LAUNCH.jfr" >/dev/null 2>&1 || true
  fi
  stop_server
  if [ "$PROFILE" = 1 ] && [ -f "$work/$s-$LAUNCH.jfr" ]; then
    "$JAVA" -cp "$CP" dev.ladle.bench.load.JfrTop "$work/$s-$LAUNCH.jfr" dev.ladle. 25 | tee "$work/$s-$LAUNCH-profile.txt" >&2
  fi
}

# run_group MODE: the warm-up launch of the group's first server (not recorded), then LAUNCHES rounds,
# odd rounds in the order of SERVERS and even ones reversed, so that no server always comes first
run_group() {
  local mode=$1 s servers=() order=() round i
  for s in $SERVERS; do [ -z "$(group_rows "$mode" "$s" 1)" ] || servers+=("$s"); done
  [ ${#servers[@]} -gt 0 ] || return 0
  LAUNCH=0
  launch "$mode" "${servers[0]}"
  for ((round = 1; round <= LAUNCHES; round++)); do
    LAUNCH=$round
    order=()
    if ((round % 2)); then order=("${servers[@]}"); else for ((i = ${#servers[@]} - 1; i >= 0; i--)); do order+=("${servers[i]}"); done; fi
    for s in "${order[@]}"; do launch "$mode" "$s"; done
  done
}
