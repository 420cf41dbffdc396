# shellcheck shell=bash
# Finding a JDK 21 or newer: the one search ./ladle and ladle-bench's run.sh, soak.sh and mock-cycles.sh
# source, so that they all pick the same JDK.

java_major() { # the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

pick_jdk() { # prints the first of $JAVA_HOME, the javac on PATH, /usr/lib/jvm/*... that is a JDK >= 21
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v javac >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk*; do [ -d "$c" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then echo "$c"; return 0; fi
  done
  return 1
}
