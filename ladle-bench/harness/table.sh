# shellcheck shell=bash
# run.sh's table: each figure's median over the launches, its spread, its ratio to the best peer; and
# the TSV of every launch's raw figure. Sourced by run.sh after the launches (results.sh records).

declare -A MEDIAN=() SPREAD=()

# stats FIGURE...: "median min max"; the median keeps as many decimals as the most precise figure
# (an even count takes the mean of the middle two)
stats() {
  printf '%s\n' "$@" | sort -g | awk '
    { v[NR] = $1; d = index($1, ".") ? length($1) - index($1, ".") : 0; if (d > dec) dec = d }
    END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
          printf "%s %s %s\n", sprintf("%." dec "f", m), v[1], v[NR] }'
}

# summarize: fills MEDIAN and SPREAD for every recorded figure. SPREAD is the launch farthest from the
# median, in percent of the median (empty for a single launch)
summarize() {
  local m s values med lo hi
  for m in "${METRICS[@]}"; do
    for s in $SERVERS; do
      values=${VALUES[$m,$s]:-}
      [ -n "$values" ] || continue
      # shellcheck disable=SC2086
      read -r med lo hi < <(stats $values)
      MEDIAN[$m,$s]=$med
      # shellcheck disable=SC2086
      set -- $values
      [ $# -gt 1 ] || continue
      SPREAD[$m,$s]=$(awk -v m="$med" -v lo="$lo" -v hi="$hi" 'BEGIN {
        d = (m - lo > hi - m) ? m - lo : hi - m; p = (m == 0) ? 0 : 100 * d / (m < 0 ? -m : m)
        printf (p >= 0.95 || p == 0) ? "%.0f" : "%.1f", p }')
    done
  done
}

# footnote METRIC SERVER: the notes and reasons for skips of every launch, one text when every launch
# that ran has the same one, else "launch N: ..." each
footnote() {
  local m=$1 s=$2 l text ran=0 noted=0 first= same=1 parts=()
  for ((l = 1; l <= LAUNCHES; l++)); do
    [ -n "${RAW[$m,$s,$l]:-}${SKIPPED[$m,$s,$l]:-}" ] && ran=$((ran + 1))
    text=${RAWNOTE[$m,$s,$l]:-}
    [ -n "$text" ] || continue
    [ -z "${SKIPPED[$m,$s,$l]:-}" ] || [ -z "${VALUES[$m,$s]:-}" ] || text="skipped: $text"
    noted=$((noted + 1))
    if [ -z "$first" ]; then first=$text; elif [ "$text" != "$first" ]; then same=0; fi
    parts+=("launch $l: $text")
  done
  [ "$noted" -gt 0 ] || return 0
  if [ "$same" = 1 ] && [ "$noted" = "$ran" ]; then echo "$first"; return 0; fi
  text=${parts[0]}
  for ((l = 1; l < ${#parts[@]}; l++)); do text+="; ${parts[l]}"; done
  echo "$text"
}

# ratio VALUE BEST higher|lower: how VALUE compares with BEST, above 1 meaning better
ratio() { awk -v v="$1" -v b="$2" -v d="$3" 'BEGIN { if (v <= 0 || b <= 0) { print "" } else if (d == "higher") printf "%.2f", v / b; else printf "%.2f", b / v }'; }

# fmt VALUE: thousands separated, for the table
fmt() { awk -v v="$1" 'BEGIN { if (v + 0 < 1000) { print v; exit } s = sprintf("%.0f", v); out = ""
  while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } print s out }'; }

# is_reference SERVER: a server compared with Ladle on a line of its own, not one of the peers
is_reference() { [[ " $REFERENCE_SERVERS " == *" $1 "* ]]; }

# best_peer METRIC: the best median in the line among the peers (Ladle and the references excluded)
best_peer() {
  local m=$1 s v best=
  for s in $SERVERS; do
    [ "$s" = ladle ] && continue
    is_reference "$s" && continue
    v=${MEDIAN[$m,$s]:-}
    [ -n "$v" ] || continue
    if [ -z "$best" ] || awk -v v="$v" -v b="$best" -v d="${BETTER[$m]}" 'BEGIN { exit !((d == "higher") ? v > b : v < b) }'; then best=$v; fi
  done
  echo "$best"
}

FOOTNOTES=()
# table_line METRIC: the line of one figure (median, spread, ratio and footnote mark per server)
table_line() {
  local m=$1 s v r cell text best line
  best=$(best_peer "$m")
  line="| ${LABEL[$m]/# /↳ } | ${UNIT[$m]} |"
  for s in $TABLE_SERVERS; do
    v=${MEDIAN[$m,$s]:-}
    cell=
    if [ -n "$v" ]; then
      cell=$(fmt "$v")
      [ -z "${SPREAD[$m,$s]:-}" ] || cell+=" ±${SPREAD[$m,$s]}%"
      r=
      [ -z "$best" ] || r=$(ratio "$v" "$best" "${BETTER[$m]}")
      [ -z "$r" ] || cell+=" (${r}×)"
    fi
    text=$(footnote "$m" "$s")
    if [ -n "$text" ]; then
      FOOTNOTES+=("[$(( ${#FOOTNOTES[@]} + 1 ))] $s, ${LABEL[$m]# }: $text")
      cell="${cell:-–} [${#FOOTNOTES[@]}]"
    fi
    line+=" ${cell:-–} |"
  done
  echo "$line"
}

# reference_lines METRIC: for a main figure, Ladle's median against each reference server's
reference_lines() {
  local m=$1 ref s r line
  [ -n "${MEDIAN[$m,ladle]:-}" ] || return 0
  for ref in $REFERENCE_SERVERS; do
    [ -n "${MEDIAN[$m,$ref]:-}" ] || continue
    r=$(ratio "${MEDIAN[$m,ladle]}" "${MEDIAN[$m,$ref]}" "${BETTER[$m]}")
    [ -n "$r" ] || continue
    line="| ↳ ladle against $ref | × |"
    for s in $TABLE_SERVERS; do if [ "$s" = ladle ]; then line+=" ${r}× |"; else line+=" |"; fi; done
    echo "$line"
  done
}

TABLE_SERVERS=   # the servers of SERVERS with at least one figure or footnote: the table's columns
table() {
  local m s any header="| Figure | Unit |" sep="| --- | --- |"
  summarize
  TABLE_SERVERS=
  for s in $SERVERS; do
    for m in "${METRICS[@]}"; do
      if [ -n "${VALUES[$m,$s]:-}$(footnote "$m" "$s")" ]; then TABLE_SERVERS+="${TABLE_SERVERS:+ }$s"; break; fi
    done
  done
  for s in $TABLE_SERVERS; do header+=" $s |"; sep+=" ---: |"; done
  echo "$header"; echo "$sep"
  FOOTNOTES=()
  local main=   # the main figure above, whose reference lines follow its sub-figures
  for m in "${METRICS[@]}"; do
    any=0
    for s in $TABLE_SERVERS; do [ -n "${VALUES[$m,$s]:-}$(footnote "$m" "$s")" ] && any=1 && break; done
    [ $any = 1 ] || continue
    if [ "${LABEL[$m]:0:1}" != " " ]; then
      [ -z "$main" ] || reference_lines "$main"
      main=$m
    fi
    table_line "$m" >"$work/table-line"   # in this shell, so that FOOTNOTES keeps what it adds
    cat "$work/table-line"
  done
  [ -z "$main" ] || reference_lines "$main"
  rm -f "$work/table-line"
  echo
  echo "Each figure is the median over the launches that measured it (LAUNCHES=$LAUNCHES per server, $MEMORY_LAUNCHES for the memory rows), ±N% the launch farthest from that median in percent of it; every launch's figure is in the TSV."
  local excluded=Ladle references= present=
  for s in $REFERENCE_SERVERS; do [[ " $TABLE_SERVERS " != *" $s "* ]] || present+="${present:+, }$s"; done
  if [ -n "$present" ]; then
    excluded+=" and $present"
    references=" A line \"ladle against X\" compares Ladle's median with that of X, a reference server, the same way."
  fi
  echo "Ratio: the median against the best peer's median ($excluded excluded) in its line; above 1.00× is better than that peer, whichever way the unit runs.$references"
  if [ ${#FOOTNOTES[@]} -gt 0 ]; then
    echo
    local f; for f in "${FOOTNOTES[@]}"; do echo "- $f"; done
  fi
}

# raw_tsv: every launch's figure (or the reason it is missing), one line per metric, server and launch
raw_tsv() {
  local m s l
  printf 'metric\tserver\tlaunch\tvalue\tnote\n'
  for m in "${METRICS[@]}"; do for s in $SERVERS; do for ((l = 1; l <= LAUNCHES; l++)); do
    [ -n "${RAW[$m,$s,$l]:-}${RAWNOTE[$m,$s,$l]:-}" ] || continue
    printf '%s\t%s\t%s\t%s\t%s\n' "$m" "$s" "$l" "${RAW[$m,$s,$l]:-}" "${RAWNOTE[$m,$s,$l]:-}"
  done; done; done
}
