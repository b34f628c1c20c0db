#!/usr/bin/env python3
"""Paced comment load for bench/run.sh: a signed-in citizen posting comments at a fixed rate
(a token bucket over all workers, each one thread with one keep-alive connection), while the
radar is read. Each post is POST /massnahmen/{slug}/kommentare with a new text, answered 303.

Prints one JSON object on stdout in writer.py's shape:
  {"workers", "seconds", "saves", "saves_per_s", "p50_ms", "p99_ms", "max_ms", "mode",
   "unexpected": {"<status or error>": count}, "notes": []}
Standard library only.

Usage: poster.py --base http://127.0.0.1:18080 --cookie 'sr_session=…' --csrf … \
                 --slugs a,b,c --rate 500 --seconds 12 [--workers 8]
"""

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--cookie", required=True)
    ap.add_argument("--csrf", required=True)
    ap.add_argument("--slugs", required=True)
    ap.add_argument("--rate", type=float, default=500)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=8)
    a = ap.parse_args()
    url = urllib.parse.urlsplit(a.base)
    slugs = [s for s in a.slugs.split(",") if s]
    lock = threading.Lock()
    latencies = []
    unexpected = {}
    start = time.monotonic()
    end = start + a.seconds
    state = {"next": start, "n": 0}

    def take():
        # The next moment a post may start, spaced 1/rate apart over all workers.
        with lock:
            at = state["next"]
            state["next"] = at + 1.0 / a.rate
            state["n"] += 1
            return at, state["n"]

    def worker(w):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": a.cookie,
            "Origin": a.base,
        }
        while True:
            at, n = take()
            if at >= end:
                return
            wait = at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            slug = slugs[n % len(slugs)]
            body = urllib.parse.urlencode({"csrf": a.csrf, "body": f"Kommentar im Takt {w}-{n}"})
            t0 = time.monotonic()
            try:
                conn.request("POST", f"/massnahmen/{slug}/kommentare", body, headers)
                res = conn.getresponse()
                res.read()
                status = res.status
            except Exception as e:  # noqa: BLE001 - every failure is counted
                status = type(e).__name__
                conn.close()
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            ms = (time.monotonic() - t0) * 1000
            with lock:
                if status == 303:
                    latencies.append(ms)
                else:
                    unexpected[str(status)] = unexpected.get(str(status), 0) + 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(a.workers)]
    print("ready", file=sys.stderr, flush=True)
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - start
    latencies.sort()

    def q(p):
        if not latencies:
            return None
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 2)

    print(json.dumps({
        "workers": a.workers,
        "seconds": round(took, 2),
        "saves": len(latencies),
        "saves_per_s": round(len(latencies) / took, 1) if took else None,
        "p50_ms": q(0.50),
        "p99_ms": q(0.99),
        "max_ms": round(latencies[-1], 2) if latencies else None,
        "mode": "paced",
        "unexpected": unexpected,
        "notes": [],
    }))


if __name__ == "__main__":
    main()
