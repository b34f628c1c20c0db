#!/usr/bin/env bash
# The newsletter row (BENCH_ONLY=newsletter, started by run.sh): BENCH_NEWSLETTER_SUBSCRIBERS
# confirmed subscribers (demo-data --newsletter-subscribers), the release server sending one
# issue to all of them through a local SMTP sink (smtp_sink.py), the mails per second the sink
# received, the server killed (SIGKILL) in the middle of the sending and started again, and the
# sink's count of recipients who got the issue more than once. Loopback only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUBSCRIBERS="${BENCH_NEWSLETTER_SUBSCRIBERS:-10000}"
# Mails a minute (setting newsletter_rate); 0: as fast as the mail queue takes them.
RATE="${BENCH_NEWSLETTER_RATE:-0}"
# The server is killed once the sink has this many messages.
KILL_AT="${BENCH_NEWSLETTER_KILL_AT:-$(( SUBSCRIBERS / 3 ))}"
# How long to wait for the rest after the restart (a killed worker's lease runs two minutes).
WAIT_SECONDS="${BENCH_NEWSLETTER_WAIT:-400}"
PORT="${BENCH_PORT:-18080}"
SMTP_PORT="${BENCH_SMTP_PORT:-18025}"
ENGINE="${BENCH_DB:-sqlite}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB="${BENCH_PG_DB:-stadtradar_bench}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="${BENCH_BIN:-$TARGET_DIR/release/stadtradar}"
OUT_DIR="$ROOT/bench/out"
OURS="http://127.0.0.1:$PORT"

