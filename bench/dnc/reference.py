#!/usr/bin/env python3
"""The reference of bench/dnc/run: the same registry file loaded into a Python set of ints, then
the same kind of random lookups as `relief dnc check` (half numbers of the file, half random
numbers of its area codes), in the same process. Prints one JSON line.

  reference.py FILE --lookups N --seed S

A line loads when, without its commas and spaces, it is ten digits whose first and fourth are
2-9 (the header and malformed lines count as bad). Memory is the growth of the resident set
while loading (/proc/self/status VmRSS).
"""

import argparse
import itertools
import json
import random
import time


def resident_bytes():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--lookups", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    before = resident_bytes()
    started = time.perf_counter()
    numbers = set()
    lines = bad = 0
    with open(args.file, "rb") as handle:
        for line in handle:
            lines += 1
            digits = line.strip().replace(b",", b"").replace(b" ", b"")
            if not digits:
                continue
            if len(digits) == 10 and digits.isdigit() and digits[0] >= 50 and digits[3] >= 50:
                numbers.add(int(digits))
            else:
                bad += 1
    load_seconds = time.perf_counter() - started
    grown = resident_bytes() - before

    rng = random.Random(args.seed)
    half = args.lookups // 2
    step = max(1, len(numbers) // max(1, half))
    keys = list(itertools.islice(itertools.islice(numbers, 0, None, step), half))
    area_codes = sorted({n // 10_000_000 for n in keys}) or [202]
    while len(keys) < args.lookups:
        keys.append(rng.choice(area_codes) * 10_000_000 + rng.randrange(2_000_000, 10_000_000))
    rng.shuffle(keys)
    started = time.perf_counter()
    hits = 0
    for key in keys:
        if key in numbers:
            hits += 1
    lookup_seconds = time.perf_counter() - started

    print(json.dumps({
        "numbers": len(numbers), "lines": lines, "bad": bad, "load_seconds": load_seconds,
        "memory_bytes": grown, "lookups": len(keys), "hits": hits,
        "lookups_per_second": len(keys) / lookup_seconds if lookup_seconds else None,
    }))


if __name__ == "__main__":
    main()
