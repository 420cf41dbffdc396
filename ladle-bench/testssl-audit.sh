#!/usr/bin/env bash
# Audits ladle-httpd's default TLS profile with testssl.sh, the tool operators point at their servers,
# and fails on what it finds. ladle-httpd runs here with a throwaway CA and server certificate on a
# free port, with no TLS option but the certificate and key.
#
#   ladle-bench/testssl-audit.sh              the testssl on the PATH (Debian: apt-get install testssl.sh)
#   TESTSSL=/opt/testssl.sh/testssl.sh ladle-bench/testssl-audit.sh
#   LADLE_HTTPD_JAR=ladle-httpd/target/ladle-httpd.jar JAVA=/usr/bin/java ladle-bench/testssl-audit.sh
#                                             that jar (TestsslAuditTest); otherwise ./ladle httpd builds it
#   TESTSSL_CHECKS="-p -P -S -U -f -s -E" ladle-bench/testssl-audit.sh    more checks (slower)
#   ladle-bench/testssl-audit.sh --judge FILE.json    only judge a testssl JSON file (the rules' tests)
#
# What testssl checks here ($TESTSSL_CHECKS, default "-p -P -S -U"): protocols and ALPN (-p); server
# preferences (-P): that the server orders the suites, and the complete list of suites per protocol
# (found with openssl, then with testssl's own sockets for the suites openssl lacks), which this script
# judges suite by suite for AEAD and forward secrecy; server defaults (-S): extensions, session tickets
# and ids, the certificate and its chain; every vulnerability check (-U: Heartbleed, CCS, Ticketbleed,
# ROBOT, secure and client-initiated renegotiation, CRIME, BREACH, POODLE, fallback SCSV, SWEET32, FREAK,
# DROWN, LOGJAM, BEAST, LUCKY13, RC4). Left out for time, each covered otherwise: -f (forward secrecy;
# it enumerates curves and FFDHE groups one handshake at a time, the costliest section, about a third
# of the run; the suites' forward secrecy is judged here from -P's list), -s and -E (cipher categories
# and the per-protocol list: -P's list covers both). Left out as not the TLS layer's: HTTP header checks
# (-h: HSTS and security headers belong to the application; --hsts is off by default) and client
# simulation (-c, informational). No DNS (--nodns none: 127.0.0.1 has no CAA record), and nothing
# leaves the machine: no OCSP, CRL or CT fetches (no --phone-out).
#
# Fails (exit 1, each finding on a line) on:
#   - any finding of severity CRITICAL, HIGH or MEDIUM: testssl's "NOT ok" and "VULNERABLE";
#   - any finding of severity LOW too: testssl files "potentially VULNERABLE" (LUCKY13) and "obsolete CBC
#     ciphers offered" under LOW, and a clean TLS 1.2/1.3 server has no other LOW finding here;
#   - any WARN: a check testssl could not carry out leaves the audit incomplete;
#   - any suite offered that is not AEAD (CBC, RC4, NULL) or has no forward secrecy (static RSA, DH or
#     ECDH key exchange, plain PSK), and a JSON without the list of suites (no cipherorder_* entry).
# Ignored, each for a reason that belongs to the throwaway certificate rather than to the server:
#   cert_revocation   the test CA publishes no CRL or OCSP responder, so its certificate names neither.
# The certificate is valid for 365 days (testssl flags less than 60 and more than 398) and its CA is
# given to testssl with --add-ca, so the chain of trust is checked, not waived.
#
# Exits 0 when clean, 1 on findings, 2 when ladle-httpd did not start or testssl gave no result, 3 when
# a tool is missing (testssl, jq, openssl). testssl's JSON, its text output and the server's log go to
# ladle-bench/results/testssl-<stamp>/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")

# finding ids ignored, with why; see the header
declare -A IGNORED=(
  [cert_revocation]="the throwaway test CA publishes no CRL or OCSP responder"
)

need() { # tool...: exits 3 naming the first one missing
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "testssl-audit.sh: $tool is needed (apt-get install $tool)" >&2; exit 3; }
  done
}

