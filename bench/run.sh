#!/usr/bin/env bash
# Load benchmark: stadtradar vs. nginx serving the very same response bytes.
# See bench/README.md. Loopback only (127.0.0.1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MEASURES="${BENCH_MEASURES:-3000}"
UPDATES="${BENCH_UPDATES:-40000}"
# The participation data set: made-up citizens, comments in all, and the largest discussion.
PEOPLE="${BENCH_PEOPLE:-100000}"
COMMENTS="${BENCH_COMMENTS:-1000000}"
LARGEST="${BENCH_LARGEST:-10000}"
# Comments posted per second while the radar is read ("radar while comments are posted").
COMMENT_RATE="${BENCH_COMMENT_RATE:-500}"
# One citizen posts all the benchmark's comments: the limits per account and client address
# are raised for the run (settings comment_limit_*); their buckets are still counted per post.
COMMENT_LIMITS_ENV="${BENCH_COMMENT_LIMITS_ENV:-STADTRADAR_COMMENT_LIMIT_PER_MINUTE=1000000 STADTRADAR_COMMENT_LIMIT_PER_HOUR=1000000 STADTRADAR_COMMENT_LIMIT_PER_CLIENT_MINUTE=1000000}"
SECONDS_RUN="${BENCH_SECONDS:-10}"
# Rounds of the quiet page rows (ours and nginx alternately), each of BENCH_PAGE_SECONDS.
ROUNDS="${BENCH_ROUNDS:-3}"
PAGE_SECONDS="${BENCH_PAGE_SECONDS:-6}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-2}"
THREADS="${BENCH_THREADS:-2}"
CONNS="${BENCH_CONNECTIONS:-64}"
PORT="${BENCH_PORT:-18080}"
NGINX_PORT="${BENCH_NGINX_PORT:-18081}"
# A second stadtradar instance without page cache (row "without cache"), same database file.
NOCACHE_PORT="${BENCH_NOCACHE_PORT:-18082}"
# Connections of the uncached radar rows (low: the median of one render is what counts).
NOCACHE_CONNS="${BENCH_NOCACHE_CONNECTIONS:-1 4}"
# Editors saving measures (one measure each) in the "measure save" row.
WRITE_CONNS="${BENCH_WRITE_CONNECTIONS:-8}"
# Citizens rating and posting at once in the crowd rows of ratings and comments (issue 9's
# throughput targets are judged there; the rows with WRITE_CONNS show a few clients).
CROWD_CONNS="${BENCH_CROWD_CONNECTIONS:-64}"
# Saves per second while the radar is read ("radar while writes run"), and on how many
# connections (each its own measure; 1 = one measure, saved again and again).
BACKGROUND_WRITE_RATE="${BENCH_BACKGROUND_WRITE_RATE:-50}"
BACKGROUND_WRITE_CONNS="${BENCH_BACKGROUND_WRITE_CONNECTIONS:-1}"
# The environment that switches the page cache off in the second instance.
NOCACHE_ENV="${BENCH_NOCACHE_ENV:-STADTRADAR_PAGE_CACHE_MB=0}"
# wrk gives up on a request after this long (its default, 2s, drops slow answers from the
# latency figures without a trace in them).
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-10s}"
# What the load generator asks for: gzip (what every browser sends) or identity.
ENCODING="${BENCH_ENCODING:-gzip}"
# Which rows: all, participation (the quiet radar as the reference, ratings, comments and
# the radar while comments are posted), events (the programme pages of the 14-session day
# and of a large event against nginx, and a registration rush) or offers (the search of a large
# directory of offers and an offer's page against nginx, varied searches with and without the
# page cache, the search while a provider saves an offer, and the search's query plans), or
# newsletter (bench/newsletter.sh: an issue to 10,000 subscribers through a local SMTP sink,
# the server killed and restarted in the middle; not part of "all").
ONLY="${BENCH_ONLY:-all}"
# The database: sqlite (a file in the temp dir) or postgres (a fresh database BENCH_PG_DB on
# the server of BENCH_PG_URL, dropped and created for the run).
ENGINE="${BENCH_DB:-sqlite}"
# The large event of the events rows (demo-data --event-sessions), its places, and the guests
# of the registration rush (all confirm at once: the first EVENT_PLACES get a place).
EVENT_SESSIONS="${BENCH_EVENT_SESSIONS:-300}"
EVENT_PLACES="${BENCH_EVENT_PLACES:-500}"
RUSH_GUESTS="${BENCH_RUSH_GUESTS:-1000}"
# Open live streams of one session's questions in the events rows, and rounds of a new question.
SSE_CONNS="${BENCH_SSE_CONNECTIONS:-10000}"
SSE_ROUNDS="${BENCH_SSE_ROUNDS:-5}"
# The offers rows: the directory's size (demo-data --offers, about a fortieth as many providers),
# how many different searches the varied rows ask (each once), and how many saves a second of
# one offer the search is read beside.
OFFERS="${BENCH_OFFERS:-50000}"
OFFER_URLS="${BENCH_OFFER_URLS:-60000}"
OFFER_WRITE_RATE="${BENCH_OFFER_WRITE_RATE:-50}"
# The guests of the request rush (all ask for one day of an offer with 100 places, then confirm
# at once: exactly 100 may take a place).
REQUEST_GUESTS="${BENCH_REQUEST_GUESTS:-500}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB="${BENCH_PG_DB:-stadtradar_bench}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="${BENCH_BIN:-$TARGET_DIR/release/stadtradar}"
OUT_DIR="$ROOT/bench/out"
OURS="http://127.0.0.1:$PORT"
NGX="http://127.0.0.1:$NGINX_PORT"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# The newsletter row has a script of its own (no wrk, no nginx).
[[ "$ONLY" == newsletter ]] && exec "$ROOT/bench/newsletter.sh"
for tool in curl wrk nginx awk python3; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (apt-get install -y wrk nginx-light curl)"
done
case "$ONLY" in all | participation | events | offers) ;; *) die "BENCH_ONLY must be all, participation, events, offers or newsletter, not $ONLY" ;; esac
case "$ENGINE" in
  sqlite) ;;
  postgres) command -v psql >/dev/null 2>&1 || die "'psql' not found (apt-get install -y postgresql-client)" ;;
  *) die "BENCH_DB must be sqlite or postgres, not $ENGINE" ;;
esac

