#!/usr/bin/env python3
"""Checks a `cnn-run --profile=json` report against the model's own
figures: one row per stage, in run order, whose MACs add up to
`cnn-opt --cnn-stats=json=true`'s total for the same IR, shares that add up
to 1, and the layer names given on the command line among the rows.

    check_profile.py PROFILE.json STATS.json LAYER...
"""
import json
import math
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        profile = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        stats = json.load(f)
    stages = profile["stages"]
    problems = []
    if stages[0]["layer"] != "input" or stages[-1]["layer"] != "output":
        problems.append("the rows do not start at the input and end at the output")
    macs = sum(s["macs"] for s in stages)
    expected = stats["functions"][0]["total"]["macs"]
    if macs != expected:
        problems.append(f"the rows count {macs} MACs, --cnn-stats {expected}")
    for s in stages:
        for key in ("ms", "share", "gflops", "peak_share"):
            if not math.isfinite(s[key]) or s[key] < 0:
                problems.append(f"{s['layer']}: {key} = {s[key]}")
    share = sum(s["share"] for s in stages)
    if abs(share - 1) > 1e-6:
        problems.append(f"the shares add up to {share}")
    total = sum(s["ms"] for s in stages)
    if abs(total - profile["total_ms"]) > 1e-6 * max(1.0, total):
        problems.append(f"the rows add up to {total} ms, total_ms says {profile['total_ms']}")
    names = [s["layer"] for s in stages]
    for layer in sys.argv[3:]:
        if layer not in names:
            problems.append(f"no row for {layer}")
    if problems:
        sys.exit("error: " + "; ".join(problems))
    print(f"{len(stages)} stages, {macs} MACs")


if __name__ == "__main__":
    main()