# judge JSON: prints the offered suites, what was ignored and every finding; returns 1 on a finding
judge() {
  local json=$1 ignored_ids suite iana id line
  local -a findings suites
  if ! jq -e 'type == "array" and any(.[]; .id == "scanTime")' "$json" >/dev/null 2>&1; then
    echo "testssl-audit.sh: $json is not a finished testssl JSON file (no scanTime)" >&2
    return 2
  fi
  ignored_ids=$(printf '%s\n' "${!IGNORED[@]}" | jq -R . | jq -s .)
  # "SEVERITY id: finding" for every finding of severity LOW or above and every WARN, but the ignored
  mapfile -t findings < <(jq -r --argjson ignored "$ignored_ids" '.[]
    | select(.severity | IN("CRITICAL", "HIGH", "MEDIUM", "LOW", "WARN"))
    | select(.id as $id | $ignored | all(. != $id))
    | "\(.severity) \(.id): \(.finding)"' "$json")
  # "protocol IANA-name" for every suite offered, from -P's cipher order per protocol (--mapping iana)
  mapfile -t suites < <(jq -r '.[] | select(.id | startswith("cipherorder_")) | (.id | ltrimstr("cipherorder_")) as $p
    | .finding | splits(" +") | select(. != "") | "\($p) \(.)"' "$json")
  for suite in "${suites[@]}"; do
    iana=${suite##* }
    case $iana in
      *_GCM_* | *_CCM | *_CCM_* | *_CHACHA20_POLY1305_*) ;;
      *) findings+=("SUITE $suite: not AEAD (CBC or worse)") ;;
    esac
    case $iana in
      TLS_ECDHE_* | TLS_DHE_*) ;;
      TLS_*_WITH_*) findings+=("SUITE $suite: no forward secrecy") ;;
      TLS_AES_* | TLS_CHACHA20_*) ;; # TLS 1.3: the key exchange is (EC)DHE; the suite does not name it
      *) findings+=("SUITE $suite: no forward secrecy") ;;
    esac
  done
  [ ${#suites[@]} -gt 0 ] || findings+=("SUITE none: no cipher order in the JSON, so no list of the suites offered (-P)")

  echo "offered suites:"
  [ ${#suites[@]} -eq 0 ] || printf '  %s\n' "${suites[@]}"
  for id in "${!IGNORED[@]}"; do
    line=$(jq -r --arg id "$id" '.[] | select(.id == $id) | "\(.severity) \(.id): \(.finding)"' "$json")
    [ -z "$line" ] || echo "ignored: $line (${IGNORED[$id]})"
  done
  if [ ${#findings[@]} -gt 0 ]; then
    echo "FAILED: ${#findings[@]} findings"
    printf '  %s\n' "${findings[@]}"
    return 1
  fi
  echo "clean: no finding of severity LOW or above, no CBC or non-forward-secret suite"
}

if [ "${1:-}" = --judge ]; then
  [ $# -eq 2 ] || { echo "usage: testssl-audit.sh [--judge FILE.json]" >&2; exit 2; }
  need jq
  status=0
  judge "$2" || status=$?
  exit $status
fi
[ $# -eq 0 ] || { echo "usage: testssl-audit.sh [--judge FILE.json]" >&2; exit 2; }

testssl=${TESTSSL:-$(command -v testssl || command -v testssl.sh || true)}
if [ -z "$testssl" ] || [ ! -x "$testssl" ]; then
  echo "testssl-audit.sh: no testssl found (set \$TESTSSL, or install it: apt-get install testssl.sh)" >&2
  exit 3
fi
need jq openssl

out="$here/results/testssl-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- a throwaway CA and server certificate -------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/CN=Ladle testssl audit CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/server.csr" 2>/dev/null
printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
  "subjectAltName=DNS:localhost,IP:127.0.0.1" > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -days 365 \
  -sha256 -extfile "$work/server.ext" -out "$work/server.pem" 2>/dev/null
cat "$work/server.pem" "$work/ca.pem" > "$work/chain.pem"
mkdir -p "$work/root"
printf 'testssl audit page\n' > "$work/root/index.html"

# ---- ladle-httpd with its default TLS profile ----------------------------------------------------
httpd=("$repo/ladle" httpd)
if [ -n "${LADLE_HTTPD_JAR:-}" ]; then
  httpd=("${JAVA:-java}" -jar "$LADLE_HTTPD_JAR")
fi
"${httpd[@]}" --root "$work/root" --bind 127.0.0.1 --port 0 --https-port 0 \
  --tls-cert "$work/chain.pem" --tls-key "$work/key.pem" > "$work/uris" 2> "$out/server.log" &
server_pid=$!
for _ in $(seq 1 600); do
  grep -q '^https://' "$work/uris" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$out/server.log" >&2; echo "testssl-audit.sh: ladle-httpd did not start" >&2; exit 2; }
  sleep 0.2
done
port=$(sed -n 's#^https://127.0.0.1:\([0-9]*\)/$#\1#p' "$work/uris" | head -n 1)
[ -n "$port" ] || { cat "$work/uris" "$out/server.log" >&2; echo "testssl-audit.sh: no https URI" >&2; exit 2; }

# ---- testssl -------------------------------------------------------------------------------------
echo "testssl $("$testssl" --version 2>/dev/null | sed -n 's/.*testssl *\([0-9][^ ]*\) from.*/\1/p' | head -n 1) against ladle-httpd on 127.0.0.1:$port (results in ${out#"$repo"/})"
# run_testssl JSON TXT: one testssl run, its JSON in JSON
run_testssl() {
  # testssl's exit code counts what it found, not whether it ran: its JSON is what is judged
  # shellcheck disable=SC2086 # $TESTSSL_CHECKS is a list of options
  "$testssl" --quiet --color 0 --warnings off --nodns none --add-ca "$work/ca.pem" \
    --connect-timeout 10 --openssl-timeout 10 --jsonfile "$1" \
    --mapping iana ${TESTSSL_CHECKS:--p -P -S -U} "127.0.0.1:$port" > "$2" 2>&1 || true
  if [ ! -s "$1" ]; then
    tail -n 20 "$2" >&2
    echo "testssl-audit.sh: testssl wrote no JSON" >&2
    exit 2
  fi
}

# connect_problems_only JSON: true when every WARN-or-worse finding is a check testssl could not carry
# out for a connect problem (a slow handshake on a loaded machine), the only finding worth a second run
connect_problems_only() {
  jq -e '[.[] | select(.severity | IN("CRITICAL", "HIGH", "MEDIUM", "LOW", "WARN"))
    | select(.id != "cert_revocation")] as $f
    | ($f | length) > 0 and ($f | all(.severity == "WARN" and (.finding | test("connect problem"))))' "$1" >/dev/null
}

started=$(date +%s)
run_testssl "$out/testssl.json" "$out/testssl.txt"
echo "testssl ran $(( $(date +%s) - started )) s"
if connect_problems_only "$out/testssl.json"; then
  echo "testssl could not connect for some checks; running it once more"
  run_testssl "$out/testssl-again.json" "$out/testssl-again.txt"
  status=0
  judge "$out/testssl-again.json" || status=$?
  exit $status
fi
status=0
judge "$out/testssl.json" || status=$?
exit $status
