# shellcheck shell=bash
# run.sh's tools (the JDK search is ../scripts/jdk.sh): wrk, curl, taskset and h2load, installed from the system's packages when missing.
# Sourced by run.sh (not run on its own): it uses run.sh's settings and say/die.

need_tools() { # installs wrk (and curl) from the system's packages when missing, or says what is
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v taskset >/dev/null 2>&1 || missing+=(util-linux)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]}"
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "${missing[@]}" >/dev/null; } \
      || die "could not install ${missing[*]}"
  else
    die "missing ${missing[*]}: install them (for example: sudo apt-get install ${missing[*]})"
  fi
}

# h2load (Debian's nghttp2-client) for the HTTP/2 rows, installed like wrk; when it cannot be had
# those rows are skipped with this reason and the others still run
H2LOAD_MISSING=
need_h2load() {
  command -v h2load >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing nghttp2-client (h2load)"
    { apt-get install -y -qq nghttp2-client >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq nghttp2-client >/dev/null 2>&1; }; } || true
  fi
  command -v h2load >/dev/null 2>&1 && return 0
  H2LOAD_MISSING="h2load is missing: install the nghttp2-client package (for example: sudo apt-get install nghttp2-client)"
  say "run.sh: $H2LOAD_MISSING; the HTTP/2 load rows are skipped"
}

# nginx (Debian's nginx-light, else nginx) for the nginx rows, installed like h2load; RUNLEVEL=1 keeps
# the package from starting its own service on port 80. When it cannot be had, NGINX_MISSING says why
# and nginx's figures are skipped with that reason
NGINX= NGINX_MISSING=
need_nginx() {
  NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }) && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing nginx-light"
    local p
    for p in nginx-light nginx; do
      RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null 2>&1 && RUNLEVEL=1 DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null 2>&1; } \
        && break
    done
  fi
  NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }) && return 0
  NGINX_MISSING="nginx is missing: install the nginx-light package (for example: sudo apt-get install nginx-light)"
  say "run.sh: $NGINX_MISSING; nginx's figures are skipped"
}

# jwebserver comes with the JDK (since 18); JWEBSERVER_MISSING says so when this one has none
JWEBSERVER_MISSING=
need_jwebserver() {
  [ -x "$JAVA_HOME/bin/jwebserver" ] && return 0
  JWEBSERVER_MISSING="this JDK ($JAVA_HOME) has no bin/jwebserver"
  say "run.sh: $JWEBSERVER_MISSING; jwebserver's figures are skipped"
}
