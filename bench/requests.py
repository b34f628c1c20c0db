#!/usr/bin/env python3
"""Request rush for bench/run.sh: GUESTS guests each ask for the same proposed day of an offer
with PLACES places a day (a group of one, each from a client address of its own, sent as
X-Forwarded-For: the server must trust 127.0.0.1); the links are read from the server's outbox;
then every guest confirms AT ONCE (released together by a barrier, one thread and connection
each): exactly PLACES confirmations may take a place, the rest are refused as full. Then the
provider (the admin's cookie) accepts every request it was told of, all at once, and the end
state is read back from every request's own page, so the counts are exact.

Prints one JSON object on stdout:
  {"guests", "ask": {...}, "confirm": {"concurrent", "seconds", "per_s", "p50_ms", "p99_ms",
   "took", "full", "unexpected"}, "accept": {...}, "accepted", "unconfirmed", "other"}
Standard library only.

Usage: requests.py --base http://127.0.0.1:18080 --offer /angebote/slug --outbox DIR \
                   --cookie 'sr_session=…' --guests 500 [--workers 64]
"""

import argparse
import datetime
import email
import email.policy
import http.client
import json
import os
import re
import threading
import time
import urllib.parse


def percentile(values, p):
    if not values:
        return 0.0
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def stats(lat, seconds, n):
    return {
        "seconds": round(seconds, 2),
        "per_s": round(n / seconds, 1) if seconds > 0 else 0,
        "p50_ms": round(percentile(lat, 50), 2),
        "p99_ms": round(percentile(lat, 99), 2),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--offer", required=True)
    ap.add_argument("--outbox", required=True)
    ap.add_argument("--cookie", required=True)
    ap.add_argument("--guests", type=int, default=500)
    ap.add_argument("--workers", type=int, default=64)
    ap.add_argument("--stamp", default=str(int(time.time())))
    a = ap.parse_args()
    url = urllib.parse.urlsplit(a.base)

    def conn():
        return http.client.HTTPConnection(url.hostname, url.port, timeout=120)

    def request(c, method, path, body=None, headers=None):
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        return r.status, r.getheader("Location"), data.decode("utf-8", "replace")

    form = a.offer + "/anfragen"
    status, _, page = request(conn(), "GET", form)
    m = re.search(r'name="csrf" value="([^"]+)"', page)
    if status != 200 or not m:
        print(json.dumps({"error": f"GET {form} answered {status} without a form"}))
        return 1
    csrf = m.group(1)
    day = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    emails = [f"anfrage-{a.stamp}-{i}@beispielstadt.example" for i in range(a.guests)]
    lock = threading.Lock()

    # 1. Every guest asks (a crowd of WORKERS at a time): nothing is held yet.
    ask_lat, ask_unexpected, todo = [], {}, list(range(a.guests))

    def asker():
        c = conn()
        while True:
            with lock:
                if not todo:
                    break
                i = todo.pop()
            body = urllib.parse.urlencode({
                "csrf": csrf, "date": "", "proposed": day, "name": f"Kita {i}", "email": emails[i],
                "group_size": "1", "institution": f"Kita Nummer {i}", "website": "",
            })
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": a.base,
                "X-Forwarded-For": f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            }
            t = time.monotonic()
            try:
                status, _, _ = request(c, "POST", form, body, headers)
            except Exception as e:  # noqa: BLE001 - counted and reported
                status = type(e).__name__
                c = conn()
            with lock:
                ask_lat.append((time.monotonic() - t) * 1000)
                if status != 200:
                    ask_unexpected[str(status)] = ask_unexpected.get(str(status), 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=asker) for _ in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ask_seconds = time.monotonic() - started

    # 2. The links, from the outbox.
    links, wanted, seen = {}, set(emails), set()
    deadline = time.monotonic() + 180
    while len(links) < len(wanted) and time.monotonic() < deadline:
        for name in sorted(os.listdir(a.outbox)):
            if not name.endswith(".eml") or name in seen:
                continue
            seen.add(name)
            with open(os.path.join(a.outbox, name), "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            to = str(msg["To"]).strip()
            if to not in wanted:
                continue
            part = msg.get_body(preferencelist=("plain",))
            link = re.search(r"/anfrage\?token=([0-9]+\.[0-9a-f]+)", part.get_content() if part else "")
            if link:
                links[to] = link.group(1)
        if len(links) < len(wanted):
            time.sleep(0.5)
    if len(links) < len(wanted):
        print(json.dumps({"error": f"only {len(links)} of {len(wanted)} confirmation links in the outbox"}))
        return 1

    # 3. Every guest confirms at once.
    tokens = [links[e] for e in emails]
    barrier = threading.Barrier(len(tokens) + 1)
    con_lat, outcome = [], {}

    def confirmer(token):
        c = conn()
        c.connect()
        body = urllib.parse.urlencode({"token": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": a.base}
        barrier.wait()
        t = time.monotonic()
        try:
            status, _, _ = request(c, "POST", "/anfrage/bestaetigen", body, headers)
        except Exception as e:  # noqa: BLE001 - counted and reported
            status = type(e).__name__
        with lock:
            con_lat.append((time.monotonic() - t) * 1000)
            outcome[str(status)] = outcome.get(str(status), 0) + 1

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=confirmer, args=(tok,)) for tok in tokens]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.monotonic()
    for t in threads:
        t.join()
    con_seconds = time.monotonic() - started

    # 4. The provider accepts every request it was told of (the office links in its mails).
    ids = {int(t.split(".")[0]) for t in tokens}
    office = {}
    deadline = time.monotonic() + 120
    while len(office) < outcome.get("303", 0) and time.monotonic() < deadline:
        for name in sorted(os.listdir(a.outbox)):
            if not name.endswith(".eml") or name in seen:
                continue
            seen.add(name)
            with open(os.path.join(a.outbox, name), "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            part = msg.get_body(preferencelist=("plain",))
            m = re.search(r"(/anbieten/[0-9]+/anfragen/([0-9]+))", part.get_content() if part else "")
            if m and int(m.group(2)) in ids:
                office[int(m.group(2))] = m.group(1)
        if len(office) < outcome.get("303", 0):
            time.sleep(0.5)
    acc_lat, acc_unexpected = [], {}
    paths = sorted(office.values())
    if paths:
        _, _, first = request(conn(), "GET", paths[0], headers={"Cookie": a.cookie})
        m = re.search(r'name="csrf" value="([^"]+)"', first)
        staff_csrf = m.group(1) if m else ""
        barrier = threading.Barrier(len(paths) + 1)

        def accepter(path):
            c = conn()
            c.connect()
            body = urllib.parse.urlencode({"csrf": staff_csrf, "action": "accept"})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": a.base, "Cookie": a.cookie}
            barrier.wait()
            t = time.monotonic()
            try:
                status, _, _ = request(c, "POST", path, body, headers)
            except Exception as e:  # noqa: BLE001 - counted and reported
                status = type(e).__name__
            with lock:
                acc_lat.append((time.monotonic() - t) * 1000)
                if status != 303:
                    acc_unexpected[str(status)] = acc_unexpected.get(str(status), 0) + 1

        threads = [threading.Thread(target=accepter, args=(p,)) for p in paths]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.monotonic()
        for t in threads:
            t.join()
        acc_seconds = time.monotonic() - started
    else:
        acc_seconds = 0.0

    # 5. The end state, from every request's own page.
    counts = {"accepted": 0, "unconfirmed": 0, "other": 0}
    todo = list(tokens)

    def reader():
        c = conn()
        while True:
            with lock:
                if not todo:
                    break
                token = todo.pop()
            _, _, html = request(c, "GET", "/anfrage?token=" + token)
            m = re.search(r'data-state="([a-z]+)"', html)
            state = m.group(1) if m else "none"
            with lock:
                counts[state if state in counts else "other"] += 1

    threads = [threading.Thread(target=reader) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    print(json.dumps({
        "guests": a.guests,
        "day": day,
        "ask": {**stats(ask_lat, ask_seconds, a.guests), "unexpected": ask_unexpected},
        "confirm": {
            **stats(con_lat, con_seconds, len(tokens)),
            "concurrent": len(tokens),
            "took": outcome.get("303", 0),
            "full": outcome.get("422", 0),
            "unexpected": {k: v for k, v in outcome.items() if k not in ("303", "422")},
        },
        "accept": {**stats(acc_lat, acc_seconds, len(paths)), "concurrent": len(paths), "unexpected": acc_unexpected},
        **counts,
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
