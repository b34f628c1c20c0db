#!/usr/bin/env bash
# Load benchmark: stadtradar vs. nginx serving the very same response bytes.
# See bench/README.md. Loopback only (127.0.0.1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MEASURES="${BENCH_MEASURES:-2000}"
UPDATES="${BENCH_UPDATES:-20000}"
SECONDS_RUN="${BENCH_SECONDS:-10}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-2}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-64}"
PORT="${BENCH_PORT:-18080}"
NGINX_PORT="${BENCH_NGINX_PORT:-18081}"
# What the load generator asks for: gzip (what every browser sends) or identity.
ENCODING="${BENCH_ENCODING:-gzip}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="${BENCH_BIN:-$TARGET_DIR/release/stadtradar}"
OUT_DIR="$ROOT/bench/out"
OURS="http://127.0.0.1:$PORT"
NGX="http://127.0.0.1:$NGINX_PORT"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

for tool in curl wrk nginx awk; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (apt-get install -y wrk nginx-light curl)"
done

# --- temp dir + cleanup -------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/stadtradar-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -s "$TMP/nginx.pid" ]]; then
    local npid
    npid="$(cat "$TMP/nginx.pid")"
    kill -QUIT "$npid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$npid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$npid" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -s "$TMP/server.log" ]]; then
    log "server log (last 30 lines):"
    tail -n 30 "$TMP/server.log" >&2 || true
  fi
  if [[ "${BENCH_KEEP_TMP:-0}" == 1 || $rc -ne 0 ]]; then
    log "temp dir kept: $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" ; }
port_busy "$PORT" && die "something already listens on 127.0.0.1:$PORT"
port_busy "$NGINX_PORT" && die "something already listens on 127.0.0.1:$NGINX_PORT"

# --- 1. build ----------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "cargo build --release -p stadtradar"
  cargo build --release -p stadtradar >&2
fi
[[ -x "$BIN" ]] || die "binary not found: $BIN (build it or set BENCH_BIN)"

# --- 2. data set -------------------------------------------------------------
DB="$TMP/bench.db"
DB_URL="sqlite://$DB"
export STADTRADAR_LOG="${STADTRADAR_LOG:-warn}"
log "generating data set: $MEASURES measures, $UPDATES updates"
t0=$(date +%s)
"$BIN" --database-url "$DB_URL" demo-data --measures "$MEASURES" --updates "$UPDATES" \
  >"$TMP/demo-data.log" 2>&1 || { cat "$TMP/demo-data.log" >&2; die "demo-data failed"; }
log "data set ready in $(( $(date +%s) - t0 ))s ($(du -h "$DB" | cut -f1))"

# --- 3. server ---------------------------------------------------------------
log "starting stadtradar on $OURS"
"$BIN" --database-url "$DB_URL" --addr "127.0.0.1:$PORT" serve --no-demo >"$TMP/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 300); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "server exited during start-up"
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$OURS/healthz" || true)" == 200 ]]; then
    break
  fi
  [[ $i -eq 300 ]] && die "server did not answer /healthz with 200 within 30s"
  sleep 0.1
done
log "server up (pid $SERVER_PID)"

# --- 4. pages: fetch once, mirror into nginx -----------------------------------
mkdir -p "$TMP/www"
chmod 755 "$TMP" "$TMP/www"

slug="$(curl -sS --max-time 30 "$OURS/massnahmen" | grep -oE '/massnahmen/[a-z0-9-]+"' | sed -n '1p' | tr -d '"' || true)"
[[ -n "$slug" ]] || die "no measure link (/massnahmen/<slug>) found on /massnahmen"

NAMES=(radar home list-filter measure api-list search)
PATHS=("/radar" "/" "/massnahmen?status=in_progress" "$slug" "/api/v1/measures?status=done&per_page=50" "/massnahmen?q=Schulen")
FILES=()
CTYPES=()
for i in "${!PATHS[@]}"; do
  n=$((i + 1))
  case "${NAMES[$i]}" in api-*) f="p$n.json" ;; *) f="p$n.html" ;; esac
  meta="$(curl -sS --max-time 30 -H "Accept-Encoding: $ENCODING" -o "$TMP/www/$f" -w '%{http_code} %{content_type}' "$OURS${PATHS[$i]}")" \
    || die "fetching ${PATHS[$i]} failed"
  code="${meta%% *}"
  ctype="${meta#* }"
  [[ "$code" == 200 ]] || die "GET ${PATHS[$i]} returned HTTP $code (expected 200)"
  [[ -s "$TMP/www/$f" ]] || die "GET ${PATHS[$i]} returned an empty body"
  if [[ -z "$ctype" || "$ctype" == "$meta" ]]; then
    case "$f" in *.json) ctype="application/json" ;; *) ctype="text/html" ;; esac
  fi
  chmod 644 "$TMP/www/$f"
  FILES+=("$f")
  CTYPES+=("$ctype")
  log "page ${NAMES[$i]}: ${PATHS[$i]} -> $f ($(wc -c <"$TMP/www/$f") bytes, $ctype)"
