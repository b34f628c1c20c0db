#!/usr/bin/env python3
"""Validates stadtradar's HSDS 3.0 API (/api/hsds/…) against the Open Referral schemas kept in
e2e/schemas/hsds (JSON Schema 2020-12 with `jsonschema`; every `$ref` resolved from that folder,
no network).

Checked: the first two pages of /api/hsds/services (the HSDS API profile's `Page` object, its
numbers, each item against compiled/service_list.json), every service of the first page by its
id (service.json with everything it refers to), the first 100 of /api/hsds/organizations and
each of them by its id (organization.json; its `services` against service.json). Beside the
schemas: ids are stable from one answer to the next, a service's organization exists, dates
are ISO dates and opening times `HH:MM` with an offset.

Usage: python3 e2e/hsds_check.py http://127.0.0.1:8080
Exit code 0 when everything is valid, 1 otherwise (each problem printed).
"""
import json
import math
import pathlib
import re
import sys
import urllib.request

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

HERE = pathlib.Path(__file__).resolve().parent / "schemas" / "hsds"
# Where the schemas live upstream: their `$ref`s are relative to this or name it in full.
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI = UPSTREAM + "openapi.json"

problems = 0


def problem(text):
    global problems
    problems += 1
    print(f"hsds: {text}")


def registry():
    """Every kept file under its upstream address. The full compiled service and organization
    (2-3 MB, not kept) are the modular files with their `$ref`s inlined: they stand for them."""
    resources = []
    for path in sorted(HERE.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        uri = UPSTREAM + path.relative_to(HERE).as_posix()
        resources.append((uri, Resource.from_contents(doc, default_specification=DRAFT202012)))
    stand_ins = {
        "compiled/service.json": {"$ref": UPSTREAM + "service.json"},
        "compiled/organization.json": {
            "allOf": [{"$ref": UPSTREAM + "organization.json"}],
            "properties": {"services": {"type": "array", "items": {"$ref": UPSTREAM + "service.json"}}},
        },
    }
    for name, doc in stand_ins.items():
        resources.append((UPSTREAM + name, DRAFT202012.create_resource(doc)))
    return Registry().with_resources(resources).crawl()


def validator(reg, ref):
    return jsonschema.Draft202012Validator(
        {"$ref": ref}, registry=reg, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def response_schema(path):
    """The schema of a 200 answer of the HSDS API profile, as a pointer into openapi.json."""
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"{OPENAPI}#/paths/{escaped}/get/responses/200/content/application~1json/schema"


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            ctype = r.headers.get("Content-Type", "")
            if not ctype.startswith("application/json"):
                problem(f"{url} has Content-Type {ctype}")
            return json.loads(r.read())
    except Exception as e:  # an HTTP error, a timeout or a body that is not JSON
        problem(f"{url}: {e}")
        return None


def validate(v, doc, url):
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path))
    for e in errors:
        problem(f"{url}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")
    return not errors


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLOCK = re.compile(r"^\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")


def check_schedules(service, url):
    for i, s in enumerate(service.get("schedules", [])):
        for key in ("valid_from", "valid_to", "dtstart", "until"):
            if key in s and not DATE.match(s[key]):
                problem(f"{url}: /schedules/{i}/{key}: {s[key]!r} is not an ISO date (YYYY-MM-DD)")
        for key in ("opens_at", "closes_at"):
            if key in s and not CLOCK.match(s[key]):
                problem(f"{url}: /schedules/{i}/{key}: {s[key]!r} is not HH:MM with a time zone")


def check_page(page, url, number, per_page):
    """The `Page` numbers (the schema requires none of them)."""
    keys = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents")
    missing = [k for k in keys if k not in page]
    if missing:
        problem(f"{url}: the page lacks {', '.join(missing)}")
        return
    n = len(page["contents"])
    expected = {
        "page_number": number,
        "size": n,
        "empty": n == 0,
        "first_page": number == 1,
        "total_pages": math.ceil(page["total_items"] / per_page),
        "last_page": number >= math.ceil(page["total_items"] / per_page),
    }
    for k, v in expected.items():
        if page[k] != v:
            problem(f"{url}: {k} is {page[k]!r}, expected {v!r}")


def main(base):
    reg = registry()
    service_list = validator(reg, response_schema("/services"))
    service_full = validator(reg, UPSTREAM + "compiled/service.json")
    organization_list = validator(reg, response_schema("/organizations"))
    organization_full = validator(reg, UPSTREAM + "compiled/organization.json")
    per_page = 20

    pages = []
    for number in (1, 2):
        url = f"{base}/api/hsds/services?page={number}&per_page={per_page}"
        page = fetch(url)
        if page is None:
            continue
        ok = validate(service_list, page, url)
        check_page(page, url, number, per_page)
        print(f"hsds: {url}: {'valid' if ok else 'INVALID'} ({len(page.get('contents', []))} services)")
        pages.append(page)
    if not pages or not pages[0].get("contents"):
        problem("no service on the first page of /api/hsds/services to check")
        return 1

    url = f"{base}/api/hsds/organizations?per_page=100"
    orgs = fetch(url)
    org_ids = set()
    if orgs is not None:
        ok = validate(organization_list, orgs, url)
        check_page(orgs, url, 1, 100)
        org_ids = {o.get("id") for o in orgs.get("contents", [])}
        print(f"hsds: {url}: {'valid' if ok else 'INVALID'} ({len(org_ids)} organizations)")

    for item in pages[0]["contents"]:
        url = f"{base}/api/hsds/services/{item['id']}"
        service = fetch(url)
        if service is None:
            continue
        ok = validate(service_full, service, url)
        check_schedules(service, url)
        if service.get("id") != item["id"]:
            problem(f"{url}: answers id {service.get('id')!r}, the list said {item['id']!r}")
        org_id = service.get("organization_id")
        if org_id not in org_ids:
            # Not on the first page of organizations: it must still be one.
            if fetch(f"{base}/api/hsds/organizations/{org_id}") is None:
                problem(f"{url}: organization {org_id!r} is not one of /api/hsds/organizations")
            else:
                org_ids.add(org_id)
        again = fetch(url)
        if again is not None and again != service:
            problem(f"{url}: a second request gave another answer (ids not stable?)")
        print(
            f"hsds: {url}: {'valid' if ok else 'INVALID'} ({len(service.get('schedules', []))} schedules, "
            f"{len(service.get('service_at_locations', []))} locations)"
        )

    for org in (orgs or {}).get("contents", []):
        url = f"{base}/api/hsds/organizations/{org['id']}"
        full = fetch(url)
        if full is None:
            continue
        ok = validate(organization_full, full, url)
        for s in full.get("services", []):
            if s.get("organization_id") != org["id"]:
                problem(f"{url}: service {s.get('id')!r} names organization {s.get('organization_id')!r}")
        print(f"hsds: {url}: {'valid' if ok else 'INVALID'} ({len(full.get('services', []))} services)")

    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"))
