#!/usr/bin/env python3
"""Write load for bench/run.sh: editors saving measures in the back office (or providers
saving their offers, --paths).

Each worker (one thread, one keep-alive connection) owns ONE measure, so optimistic-version
conflicts do not occur. A worker fetches the edit form once (GET /admin/massnahmen/{id}),
reads every field as a browser would submit it, then saves the form again and again
(POST /admin/massnahmen/{id}), each time with a new description text. A save answers 303;
the worker then knows the next version is its version + 1. That assumption is checked once
per worker after its first save (the form is fetched again); if the version did not go up by
exactly one, the worker fetches the form after every save instead (mode "reget"), and a save's
latency then covers both requests. A form without a `version` field (an offer's) is posted
as it is, with a new description each time (mode "plain").

The rate is a token bucket over all workers (--rate, saves per second; 0 = as fast as the
server answers). Standard library only.

Prints one JSON object on stdout:
  {"workers", "seconds", "saves", "saves_per_s", "p50_ms", "p99_ms", "max_ms", "requests",
   "mode", "unexpected": {"<status or error>": count}, "notes": [...]}
Progress and problems go to stderr. Exit status 0 even with unexpected answers (the caller
turns them into warnings); 2 when the set-up fails (no form, first save refused).

Usage: writer.py --base http://127.0.0.1:18080 --cookie 'sr_session=…' --ids 17,18 \
                 [--seconds 10] [--rate 0] [--label measure-save]
       writer.py … --paths /anbieten/3/angebote/120   (any form that saves with a 303)
"""

import argparse
import html.parser
import http.client
import json
import math
import re
import sys
import threading
import time
import urllib.parse