done

# The radar must show every measure of the data set, with no two dots overlapping.
mkdir -p "$OUT_DIR/raw"
curl -sS --max-time 60 -o "$TMP/radar-plain.html" "$OURS/radar" || die "fetching /radar failed"
python3 "$ROOT/bench/check_radar.py" "$TMP/radar-plain.html" "$MEASURES" | tee "$OUT_DIR/radar-check.txt" || die "radar check failed"

{
  if [[ $EUID -eq 0 ]]; then echo "user nobody nogroup;"; fi
  cat <<EOF
worker_processes auto;
daemon on;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    gzip off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server_tokens off;
    client_body_temp_path $TMP/ngx-body;
    proxy_temp_path $TMP/ngx-proxy;
    fastcgi_temp_path $TMP/ngx-fastcgi;
    uwsgi_temp_path $TMP/ngx-uwsgi;
    scgi_temp_path $TMP/ngx-scgi;
    types { }
    default_type text/html;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $TMP/www;
EOF
  for i in "${!FILES[@]}"; do
    if [[ "$ENCODING" == gzip ]]; then
      printf '        location = /%s { default_type "%s"; add_header Content-Encoding gzip; add_header Vary "Accept-Encoding"; }\n' "${FILES[$i]}" "${CTYPES[$i]}"
    else
      printf '        location = /%s { default_type "%s"; }\n' "${FILES[$i]}" "${CTYPES[$i]}"
    fi
  done
  cat <<EOF
    }
}
EOF
} >"$TMP/nginx.conf"

log "starting nginx on $NGX"
nginx -e "$TMP/nginx-error.log" -p "$TMP/" -c "$TMP/nginx.conf" \
  || { cat "$TMP/nginx-error.log" >&2 2>/dev/null; die "nginx failed to start"; }
for i in $(seq 1 50); do
  [[ -s "$TMP/nginx.pid" ]] && curl -s -o /dev/null --max-time 1 "$NGX/${FILES[0]}" && break
  [[ $i -eq 50 ]] && die "nginx did not come up"
  sleep 0.1
done
for f in "${FILES[@]}"; do
  curl -sS -o "$TMP/check.bin" "$NGX/$f" || die "nginx: GET /$f failed"
  cmp -s "$TMP/check.bin" "$TMP/www/$f" || die "nginx serves different bytes for /$f"
done

# --- 5. wrk ------------------------------------------------------------------
# to_ms VALUE  (wrk prints e.g. 512.00us, 1.23ms, 1.02s, 1.50m)
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (match(v, /^[0-9.]+/) == 0) { print "n/a"; exit }
    num = substr(v, 1, RLENGTH) + 0; unit = substr(v, RLENGTH + 1)
    if (unit == "us") f = 0.001; else if (unit == "ms") f = 1; else if (unit == "s") f = 1000;
    else if (unit == "m") f = 60000; else if (unit == "h") f = 3600000; else { print "n/a"; exit }
    printf "%.2f", num * f }'
}
# parse_wrk FILE -> "rps p50ms p99ms errors"
parse_wrk() {
  local file=$1 rps p50 p99 errs
  rps="$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$file")"
  p50="$(awk '$1 == "50%" { print $2 }' "$file")"
  p99="$(awk '$1 == "99%" { print $2 }' "$file")"
  errs="$(awk '/Non-2xx or 3xx responses:/ { n += $NF }
               /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 }
               END { print n + 0 }' "$file")"
  echo "${rps:-n/a} $(to_ms "${p50:-x}") $(to_ms "${p99:-x}") $errs"
}

mkdir -p "$OUT_DIR/raw"
run_wrk() { # URL OUTFILE
  wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP_SECONDS}s" -H "Accept-Encoding: $ENCODING" "$1" >/dev/null
  wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_RUN}s" -H "Accept-Encoding: $ENCODING" --latency "$1" >"$2"
}

ROWS=()
WARNINGS=()
for i in "${!PATHS[@]}"; do
  name="${NAMES[$i]}"
  log "wrk $name: ours ${PATHS[$i]}"
  run_wrk "$OURS${PATHS[$i]}" "$OUT_DIR/raw/$name-ours.txt"
  log "wrk $name: nginx /${FILES[$i]}"
  run_wrk "$NGX/${FILES[$i]}" "$OUT_DIR/raw/$name-nginx.txt"
  read -r o_rps o_p50 o_p99 o_err <<<"$(parse_wrk "$OUT_DIR/raw/$name-ours.txt")"
  read -r n_rps _n_p50 n_p99 n_err <<<"$(parse_wrk "$OUT_DIR/raw/$name-nginx.txt")"
  ratio="$(awk -v a="$o_rps" -v b="$n_rps" 'BEGIN { if (b + 0 > 0 && a ~ /^[0-9]/) printf "%.0f%%", 100 * a / b; else print "n/a" }')"
  [[ "$o_err" != 0 ]] && WARNINGS+=("$name: ours had $o_err non-2xx/socket errors (see bench/out/raw/$name-ours.txt)")
  [[ "$n_err" != 0 ]] && WARNINGS+=("$name: nginx had $n_err non-2xx/socket errors (see bench/out/raw/$name-nginx.txt)")
  kill -0 "$SERVER_PID" 2>/dev/null || die "stadtradar died during the $name run (see server log)"
  ROWS+=("| \`${PATHS[$i]}\` | $(wc -c <"$TMP/www/${FILES[$i]}") | $o_rps | $o_p50 | $o_p99 | $n_rps | $n_p99 | $ratio |")
