# shellcheck shell=bash
# run.sh's results: figures declared with metric, rows registered with row, the figures each launch
# records. Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.
#
# A server is launched several times for the rows of one group (see run.sh's header); LAUNCH is the
# number of the launch in progress, 1 to LAUNCHES, or 0 during the warm-up launch, whose figures are
# said but not recorded. Every launch's figure is kept (RAW, written to the TSV); the table shows the
# median over the launches (table.sh).

declare -a METRICS=()
declare -A LABEL=() UNIT=() BETTER=()
declare -a ROW_ORDER=()
declare -A ROW_MODE=() ROW_SERVERS=() ROW_KIND=() ROW_METRIC=()
ROW_FIRST_METRIC=   # the first metric declared since the last row: the registered row's main figure
# VALUES[METRIC,SERVER]: the recorded figures, one per launch that measured it, space-separated
# RAW[METRIC,SERVER,LAUNCH], RAWNOTE[...]: each launch's figure and its footnote or reason for a skip
# SKIPPED[METRIC,SERVER,LAUNCH]: 1 when that launch has a reason instead of a figure
# LAST[METRIC,SERVER]: the launch that last recorded a figure (see got)
declare -A VALUES=() RAW=() RAWNOTE=() SKIPPED=() LAST=()
LAUNCH=0

# metric KEY "label" UNIT higher|lower: declares a figure (a line of the table); a label starting
# with a space is a sub-figure of the line above it
metric() { METRICS+=("$1"); LABEL[$1]=$2; UNIT[$1]=$3; BETTER[$1]=$4; ROW_FIRST_METRIC=${ROW_FIRST_METRIC:-$1}; }
# launch_metric KEY "label" UNIT higher|lower: declares a figure of a launch itself (its start, its
# peak RSS), not of a row
launch_metric() { metric "$@"; ROW_FIRST_METRIC=; }
# row NAME shared|tls|files|own [SERVERS]: registers row_NAME, for the given servers (default: $PEERS,
# the servers of dev.ladle.bench.Main); its main figure (where a launch that could not start the server
# says why) is the first metric declared since the previous row
row() {
  ROW_ORDER+=("$1"); ROW_MODE[$1]=$2; ROW_SERVERS[$1]=${3:-$PEERS}; ROW_KIND[$1]=speed
  ROW_METRIC[$1]=${ROW_FIRST_METRIC:-$1}; ROW_FIRST_METRIC=
}
# memory_row NAME: marks a registered row as measuring bytes rather than speed: it is launched
# MEMORY_LAUNCHES times instead of LAUNCHES, and not in the warm-up
memory_row() { ROW_KIND[$1]=memory; }

# launch_tag: how the log names the launch in progress
launch_tag() { if [ "$LAUNCH" = 0 ]; then echo " [warm-up]"; else echo " [launch $LAUNCH]"; fi; }

# put METRIC SERVER VALUE: records a figure of the launch in progress
put() {
  say "  $2$(launch_tag) ${LABEL[$1]# }: $3 ${UNIT[$1]}"
  LAST[$1,$2]=$LAUNCH
  [ "$LAUNCH" != 0 ] || return 0
  VALUES[$1,$2]+="${VALUES[$1,$2]:+ }$3"
  RAW[$1,$2,$LAUNCH]=$3
}
# skip METRIC SERVER "why": records why a figure of the launch in progress is missing
skip() {
  say "  $2$(launch_tag) ${LABEL[$1]# }: skipped ($3)"
  [ "$LAUNCH" != 0 ] || return 0
  RAWNOTE[$1,$2,$LAUNCH]=$3
  SKIPPED[$1,$2,$LAUNCH]=1
}
# note METRIC SERVER "what": a footnote to a figure of the launch in progress
note() {
  say "  $2$(launch_tag) ${LABEL[$1]# }: note: $3"
  [ "$LAUNCH" != 0 ] || return 0
  RAWNOTE[$1,$2,$LAUNCH]=$3
}
# got METRIC SERVER: true when the launch in progress recorded that figure (a row's later figures
# depend on its first)
got() { [ "${LAST[$1,$2]:-}" = "$LAUNCH" ]; }
