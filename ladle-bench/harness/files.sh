# shellcheck shell=bash
# run.sh's file servers: the directory they serve, nginx's configuration, and the static-file rows
# (ladle-httpd against nginx with one worker and the JDK's jwebserver). Sourced by run.sh.

WWW="$work/www"
NGINX_DIR="$work/nginx"
HTTPD_JAR="$repo/ladle-httpd/target/ladle-httpd.jar"
FILE_SERVERS="ladle nginx jwebserver"

# make_www: the served directory: plaintext (the 13 bytes of /plaintext, so that every server answers
# the readiness check and IdleConnections' request), 1k.bin and 100k.bin, and when a row needs it
# 1g.bin; random bytes, so that nothing can be compressed or skipped
make_www() {
  mkdir -p "$WWW"
  printf 'Hello, World!' >"$WWW/plaintext"
  head -c 1024 /dev/urandom >"$WWW/1k.bin"
  head -c 102400 /dev/urandom >"$WWW/100k.bin"
  if selected static1g && [ ! -f "$WWW/1g.bin" ]; then
    say "writing a 1 GiB file to serve ($WWW/1g.bin, removed at the end)"
    head -c $((1 << 30)) /dev/urandom >"$WWW/1g.bin"
  fi
}

# nginx_config: one worker, sendfile, no access log, keep-alive connections never closed by count or
# by a timeout within a run; /plaintext answered from the configuration, everything else from $WWW;
# every path nginx writes kept in $NGINX_DIR
nginx_config() {
  local limit; limit=$(ulimit -n)
  mkdir -p "$NGINX_DIR/tmp"
  cat >"$NGINX_DIR/nginx.conf" <<EOF
# written by ladle-bench/run.sh
user $(id -un) $(id -gn);
worker_processes 1;
daemon off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log warn;
worker_rlimit_nofile $limit;
events { worker_connections $((limit - 100)); }
http {
  access_log off;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 600s;
  keepalive_requests 100000000;
  default_type application/octet-stream;
  client_body_temp_path $NGINX_DIR/tmp/body;
  proxy_temp_path $NGINX_DIR/tmp/proxy;
  fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
  uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
  scgi_temp_path $NGINX_DIR/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $WWW;
    location = /plaintext {
      default_type text/plain;
      return 200 "Hello, World!";
    }
  }
}
EOF
}

# served_size PATH: the bytes of the body the running server sends for PATH (with its status), so that
# a row measures what it names
served_size() { curl -s -o /dev/null -w '%{http_code} %{size_download}' --max-time 60 "$(url "$1")" 2>/dev/null || true; }

# file_row METRIC SERVER PATH SIZE: wrk keep-alive GETs of one file, once the server sent it whole
file_row() {
  local m=$1 s=$2 path=$3 size=$4 got
  got=$(served_size "$path")
  if [ "$got" != "200 $size" ]; then skip "$m" "$s" "GET $path got ${got:-no answer} (status, bytes), not 200 $size"; return 0; fi
  # the longer warm-up: see FILE_WARMUP in run.sh
  WARMUP=$((WARMUP > FILE_WARMUP ? WARMUP : FILE_WARMUP)) wrk_row "$m" "$s" -c"$CONNECTIONS" \
    -s "$LUA/report.lua" "$(url "$path")"
}

metric static1k "Static file 1 KiB, keep-alive ($CONNECTIONS conns)" req/s higher
row static1k files "$FILE_SERVERS"
row_static1k() { file_row static1k "$1" /1k.bin 1024; }

metric static100k "Static file 100 KiB, keep-alive ($CONNECTIONS conns)" req/s higher
row static100k files "$FILE_SERVERS"
row_static100k() { file_row static100k "$1" /100k.bin 102400; }

metric static1g "Static file 1 GiB, one curl download" MB/s higher
metric static1g_cpu " server CPU for the download" s lower
row static1g files "$FILE_SERVERS"
row_static1g() { # a warm-up download, then one measured with the server's CPU time around it
  local s=$1 out code size speed cpu0 cpu1
  [ "$WARMUP" = 0 ] || client curl -s -o /dev/null --max-time 300 "$(url /1g.bin)" || true
  cpu0=$(server_cpu_ticks)
  out=$(client curl -s -o /dev/null --max-time 600 -w '%{http_code} %{size_download} %{speed_download}' "$(url /1g.bin)") || true
  cpu1=$(server_cpu_ticks)
  read -r code size speed <<<"$out" || true
  if [ "${code:-}" != 200 ] || [ "${size:-}" != $((1 << 30)) ]; then
    skip static1g "$s" "curl got ${code:-no answer} and ${size:-0} of $((1 << 30)) bytes"
    return 0
  fi
  put static1g "$s" "$(awk -v b="$speed" 'BEGIN { printf "%.0f", b / 1e6 }')"
  put static1g_cpu "$s" "$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')"
}

launch_metric files_rss "Peak RSS (file rows; nginx: master and worker)" MiB lower
