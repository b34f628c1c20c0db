#!/usr/bin/env python3
"""Registration rush for bench/run.sh: GUESTS guests register for an event with PLACES places
(each from a client address of its own, sent as X-Forwarded-For: the server must trust
127.0.0.1), the links are read from the server's outbox, then every guest confirms AT ONCE
(all confirmations released together by a barrier, one thread and connection each). The first
PLACES confirmations take the places, the rest go on the waiting list; the end state is read
back from every registration's own page, so the count is exact.

Prints one JSON object on stdout:
  {"guests", "register": {"per_s", "p50_ms", "p99_ms", "unexpected"},
   "confirm": {"concurrent", "per_s", "p50_ms", "p99_ms", "unexpected"},
   "confirmed", "waiting", "other", "page": "<the event page's places line>"}
Standard library only.

Usage: registrations.py --base http://127.0.0.1:18080 --event /veranstaltungen/slug \
                        --outbox DIR --guests 1000 [--workers 64]
"""

import argparse
import email
import email.policy
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse


def percentile(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--event", required=True)
    ap.add_argument("--outbox", required=True)
    ap.add_argument("--guests", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--stamp", default=str(int(time.time())))
    a = ap.parse_args()
    url = urllib.parse.urlsplit(a.base)

    def conn():
        return http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    def request(c, method, path, body=None, headers=None):
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, r.getheader("Location"), data.decode("utf-8", "replace")

    c = conn()
    status, _, page = request(c, "GET", a.event + "/anmelden")
    if status != 200:
        print(json.dumps({"error": f"GET {a.event}/anmelden answered {status}"}))
        return 1
    m = re.search(r'action="([^"]*/anmelden/gast)"[\s\S]*?name="csrf" value="([^"]+)"', page)
    if not m:
        print(json.dumps({"error": "no guest form on the registration page"}))
        return 1
    action, csrf = m.group(1), m.group(2)
    emails = [f"rush-{a.stamp}-{i}@beispielstadt.example" for i in range(a.guests)]

    # 1. Every guest registers (a crowd of WORKERS at a time).
    lock = threading.Lock()
    reg_lat, reg_unexpected, todo = [], {}, list(range(a.guests))

    def registerer():
        c = conn()
        while True:
            with lock:
                if not todo:
                    break
                i = todo.pop()
            body = urllib.parse.urlencode({"csrf": csrf, "name": f"Gast {i}", "email": emails[i], "website": ""})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": a.base,
                "X-Forwarded-For": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            }
            t = time.monotonic()
            try:
                status, _, _ = request(c, "POST", action, body, headers)
            except Exception as e:  # noqa: BLE001 - counted and reported
                status = type(e).__name__
                c = conn()
            ms = (time.monotonic() - t) * 1000
            with lock:
                reg_lat.append(ms)
                if status != 200:
                    reg_unexpected[str(status)] = reg_unexpected.get(str(status), 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=registerer) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reg_seconds = time.monotonic() - started

    # 2. The links, from the outbox (the mail worker writes them).
    links = {}
    wanted = set(emails)
    deadline = time.monotonic() + 120
    seen_files = set()
    while len(links) < len(wanted) and time.monotonic() < deadline:
        for name in sorted(os.listdir(a.outbox)):
            if not name.endswith(".eml") or name in seen_files:
                continue
            seen_files.add(name)
            with open(os.path.join(a.outbox, name), "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            to = str(msg["To"]).strip()
            if to not in wanted:
                continue
            part = msg.get_body(preferencelist=("plain",))
            text = part.get_content() if part else ""
            link = re.search(r"/anmeldung\?token=([0-9]+\.[0-9a-f]+)", text)
            if link:
                links[to] = link.group(1)
        if len(links) < len(wanted):
            time.sleep(0.5)
    if len(links) < len(wanted):
        print(json.dumps({"error": f"only {len(links)} of {len(wanted)} confirmation links in the outbox"}))
        return 1

    # 3. Every guest confirms at once: one thread and connection each, released together.
    tokens = [links[e] for e in emails]
    barrier = threading.Barrier(len(tokens) + 1)
    con_lat, con_unexpected = [], {}

    def confirmer(token):
        c = conn()
        c.connect()
        body = urllib.parse.urlencode({"token": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": a.base}
        barrier.wait()
        t = time.monotonic()
        try:
            status, _, _ = request(c, "POST", "/anmeldung/bestaetigen", body, headers)
        except Exception as e:  # noqa: BLE001 - counted and reported
            status = type(e).__name__
        ms = (time.monotonic() - t) * 1000
        with lock:
            con_lat.append(ms)
            if status != 303:
                con_unexpected[str(status)] = con_unexpected.get(str(status), 0) + 1

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=confirmer, args=(tok,)) for tok in tokens]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.monotonic()
    for t in threads:
        t.join()
    con_seconds = time.monotonic() - started

    # 4. The end state, from every registration's own page.
    counts = {"confirmed": 0, "waiting": 0, "other": 0}
    todo = list(tokens)

    def reader():
        c = conn()
        while True:
            with lock:
                if not todo:
                    break
                token = todo.pop()
            _, _, html = request(c, "GET", "/anmeldung?token=" + token)
            m = re.search(r'data-state="([a-z]+)"', html)
            state = m.group(1) if m else "none"
            with lock:
                counts[state if state in counts else "other"] += 1

    threads = [threading.Thread(target=reader) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, _, event_page = request(conn(), "GET", a.event)
    places = re.search(r'<section class="registration"[\s\S]*?<p>([^<]*)</p>', event_page)

    print(json.dumps({
        "guests": a.guests,
        "register": {
            "per_s": round(a.guests / reg_seconds, 1),
            "p50_ms": round(percentile(reg_lat, 50), 2),
            "p99_ms": round(percentile(reg_lat, 99), 2),
            "unexpected": reg_unexpected,
        },
        "confirm": {
            "concurrent": len(tokens),
            "seconds": round(con_seconds, 2),
            "per_s": round(len(tokens) / con_seconds, 1),
            "p50_ms": round(percentile(con_lat, 50), 2),
            "p99_ms": round(percentile(con_lat, 99), 2),
            "unexpected": con_unexpected,
        },
        **counts,
        "page": places.group(1).strip() if places else "",
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
