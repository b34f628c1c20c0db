#!/usr/bin/env python3
"""Addresses of the list of offers for bench/offers_search.lua: COUNT different searches, each a
postcode of the city (the distance is measured from it) with a mix of filters as people combine
them: a category (most), free of charge (half), a day of the week (half), a time of day, a radius,
an age, step-free access, a language, and with --words a search word in that share of them. The
same seed gives the same list.

Usage: offer_urls.py --postcodes 36251,36252 --categories pc-hilfe,ehrenamt --count 60000 \
                     [--words 0.0] [--seed 1]
"""

import argparse
import random

DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"]
TIMES = ["morning", "afternoon", "evening"]
RADII = ["2", "5", "10"]
WORDS = ["Smartphone", "Tablet", "Gaming", "Maker", "Coding", "Senioren", "Kita", "PC-Hilfe", "Fotografie", "Familien"]
LANGUAGES = ["en", "tr", "ar", "uk"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postcodes", required=True)
    ap.add_argument("--categories", required=True)
    ap.add_argument("--count", type=int, default=60000)
    ap.add_argument("--words", type=float, default=0.0, help="share of searches with a word (0..1)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    postcodes = [p for p in args.postcodes.split(",") if p]
    categories = [c for c in args.categories.split(",") if c]
    rng = random.Random(args.seed)
    seen = set()
    tries = 0
    while len(seen) < args.count and tries < 50 * args.count:
        tries += 1
        q = []
        if rng.random() < args.words:
            q.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.8:
            q.append(("category", rng.choice(categories)))
        if rng.random() < 0.1:
            q.append(("age", str(rng.choice([5, 8, 12, 16, 30, 70]))))
        if rng.random() < 0.5:
            q.append(("day", rng.choice(DAYS)))
        if rng.random() < 0.3:
            q.append(("time", rng.choice(TIMES)))
        if rng.random() < 0.5:
            q.append(("free", "1"))
        if rng.random() < 0.1:
            q.append(("access", "step_free"))
        if rng.random() < 0.05:
            q.append(("language", rng.choice(LANGUAGES)))
        q.append(("postcode", rng.choice(postcodes)))
        if rng.random() < 0.3:
            q.append(("radius", rng.choice(RADII)))
        url = "/angebote?" + "&".join(f"{k}={v}" for k, v in q)
        if url not in seen:
            seen.add(url)
            print(url)


if __name__ == "__main__":
    main()
