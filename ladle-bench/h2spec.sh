#!/usr/bin/env bash
# Runs h2spec, the HTTP/2 conformance suite, against ladle-httpd: over h2c (prior knowledge) and over
# TLS (h2 through ALPN), each in normal and strict (-S) mode, and prints one line per run.
#
#   ladle-bench/h2spec.sh                 uses the h2spec on the PATH, or $H2SPEC
#   H2SPEC=/opt/h2spec ladle-bench/h2spec.sh
#
# h2spec is not packaged by Debian; ../shared/tools/build-h2spec.sh builds it offline from source
# (Debian's Go packages). JUnit reports go to ladle-bench/results/h2spec-<stamp>/. Exits 1 when any
# case failed, 2 when h2spec or a JDK is missing.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

h2spec=${H2SPEC:-$(command -v h2spec || true)}
if [ -z "$h2spec" ] || [ ! -x "$h2spec" ]; then
  echo "h2spec.sh: no h2spec found (set \$H2SPEC or put it on the PATH)." >&2
  echo "h2spec.sh: build it with: bash <steering repo>/shared/tools/build-h2spec.sh /usr/local/bin/h2spec" >&2
  exit 2
fi
command -v openssl >/dev/null || { echo "h2spec.sh: openssl is needed for the test certificate" >&2; exit 2; }

out="$here/results/h2spec-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# a file of more than 5 bytes: h2spec's negative-window case (6.9.2/2) needs a body that long
mkdir -p "$work/root"
printf 'h2spec conformance page\n' > "$work/root/index.html"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# ./ladle builds the jar when it is missing or stale, then runs it; the server prints its URIs when ready
"$repo/ladle" httpd --root "$work/root" --bind 127.0.0.1 --port 0 --https-port 0 \
  --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --echo /echo > "$work/uris" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 600); do
  [ "$(grep -c '://' "$work/uris" 2>/dev/null)" -ge 2 ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "h2spec.sh: ladle-httpd did not start" >&2; exit 2; }
  sleep 0.2
done
plain_port=$(sed -n 's#^http://127.0.0.1:\([0-9]*\)/$#\1#p' "$work/uris" | head -n 1)
tls_port=$(sed -n 's#^https://127.0.0.1:\([0-9]*\)/$#\1#p' "$work/uris" | head -n 1)
[ -n "$plain_port" ] && [ -n "$tls_port" ] || { cat "$work/uris" "$work/server.log" >&2; exit 2; }

status=0
run() { # name, h2spec args...
  local name=$1; shift
  local summary
  "$h2spec" -h 127.0.0.1 -o 5 -j "$out/$name.xml" "$@" > "$out/$name.txt" 2>&1 || true
  summary=$(grep -E '^[0-9]+ tests, [0-9]+ passed' "$out/$name.txt" | tail -n 1)
  printf '%-12s %s\n' "$name" "${summary:-no summary (see $out/$name.txt)}"
  if [ -z "$summary" ] || ! grep -qE ' 0 failed$' <<<"$summary"; then
    status=1
    grep -E '^\s+× ' "$out/$name.txt" | sed 's/^ */    /' || true
  fi
}
echo "h2spec $("$h2spec" --version 2>/dev/null || echo '?') against ladle-httpd (reports in ${out#$repo/})"
run h2c        -p "$plain_port"
run h2c-strict -p "$plain_port" -S
run tls        -p "$tls_port" -t -k
run tls-strict -p "$tls_port" -t -k -S
exit $status