# --- temp dir + cleanup -------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/stadtradar-bench.XXXXXX")"
SERVER_PID=""
NOCACHE_PID=""
WRITER_PID=""
stop_pid() { # PID: TERM, wait up to 5 s, then KILL
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$WRITER_PID"
  stop_pid "$NOCACHE_PID"
  stop_pid "$SERVER_PID"
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
port_busy "$NOCACHE_PORT" && die "something already listens on 127.0.0.1:$NOCACHE_PORT"

# --- 1. build ----------------------------------------------------------------
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "cargo build --release -p stadtradar (and the example sse_load)"
  cargo build --release -p stadtradar --bin stadtradar --example sse_load >&2
fi
[[ -x "$BIN" ]] || die "binary not found: $BIN (build it or set BENCH_BIN)"
SSE_LOAD="$TARGET_DIR/release/examples/sse_load"
if [[ "$ONLY" == events ]]; then
  [[ -x "$SSE_LOAD" ]] || die "the load generator is missing: cargo build --release -p stadtradar --example sse_load"
  # Ten thousand streams need as many descriptors, in the server and in the load generator
  # (each a process of its own, each under this limit).
  want=$(( SSE_CONNS + 4096 ))
  hard="$(ulimit -Hn)"
  if [[ "$hard" != unlimited && "$hard" -lt "$want" ]]; then want="$hard"; fi
  ulimit -n "$want" 2>/dev/null || true
  [[ "$(ulimit -n)" == unlimited || "$(ulimit -n)" -ge $(( SSE_CONNS + 512 )) ]] \
    || die "the open-files limit ($(ulimit -n), hard $hard) is too low for $SSE_CONNS streams"
fi

# Other work on the machine distorts every figure: note the load when the run starts.
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

# --- 2. data set -------------------------------------------------------------
DB="$TMP/bench.db"
DB_URL="sqlite://$DB"
if [[ "$ENGINE" == postgres ]]; then
  [[ "$PG_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_PG_DB must be a plain lower-case name"
  psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >&2 \
    || die "cannot create the database $PG_DB on $PG_URL"
  DB_URL="${PG_URL%/*}/$PG_DB"
fi
export STADTRADAR_LOG="${STADTRADAR_LOG:-warn}"
# BENCH_DATA_CACHE: generate the data set once and reuse it (a file path on SQLite, a database
# name on PostgreSQL, used as the template of the run's database); delete it to start afresh.
DATA_CACHE="${BENCH_DATA_CACHE:-}"
t0=$(date +%s)
reused=0
if [[ -n "$DATA_CACHE" && "$ENGINE" == sqlite && -s "$DATA_CACHE" && -s "$DATA_CACHE.log" ]]; then
  log "copying the data set from $DATA_CACHE"
  cp "$DATA_CACHE" "$DB"
  [[ -f "$DATA_CACHE-wal" ]] && cp "$DATA_CACHE-wal" "$DB-wal"
  cp "$DATA_CACHE.log" "$TMP/demo-data.log"
  reused=1
elif [[ -n "$DATA_CACHE" && "$ENGINE" == postgres ]] \
  && [[ "$(psql -Atq "$PG_URL" -c "SELECT 1 FROM pg_database WHERE datname = '$DATA_CACHE'")" == 1 ]] \
  && [[ -s "$OUT_DIR/$DATA_CACHE.log" ]]; then
  log "creating $PG_DB from the template $DATA_CACHE"
  psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "DROP DATABASE $PG_DB" -c "CREATE DATABASE $PG_DB TEMPLATE $DATA_CACHE" >&2 \
    || die "cannot create $PG_DB from $DATA_CACHE"
  cp "$OUT_DIR/$DATA_CACHE.log" "$TMP/demo-data.log"
  reused=1
fi
if [[ $reused == 0 ]]; then
  log "generating data set: $MEASURES measures, $UPDATES updates"
  "$BIN" --database-url "$DB_URL" demo-data --measures "$MEASURES" --updates "$UPDATES" \
    --people "$PEOPLE" --comments "$COMMENTS" --largest "$LARGEST" \
    --event-sessions "$EVENT_SESSIONS" --event-places "$EVENT_PLACES" --offers "$OFFERS" \
    >"$TMP/demo-data.log" 2>&1 || { cat "$TMP/demo-data.log" >&2; die "demo-data failed"; }
  if [[ -n "$DATA_CACHE" && "$ENGINE" == sqlite ]]; then
    rm -f "$DATA_CACHE-wal"
    cp "$DB" "$DATA_CACHE" && cp "$TMP/demo-data.log" "$DATA_CACHE.log"
    if [[ -f "$DB-wal" ]]; then cp "$DB-wal" "$DATA_CACHE-wal"; fi
  elif [[ -n "$DATA_CACHE" ]]; then
    [[ "$DATA_CACHE" =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DATA_CACHE must be a plain lower-case name on PostgreSQL"
    psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "DROP DATABASE IF EXISTS $DATA_CACHE" -c "CREATE DATABASE $DATA_CACHE TEMPLATE $PG_DB" >&2 \
      || die "cannot keep the data set as $DATA_CACHE"
    mkdir -p "$OUT_DIR" && cp "$TMP/demo-data.log" "$OUT_DIR/$DATA_CACHE.log"
  fi
fi
if [[ "$ENGINE" == postgres ]]; then
  # The planner's statistics and the visibility map (index-only scans), as autovacuum makes them
  # soon after a bulk load on a server where it runs; a database made from a template has none.
  psql -q -v ON_ERROR_STOP=1 "$DB_URL" -c "VACUUM ANALYZE" >&2 || die "VACUUM ANALYZE of $PG_DB failed"
  log "data set ready in $(( $(date +%s) - t0 ))s (PostgreSQL database $PG_DB)"
else
  log "data set ready in $(( $(date +%s) - t0 ))s ($(du -h "$DB" | cut -f1))"
fi
cat "$TMP/demo-data.log" >&2
# The measure with the largest discussion, as demo-data names it.
BIG="$(grep -oE 'the largest: /massnahmen/[a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.*: //' || true)"
[[ -n "$BIG" || "$COMMENTS" == 0 ]] || die "demo-data named no largest discussion"
# The events, as demo-data names them.
DAY_EVENT="$(grep -oE 'the day /veranstaltungen/[a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
WEEK_EVENT="$(grep -oE 'the large /veranstaltungen/[a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
QA_PAGE="$(grep -oE 'the questions /veranstaltungen/[a-z0-9/-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
if [[ "$ONLY" == events && ( -z "$DAY_EVENT" || -z "$WEEK_EVENT" || -z "$QA_PAGE" ) ]]; then
  die "demo-data named no events (a data set cached before events existed? delete ${DATA_CACHE:-it})"
fi
# The directory of offers, as demo-data names it: an offer's page, the offer a provider saves,
# the postcode and category of the search row, and every postcode and category.
OFFER_PAGE="$(grep -oE 'the offer /angebote/[a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_SAVE="$(grep -oE 'the saved offer /anbieten/[0-9]+/angebote/[0-9]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_POSTCODE="$(grep -oE 'the postcode [0-9]{5}' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_CATEGORY="$(grep -oE 'the category [a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_POSTCODES="$(grep -oE 'the postcodes [0-9,]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_CATEGORIES="$(grep -oE 'the categories [a-z0-9,-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_COUNT="$(grep -oE '^offers: [0-9]+ from [0-9]+ providers' "$TMP/demo-data.log" | sed 's/^offers: //' || true)"
OFFER_REQUESTED="$(grep -oE 'the requested offer /angebote/[a-z0-9-]+' "$TMP/demo-data.log" | sed 's/.* //' || true)"
OFFER_SEARCH=""
if [[ -n "$OFFER_PAGE" && -n "$OFFER_POSTCODE" && -n "$OFFER_CATEGORY" ]]; then
  OFFER_SEARCH="/angebote?postcode=$OFFER_POSTCODE&category=$OFFER_CATEGORY&free=1"
elif [[ "$ONLY" == offers ]]; then
  die "demo-data named no offers (a data set cached before offers existed? delete ${DATA_CACHE:-it})"
fi

# --- 3. server ---------------------------------------------------------------
log "starting stadtradar on $OURS"
# shellcheck disable=SC2086 # COMMENT_LIMITS_ENV is a list of NAME=VALUE words
# Mail goes to an outbox folder (the registration rush reads its links there); the registration
# rush's guests each come from an address of their own, sent by the load generator as
# X-Forwarded-For, so 127.0.0.1 is a trusted proxy.
mkdir -p "$TMP/outbox"
env $COMMENT_LIMITS_ENV STADTRADAR_OUTBOX_DIR="$TMP/outbox" STADTRADAR_TRUSTED_PROXIES=127.0.0.1 \
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

# site-search: the one search over everything (every kind counted, the first page of each), a
# common word, cached like every page row.
NAMES=(radar home list-filter measure api-list search site-search)
PATHS=("/radar" "/" "/massnahmen?status=in_progress" "$slug" "/api/v1/measures?status=done&per_page=50" "/massnahmen?q=Schulen" "/suche?q=digital")
if [[ "$ONLY" == participation ]]; then
  # The quiet radar only: the reference of the row "while comments are posted".
  NAMES=(radar)
  PATHS=("/radar")
elif [[ "$ONLY" == events ]]; then
  # The programme by time slot: the demo's Digitaltag (14 sessions) and the large event.
  NAMES=(programme-day programme-large)
  PATHS=("$DAY_EVENT" "$WEEK_EVENT")
elif [[ "$ONLY" == offers ]]; then
  # The search with distance and two filters, and an offer's page.
  NAMES=(offers-search offer-page)
  PATHS=("$OFFER_SEARCH" "$OFFER_PAGE")
fi
if [[ "$ONLY" == all && -n "$OFFER_SEARCH" ]]; then
  NAMES+=(offers-search offer-page)
  PATHS+=("$OFFER_SEARCH" "$OFFER_PAGE")
fi
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

# The largest discussion: its first page, and its hundredth by following "Weitere Kommentare".
COMMENT_PAGES=()
if [[ -n "$BIG" && "$ONLY" == all ]]; then
  page_url="$BIG/kommentare?sort=newest"
  COMMENT_PAGES+=("$page_url")
  for _ in $(seq 2 100); do
    next="$(curl -sS --max-time 30 "$OURS$page_url" | grep -oE 'class="comments-more"><a href="[^"]+"' | sed 's/.*href="//; s/"$//; s/&amp;/\&/g; s/&#38;/\&/g' || true)"
    [[ -n "$next" ]] || die "no 'Weitere Kommentare' link on $page_url"
    page_url="$next"
  done
  COMMENT_PAGES+=("$page_url")
  # The hundredth page starts 99 pages of 20 below the newest comment.
  [[ "$page_url" == *after=* ]] || die "the hundredth page has no cursor: $page_url"
  log "discussion pages: ${COMMENT_PAGES[0]} and ${COMMENT_PAGES[1]}"
fi

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
rm -f "$OUT_DIR"/raw/*.txt "$OUT_DIR"/raw/*.cpu "$OUT_DIR"/raw/*.json
# cpu_ticks PID... -> the CPU time (user + system, in clock ticks) the processes have used so far
cpu_ticks() {
  local pid total=0 stat rest
  for pid in "$@"; do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${stat##*) }" # after the command name, which may hold spaces
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
run_wrk() { # URL OUTFILE [extra wrk arguments, e.g. -H "Cookie: …"; later -t/-c win]
  # With CPU_PIDS set, the CPU time those processes spend in the measured run goes to OUTFILE.cpu.
  local url=$1 out=$2 before
  shift 2
  wrk -t"$THREADS" -c"$CONNS" --timeout "$WRK_TIMEOUT" -d"${WARMUP_SECONDS}s" -H "Accept-Encoding: $ENCODING" "$@" "$url" >/dev/null
  [[ -n "${CPU_PIDS:-}" ]] && before="$(cpu_ticks $CPU_PIDS)"
  wrk -t"$THREADS" -c"$CONNS" --timeout "$WRK_TIMEOUT" -d"${SECONDS_RUN}s" -H "Accept-Encoding: $ENCODING" "$@" --latency "$url" >"$out"
  [[ -n "${CPU_PIDS:-}" ]] && echo $(( $(cpu_ticks $CPU_PIDS) - before )) >"$out.cpu"
  return 0
}
# cpu_per_request WRKFILE -> microseconds of server CPU per completed request, or n/a
cpu_per_request() {
  local n ticks
  n="$(awk '/requests in/ { print $1; exit }' "$1")"
  ticks="$(cat "$1.cpu" 2>/dev/null || echo)"
  awk -v n="$n" -v t="$ticks" -v hz="$CLK_TCK" 'BEGIN {
    if (n + 0 > 0 && t ~ /^[0-9]+$/) printf "%.1f\n", t * 1000000 / hz / n; else print "n/a" }'
}
# check_wrk LABEL FILE ERRORS: warnings for errors and for a run in which nothing completed
check_wrk() {
  if [[ "$3" != 0 ]]; then
    local what
    what="$(grep -E 'Socket errors:|Non-2xx or 3xx responses:' "$2" | sed 's/^ *//' | paste -sd ';' -)"
    WARNINGS+=("$1: $3 non-2xx/socket errors: $what (see bench/out/raw/$(basename "$2"))")
  fi
  if ! grep -qE '^ +[1-9][0-9]* requests in' "$2"; then
    WARNINGS+=("$1: no request completed within the run (see bench/out/raw/$(basename "$2"))")
  fi
  return 0
}
# sent_bytes URL [curl arguments]: size of the body as sent with our Accept-Encoding, and its encoding
sent_bytes() {
  local url=$1
  shift
  curl -sS --max-time 60 -o /dev/null -H "Accept-Encoding: $ENCODING" "$@" -w '%{size_download} %header{content-encoding}' "$url" 2>/dev/null \
    | awk '{ print $1, ($2 == "" ? "identity" : $2) }'
}
NOTES=()
# rps_cell RPS FILE: the req/s for a table cell; says so when no request completed in the run
rps_cell() {
  if [[ -f "$2" ]] && ! grep -qE '^ +[1-9][0-9]* requests in' "$2"; then
    echo "0 (none of $CONNS completed in ${SECONDS_RUN}s)"
  else
    echo "$1"
  fi
}
# pct A B -> "NN%" (A ÷ B), or n/a
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b ~ /^[0-9.]+$/ && b + 0 > 0 && a ~ /^[0-9.]+$/) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
# verdict VALUE OP LIMIT -> "met" / "missed" / "n/a"   (OP: ge or lt; VALUE may end in %)
verdict() {
  awk -v v="${1%\%}" -v op="$2" -v l="$3" 'BEGIN {
    if (v !~ /^[0-9.]+$/) { print "n/a"; exit }
    ok = (op == "ge") ? (v + 0 >= l + 0) : (v + 0 < l + 0); print ok ? "met" : "**missed**" }'
}
alive() { kill -0 "$SERVER_PID" 2>/dev/null || die "stadtradar died during the $1 run (see server log)"; }

ROWS=()
WARNINGS=()
# Each page's row of the quiet table by name: "req/s p50 p99 nginx-req/s nginx-p99 ratio low high bytes".
declare -A PAGE_RESULT=()
RADAR_RPS="" RADAR_P50="" RADAR_P99=""
NGINX_WORKERS="$(pgrep -P "$(cat "$TMP/nginx.pid")" | paste -sd' ' -)"
[[ -n "$NGINX_WORKERS" ]] || die "no nginx worker processes found"
# cpu_median PREFIX -> the median of the rounds' CPU microseconds per request
cpu_median() {
  local r
  for r in $(seq 1 "$ROUNDS"); do cpu_per_request "$OUT_DIR/raw/$1-$r.txt"; done \
    | grep -v n/a | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'
}
# Each page is measured in ROUNDS rounds, ours and nginx back to back and in alternating order,
# so that a slower minute of the machine falls on both; the row shows the round with the median
# ratio (its req/s and latencies), the range of the ratios says how steady the machine was.
for i in "${!PATHS[@]}"; do
  name="${NAMES[$i]}"
  RATIOS=()
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 == 1 )); then order="ours nginx"; else order="nginx ours"; fi
    for who in $order; do
      if [[ "$who" == ours ]]; then
        url="$OURS${PATHS[$i]}" pids="$SERVER_PID"
      else
        url="$NGX/${FILES[$i]}" pids="$NGINX_WORKERS"
      fi
      log "wrk $name round $r: $who"
      SECONDS_RUN="$PAGE_SECONDS" CPU_PIDS="$pids" run_wrk "$url" "$OUT_DIR/raw/$name-$who-$r.txt"
    done
    read -r o_rps _ _ o_err <<<"$(parse_wrk "$OUT_DIR/raw/$name-ours-$r.txt")"
    read -r n_rps _ _ n_err <<<"$(parse_wrk "$OUT_DIR/raw/$name-nginx-$r.txt")"
    check_wrk "$name (ours, round $r)" "$OUT_DIR/raw/$name-ours-$r.txt" "$o_err"
    check_wrk "$name (nginx, round $r)" "$OUT_DIR/raw/$name-nginx-$r.txt" "$n_err"
    alive "$name"
    RATIOS+=("$(awk -v a="$o_rps" -v b="$n_rps" 'BEGIN { if (b + 0 > 0) printf "%.4f", a / b; else print 0 }') $r")
  done
  # The median round by ratio, and the lowest and highest ratio.
  mapfile -t SORTED < <(printf '%s\n' "${RATIOS[@]}" | sort -n)
  median_round="$(echo "${SORTED[$(( ${#SORTED[@]} / 2 ))]}" | cut -d' ' -f2)"
  low="$(echo "${SORTED[0]}" | awk '{ printf "%.0f", 100 * $1 }')"
  high="$(echo "${SORTED[-1]}" | awk '{ printf "%.0f", 100 * $1 }')"
  read -r o_rps o_p50 o_p99 _ <<<"$(parse_wrk "$OUT_DIR/raw/$name-ours-$median_round.txt")"
  read -r n_rps _ n_p99 _ <<<"$(parse_wrk "$OUT_DIR/raw/$name-nginx-$median_round.txt")"
  ratio="$(pct "$o_rps" "$n_rps")"
  # CPU per request over all rounds: what a request costs, whatever the machine's speed that minute.
  o_cpu="$(cpu_median "$name-ours")"
  n_cpu="$(cpu_median "$name-nginx")"
  if [[ "$name" == radar ]]; then RADAR_RPS=$o_rps RADAR_P50=$o_p50 RADAR_P99=$o_p99; fi
  PAGE_RESULT[$name]="$o_rps $o_p50 $o_p99 $n_rps $n_p99 ${ratio%\%} $low $high $(wc -c <"$TMP/www/${FILES[$i]}")"
  ROWS+=("| \`${PATHS[$i]}\` | $(wc -c <"$TMP/www/${FILES[$i]}") | $o_rps | $o_p50 | $o_p99 | $n_rps | $n_p99 | $ratio | $low–$high % | $o_cpu | $n_cpu | $(pct "$n_cpu" "$o_cpu") |")
done

READ_ROWS=()
WRITE_ROWS=()
LIVE_ROWS=()
OFFER_ROWS=()
OFFER_WRITE_ROWS=()
if [[ "$ONLY" == events ]]; then
# --- 5g'. live Q&A: SSE_CONNS open streams, a new visible question reaches them ------------
log "sse_load: $SSE_CONNS streams of $QA_PAGE/live, $SSE_ROUNDS rounds of a new question"
rss_before="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
"$SSE_LOAD" --addr "127.0.0.1:$PORT" --page "$QA_PAGE" --connections "$SSE_CONNS" --rounds "$SSE_ROUNDS" \
  >"$OUT_DIR/raw/sse.json" 2>"$TMP/sse.log" &
SSE_PID=$!
rss_open=0
for _ in $(seq 1 1500); do
  grep -q '^ready' "$TMP/sse.log" 2>/dev/null && break
  kill -0 "$SSE_PID" 2>/dev/null || break
  sleep 0.1
done
sleep 1
rss_open="$(awk '/^VmRSS/ { print $2 }' "/proc/$SERVER_PID/status")"
wait "$SSE_PID" || true
cat "$TMP/sse.log" >&2
alive "live Q&A streams"
sse() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT_DIR/raw/sse.json" "$1"; }
sse 'd["open"]' >/dev/null 2>&1 || die "sse_load failed: $(tail -n 5 "$TMP/sse.log")"
s_open="$(sse 'd["open"]')"
s_p99="$(sse 'd["p99_ms"]')"
s_missed="$(sse 'd["missed"]')"
rss_mb=$(( rss_open / 1024 ))
s_verdict="p99 $( [[ "$(awk -v p="$s_p99" 'BEGIN { print (p < 250) }')" == 1 ]] && echo met || echo '**missed**' ), memory $( [[ $rss_mb -lt 500 ]] && echo met || echo '**missed**' )"
[[ "$s_open" == "$SSE_CONNS" && "$s_missed" == 0 ]] || s_verdict="$s_verdict; **$s_open of $SSE_CONNS open, $s_missed deliveries missed**"
LIVE_ROWS+=("| \`$QA_PAGE/live\`: $s_open open streams, a new visible question (POST, unmoderated session) reaches each; $SSE_ROUNDS rounds, $(sse 'd["deliveries"]') deliveries | $s_open | $(sse 'd["p50_ms"]') | $s_p99 | $(sse 'd["max_ms"]') | $s_missed | $(( rss_before / 1024 )) MB → $rss_mb MB | p99 < 250 ms, server < 500 MB (issue 10): $s_verdict |")
# --- 5g. the registration rush: guests register, then all confirm at once -------------------
log "registrations.py: $RUSH_GUESTS guests for $EVENT_PLACES places of $WEEK_EVENT"
python3 "$ROOT/bench/registrations.py" --base "$OURS" --event "$WEEK_EVENT" --outbox "$TMP/outbox" \
  --guests "$RUSH_GUESTS" >"$OUT_DIR/raw/registrations.json" 2>"$TMP/registrations.log" || true
cat "$TMP/registrations.log" >&2
alive "registration rush"
rush() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT_DIR/raw/registrations.json" "$1"; }
if [[ -n "$(rush 'd.get("error", "")' 2>/dev/null)" ]] || ! rush 'd["confirmed"]' >/dev/null 2>&1; then
  die "the registration rush failed: $(cat "$OUT_DIR/raw/registrations.json" 2>/dev/null | head -c 300)"
fi
r_conf="$(rush 'd["confirmed"]')"
r_wait="$(rush 'd["waiting"]')"
r_other="$(rush 'd["other"]')"
if [[ "$r_conf" == "$EVENT_PLACES" && "$r_wait" == "$(( RUSH_GUESTS - EVENT_PLACES ))" && "$r_other" == 0 ]]; then
  rush_verdict="met ($r_conf confirmed, $r_wait waiting; the page: $(rush 'd["page"]'))"
else
  rush_verdict="**missed** ($r_conf confirmed, $r_wait waiting, $r_other other)"
fi
WRITE_ROWS+=("| \`POST $WEEK_EVENT/anmelden/gast\` ($RUSH_GUESTS guests, each from its own address; a mail each; registrations.py) | 64 | $(rush 'd["register"]["per_s"]') | $(rush 'd["register"]["p50_ms"]') | $(rush 'd["register"]["p99_ms"]') | $(rush 'sum(d["register"]["unexpected"].values())') | – | – |")
WRITE_ROWS+=("| \`POST /anmeldung/bestaetigen\` **all $RUSH_GUESTS at once** for $EVENT_PLACES places (one connection each, released together; $(rush 'd["confirm"]["seconds"]') s in all) | $RUSH_GUESTS | $(rush 'd["confirm"]["per_s"]') | $(rush 'd["confirm"]["p50_ms"]') | $(rush 'd["confirm"]["p99_ms"]') | $(rush 'sum(d["confirm"]["unexpected"].values())') | – | exactly $EVENT_PLACES confirmed and $(( RUSH_GUESTS - EVENT_PLACES )) waiting (issue 10): $rush_verdict |")
else
# --- 5b. people: an admin (the editor of the write rows) and a signed-in citizen -------------
# sign_in EMAIL NAME ROLE -> prints "sr_session=…": the one-time link from `user add`, the
# password set through /konto/passwort-setzen, a session from /anmelden.
sign_in() {
  local email=$1 name=$2 role=$3 link token code cookie
  link="$("$BIN" --database-url "$DB_URL" user add --email "$email" --name "$name" --role "$role" 2>/dev/null | tail -n 1)"
  token="${link##*token=}"
  [[ -n "$token" && "$token" != "$link" ]] || die "user add ($role) printed no link"
  local pw="Lasttest+am+Rathausplatz+Musterstadt+42"
  code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Origin: $OURS" --data "token=$token&password=$pw&password2=$pw" "$OURS/konto/passwort-setzen")"
  [[ "$code" == 303 ]] || die "setting the password of $email answered HTTP $code"
  cookie="$(curl -sS -o /dev/null -D - -H "Origin: $OURS" --data "email=$(printf '%s' "$email" | sed 's/@/%40/')&password=$pw" "$OURS/anmelden" \
    | awk 'tolower($1) == "set-cookie:" && !found { split($2, c, ";"); print c[1]; found = 1 }')"
  [[ "$cookie" == sr_session=?* ]] || die "login of $email gave no session cookie"
  printf '%s\n' "$cookie"
}
log "signing in an admin (editor) and a citizen"
ADMIN_COOKIE="$(sign_in bench@musterstadt.example Bench admin)"
CITIZEN_COOKIE="$(sign_in buergerin@musterstadt.example "Bürgerin Bench" citizen)"
code="$(curl -sS -o "$TMP/radar-citizen.html" -w '%{http_code}' -H "Cookie: $CITIZEN_COOKIE" "$OURS/radar")"
[[ "$code" == 200 ]] || die "GET /radar as the signed-in citizen answered HTTP $code"
grep -q 'class="account" href="/konto"' "$TMP/radar-citizen.html" \
  || die "the radar fetched with the citizen's cookie is not signed in (no account link to /konto)"

# Measures for the write rows: the first BENCH_WRITE_CONNECTIONS of the back-office list, one
# per saving connection, and the last one of that page for the save beside the radar readers.
curl -sS -H "Cookie: $ADMIN_COOKIE" -o "$TMP/admin-list.html" "$OURS/admin/massnahmen"
mapfile -t MEASURE_IDS < <(grep -oE 'href="/admin/massnahmen/[0-9]+"' "$TMP/admin-list.html" | grep -oE '[0-9]+' | awk '!seen[$0]++')
(( ${#MEASURE_IDS[@]} >= WRITE_CONNS + BACKGROUND_WRITE_CONNS )) \
  || die "the back-office list shows ${#MEASURE_IDS[@]} measures; need $((WRITE_CONNS + BACKGROUND_WRITE_CONNS))"
SAVE_IDS="$(printf '%s\n' "${MEASURE_IDS[@]:0:$WRITE_CONNS}" | paste -sd, -)"
# From the end of the page: the last measure of the list first.
BACKGROUND_IDS="$(printf '%s\n' "${MEASURE_IDS[@]}" | tail -n "$BACKGROUND_WRITE_CONNS" | tac | paste -sd, -)"
log "measures saved: $SAVE_IDS (save row), $BACKGROUND_IDS (beside the radar readers)"

# writer_fields FILE -> "saves_per_s p50 p99 unexpected_count unexpected_text mode" (n/a on failure)
writer_fields() {
  python3 - "$1" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    print("n/a n/a n/a 1 no-result n/a"); sys.exit()
if "error" in d:
    print("n/a n/a n/a 1 set-up-failed n/a"); sys.exit()
u = d.get("unexpected", {})
text = ",".join(f"{k}:{v}" for k, v in sorted(u.items())).replace(" ", "_") or "-"
f = lambda v: "n/a" if v is None else v
print(f(d["saves_per_s"]), f(d["p50_ms"]), f(d["p99_ms"]), sum(u.values()), text, d.get("mode", "n/a"))
PY
}
# writer_warnings LABEL FILE: a WARNING for every unexpected answer and every note
writer_warnings() {
  local label=$1 file=$2 line
  while IFS= read -r line; do
    [[ -n "$line" ]] && WARNINGS+=("$label: $line")
  done < <(python3 - "$file" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"writer gave no result ({e})"); sys.exit()
if "error" in d:
    print(f"writer set-up failed: {d['error']}"); sys.exit()
for k, v in sorted(d.get("unexpected", {}).items()):
    print(f"{v} unexpected answer(s) {k} (see bench/out/raw/)")
for n in d.get("notes", []):
    print(n)
PY
)
}

# --- 5h. the offers rows: a large directory searched and read, cached, varied, uncached -------
if [[ -n "$OFFER_SEARCH" && ( "$ONLY" == offers || "$ONLY" == all ) ]]; then
# The search with distance and two filters, and an offer's page, from the quiet table.
read -r s_rps s_p50 s_p99 s_nrps _ s_ratio s_low s_high s_bytes <<<"${PAGE_RESULT[offers-search]}"
OFFER_ROWS+=("| \`$OFFER_SEARCH\` (distance from a postcode, a category, free of charge), quiet, from the page cache; nginx $s_nrps req/s (rounds $s_low–$s_high %) | $s_bytes | $CONNS | $s_rps | $s_p50 | $s_p99 | $s_ratio % of nginx | p99 < 20 ms: $(verdict "$s_p99" lt 20), ≥ 50 % of nginx: $(verdict "$s_ratio" ge 50) |")
read -r g_rps g_p50 g_p99 g_nrps _ g_ratio g_low g_high g_bytes <<<"${PAGE_RESULT[offer-page]}"
OFFER_ROWS+=("| \`$OFFER_PAGE\` (an offer's page), quiet; nginx $g_nrps req/s (rounds $g_low–$g_high %) | $g_bytes | $CONNS | $g_rps | $g_p50 | $g_p99 | $g_ratio % of nginx | ≥ 80 % of nginx: $(verdict "$g_ratio" ge 80) |")

# Different searches, each asked once (bench/offer_urls.py, bench/offers_search.lua): with
# filters, and (a list of their own) with a search word besides.
python3 "$ROOT/bench/offer_urls.py" --postcodes "$OFFER_POSTCODES" --categories "$OFFER_CATEGORIES" \
  --count "$OFFER_URLS" >"$TMP/offer-urls.txt"
python3 "$ROOT/bench/offer_urls.py" --postcodes "$OFFER_POSTCODES" --categories "$OFFER_CATEGORIES" \
  --count "$OFFER_URLS" --words 1 --seed 2 >"$TMP/offer-urls-words.txt"
url_count="$(wc -l <"$TMP/offer-urls.txt")"
(( url_count >= 1000 )) || die "offer_urls.py made only $url_count addresses"
# Every 500th address answers 200 (a refused filter would answer 400 and measure nothing).
while read -r u; do
  code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$OURS$u")"
  [[ "$code" == 200 ]] || die "GET $u answered HTTP $code"
done < <(awk 'NR % 500 == 1' "$TMP/offer-urls.txt")
# varied_wrk BASE OUTFILE CONNECTIONS [LIST]: warm-up on the last quarter of the list, then the
# run from its first line, so the run asks addresses the warm-up did not.
varied_wrk() {
  local base=$1 out=$2 c=$3 list=${4:-$TMP/offer-urls.txt} t
  t=$(( c < THREADS ? c : THREADS ))
  BENCH_URLS="$list" BENCH_URLS_START=$(( url_count * 3 / 4 )) BENCH_URLS_STRIDE=$t \
    wrk -t"$t" -c"$c" --timeout "$WRK_TIMEOUT" -d"${WARMUP_SECONDS}s" -H "Accept-Encoding: $ENCODING" \
    -s "$ROOT/bench/offers_search.lua" "$base" >/dev/null
  BENCH_URLS="$list" BENCH_URLS_START=0 BENCH_URLS_STRIDE=$t \
    wrk -t"$t" -c"$c" --timeout "$WRK_TIMEOUT" -d"${SECONDS_RUN}s" -H "Accept-Encoding: $ENCODING" --latency \
    -s "$ROOT/bench/offers_search.lua" "$base" >"$out"
}
# asked FILE: how many of the list's addresses the run asked, and whether it went round
asked() {
  local n
  n="$(awk '/requests in/ { print $1; exit }' "$1")"
  if (( ${n:-0} > url_count * 3 / 4 )); then
    echo "${n:-0} requests, more than the $(( url_count * 3 / 4 )) addresses before the warm-up's: some were asked twice"
  else
    echo "${n:-0} different searches of $url_count"
  fi
}
log "wrk varied searches of the offers (page cache on, each address once)"
varied_wrk "$OURS" "$OUT_DIR/raw/offers-varied.txt" "$CONNS"
read -r v_rps v_p50 v_p99 v_err <<<"$(parse_wrk "$OUT_DIR/raw/offers-varied.txt")"
check_wrk "offers, varied searches" "$OUT_DIR/raw/offers-varied.txt" "$v_err"
alive "varied offer searches"
OFFER_ROWS+=("| varied searches (a postcode with a category, day, time of day, free, radius, age, access, language; $(asked "$OUT_DIR/raw/offers-varied.txt")): **page cache on, every request a miss** | – | $CONNS | $v_rps | $v_p50 | $v_p99 | $(pct "$v_rps" "$s_rps") of the cached search | p99 < 20 ms: $(verdict "$v_p99" lt 20) |")

# The same without the page cache: a second instance on the same database.
log "starting a second stadtradar without page cache ($NOCACHE_ENV) on :$NOCACHE_PORT (offers)"
# shellcheck disable=SC2086 # NOCACHE_ENV is a list of NAME=VALUE words
env $NOCACHE_ENV "$BIN" --database-url "$DB_URL" --addr "127.0.0.1:$NOCACHE_PORT" serve --no-demo \
  >"$TMP/server-nocache-offers.log" 2>&1 &
NOCACHE_PID=$!
nocache_up=0
for i in $(seq 1 300); do
  kill -0 "$NOCACHE_PID" 2>/dev/null || break
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NOCACHE_PORT/healthz" || true)" == 200 ]]; then
    nocache_up=1
    break
  fi
  sleep 0.1
done
if [[ $nocache_up == 1 ]]; then
  for nc in $NOCACHE_CONNS $CONNS; do
    log "wrk varied searches of the offers without page cache: -c$nc"
    varied_wrk "http://127.0.0.1:$NOCACHE_PORT" "$OUT_DIR/raw/offers-varied-nocache-c$nc.txt" "$nc"
    read -r u_rps u_p50 u_p99 u_err <<<"$(parse_wrk "$OUT_DIR/raw/offers-varied-nocache-c$nc.txt")"
    check_wrk "offers, varied searches without cache -c$nc" "$OUT_DIR/raw/offers-varied-nocache-c$nc.txt" "$u_err"
    kill -0 "$NOCACHE_PID" 2>/dev/null || die "the uncached stadtradar died during its run (see $TMP/server-nocache-offers.log)"
    OFFER_ROWS+=("| varied searches, **without page cache** (\`$NOCACHE_ENV\`: two queries, the offers' dates and languages, a render each) | – | $nc | $u_rps | $u_p50 | $u_p99 | – | p99 < 20 ms: $(verdict "$u_p99" lt 20) |")
  done
  log "wrk varied searches with a word, without page cache: -c4"
  varied_wrk "http://127.0.0.1:$NOCACHE_PORT" "$OUT_DIR/raw/offers-words-nocache-c4.txt" 4 "$TMP/offer-urls-words.txt"
  read -r u_rps u_p50 u_p99 u_err <<<"$(parse_wrk "$OUT_DIR/raw/offers-words-nocache-c4.txt")"
  check_wrk "offers, varied searches with a word without cache -c4" "$OUT_DIR/raw/offers-words-nocache-c4.txt" "$u_err"
  kill -0 "$NOCACHE_PID" 2>/dev/null || die "the uncached stadtradar died during its run (see $TMP/server-nocache-offers.log)"
  OFFER_ROWS+=("| varied searches **with a search word** (\`q=Smartphone\`, \`Coding\`, … and filters as above), **without page cache** | – | 4 | $u_rps | $u_p50 | $u_p99 | – | p99 < 20 ms: $(verdict "$u_p99" lt 20) |")
  log "wrk the search row's address without page cache (-c4)"
  run_wrk "http://127.0.0.1:$NOCACHE_PORT$OFFER_SEARCH" "$OUT_DIR/raw/offers-search-nocache.txt" -t2 -c4
  read -r u_rps u_p50 u_p99 u_err <<<"$(parse_wrk "$OUT_DIR/raw/offers-search-nocache.txt")"
  check_wrk "offers search without cache" "$OUT_DIR/raw/offers-search-nocache.txt" "$u_err"
  OFFER_ROWS+=("| \`$OFFER_SEARCH\` **without page cache** (the same search, rendered every time) | – | 4 | $u_rps | $u_p50 | $u_p99 | – | p99 < 20 ms: $(verdict "$u_p99" lt 20) |")
else
  WARNINGS+=("uncached instance (offers) did not start: $(tail -n 1 "$TMP/server-nocache-offers.log" 2>/dev/null)")
fi
stop_pid "$NOCACHE_PID"
NOCACHE_PID=""

# The search while a provider saves one of its offers OFFER_WRITE_RATE times a second, each time
# with a new description: each save drops the offer's own pages and the word searches
# (`offers:detail`); a list without words keeps its cached pages, since the offer's card and where
# it is listed do not change (a new title or date would drop every list).
log "signing in a provider of $OFFER_SAVE"
PROVIDER_COOKIE="$(sign_in anbieterin@musterstadt.example "Anbieterin Bench" provider)"
provider_id="$(echo "$OFFER_SAVE" | cut -d/ -f3)"
curl -sS -H "Cookie: $ADMIN_COOKIE" -o "$TMP/admin-providers.html" "$OURS/admin/anbieter"
csrf="$(grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' "$TMP/admin-providers.html" | sed 's/.*value="//; s/"$//' || true)"
[[ -n "$csrf" ]] || die "no CSRF token on /admin/anbieter"
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $ADMIN_COOKIE" -H "Origin: $OURS" \
  --data "csrf=$csrf&email=anbieterin%40musterstadt.example&page=1" "$OURS/admin/anbieter/$provider_id/personen")"
[[ "$code" == 303 ]] || die "adding the provider's person answered HTTP $code"
log "wrk the search while writer.py saves $OFFER_SAVE, ${OFFER_WRITE_RATE}/s"
python3 "$ROOT/bench/writer.py" --base "$OURS" --cookie "$PROVIDER_COOKIE" --paths "$OFFER_SAVE" \
  --rate "$OFFER_WRITE_RATE" --seconds "$((WARMUP_SECONDS + SECONDS_RUN + 1))" --label offers-beside \
  >"$OUT_DIR/raw/offers-writes-writer.json" 2>"$TMP/writer-offers.log" &
WRITER_PID=$!
for i in $(seq 1 600); do
  grep -q 'ready' "$TMP/writer-offers.log" 2>/dev/null && break
  kill -0 "$WRITER_PID" 2>/dev/null || break
  sleep 0.05
done
if grep -q 'ready' "$TMP/writer-offers.log" 2>/dev/null; then
  run_wrk "$OURS$OFFER_SEARCH" "$OUT_DIR/raw/offers-writes.txt"
fi
wait "$WRITER_PID" || true
WRITER_PID=""
cat "$TMP/writer-offers.log" >&2
alive "offers search while an offer is saved"
writer_warnings "offers search while saving (writer)" "$OUT_DIR/raw/offers-writes-writer.json"
if [[ -s "$OUT_DIR/raw/offers-writes.txt" ]]; then
  read -r w_rps w_p50 w_p99 w_err <<<"$(parse_wrk "$OUT_DIR/raw/offers-writes.txt")"
  check_wrk "offers search while saving" "$OUT_DIR/raw/offers-writes.txt" "$w_err"
else
  w_rps=n/a w_p50=n/a w_p99=n/a
  WARNINGS+=("offers search while saving: not measured, the writer did not start (see bench/out/raw/offers-writes-writer.json)")
fi
read -r ow_rate ow_p50 ow_p99 ow_unexp _ow_text ow_mode <<<"$(writer_fields "$OUT_DIR/raw/offers-writes-writer.json")"
OFFER_ROWS+=("| \`$OFFER_SEARCH\` **while a provider saves an offer** (${OFFER_WRITE_RATE}/s asked, $ow_rate/s done; a new description each time: lists without words stay cached) | – | $CONNS | $(rps_cell "$w_rps" "$OUT_DIR/raw/offers-writes.txt") | $w_p50 | $w_p99 | $(pct "$w_rps" "$s_rps") of quiet | – |")
OFFER_WRITE_ROWS+=("| \`POST $OFFER_SAVE\` (a provider saves an offer, paced ${OFFER_WRITE_RATE}/s **beside the search readers**; writer.py, $ow_mode) | 1 | $ow_rate | $ow_p50 | $ow_p99 | $ow_unexp | – | ${OFFER_WRITE_RATE}/s asked |")

# The request rush: REQUEST_GUESTS guests ask for the same day of the offer with 100 places a
# day, confirm all at once, and the provider accepts every request it is told of, all at once.
if [[ -n "$OFFER_REQUESTED" ]]; then
  log "requests.py: $REQUEST_GUESTS guests for the 100 places of $OFFER_REQUESTED"
  python3 "$ROOT/bench/requests.py" --base "$OURS" --offer "$OFFER_REQUESTED" --outbox "$TMP/outbox" \
    --cookie "$ADMIN_COOKIE" --guests "$REQUEST_GUESTS" >"$OUT_DIR/raw/requests.json" 2>"$TMP/requests.log" || true
  cat "$TMP/requests.log" >&2
  alive "request rush"
  req() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT_DIR/raw/requests.json" "$1"; }
  if [[ -n "$(req 'd.get("error", "")' 2>/dev/null)" ]] || ! req 'd["accepted"]' >/dev/null 2>&1; then
    WARNINGS+=("the request rush failed: $(head -c 300 "$OUT_DIR/raw/requests.json" 2>/dev/null)")
  else
    q_took="$(req 'd["confirm"]["took"]')" q_full="$(req 'd["confirm"]["full"]')" q_acc="$(req 'd["accepted"]')"
    if [[ "$q_took" == 100 && "$q_full" == "$(( REQUEST_GUESTS - 100 ))" && "$q_acc" == 100 ]]; then
      q_verdict="met ($q_took took a place, $q_full refused as full, $q_acc accepted)"
    else
      q_verdict="**missed** ($q_took took a place, $q_full refused as full, $q_acc accepted)"
    fi
    OFFER_WRITE_ROWS+=("| \`POST $OFFER_REQUESTED/anfragen\` ($REQUEST_GUESTS guests for one day, each from its own address; a mail each; requests.py) | 64 | $(req 'd["ask"]["per_s"]') | $(req 'd["ask"]["p50_ms"]') | $(req 'd["ask"]["p99_ms"]') | $(req 'sum(d["ask"]["unexpected"].values())') | – | – |")
    OFFER_WRITE_ROWS+=("| \`POST /anfrage/bestaetigen\` **all $REQUEST_GUESTS at once** for 100 places (one connection each, released together; $(req 'd["confirm"]["seconds"]') s in all) | $REQUEST_GUESTS | $(req 'd["confirm"]["per_s"]') | $(req 'd["confirm"]["p50_ms"]') | $(req 'd["confirm"]["p99_ms"]') | $(req 'sum(d["confirm"]["unexpected"].values())') | – | exactly 100 accepted (issue 11): $q_verdict |")
    OFFER_WRITE_ROWS+=("| \`POST /anbieten/…/anfragen/{id}\` the provider accepts **$(req 'd["accept"]["concurrent"]') at once** | $(req 'd["accept"]["concurrent"]') | $(req 'd["accept"]["per_s"]') | $(req 'd["accept"]["p50_ms"]') | $(req 'd["accept"]["p99_ms"]') | $(req 'sum(d["accept"]["unexpected"].values())') | – | – |")
  fi
fi

# The query plans of the search on SQLite: an instance that logs every statement (JSON), one
# request of each kind of search, EXPLAIN QUERY PLAN of each statement on the database file.
if [[ "$ENGINE" == sqlite ]]; then
  log "query plans of the offers' search (EXPLAIN QUERY PLAN)"
  : >"$TMP/server-plans.log"
  STADTRADAR_PAGE_CACHE_MB=0 STADTRADAR_LOG_FORMAT=json STADTRADAR_LOG="warn,sqlx::query=debug" \
    "$BIN" --database-url "$DB_URL" --addr "127.0.0.1:$NOCACHE_PORT" serve --no-demo >>"$TMP/server-plans.log" 2>&1 &
  NOCACHE_PID=$!
  for i in $(seq 1 300); do
    kill -0 "$NOCACHE_PID" 2>/dev/null || break
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NOCACHE_PORT/healthz" || true)" == 200 ]] && break
    sleep 0.1
  done
  P="$OFFER_POSTCODE" C="$OFFER_CATEGORY"
  for u in "/angebote" "/angebote?postcode=$P" "/angebote?category=$C" "$OFFER_SEARCH" \
    "/angebote?postcode=$P&radius=2" "/angebote?category=$C&free=1&postcode=$P&radius=5" "/angebote?free=1" \
    "/angebote?day=tu" "/angebote?day=sa&time=evening&postcode=$P" "/angebote?age=8" \
    "/angebote?access=step_free&access=easy_language" "/angebote?language=tr" "/angebote?online=1" \
    "/angebote?q=Smartphone" "/angebote?q=Coding&postcode=$P" "/angebote?page=50" "$OFFER_PAGE"; do
    echo "probe $u" >>"$TMP/server-plans.log"
    curl -sS -o /dev/null --max-time 30 "http://127.0.0.1:$NOCACHE_PORT$u" || true
  done
  stop_pid "$NOCACHE_PID"
  NOCACHE_PID=""
  # Planned by the SQLite the server bundles (libsqlite3-sys's amalgamation, built once into the
  # target folder): Python's own SQLite is older and plans some of these statements differently.
  sqlite_lib=""
  v="$(grep -A1 '^name = "libsqlite3-sys"' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"/\1/p')"
  src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"libsqlite3-sys-$v"/sqlite3 2>/dev/null | head -n 1 || true)"
  if [[ -n "$v" && -f "$src/sqlite3.c" ]] && command -v cc >/dev/null 2>&1; then
    sqlite_lib="$TARGET_DIR/bench-sqlite/libsqlite3-sys-$v.so"
    if [[ ! -s "$sqlite_lib" ]]; then
      log "building SQLite of libsqlite3-sys $v for the plans (once)"
      mkdir -p "$TARGET_DIR/bench-sqlite"
      cc -O1 -shared -fPIC -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_STAT4 -DSQLITE_ENABLE_RTREE -DSQLITE_THREADSAFE=1 \
        -DSQLITE_DEFAULT_FOREIGN_KEYS=1 -o "$sqlite_lib" "$src/sqlite3.c" -lpthread -ldl -lm >&2 || sqlite_lib=""
    fi
  fi
  [[ -n "$sqlite_lib" ]] || NOTES+=("the query plans come from Python's SQLite, not the one the server bundles (no C compiler or no libsqlite3-sys source found)")
  python3 "$ROOT/bench/offers_plans.py" --db "$DB" --log "$TMP/server-plans.log" ${sqlite_lib:+--sqlite-lib "$sqlite_lib"} \
    >"$OUT_DIR/offers-plans.txt" || WARNINGS+=("offers_plans.py failed (see bench/out/offers-plans.txt)")
  NOTES+=("query plans of the offers' search (SQLite): bench/out/offers-plans.txt; $(tail -n 1 "$OUT_DIR/offers-plans.txt")")
fi
fi # the offers rows

if [[ "$ONLY" != offers ]]; then
READ_ROWS=()
if [[ "$ONLY" == all ]]; then
# --- 5c. the radar for a signed-in citizen ------------------------------------------------
log "wrk radar as a signed-in citizen"
run_wrk "$OURS/radar" "$OUT_DIR/raw/radar-citizen.txt" -H "Cookie: $CITIZEN_COOKIE"
read -r c_rps c_p50 c_p99 c_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-citizen.txt")"
check_wrk "radar (signed in)" "$OUT_DIR/raw/radar-citizen.txt" "$c_err"
alive "signed-in radar"
c_ratio="$(pct "$c_rps" "$RADAR_RPS")"
read -r anon_bytes anon_enc <<<"$(sent_bytes "$OURS/radar")"
read -r cit_bytes cit_enc <<<"$(sent_bytes "$OURS/radar" -H "Cookie: $CITIZEN_COOKIE")"
if [[ "$cit_enc" != "$anon_enc" ]]; then
  NOTES+=("the signed-in radar is sent with Content-Encoding $cit_enc ($cit_bytes bytes), the anonymous one with $anon_enc ($anon_bytes bytes), both asked with Accept-Encoding: $ENCODING")
fi
READ_ROWS+=("| \`/radar\` anonymous, quiet (reference, from the table above) | $anon_bytes | $CONNS | $RADAR_RPS | $RADAR_P50 | $RADAR_P99 | – | – |")
READ_ROWS+=("| \`/radar\` signed-in citizen (\`Cookie: sr_session\`) | $cit_bytes | $CONNS | $(rps_cell "$c_rps" "$OUT_DIR/raw/radar-citizen.txt") | $c_p50 | $c_p99 | $c_ratio of anonymous | ≥ 50 %: $(verdict "$c_ratio" ge 50) |")
# One connection: the latency of one signed-in render, without queueing behind the others.
log "wrk radar as a signed-in citizen, one connection"
run_wrk "$OURS/radar" "$OUT_DIR/raw/radar-citizen-c1.txt" -H "Cookie: $CITIZEN_COOKIE" -t1 -c1
read -r c1_rps c1_p50 c1_p99 c1_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-citizen-c1.txt")"
check_wrk "radar (signed in, one connection)" "$OUT_DIR/raw/radar-citizen-c1.txt" "$c1_err"
alive "signed-in radar, one connection"
READ_ROWS+=("| \`/radar\` signed-in citizen, one connection (latency of one render) | $cit_bytes | 1 | $c1_rps | $c1_p50 | $c1_p99 | – | – |")

# --- 5c'. the largest discussion: first and hundredth page (cached) ---------------------------
for i in "${!COMMENT_PAGES[@]}"; do
  which=$([[ $i == 0 ]] && echo first || echo hundredth)
  log "wrk discussion, $which page"
  run_wrk "$OURS${COMMENT_PAGES[$i]}" "$OUT_DIR/raw/comments-$which.txt"
  read -r k_rps k_p50 k_p99 k_err <<<"$(parse_wrk "$OUT_DIR/raw/comments-$which.txt")"
  check_wrk "discussion $which page" "$OUT_DIR/raw/comments-$which.txt" "$k_err"
  read -r k_bytes _k_enc <<<"$(sent_bytes "$OURS${COMMENT_PAGES[$i]}")"
  READ_ROWS+=("| discussion of $LARGEST comments, $which page (\`${COMMENT_PAGES[$i]}\`), cached | $k_bytes | $CONNS | $k_rps | $k_p50 | $k_p99 | – | p99 < 20 ms: $(verdict "$k_p99" lt 20) |")
done

# --- 5d. the radar under writes: one measure saved BACKGROUND_WRITE_RATE times a second -------
log "wrk radar while writer.py saves measure(s) $BACKGROUND_IDS, ${BACKGROUND_WRITE_RATE}/s in all"
python3 "$ROOT/bench/writer.py" --base "$OURS" --cookie "$ADMIN_COOKIE" --ids "$BACKGROUND_IDS" \
  --rate "$BACKGROUND_WRITE_RATE" --seconds "$((WARMUP_SECONDS + SECONDS_RUN + 1))" --label radar-beside \
  >"$OUT_DIR/raw/radar-writes-writer.json" 2>"$TMP/writer-bg.log" &
WRITER_PID=$!
for i in $(seq 1 600); do
  grep -q 'ready' "$TMP/writer-bg.log" 2>/dev/null && break
  kill -0 "$WRITER_PID" 2>/dev/null || break
  sleep 0.05
done
if grep -q 'ready' "$TMP/writer-bg.log" 2>/dev/null; then
  run_wrk "$OURS/radar" "$OUT_DIR/raw/radar-writes.txt"
fi
wait "$WRITER_PID" || true
WRITER_PID=""
cat "$TMP/writer-bg.log" >&2
alive "radar-under-writes"
writer_warnings "radar while saving (writer)" "$OUT_DIR/raw/radar-writes-writer.json"
if [[ -s "$OUT_DIR/raw/radar-writes.txt" ]]; then
  read -r a_rps a_p50 a_p99 a_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-writes.txt")"
  check_wrk "radar while saving" "$OUT_DIR/raw/radar-writes.txt" "$a_err"
else
  a_rps=n/a a_p50=n/a a_p99=n/a
  WARNINGS+=("radar while saving: not measured, the writer did not start (see bench/out/raw/radar-writes-writer.json)")
fi
a_ratio="$(pct "$a_rps" "$RADAR_RPS")"
read -r bw_rate bw_p50 bw_p99 bw_unexp bw_text bw_mode <<<"$(writer_fields "$OUT_DIR/raw/radar-writes-writer.json")"
if [[ "$(verdict "$bw_rate" ge "$(awk -v r="$BACKGROUND_WRITE_RATE" 'BEGIN { print 0.9 * r }')")" != met ]]; then
  WARNINGS+=("radar while saving: the writer managed $bw_rate saves/s, not the ${BACKGROUND_WRITE_RATE}/s asked (one connection per measure waits for each answer; see the write table): the readers saw a lighter write load than intended")
fi
READ_ROWS+=("| \`/radar\` anonymous, **while writes run** (${BACKGROUND_WRITE_RATE}/s asked, $bw_rate/s done) | – | $CONNS | $(rps_cell "$a_rps" "$OUT_DIR/raw/radar-writes.txt") | $a_p50 | $a_p99 | $a_ratio of quiet | ≥ 80 %: $(verdict "$a_ratio" ge 80) |")

# --- 5e. the radar rendered without the page cache (second instance, same database) ----------
NOCACHE_ROWS=()
log "starting a second stadtradar without page cache ($NOCACHE_ENV) on :$NOCACHE_PORT"
# shellcheck disable=SC2086 # NOCACHE_ENV is a list of NAME=VALUE words
env $NOCACHE_ENV "$BIN" --database-url "$DB_URL" --addr "127.0.0.1:$NOCACHE_PORT" serve --no-demo \
  >"$TMP/server-nocache.log" 2>&1 &
NOCACHE_PID=$!
nocache_up=0
for i in $(seq 1 300); do
  kill -0 "$NOCACHE_PID" 2>/dev/null || break
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NOCACHE_PORT/healthz" || true)" == 200 ]]; then
    nocache_up=1
    break
  fi
  sleep 0.1
done
if [[ $nocache_up == 1 ]]; then
  code="$(curl -sS -o "$TMP/radar-nocache.html" -w '%{http_code}' "http://127.0.0.1:$NOCACHE_PORT/radar")"
  [[ "$code" == 200 ]] || WARNINGS+=("uncached instance: GET /radar answered HTTP $code")
  read -r nc_bytes _nc_enc <<<"$(sent_bytes "http://127.0.0.1:$NOCACHE_PORT/radar")"
  for nc in $NOCACHE_CONNS; do
    t=$(( nc < THREADS ? nc : THREADS ))
    log "wrk radar without page cache: -c$nc"
    run_wrk "http://127.0.0.1:$NOCACHE_PORT/radar" "$OUT_DIR/raw/radar-nocache-c$nc.txt" -t"$t" -c"$nc"
    read -r u_rps u_p50 u_p99 u_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-nocache-c$nc.txt")"
    check_wrk "radar without cache -c$nc" "$OUT_DIR/raw/radar-nocache-c$nc.txt" "$u_err"
    kill -0 "$NOCACHE_PID" 2>/dev/null || die "the uncached stadtradar died during its run (see $TMP/server-nocache.log)"
    NOCACHE_ROWS+=("| \`/radar\` **without page cache** (\`$NOCACHE_ENV\`) | $nc_bytes | $nc | $u_rps | $u_p50 | $u_p99 | – | p50 < 20 ms: $(verdict "$u_p50" lt 20) |")
  done
  for i in "${!COMMENT_PAGES[@]}"; do
    which=$([[ $i == 0 ]] && echo first || echo hundredth)
    log "wrk discussion without page cache, $which page (-c4)"
    run_wrk "http://127.0.0.1:$NOCACHE_PORT${COMMENT_PAGES[$i]}" "$OUT_DIR/raw/comments-nocache-$which.txt" -t2 -c4
    read -r v_rps v_p50 v_p99 v_err <<<"$(parse_wrk "$OUT_DIR/raw/comments-nocache-$which.txt")"
    check_wrk "discussion without cache, $which page" "$OUT_DIR/raw/comments-nocache-$which.txt" "$v_err"
    NOCACHE_ROWS+=("| discussion of $LARGEST comments, $which page, **without page cache** (every request three queries and a render) | – | 4 | $v_rps | $v_p50 | $v_p99 | – | p99 < 20 ms: $(verdict "$v_p99" lt 20) |")
  done
  stop_pid "$NOCACHE_PID"
else
  stop_pid "$NOCACHE_PID"
  # The setting's name as the server's error names it: STADTRADAR_PAGE_CACHE_MB -> page_cache_mb.
  key="${NOCACHE_ENV%%=*}"
  key="$(printf '%s' "${key#STADTRADAR_}" | tr '[:upper:]' '[:lower:]')"
  if grep -qi -- "$key" "$TMP/server-nocache.log"; then
    log "the server does not know ${NOCACHE_ENV%%=*} yet: $(grep -i -m1 -- "$key" "$TMP/server-nocache.log")"
    NOCACHE_ROWS+=("| \`/radar\` without page cache | – | – | n/a (needs ${NOCACHE_ENV%%=*}) | | | – | p50 < 20 ms: n/a |")
    NOTES+=("the uncached rows were not measured: the server refused ${NOCACHE_ENV%%=*} ($(grep -i -m1 -o -- "setting $key[^,]*" "$TMP/server-nocache.log" | head -c 120))")
  else
    WARNINGS+=("uncached instance did not start: $(tail -n 1 "$TMP/server-nocache.log" 2>/dev/null)")
    NOCACHE_ROWS+=("| \`/radar\` without page cache | – | – | n/a (instance did not start) | | | – | p50 < 20 ms: n/a |")
  fi
fi
NOCACHE_PID=""
READ_ROWS+=("${NOCACHE_ROWS[@]}")
else
  READ_ROWS+=("| \`/radar\` anonymous, quiet (reference, from the table above) | $(sent_bytes "$OURS/radar" | cut -d' ' -f1) | $CONNS | $RADAR_RPS | $RADAR_P50 | $RADAR_P99 | – | – |")
fi

# --- 5f. writes ----------------------------------------------------------------------------
WRITE_ROWS=()
if [[ "$ONLY" == all ]]; then
# The strategy form (POST /admin/strategie) with wrk: each request carries a new vision text.
curl -sS -H "Cookie: $ADMIN_COOKIE" -o "$TMP/strategy-form.html" "$OURS/admin/strategie"
csrf="$(grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' "$TMP/strategy-form.html" | sed 's/.*value="//; s/"$//' || true)"
[[ -n "$csrf" ]] || die "no CSRF token on /admin/strategie"
export BENCH_COOKIE="$ADMIN_COOKIE" BENCH_ORIGIN="$OURS"
export BENCH_FORM="csrf=$csrf&title=Digitalisierungsstrategie+Beispielstadt&city=Beispielstadt&target_year=2030&vision=Eine+Stadt%2C+die+digitale+Angebote+f%C3%BCr+alle+bereith%C3%A4lt."
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $ADMIN_COOKIE" -H "Origin: $OURS" --data "$BENCH_FORM" "$OURS/admin/strategie")"
[[ "$code" == 200 ]] || die "saving the strategy answered HTTP $code"
log "wrk write: POST /admin/strategie (-c$WRITE_CONNS)"
wrk -t"$THREADS" -c"$WRITE_CONNS" --timeout "$WRK_TIMEOUT" -d"${SECONDS_RUN}s" --latency -s "$ROOT/bench/save_strategy.lua" "$OURS/admin/strategie" >"$OUT_DIR/raw/write-strategy.txt"
read -r w_rps w_p50 w_p99 w_err <<<"$(parse_wrk "$OUT_DIR/raw/write-strategy.txt")"
check_wrk "write strategy" "$OUT_DIR/raw/write-strategy.txt" "$w_err"
alive "strategy write"
WRITE_ROWS+=("| \`POST /admin/strategie\` (save, audited; wrk) | $WRITE_CONNS | $w_rps | $w_p50 | $w_p99 | $w_err | – | – |")

# Measures: each connection saves its own measure (no version conflicts), new description each time.
log "writer.py: POST /admin/massnahmen/{id} on $WRITE_CONNS connections, as fast as answered"
python3 "$ROOT/bench/writer.py" --base "$OURS" --cookie "$ADMIN_COOKIE" --ids "$SAVE_IDS" \
  --seconds "$SECONDS_RUN" --label save >"$OUT_DIR/raw/write-measure.json" 2>"$TMP/writer-save.log" || true
cat "$TMP/writer-save.log" >&2
alive "measure save"
writer_warnings "measure save (writer)" "$OUT_DIR/raw/write-measure.json"
read -r d_rate d_p50 d_p99 d_unexp d_text d_mode <<<"$(writer_fields "$OUT_DIR/raw/write-measure.json")"
WRITE_ROWS+=("| \`POST /admin/massnahmen/{id}\` (save a measure, own measure per connection; writer.py, $d_mode) | $WRITE_CONNS | $d_rate | $d_p50 | $d_p99 | $d_unexp | – | ≥ 200/s: $(verdict "$d_rate" ge 200) |")
fi
# Ratings: the signed-in citizen rates the measures of the first list page in turn.
mapfile -t RATE_SLUGS < <(curl -sS "$OURS/massnahmen" | grep -oE 'href="/massnahmen/[a-z0-9-]+"' | sed 's|href="/massnahmen/||; s|"$||' | awk '!seen[$0]++')
[[ ${#RATE_SLUGS[@]} -ge 2 ]] || die "fewer than two measure links on /massnahmen"
curl -sS -H "Cookie: $CITIZEN_COOKIE" -o "$TMP/rate-page.html" "$OURS/massnahmen/${RATE_SLUGS[0]}"
csrf="$(grep -m 1 -o 'name="csrf" value="[0-9a-f]*"' "$TMP/rate-page.html" | sed 's/.*value="//; s/"$//' || true)"
[[ -n "$csrf" ]] || die "no CSRF token in the rating form of /massnahmen/${RATE_SLUGS[0]} (signed-in citizen)"
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $CITIZEN_COOKIE" -H "Origin: $OURS" --data "csrf=$csrf&value=3" "$OURS/massnahmen/${RATE_SLUGS[0]}/bewertung")"
[[ "$code" == 303 ]] || die "rating a measure answered HTTP $code"
export BENCH_COOKIE="$CITIZEN_COOKIE" BENCH_CSRF="$csrf" BENCH_SLUGS="${RATE_SLUGS[*]}"
# participation_write NAME LUA LABEL TARGET_TEXT TARGET_NUM: the write of LUA with wrk, once with
# WRITE_CONNS connections (a few clients: the latency of one write) and once with CROWD_CONNS (a
# crowd, as the page rows; the issue's throughput targets are judged there). Adds two rows.
participation_write() {
  local name=$1 lua=$2 label=$3 target_text=$4 target_num=$5 c raw rps p50 p99 err verdict_cell
  for c in $WRITE_CONNS $CROWD_CONNS; do
    raw="$OUT_DIR/raw/write-$name-c$c.txt"
    log "wrk write: $name (-c$c)"
    cpu_before="$(cpu_ticks "$SERVER_PID")"
    # PostgreSQL's processes on this machine (the database's share of a write), if it runs here.
    pg_before="$(cpu_ticks $(pgrep -x postgres || true))"
    wrk -t"$THREADS" -c"$c" --timeout "$WRK_TIMEOUT" -d"${SECONDS_RUN}s" --latency -s "$ROOT/bench/$lua" "$OURS/" >"$raw"
    echo $(( $(cpu_ticks "$SERVER_PID") - cpu_before )) >"$raw.cpu"
    echo $(( $(cpu_ticks $(pgrep -x postgres || true)) - pg_before )) >"$raw.pg.cpu"
    read -r rps p50 p99 err <<<"$(parse_wrk "$raw")"
    check_wrk "write $name (-c$c)" "$raw" "$err"
    alive "$name"
    if [[ "$c" == "$CROWD_CONNS" ]]; then
      verdict_cell="$target_text (issue 9): $(verdict "$rps" ge "$target_num")"
    else
      verdict_cell="– (a few clients; the target is judged for the crowd, next row)"
    fi
    cpu_cell="$(cpu_per_request "$raw")"
    if [[ "$ENGINE" == postgres ]]; then
      cp "$raw" "$raw.pg" # the request count of the run, beside PostgreSQL's ticks in $raw.pg.cpu
      cpu_cell="$cpu_cell (+ PostgreSQL $(cpu_per_request "$raw.pg"))"
    fi
    WRITE_ROWS+=("| \`$label | $c | $rps | $p50 | $p99 | $err | $cpu_cell | $verdict_cell |")
  done
}
participation_write rating rate.lua "POST /massnahmen/{slug}/bewertung\` (a citizen rates ${#RATE_SLUGS[@]} measures in turn, a new value each time; wrk)" "≥ 5,000/s" 5000
# Comments: the signed-in citizen posts on the measures of the first list page in turn.
code="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $CITIZEN_COOKIE" -H "Origin: $OURS" --data "csrf=$csrf&body=Erster+Benchmark-Kommentar" "$OURS/massnahmen/${RATE_SLUGS[0]}/kommentare")"
[[ "$code" == 303 ]] || die "posting a comment answered HTTP $code (are the comment limits raised? $COMMENT_LIMITS_ENV)"
participation_write comment comment.lua "POST /massnahmen/{slug}/kommentare\` (a citizen posts on ${#RATE_SLUGS[@]} measures in turn, durable before the answer; wrk)" "≥ 2,000/s" 2000
# The radar while comments are posted at COMMENT_RATE a second.
# The quiet radar again, just before: on a shared machine the load of other work changes from
# minute to minute, so the ratio of this row is taken against this adjacent quiet run.
log "wrk radar, quiet, just before the posting"
CPU_PIDS="$SERVER_PID" run_wrk "$OURS/radar" "$OUT_DIR/raw/radar-quiet-adjacent.txt"
read -r qq_rps qq_p50 qq_p99 qq_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-quiet-adjacent.txt")"
check_wrk "radar quiet (adjacent)" "$OUT_DIR/raw/radar-quiet-adjacent.txt" "$qq_err"
READ_ROWS+=("| \`/radar\` anonymous, quiet, **just before the posting** (server CPU $(cpu_per_request "$OUT_DIR/raw/radar-quiet-adjacent.txt") µs/req) | – | $CONNS | $qq_rps | $qq_p50 | $qq_p99 | – | – |")
log "wrk radar while poster.py posts ${COMMENT_RATE} comments/s"
python3 "$ROOT/bench/poster.py" --base "$OURS" --cookie "$CITIZEN_COOKIE" --csrf "$csrf" \
  --slugs "$(printf '%s\n' "${RATE_SLUGS[@]}" | paste -sd, -)" --rate "$COMMENT_RATE" \
  --seconds "$((WARMUP_SECONDS + SECONDS_RUN + 1))" >"$OUT_DIR/raw/radar-comments-poster.json" 2>"$TMP/poster.log" &
WRITER_PID=$!
for i in $(seq 1 600); do
  grep -q 'ready' "$TMP/poster.log" 2>/dev/null && break
  kill -0 "$WRITER_PID" 2>/dev/null || break
  sleep 0.05
done
CPU_PIDS="$SERVER_PID" run_wrk "$OURS/radar" "$OUT_DIR/raw/radar-comments.txt"
wait "$WRITER_PID" || true
WRITER_PID=""
alive "radar while comments are posted"
writer_warnings "radar while commenting (poster)" "$OUT_DIR/raw/radar-comments-poster.json"
read -r q_rps q_p50 q_p99 q_err <<<"$(parse_wrk "$OUT_DIR/raw/radar-comments.txt")"
check_wrk "radar while commenting" "$OUT_DIR/raw/radar-comments.txt" "$q_err"
read -r pc_rate pc_p50 pc_p99 pc_unexp pc_text pc_mode <<<"$(writer_fields "$OUT_DIR/raw/radar-comments-poster.json")"
q_ratio="$(pct "$q_rps" "$qq_rps")"
READ_ROWS+=("| \`/radar\` anonymous, **while comments are posted** (${COMMENT_RATE}/s asked, $pc_rate/s done, p99 $pc_p99 ms; server CPU $(cpu_per_request "$OUT_DIR/raw/radar-comments.txt") µs per radar read, posts included) | – | $CONNS | $(rps_cell "$q_rps" "$OUT_DIR/raw/radar-comments.txt") | $q_p50 | $q_p99 | $q_ratio of quiet just before ($(pct "$q_rps" "$RADAR_RPS") of the first) | ≥ 80 % (issue 9): $(verdict "$q_ratio" ge 80) |")
WRITE_ROWS+=("| \`POST /massnahmen/{slug}/kommentare\` paced ${COMMENT_RATE}/s **beside the radar readers** (posts done; poster.py, $pc_mode) | 8 | $pc_rate | $pc_p50 | $pc_p99 | $pc_unexp | – | ${COMMENT_RATE}/s asked |")
[[ "$ONLY" == all ]] && WRITE_ROWS+=("| \`POST /admin/massnahmen/{$BACKGROUND_IDS}\` paced ${BACKGROUND_WRITE_RATE}/s **beside the radar readers** above (saves done; writer.py, $bw_mode) | $BACKGROUND_WRITE_CONNS | $bw_rate | $bw_p50 | $bw_p99 | $bw_unexp | – | ${BACKGROUND_WRITE_RATE}/s asked |")
fi # not the offers rows only
fi # events or the other rows

# --- 6. report ---------------------------------------------------------------
rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(git -C "$ROOT" status --porcelain 2>/dev/null | head -c1 || true)"
{
  echo "# stadtradar load benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $rev${dirty:+ (dirty)}, $(nproc) CPUs, $(nginx -v 2>&1 | sed 's/.*: //'), load average at start $LOAD_AT_START, at end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "data: $MEASURES measures, $UPDATES updates, $COMMENTS comments by $PEOPLE people (largest discussion $LARGEST) ($ENGINE, rows: $ONLY; events: the demo day and a $EVENT_SESSIONS-session event with $EVENT_PLACES places, a rush of $RUSH_GUESTS guests; offers: ${OFFER_COUNT:-none}); comment limits raised for the run ($COMMENT_LIMITS_ENV); wrk -t$THREADS -c$CONNS --latency, Accept-Encoding: $ENCODING, after ${WARMUP_SECONDS}s warm-up; pages: $ROUNDS rounds of ${PAGE_SECONDS}s, ours and nginx alternately; other rows ${SECONDS_RUN}s"
  echo
  echo "## Pages, quiet (no writes)"
  echo
  echo "| page | bytes | ours req/s | ours p50 ms | ours p99 ms | nginx req/s | nginx p99 ms | ours/nginx | range over $ROUNDS rounds | ours CPU µs/req | nginx CPU µs/req | nginx/ours CPU |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  if [[ ${#LIVE_ROWS[@]} -gt 0 ]]; then
  echo
  echo "## Live Q&A"
  echo
  echo "| streams | open | p50 ms | p99 ms | max ms | missed | server memory (RSS) before → with the streams open | target |"
  echo "|---|---:|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${LIVE_ROWS[@]}"
  fi
  if [[ ${#OFFER_ROWS[@]} -gt 0 ]]; then
  echo
  echo "## Offers: $OFFER_COUNT"
  echo
  echo "| read | bytes | connections | req/s | p50 ms | p99 ms | ratio | target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${OFFER_ROWS[@]}"
  fi
  if [[ ${#READ_ROWS[@]} -gt 0 ]]; then
  echo
  echo "## The radar: signed in, while writes run, without cache"
  echo
  echo "| read | bytes | connections | req/s | p50 ms | p99 ms | ratio | target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${READ_ROWS[@]}"
  fi
  echo
  echo "## Writes"
  echo
  echo "| write | connections | saves/s | p50 ms | p99 ms | errors | server CPU µs/write | target |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${WRITE_ROWS[@]}" "${OFFER_WRITE_ROWS[@]}"
  if [[ ${#WARNINGS[@]} -gt 0 || ${#NOTES[@]} -gt 0 ]]; then
    echo
    for w in "${WARNINGS[@]}"; do echo "- WARNING: $w"; done
    for n in "${NOTES[@]}"; do echo "- note: $n"; done
  fi
} >"$OUT_DIR/results.md"
echo
cat "$OUT_DIR/results.md"
log "written: bench/out/results.md (raw wrk output and writer.py JSON in bench/out/raw/)"
