#!/usr/bin/env python3
"""Checks a radar page: one dot per measure, no two dots overlapping.

Usage: check_radar.py RADAR_HTML EXPECTED_COUNT
"""
import re
import sys

html = open(sys.argv[1], encoding="utf-8").read()
expected = int(sys.argv[2])
dots = [
    (float(x), float(y), float(r))
    for x, y, r in re.findall(r'<a class="dot"[^>]*><circle[^>]*cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', html)
]
if len(dots) != expected:
    sys.exit(f"radar: {len(dots)} dots, expected {expected}")
# Coordinates are printed with one decimal, so allow 0.1 of rounding.
cell = 2 * max(r for _, _, r in dots)
grid = {}
for i, (x, y, _) in enumerate(dots):
    grid.setdefault((int(x // cell), int(y // cell)), []).append(i)
overlaps = 0
for (gx, gy), members in grid.items():
    for i in members:
        x, y, r = dots[i]
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((gx + dx, gy + dy), []):
                    if j > i:
                        u, v, s = dots[j]
                        if ((x - u) ** 2 + (y - v) ** 2) ** 0.5 < r + s - 0.15:
                            overlaps += 1
if overlaps:
    sys.exit(f"radar: {overlaps} pairs of overlapping dots")
print(f"radar: {len(dots)} dots, none overlapping (dot radius {dots[0][2]})")