log() { printf '[bench newsletter] %s\n' "$*" >&2; }
die() { printf '[bench newsletter] ERROR: %s\n' "$*" >&2; exit 1; }
for tool in curl python3; do command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found"; done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/stadtradar-newsletter.XXXXXX")"
SERVER_PID=""
SINK_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "$SERVER_PID" "$SINK_PID"; do
    [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && { wait "$pid" 2>/dev/null || true; }
  done
  if [[ $rc -ne 0 ]]; then
    [[ -s "$TMP/server.log" ]] && tail -n 30 "$TMP/server.log" >&2
    log "temp dir kept: $TMP"
  elif [[ "${BENCH_KEEP_TMP:-0}" != 1 ]]; then
    rm -rf "$TMP"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

curl -s -o /dev/null --max-time 1 "$OURS/" && die "something already listens on 127.0.0.1:$PORT"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "cargo build --release -p stadtradar"
  cargo build --release -p stadtradar --bin stadtradar >&2
fi
[[ -x "$BIN" ]] || die "binary not found: $BIN (build it or set BENCH_BIN)"

DB_URL="sqlite://$TMP/bench.db"
if [[ "$ENGINE" == postgres ]]; then
  psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >&2
  DB_URL="${PG_URL%/*}/$PG_DB"
fi
export STADTRADAR_LOG="${STADTRADAR_LOG:-warn}"
export STADTRADAR_DATABASE_URL="$DB_URL"

log "data set: $SUBSCRIBERS confirmed subscribers"
"$BIN" demo-data --measures 20 --updates 20 --newsletter-subscribers "$SUBSCRIBERS" >"$TMP/demo-data.log" 2>&1 \
  || { cat "$TMP/demo-data.log" >&2; die "demo-data failed"; }
grep newsletter "$TMP/demo-data.log" >&2
LINK="$("$BIN" user add --email redaktion@bench.invalid --name Redaktion --role editor | grep -oE 'token=[A-Za-z0-9_-]+' | head -1)"
[[ -n "$LINK" ]] || die "no set-password link for the editor"

python3 "$ROOT/bench/smtp_sink.py" "$SMTP_PORT" "$TMP/sink.log" &
SINK_PID=$!

start_server() {
  STADTRADAR_ADDR="127.0.0.1:$PORT" STADTRADAR_SMTP_HOST=127.0.0.1 STADTRADAR_SMTP_PORT="$SMTP_PORT" \
    STADTRADAR_SMTP_SECURITY=none STADTRADAR_NEWSLETTER_RATE="$RATE" \
    "$BIN" serve --no-demo >>"$TMP/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$OURS/healthz" && return 0
    sleep 0.1
  done
  die "the server did not start"
}
sent() { [[ -f "$TMP/sink.log" ]] && wc -l <"$TMP/sink.log" || echo 0; }
# Distinct recipients so far (a message sent twice counts once).
reached() { [[ -f "$TMP/sink.log" ]] && awk '{print $2}' "$TMP/sink.log" | sort -u | wc -l || echo 0; }

start_server
# The editor signs in, writes the issue and sends it, as in the browser.
JAR="$TMP/cookies"
H=(-s -o /dev/null -w '%{http_code}' -H "Origin: $OURS" -b "$JAR" -c "$JAR")
PW="bench-password-123"
[[ "$(curl "${H[@]}" -d "$LINK&password=$PW&password2=$PW" "$OURS/konto/passwort-setzen")" =~ ^(200|303)$ ]] || die "set password failed"
[[ "$(curl "${H[@]}" -d "email=redaktion%40bench.invalid&password=$PW" "$OURS/anmelden")" == 303 ]] || die "login failed"
CSRF="$(curl -s -b "$JAR" "$OURS/admin/newsletter/neu" | grep -oE 'name="csrf" value="[^"]+"' | head -1 | sed 's/.*value="//; s/"$//')"
[[ -n "$CSRF" ]] || die "no form token on /admin/newsletter/neu"
LOCATION="$(curl -s -o /dev/null -w '%{redirect_url}' -H "Origin: $OURS" -b "$JAR" \
  --data-urlencode "csrf=$CSRF" -d action=save --data-urlencode "subject=Benchmark-Ausgabe" \
  --data-urlencode "body=Liebe Leserinnen und Leser, **das** ist ein Test." -d topic=all "$OURS/admin/newsletter/neu")"
ISSUE="$(sed -E 's|.*/admin/newsletter/([0-9]+).*|\1|' <<<"$LOCATION")"
[[ "$ISSUE" =~ ^[0-9]+$ ]] || die "the issue was not saved ($LOCATION)"
T_SEND=$(date +%s.%N)
[[ "$(curl "${H[@]}" --data-urlencode "csrf=$CSRF" "$OURS/admin/newsletter/$ISSUE/senden")" == 303 ]] || die "sending failed"
log "issue $ISSUE sent to $SUBSCRIBERS subscribers at rate $RATE a minute; killing the server at $KILL_AT"

while (( $(sent) < KILL_AT )); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped"
  sleep 0.05
done
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
AT_KILL=$(sent)
log "killed with $AT_KILL messages in the sink; starting again"
start_server
T_RESTART=$(date +%s.%N)
deadline=$(( $(date +%s) + WAIT_SECONDS ))
# Done when every subscriber was reached, or all but the one the kill caught mid-delivery and
# the queue has nothing left of the issue (its lease runs out two minutes after the kill).
left() {
  local sql="SELECT COUNT(*) FROM mail_queue WHERE subject = 'Benchmark-Ausgabe' AND state = 'queued'"
  if [[ "$ENGINE" == postgres ]]; then psql -tA "$DB_URL" -c "$sql"
  else python3 -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$TMP/bench.db" "$sql"; fi
}
while (( $(date +%s) < deadline )); do
  r=$(reached)
  (( r >= SUBSCRIBERS )) && break
  (( r >= SUBSCRIBERS - 1 )) && [[ "$(left)" == 0 ]] && break
  sleep 1
done
sleep 3 # anything sent twice would arrive now
T_END=$(date +%s.%N)
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

COUNT="$(python3 "$ROOT/bench/smtp_sink.py" --count "$TMP/sink.log")"
read -r MESSAGES RECIPIENTS TWICE QUEUED_TWICE < <(head -1 <<<"$COUNT" | sed -E 's/[a-z-]+=//g')
# Mails per second while sending (before the kill), from the sink's own clock.
RATE_BEFORE="$(python3 - "$TMP/sink.log" "$AT_KILL" <<'PY'
import sys
times = sorted(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip())
n = int(sys.argv[2])
first, last = times[0], times[n - 1]
print(f"{(n - 1) / (last - first):.0f}" if last > first else "n/a")
PY
)"
RATE_AFTER="$(python3 - "$TMP/sink.log" "$T_RESTART" <<'PY'
import sys
t0 = float(sys.argv[2])
times = sorted(float(l.split()[0]) for l in open(sys.argv[1]) if l.strip() and float(l.split()[0]) >= t0)
# The run of messages up to the first pause of over 5 s: the killed worker's batch comes
# after its lease ran out, two minutes later, and is not part of the rate.
end = next((i for i in range(1, len(times)) if times[i] - times[i - 1] > 5), len(times))
times = times[:end]
print(f"{(len(times) - 1) / (times[-1] - times[0]):.0f}" if len(times) > 1 and times[-1] > times[0] else "n/a")
PY
)"
# The database's side: recipient rows (one per subscriber, never two), queued mails, and the
# messages given up because the kill caught them in the middle of delivery (at most one).
DB_SQL="SELECT (SELECT COUNT(*) FROM newsletter_recipients WHERE issue_id = $ISSUE), \
  (SELECT COUNT(DISTINCT subscriber_id) FROM newsletter_recipients WHERE issue_id = $ISSUE), \
  (SELECT COUNT(*) FROM mail_queue WHERE subject = 'Benchmark-Ausgabe'), \
  (SELECT COUNT(*) FROM mail_queue WHERE subject = 'Benchmark-Ausgabe' AND state = 'failed' AND last_error LIKE 'interrupted%')"
