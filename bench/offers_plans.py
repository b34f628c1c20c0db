#!/usr/bin/env python3
"""The query plans of the list of offers on SQLite, for bench/run.sh.

Reads the statements a server ran from its JSON log (STADTRADAR_LOG_FORMAT=json,
STADTRADAR_LOG=warn,sqlx::query=debug: sqlx logs every statement with its full text), keeps the
distinct SELECTs that read `offers`, and prints for each the label of the request that ran it
(the log holds a line "probe <url>" written by the caller before each request), the statement's
WHERE clause and `EXPLAIN QUERY PLAN` on the database file. A plan step `SCAN o` reads the whole
offers table (or a whole index of it); such statements are counted on the last line.

Usage: offers_plans.py --db bench.db --log server-plans.log
"""

import argparse
import json
import re
import sqlite3


def statements(log):
    """(probe, sql) in the order they ran, each distinct statement once."""
    seen = set()
    probe = "?"
    for line in open(log, encoding="utf-8", errors="replace"):
        line = line.strip()
        if line.startswith("probe "):
            probe = line[len("probe "):]
            continue
        if not line.startswith("{"):
            continue
        try:
            d = json.loads(line)
        except ValueError:
            continue
        f = d.get("fields", {})
        sql = (f.get("db.statement") or "").strip() or (f.get("summary") or "").strip()
        if not re.match(r"(?is)^select\b", sql) or not re.search(r"(?i)\bfrom offers\b", sql):
            continue
        key = " ".join(sql.split())
        if key in seen:
            continue
        seen.add(key)
        yield probe, key


def plan(conn, sql):
    # Every placeholder ($1, $2, …) bound to NULL: the plan does not depend on the values.
    params = {str(i): None for i in range(1, 100)}
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    depth = {0: 0}
    out = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        out.append("  " * depth[node] + detail)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    scans = []
    n = 0
    for probe, sql in statements(args.log):
        n += 1
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else "(no WHERE)"
        head = "COUNT" if sql.upper().startswith("SELECT COUNT(") else "rows"
        print(f"## {probe} ({head})")
        print(f"WHERE {where}")
        try:
            steps = plan(conn, sql)
        except sqlite3.Error as e:
            steps = [f"(no plan: {e})"]
        print("\n".join(steps))
        print()
        if any(re.match(r"^\s*SCAN o\b", s) for s in steps):
            scans.append(f"{probe} ({head})")
    print(f"{n} statements; {len(scans)} read all offers (SCAN o): {'; '.join(scans) or 'none'}")


if __name__ == "__main__":
    main()
