"""Edits a tuning records file as a user would: the record whose stage
starts with STAGE gets Winograd tile WINOGRAD and the plan PLAN (JSON).

Usage: set_tuning_plan.py RECORDS STAGE WINOGRAD PLAN
"""
import json
import sys

path, stage, winograd, plan = sys.argv[1:]
with open(path) as f:
    records = json.load(f)
matched = [r for r in records["records"] if r["stage"].startswith(stage + ":")]
if len(matched) != 1:
    sys.exit(f"{path}: {len(matched)} records for stage {stage}, not one")
matched[0].update(winograd=int(winograd), plan=json.loads(plan))
with open(path, "w") as f:
    json.dump(records, f)
