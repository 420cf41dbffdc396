#!/usr/bin/env bash
# Checks that the build is reproducible: builds everything Ladle publishes twice, each time from clean
# (./ladle mvn -Prelease -DskipTests clean verify for ladle-release and the modules it needs, unsigned),
# keeps each build's Maven Central bundle in a directory of its own, and compares every file in the two
# (poms, jars, sources and Javadoc jars, checksums) byte for byte by SHA-256. Prints the files that
# differ and exits 1 if any do. Takes a few minutes: two full builds with Javadoc, no tests.
#   scripts/check-reproducible.sh [MAVEN_ARGS...]     e.g. -o to stay offline
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ladle-reproducible.XXXXXX")

build() { # build N [MAVEN_ARGS...]: a clean build; its bundle unpacked into $work/N
  local n=$1; shift
  echo "check-reproducible: build $n (log: $work/build-$n.log)"
  if ! "$root/ladle" mvn -B -ntp -Dstyle.color=never -Prelease -DskipTests -Dgpg.skip=true \
      -pl ladle-release -am clean verify "$@" > "$work/build-$n.log" 2>&1; then
    tail -n 40 "$work/build-$n.log" >&2
    echo "check-reproducible: build $n failed" >&2
    exit 2
  fi
  local bundle
  bundle=$(find "$root/target" -maxdepth 1 -name 'ladle-*-central-bundle.zip')
  mkdir "$work/$n"
  cp "$bundle" "$work/$n/"
  (cd "$work/$n" && unzip -q ./*.zip && find . -type f | LC_ALL=C sort | xargs sha256sum) > "$work/$n.sha256"
}

build 1 "$@"
build 2 "$@"

if diff -q "$work/1.sha256" "$work/2.sha256" >/dev/null; then
  echo "check-reproducible: reproducible: all $(wc -l < "$work/1.sha256") files the same in both builds (bundle zip included)"
  exit 0
fi
echo "check-reproducible: NOT reproducible; these differ between the builds (kept in $work/1 and $work/2):"
join -j 2 -a 1 -a 2 -e missing -o 0,1.1,2.1 <(sort -k2 "$work/1.sha256") <(sort -k2 "$work/2.sha256") \
  | awk '$2 != $3 { print "  " $1 }'
exit 1
