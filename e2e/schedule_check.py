#!/usr/bin/env python3
"""Validates every public event's schedule.json and schedule.xml against the c3voc schemas kept
in e2e/schemas/c3voc (JSON Schema with `jsonschema`, XSD with `xmlschema`).

Usage: python3 e2e/schedule_check.py http://127.0.0.1:8080
Exit code 0 when every schedule is valid, 1 otherwise (each problem printed).
"""
import json
import pathlib
import re
import sys
import urllib.request

import jsonschema
import xmlschema

HERE = pathlib.Path(__file__).resolve().parent / "schemas" / "c3voc"


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def main(base):
    json_schema = json.loads((HERE / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft6Validator(json_schema, format_checker=jsonschema.FormatChecker())
    xsd = xmlschema.XMLSchema10(str(HERE / "schedule.xml.xsd"))
    _, _, listing = fetch(base + "/veranstaltungen")
    slugs = sorted(set(re.findall(r'href="/veranstaltungen/([a-z0-9-]+)"', listing.decode("utf-8"))))
    if not slugs:
        print("schedule: no event on /veranstaltungen to check")
        return 1
    problems = 0
    for slug in slugs:
        for kind in ("json", "xml"):
            url = f"{base}/veranstaltungen/{slug}/schedule.{kind}"
            status, ctype, body = fetch(url)
            if status != 200:
                print(f"schedule: {url} answered {status}")
                problems += 1
                continue
            if kind == "json":
                if not ctype.startswith("application/json"):
                    print(f"schedule: {url} has Content-Type {ctype}")
                    problems += 1
                doc = json.loads(body)
                errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
                for e in errors:
                    print(f"schedule: {url}: {'/'.join(map(str, e.path))}: {e.message}")
                problems += len(errors)
                events = sum(len(v) for d in doc["schedule"]["conference"]["days"] for v in d["rooms"].values())
                print(f"schedule: {url}: {'valid' if not errors else 'INVALID'} ({events} sessions)")
            else:
                errors = list(xsd.iter_errors(body.decode("utf-8")))
                for e in errors:
                    print(f"schedule: {url}: {e.path}: {e.reason}")
                problems += len(errors)
                print(f"schedule: {url}: {'valid' if not errors else 'INVALID'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"))
