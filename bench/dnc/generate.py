#!/usr/bin/env python3
"""Writes a National DNC registry full-list file for bench/dnc/run (standard library only).

  generate.py --size N --seed S --out FILE --expect JSON [--spread registry|worst]

With `--spread registry` (the default) the file holds N distinct valid numbers (random order) spread over about N / 750,000 area codes,
as the real registry spreads its 250 million numbers over about 330 area codes: each area code
has 600 of its 792 possible exchanges (200-999 but N11) in service and its numbers drawn
uniformly among them, its share of N varying from 0.5 to 1.5 times the mean. Area codes take
turns writing `2025550143`, `202,5550143` and `2025550143` with CRLF line ends. A header line
comes first; one number in 10,000 is written a second time (a duplicate line) and one line in
100,000 is malformed (9 digits, dashes, an area code or exchange starting with 0/1, an unknown
flag). The same seed gives the same file. The expectations (distinct numbers, lines, malformed
lines, area codes) go to JSON.

With `--spread worst` the numbers are spread the way that costs ReliefCRM's tables the most memory
per number at the national registry's scale: 250 million numbers over all 640,000 possible
exchanges (800 area codes x 800 exchanges) is 390.625 numbers per exchange, so the file has that
many numbers (390 or 391) in each of N / 390.625 exchanges, all 800 exchanges of each area code in
turn; no duplicates, no malformed lines, ten-digit lines.
"""

import argparse
import json
import random

BAD_LINES = [
    lambda ac, rng: f"{ac}{rng.randrange(2_000_000, 10_000_000)}"[:9],
    lambda ac, rng: f"{ac}-{rng.randrange(200, 1000)}-{rng.randrange(10_000):04d}",
    lambda ac, rng: f"1{ac % 100:02d}{rng.randrange(2_000_000, 10_000_000)}",
    lambda ac, rng: f"{ac}0{rng.randrange(1_000_000):06d}",
    lambda ac, rng: f"{ac},{rng.randrange(2_000_000, 10_000_000)},X",
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--expect", required=True)
    parser.add_argument("--spread", choices=["registry", "worst"], default="registry")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.spread == "worst":
        return worst(args, rng)

    possible = [n for n in range(200, 1000) if n % 100 != 11]
    area_count = max(1, round(args.size / 750_000))
    area_codes = sorted(rng.sample([n for n in possible if n // 10 % 10 != 9], area_count))
    weights = [rng.uniform(0.5, 1.5) for _ in area_codes]
    shares = [int(args.size * w / sum(weights)) for w in weights]
    shares[-1] += args.size - sum(shares)

    lines = 1
    duplicates = 0
    bad = 0
    with open(args.out, "w", newline="") as out:
        out.write("phone_number\n")
        for index, (area_code, share) in enumerate(zip(area_codes, shares)):
            exchanges = rng.sample(possible, 600)
            slots = rng.sample(range(600 * 10_000), share)
            style = index % 3
            end = "\r\n" if style == 2 else "\n"
            if style == 1:
                text = [f"{area_code},{exchanges[s // 10_000]}{s % 10_000:04d}" for s in slots]
            else:
                text = [f"{area_code}{exchanges[s // 10_000]}{s % 10_000:04d}" for s in slots]
            extra = [rng.choice(text) for _ in range(share // 10_000)]
            wrong = [BAD_LINES[(bad + n) % len(BAD_LINES)](area_code, rng) for n in range(share // 100_000)]
            block = text + extra + wrong
            rng.shuffle(block)
            out.write(end.join(block))
            out.write(end)
            lines += len(block)
            duplicates += len(extra)
            bad += len(wrong)
    with open(args.expect, "w") as handle:
        json.dump({"numbers": args.size, "lines": lines, "duplicates": duplicates, "bad": bad,
                   "area_codes": area_codes}, handle)
        handle.write("\n")


def worst(args, rng):
    exchanges = max(1, round(args.size / 390.625))
    area_codes = [n for n in range(200, 1000) if n % 100 != 11 and n // 10 % 10 != 9]
    area_codes = sorted(rng.sample(area_codes, -(-exchanges // 800)))
    base, extra = divmod(args.size, exchanges)
    with open(args.out, "w", newline="") as out:
        for index in range(exchanges):
            area_code, exchange = area_codes[index // 800], 200 + index % 800
            lines = rng.sample(range(10_000), base + (1 if index < extra else 0))
            out.write("".join(f"{area_code}{exchange}{line:04d}\n" for line in lines))
    with open(args.expect, "w") as handle:
        json.dump({"numbers": args.size, "lines": args.size, "duplicates": 0, "bad": 0,
                   "area_codes": area_codes, "exchanges": exchanges}, handle)
        handle.write("\n")


if __name__ == "__main__":
    main()
