#!/usr/bin/env python3
"""The query plans of the list of offers on SQLite, for bench/run.sh.

Reads the statements a server ran from its JSON log (STADTRADAR_LOG_FORMAT=json,
STADTRADAR_LOG=warn,sqlx::query=debug: sqlx logs every statement with its full text), keeps the
distinct SELECTs that read `offers`, and prints for each the label of the request that ran it
(the log holds a line "probe <url>" written by the caller before each request), the statement's
WHERE clause and `EXPLAIN QUERY PLAN` on the database file. A statement reads every public offer
when a step is `SCAN o` (the whole table), or when it reaches the offers by `state` alone and
then counts them or sorts them all (a COUNT, or a temporary B-tree for the ORDER BY); such
statements are counted on the last line. (By `state` alone in the order of the index, with a
LIMIT, the list stops after its page.)

The plan is SQLite's of the version that runs it: with --sqlite-lib (a shared library built
from the SQLite that the server bundles, see bench/run.sh) the server's own, otherwise Python's,
which may be older and plan differently; the first line says which.

Usage: offers_plans.py --db bench.db --log server-plans.log [--sqlite-lib libsqlite3.so]
"""

import argparse
import ctypes
import json
import re
import sqlite3


def statements(log):
    """(probe, sql, milliseconds it took) in the order they ran, each distinct statement once."""
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
        yield probe, key, 1000.0 * float(f.get("elapsed_secs") or 0)


class Lib:
    """EXPLAIN QUERY PLAN through a SQLite shared library (ctypes); placeholders stay NULL."""

    def __init__(self, path, db):
        self.lib = lib = ctypes.CDLL(path)
        lib.sqlite3_libversion.restype = ctypes.c_char_p
        lib.sqlite3_errmsg.restype = ctypes.c_char_p
        lib.sqlite3_column_text.restype = ctypes.c_char_p
        lib.sqlite3_prepare_v2.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                           ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]
        for f in ("sqlite3_step", "sqlite3_finalize"):
            getattr(lib, f).argtypes = [ctypes.c_void_p]
        lib.sqlite3_column_int.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.sqlite3_column_text.argtypes = [ctypes.c_void_p, ctypes.c_int]
        lib.sqlite3_errmsg.argtypes = [ctypes.c_void_p]
        self.db = ctypes.c_void_p()
        # SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
        rc = lib.sqlite3_open_v2(f"file:{db}?mode=ro".encode(), ctypes.byref(self.db), 0x01 | 0x40, None)
        if rc != 0:
            raise sqlite3.Error(f"cannot open {db} ({rc})")
        self.version = lib.sqlite3_libversion().decode()

    def execute(self, sql):
        stmt = ctypes.c_void_p()
        if self.lib.sqlite3_prepare_v2(self.db, sql.encode(), -1, ctypes.byref(stmt), None) != 0:
            raise sqlite3.Error(self.lib.sqlite3_errmsg(self.db).decode())
        rows = []
        try:
            while self.lib.sqlite3_step(stmt) == 100:  # SQLITE_ROW
                rows.append(tuple(self.lib.sqlite3_column_int(stmt, i) for i in range(3))
                            + (self.lib.sqlite3_column_text(stmt, 3).decode(),))
        finally:
            self.lib.sqlite3_finalize(stmt)
        return rows


class Python:
    """EXPLAIN QUERY PLAN through Python's sqlite3 module; placeholders bound to NULL."""

    def __init__(self, db):
        self.conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        self.version = sqlite3.sqlite_version

    def execute(self, sql):
        params = {str(i): None for i in range(1, 100)}
        return self.conn.execute(sql, params).fetchall()


def plan(conn, sql):
    # The plan does not depend on the placeholders' values.
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql)
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
    ap.add_argument("--sqlite-lib", default="", help="a SQLite shared library to plan with")
    args = ap.parse_args()
    if args.sqlite_lib:
        conn = Lib(args.sqlite_lib, args.db)
        print(f"SQLite {conn.version} ({args.sqlite_lib}, as the server bundles it)\n")
    else:
        conn = Python(args.db)
        print(f"SQLite {conn.version} (Python's; the server bundles its own, which may plan differently)\n")
    scans = []
    n = 0
    for probe, sql, ms in statements(args.log):
        n += 1
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else "(no WHERE)"
        head = "COUNT" if sql.upper().startswith("SELECT COUNT(") else "rows"
        print(f"## {probe} ({head}; {ms:.1f} ms in the server)")
        print(f"WHERE {where}")
        try:
            steps = plan(conn, sql)
        except sqlite3.Error as e:
            steps = [f"(no plan: {e})"]
        print("\n".join(steps))
        print()
        table_scan = any(re.match(r"^\s*SCAN o\b", s) for s in steps)
        by_state = any(re.match(r"^\s*SEARCH o USING (COVERING )?INDEX \S+ \(state=\?\)$", s) for s in steps)
        all_of_them = head == "COUNT" or any("TEMP B-TREE FOR ORDER BY" in s for s in steps)
        if table_scan or (by_state and all_of_them):
            scans.append(f"{probe} ({head})")
    print(f"{n} statements; {len(scans)} read every public offer: {'; '.join(scans) or 'none'}")


if __name__ == "__main__":
    main()
