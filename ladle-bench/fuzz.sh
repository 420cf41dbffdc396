#!/usr/bin/env bash
# Fuzzes Ladle's parsers with Jazzer (coverage-guided, libFuzzer's engine), one target at a time.
#   ladle-bench/fuzz.sh                      list the targets
#   ladle-bench/fuzz.sh TARGET [SECONDS]     fuzz one target (Class#method or just the method), 600 s by default
#   ladle-bench/fuzz.sh all [SECONDS]        fuzz every target in turn, SECONDS each
# A finding fails the run and is written as a regression input to
# ladle-server/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, which `./ladle test`
# replays from then on: fix the bug, keep the file. The corpus the fuzzer grows is kept (not
# committed) in ladle-server/.cifuzz-corpus/ and seeds the next run. Each run's log, with libFuzzer's
# statistics (executions, coverage, corpus), is written to ladle-server/target/fuzz-logs/.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tests="$repo/ladle-server/src/test/java"

# every @FuzzTest method as Class#method
targets() {
  grep -rl '@FuzzTest' "$tests" | sort | while read -r file; do
    class=$(basename "$file" .java)
    awk -v c="$class" '/@FuzzTest/ {want=1; next} want && match($0, /void [a-zA-Z0-9_]+\(/) {
      m=substr($0, RSTART+5, RLENGTH-6); print c "#" m; want=0 }' "$file"
  done
}

if [ $# -eq 0 ]; then
  echo "usage: $0 TARGET|all [SECONDS]   (TARGET is Class#method or a method name)"; echo "targets:"
  targets | sed 's/^/  /'
  exit 0
fi
seconds=${2:-600}
case "$seconds" in (*[!0-9]*|'') echo "fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2;; esac
if [ "$1" = all ]; then
  selected=$(targets)
else
  selected=$(targets | grep -E "(^|#)$1\$" || true)
  [ -n "$selected" ] || { echo "fuzz.sh: no fuzz target '$1'; run $0 for the list" >&2; exit 2; }
fi

mkdir -p "$repo/ladle-server/target/fuzz-logs"
cd "$repo"
status=0
for target in $selected; do
  log="$repo/ladle-server/target/fuzz-logs/${target/\#/.}.log"
  echo "fuzz.sh: $target for $seconds s (log: ${log#"$repo"/})"
  # JAZZER_FUZZ turns the @FuzzTest from a corpus replay into a fuzzing run; -max_total_time bounds it.
  # JUnit's own per-invocation timeout (the replay's hang check) is off: Jazzer gives libFuzzer the same
  # bound per input instead (-timeout).
  if JAZZER_FUZZ=1 ./ladle mvn -o -q -pl ladle-server test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djunit.jupiter.execution.timeout.mode=disabled -Dfuzz.hooks=true \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" >"$log.maven" 2>&1; then
    result=ok
  else
    result=FAILED; status=1
  fi
  out="$repo/ladle-server/target/surefire-reports/dev.ladle.$(grep -rl "class ${target%%#*} " "$tests" | sed "s|$tests/dev/ladle/||; s|/|.|g; s|\.java$||")-output.txt"
  [ -f "$out" ] && cp "$out" "$log"
  # libFuzzer writes its statistics to the JVM's standard error, which Maven passes on
  summary=$(grep -ahE '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log.maven" "$log" 2>/dev/null | tail -1 || true)
  echo "fuzz.sh: $target: $result ${summary:-(no libFuzzer summary; see $log and $log.maven)}"
  if [ $result = FAILED ]; then
    grep -aE 'DEDUP_TOKEN|== Java Exception|crash-[0-9a-f]+' "$log" 2>/dev/null | head -5 || true
  fi
done
exit $status