if [[ "$ENGINE" == postgres ]]; then
  DB_ROW="$(psql -tA -F' ' "$DB_URL" -c "$DB_SQL")"
else
  DB_ROW="$(python3 -c "
import sqlite3, sys
print(*sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone())
" "$TMP/bench.db" "$DB_SQL")"
fi
read -r ROWS DISTINCT MAILS INTERRUPTED <<<"$DB_ROW"
QUEUED="$ROWS recipient rows, $DISTINCT distinct, $MAILS queued mails, $INTERRUPTED given up as interrupted mid-delivery"
mkdir -p "$OUT_DIR"
{
  echo "newsletter row ($ENGINE, $(date -u +%FT%TZ), load at end: $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "subscribers: $SUBSCRIBERS; newsletter_rate: $RATE a minute (0: unpaced)"
  printf 'sink before the kill: %s messages, %s mails/s\n' "$AT_KILL" "$RATE_BEFORE"
  printf 'after the restart: %s mails/s (the killed worker'"'"'s leased batch waits for its lease, 2 min)\n' "$RATE_AFTER"
  printf 'from "send" to the last message: %s s (with the restart)\n' "$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]) - 3:.1f}')" "$T_SEND" "$T_END")"
  echo "sink: messages=$MESSAGES recipients=$RECIPIENTS recipients-twice=$TWICE (of which with two different Message-IDs, i.e. queued twice: $QUEUED_TWICE)"
  echo "database: $QUEUED"
  tail -n +2 <<<"$COUNT"
} | tee "$OUT_DIR/newsletter.txt"
(( RECIPIENTS + INTERRUPTED >= SUBSCRIBERS )) || die "the sink saw $RECIPIENTS of $SUBSCRIBERS recipients ($INTERRUPTED given up)"
(( INTERRUPTED <= 1 )) || die "$INTERRUPTED messages were given up; at most the one in flight may be"
(( TWICE == 0 )) || die "$TWICE recipients got the issue twice ($QUEUED_TWICE of them queued twice)"
(( ROWS == SUBSCRIBERS && DISTINCT == SUBSCRIBERS )) || die "$ROWS recipient rows ($DISTINCT distinct) for $SUBSCRIBERS subscribers"
