#!/usr/bin/env bash
# ladle-junit's per-cycle time against MockWebServer 5 and WireMock 3, in one JVM: each cycle starts a
# mock server, stubs GET /hello, sends one request (the JDK HttpClient) and stops the server
# (dev.ladle.bench.mocks.MockServerCycles), over HTTP and HTTPS; and the number of jars each library brings.
#
#   ladle-bench/mock-cycles.sh                                   5 rounds of 100 cycles after 3 warm-up rounds
#   ROUNDS=3 SCHEMES=http ladle-bench/mock-cycles.sh
#   PROFILE=1 LIBRARIES=ladle-junit SCHEMES=http ladle-bench/mock-cycles.sh   also JFR, summarised by JfrTop
#
# The report (a Markdown table) is printed and written to ladle-bench/results/mock-cycles-STAMP.md, with
# each library's runtime jars (Maven's dependency:list) beside it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

CYCLES=${CYCLES:-100}
ROUNDS=${ROUNDS:-5}
WARMUP=${WARMUP:-3}
LIBRARIES=${LIBRARIES:-ladle-junit,mockwebserver,wiremock}
SCHEMES=${SCHEMES:-http,https}
JAVA_OPTS=${JAVA_OPTS:-"-Xmx1g"}
PROFILE=${PROFILE:-0}
BUILD=${BUILD:-1}

results="$here/results"
stamp=$(date -u +%Y%m%d-%H%M%S)
work="$results/mock-cycles-$stamp"
mkdir -p "$work"

say() { printf '%s\n' "$*" >&2; }
die() { say "mock-cycles.sh: $*"; exit 1; }

# shellcheck source=../scripts/jdk.sh
. "$here/../scripts/jdk.sh"

JAVA_HOME=$(pick_jdk) || die "no JDK 21 or newer found (set JAVA_HOME)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

if [ "$BUILD" = 1 ]; then
  say "building ladle-bench (mvn package, tests skipped) and listing ladle-junit's runtime jars"
  "$repo/ladle" mvn -B -q -ntp -DskipTests -pl ladle-bench -am package "$DEPENDENCY_PLUGIN:list" \
    -DincludeScope=runtime -DoutputFile=target/runtime-jars.txt >&2 || die "build failed"
fi
CP="$here/target/classes:$here/target/lib/*"
[ -d "$here/target/lib" ] || die "no $here/target/lib: build with BUILD=1"

# ---- jars ----------------------------------------------------------------------------------------
# A library's jars: its own and those of its runtime dependency closure, as a test class path gets them
# from Maven. WireMock's are those of org.wiremock:wiremock, the artifact users add (the benchmark's
# class path has the shaded wiremock-standalone instead, see the pom).

jar_lines() { grep -E '^ +[^ :]+:[^ :]+:jar:' "$1" || true; }

version() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$here/pom.xml" | head -n 1; }

# closure GROUP ARTIFACT VERSION NAME: lists the artifact's runtime closure into $work/NAME-jars.txt
closure() {
  local dir="$work/$4-pom"
  mkdir -p "$dir"
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.mock-cycles</groupId><artifactId>$4-jars</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>$1</groupId><artifactId>$2</artifactId><version>$3</version></dependency></dependencies>
</project>
POM
  "$repo/ladle" mvn -B -q -ntp -f "$dir/pom.xml" "$DEPENDENCY_PLUGIN:list" -DincludeScope=runtime \
    -DoutputFile="$work/$4-jars.txt" >&2 || { say "could not resolve $1:$2:$3"; return 1; }
  jar_lines "$work/$4-jars.txt" | wc -l
}

jars=()
if [ -f "$repo/ladle-junit/target/runtime-jars.txt" ]; then
  cp "$repo/ladle-junit/target/runtime-jars.txt" "$work/ladle-junit-jars.txt"
  # its dependencies, and itself
  jars+=("ladle-junit=$(( $(jar_lines "$work/ladle-junit-jars.txt" | wc -l) + 1 ))")
fi
n=$(closure com.squareup.okhttp3 mockwebserver3 "$(version mockwebserver.version)" mockwebserver) && jars+=("mockwebserver=$n")
n=$(closure org.wiremock wiremock "$(version wiremock.version)" wiremock) && jars+=("wiremock=$n")

# ---- the run -------------------------------------------------------------------------------------

prof=()
[ "$PROFILE" = 1 ] && prof=(-XX:StartFlightRecording=filename="$work/mock-cycles.jfr",settings=profile)
report="$results/mock-cycles-$stamp.md"
say "running: $CYCLES cycles × $ROUNDS rounds after $WARMUP warm-up rounds; libraries $LIBRARIES; schemes $SCHEMES; load average $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS "${prof[@]}" -cp "$CP" dev.ladle.bench.mocks.MockServerCycles --cycles "$CYCLES" --rounds "$ROUNDS" \
  --warmup "$WARMUP" --libraries "$LIBRARIES" --schemes "$SCHEMES" --jars "$(IFS=,; echo "${jars[*]}")" \
  2> >(tee "$work/progress.txt" >&2) | tee "$report.tmp"
{
  echo "## Mock server cycles $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs; JVM options \`$JAVA_OPTS\`."
  cat "$report.tmp"
  echo
  echo "Jars: each library's runtime closure as Maven resolves it (lists in $work/)."
} >"$report"
rm -f "$report.tmp"
if [ "$PROFILE" = 1 ] && [ -f "$work/mock-cycles.jfr" ]; then
  "$JAVA" -cp "$CP" dev.ladle.bench.load.JfrTop "$work/mock-cycles.jfr" dev.ladle. 30 | tee "$work/profile.txt" >&2
fi
say "written: $report (jar lists and progress: $work/)"