done

# --- 5b. writes ---------------------------------------------------------------
# An editor in the back office: sign in as a fresh admin (the one-time link from `user add`),
# then save the strategy form under load (-c WRITE_CONNS: a city's editors, not a crowd).
WRITE_CONNS="${BENCH_WRITE_CONNECTIONS:-8}"
log "writes: creating an editor and signing in"
link="$("$BIN" --database-url "$DB_URL" user add --email bench@musterstadt.example --name Bench --role admin 2>/dev/null | tail -n 1)"
token="${link##*token=}"
[[ -n "$token" && "$token" != "$link" ]] || die "user add printed no link"
pw="Lasttest+am+Rathausplatz+Musterstadt+42"
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Origin: $OURS" --data "token=$token&password=$pw&password2=$pw" "$OURS/konto/passwort-setzen")"
[[ "$code" == 303 ]] || die "setting the bench password answered HTTP $code"
cookie="$(curl -sS -o /dev/null -D - -H "Origin: $OURS" --data "email=bench%40musterstadt.example&password=$pw" "$OURS/anmelden" \
  | awk 'tolower($1) == "set-cookie:" && !found { split($2, c, ";"); print c[1]; found = 1 }')"
[[ -n "$cookie" ]] || die "login gave no session cookie"
curl -sS -H "Cookie: $cookie" -o "$TMP/strategy-form.html" "$OURS/admin/strategie"
csrf="$(grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' "$TMP/strategy-form.html" | sed 's/.*value="//; s/"$//' || true)"
[[ -n "$csrf" ]] || die "no CSRF token on /admin/strategie"
export BENCH_COOKIE="$cookie" BENCH_ORIGIN="$OURS"
export BENCH_FORM="csrf=$csrf&title=Digitalisierungsstrategie+Beispielstadt&city=Beispielstadt&target_year=2030&vision=Eine+Stadt%2C+die+digitale+Angebote+f%C3%BCr+alle+bereith%C3%A4lt."
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" -H "Origin: $OURS" --data "$BENCH_FORM" "$OURS/admin/strategie")"
[[ "$code" == 200 ]] || die "saving the strategy answered HTTP $code"
log "wrk write: POST /admin/strategie (-c$WRITE_CONNS)"
wrk -t"$THREADS" -c"$WRITE_CONNS" -d"${SECONDS_RUN}s" --latency -s "$ROOT/bench/save_strategy.lua" "$OURS/admin/strategie" >"$OUT_DIR/raw/write-strategy.txt"
read -r w_rps w_p50 w_p99 w_err <<<"$(parse_wrk "$OUT_DIR/raw/write-strategy.txt")"
[[ "$w_err" != 0 ]] && WARNINGS+=("write: $w_err non-2xx/socket errors (see bench/out/raw/write-strategy.txt)")
kill -0 "$SERVER_PID" 2>/dev/null || die "stadtradar died during the write run (see server log)"
WRITE_ROW="| \`POST /admin/strategie\` (save, audited) | $WRITE_CONNS | $w_rps | $w_p50 | $w_p99 | $w_err |"

# --- 6. report ---------------------------------------------------------------
rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$ROOT" status --porcelain 2>/dev/null | head -c1 || true)"
{
  echo "# stadtradar load benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $rev${dirty:+ (dirty)}, $(nproc) CPUs, $(nginx -v 2>&1 | sed 's/.*: //')"
  echo "data: $MEASURES measures, $UPDATES updates (SQLite); wrk -t$THREADS -c$CONNS -d${SECONDS_RUN}s --latency, Accept-Encoding: $ENCODING (after ${WARMUP_SECONDS}s warm-up)"
  echo
  echo "| page | bytes | ours req/s | ours p50 ms | ours p99 ms | nginx req/s | nginx p99 ms | ours/nginx |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "| write | connections | req/s | p50 ms | p99 ms | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "$WRITE_ROW"
  if [[ ${#WARNINGS[@]} -gt 0 ]]; then
    echo
    for w in "${WARNINGS[@]}"; do echo "- WARNING: $w"; done
  fi
} >"$OUT_DIR/results.md"
echo
cat "$OUT_DIR/results.md"
log "written: bench/out/results.md (raw wrk output in bench/out/raw/)"