class FormParser(html.parser.HTMLParser):
    """The fields of the first <form> whose action is `action`, in document order, as a
    browser submits them: inputs (checkboxes and radios only when checked), textareas,
    selects (the selected option, else the first)."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.in_form = False
        self.done = False
        self.fields = []  # [name, value]
        self.textarea = None  # [name, parts]
        self.select = None  # {"name", "first", "chosen"}
        self.option = None  # {"value" or None, "text", "selected"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action") == self.action:
            self.in_form = True
            return
        if not self.in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append([name, a.get("value") or "on"])
                return
            self.fields.append([name, a.get("value") or ""])
        elif tag == "textarea" and name:
            self.textarea = [name, []]
        elif tag == "select" and name:
            self.select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": [], "selected": "selected" in a}

    def _end_option(self):
        o, s = self.option, self.select
        if o is None or s is None:
            return
        value = o["value"] if o["value"] is not None else "".join(o["text"]).strip()
        if s["first"] is None:
            s["first"] = value
        if o["selected"]:
            s["chosen"] = value
        self.option = None

    def handle_endtag(self, tag):
        if not self.in_form:
            return
        if tag == "form":
            self.in_form = False
            self.done = True
        elif tag == "textarea" and self.textarea is not None:
            text = "".join(self.textarea[1])
            # HTML drops one newline right after <textarea>.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.fields.append([self.textarea[0], text])
            self.textarea = None
        elif tag == "option":
            self._end_option()
        elif tag == "select" and self.select is not None:
            self._end_option()
            s = self.select
            value = s["chosen"] if s["chosen"] is not None else s["first"]
            if value is not None:
                self.fields.append([s["name"], value])
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)
        elif self.option is not None:
            self.option["text"].append(data)


def alerts(body):
    """The error list of a refused save, for the log."""
    m = re.search(r'role="alert">(.*?)</div>', body, re.S)
    return re.sub(r"<[^>]+>", " ", m.group(1)).split() if m else []


class Bucket:
    """Token bucket shared by all workers: `rate` tokens per second, at most one second's
    worth saved up (so a slow stretch is not followed by a long burst)."""

    def __init__(self, rate):
        self.rate = rate
        self.lock = threading.Lock()
        self.tokens = 1.0
        self.last = time.monotonic()

    def take(self, deadline):
        if self.rate <= 0:
            return time.monotonic() < deadline
        while True:
            with self.lock:
                now = time.monotonic()
                self.tokens = min(max(self.rate, 1.0), self.tokens + (now - self.last) * self.rate)
                self.last = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return now < deadline
                wait = (1.0 - self.tokens) / self.rate
            if now + wait >= deadline:
                return False
            time.sleep(wait)


class Worker(threading.Thread):
    def __init__(self, args, mid, path, bucket, start_evt):
        super().__init__(daemon=True)
        self.args = args
        self.mid = mid
        self.path = path
        self.bucket = bucket
        self.start_evt = start_evt
        self.host = urllib.parse.urlsplit(args.base)
        self.conn = None
        self.latencies = []
        self.requests = 0
        self.unexpected = {}
        self.notes = []
        self.mode = "count"
        self.fields = None
        self.version = None
        self.n = 0
        self.saves = 0
        self.ready = False
        self.failed = None

    # -- HTTP ------------------------------------------------------------------------------
    def connect(self):
        if self.conn is not None:
            self.conn.close()
        self.conn = http.client.HTTPConnection(self.host.hostname, self.host.port or 80, timeout=60)

    def request(self, method, body=None):
        headers = {"Cookie": self.args.cookie, "Origin": self.args.base.rstrip("/")}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.connect()
                self.conn.request(method, self.path, body=body, headers=headers)
                res = self.conn.getresponse()
                data = res.read()
                self.requests += 1
                if (res.getheader("Connection") or "").lower() == "close":
                    self.connect()
                return res.status, data.decode("utf-8", "replace")
            except (http.client.HTTPException, OSError) as e:
                self.count(f"error: {type(e).__name__}")
                self.connect()
                if attempt == 2:
                    return None, ""
        return None, ""

    def count(self, key):
        self.unexpected[key] = self.unexpected.get(key, 0) + 1

    # -- form ------------------------------------------------------------------------------
    def load_form(self):
        status, body = self.request("GET")
        if status != 200:
            raise RuntimeError(f"GET {self.path} answered {status}")
        p = FormParser(self.path)
        p.feed(body)
        p.close()
        names = [k for k, _ in p.fields]
        for need in ("csrf", "description"):
            if need not in names:
                raise RuntimeError(f"GET {self.path}: the form has no field {need!r}")
        self.fields = p.fields
        if "version" in names:
            self.version = int(dict(p.fields)["version"])
        else:
            self.mode = "plain"
        if self.base_description is None:
            self.base_description = dict(p.fields)["description"].rstrip()

    base_description = None

    def body(self):
        self.n += 1
        text = f"{self.base_description}\n\nLasttest {self.args.label} {self.mid}: Stand {self.n}."
        out = []
        for k, v in self.fields:
            if k == "version":
                v = str(self.version)
            elif k == "description":
                v = text
            out.append((k, v))
        return urllib.parse.urlencode(out)

    def save(self):
        """One save; returns the HTTP status (None on a connection error)."""
        status, body = self.request("POST", self.body())
        if status == 303:
            if self.mode == "count":
                self.version += 1
            elif self.mode == "reget":
                self.load_form()
        elif status == 409:
            # Someone else saved this measure: take the stored version and go on.
            self.load_form()
        elif status == 422:
            self.notes.append(f"{self.path}: save refused (422): {' '.join(alerts(body))[:300]}")
        return status

    # -- run -------------------------------------------------------------------------------
    def setup(self):
        self.load_form()
        v0 = self.version
        status = self.save()
        if status != 303:
            raise RuntimeError(f"first save of {self.path} answered {status}")
        self.load_form()
        if self.mode != "plain" and self.version != v0 + 1:
            self.mode = "reget"
            self.notes.append(
                f"{self.path}: version went from {v0} to {self.version} after one save "
                "(expected +1); fetching the form after every save"
            )
        self.requests = 0
        self.unexpected = {}
        self.notes = [n for n in self.notes if "version went" in n]

    def run(self):
        try:
            self.setup()
            self.ready = True
        except Exception as e:  # noqa: BLE001 - reported to the caller
            self.failed = f"{type(e).__name__}: {e}"
            return
        self.start_evt.wait()
        deadline = self.deadline
        while self.bucket.take(deadline):
            t0 = time.perf_counter()
            try:
                status = self.save()
            except RuntimeError as e:  # the form could not be fetched again
                self.notes.append(str(e))
                status = "form lost"
            self.latencies.append((time.perf_counter() - t0) * 1000.0)
            if status == 303:
                self.saves += 1
            else:
                self.count(str(status) if status is not None else "no answer")


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    # Nearest rank: the smallest value with at least p % of all values at or below it.
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100.0 * len(sorted_values)) - 1))
    return round(sorted_values[k], 2)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="http://127.0.0.1:18080")
    ap.add_argument("--cookie", required=True, help="sr_session=… of an editor or admin")
    ap.add_argument("--ids", default="", help="comma-separated measure ids, one worker each")
    ap.add_argument("--paths", default="", help="comma-separated form addresses instead of --ids, one worker each")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rate", type=float, default=0.0, help="saves per second over all workers; 0 = unlimited")
    ap.add_argument("--label", default="bench")
    args = ap.parse_args()

    ids = [int(x) for x in args.ids.split(",") if x.strip()]
    paths = [f"/admin/massnahmen/{mid}" for mid in ids]
    paths += [x.strip() for x in args.paths.split(",") if x.strip()]
    if not paths:
        sys.exit("writer: no measure ids and no paths")
    ids += [int(re.sub(r"\D", "", p.rsplit("/", 1)[-1]) or 0) for p in paths[len(ids):]]
    start_evt = threading.Event()
    bucket = Bucket(args.rate)
    workers = [Worker(args, mid, path, bucket, start_evt) for mid, path in zip(ids, paths)]
    for w in workers:
        w.start()
    # Set-up (form fetched, one save, form fetched again) before the clock starts.
    while any(w.is_alive() and not w.ready for w in workers):
        time.sleep(0.01)
    failed = [f"{w.path}: {w.failed}" for w in workers if w.failed]
    if failed:
        for f in failed:
            print(f"writer: {f}", file=sys.stderr)
        print(json.dumps({"error": "; ".join(failed)}))
        sys.exit(2)
    t0 = time.monotonic()
    for w in workers:
        w.deadline = t0 + args.seconds
    print(f"writer: {len(workers)} worker(s) ready, saving for {args.seconds:g}s", file=sys.stderr, flush=True)
    start_evt.set()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - t0

    lat = sorted(x for w in workers for x in w.latencies)
    unexpected = {}
    for w in workers:
        for k, v in w.unexpected.items():
            unexpected[k] = unexpected.get(k, 0) + v
    saves = sum(w.saves for w in workers)
    notes = [n for w in workers for n in w.notes]
    modes = sorted({w.mode for w in workers})
    out = {
        "label": args.label,
        "workers": len(workers),
        "ids": ids,
        "paths": paths,
        "rate_target": args.rate,
        "seconds": round(elapsed, 2),
        "attempts": len(lat),
        "saves": saves,
        "saves_per_s": round(saves / elapsed, 1) if elapsed > 0 else 0,
        "p50_ms": percentile(lat, 50),
        "p99_ms": percentile(lat, 99),
        "max_ms": round(lat[-1], 2) if lat else None,
        "requests": sum(w.requests for w in workers),
        "mode": ",".join(modes),
        "unexpected": unexpected,
        "notes": notes[:20],
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
