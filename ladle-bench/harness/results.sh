# shellcheck shell=bash
# run.sh's results: figures declared with metric, rows registered with row, the figures recorded, the table.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

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

