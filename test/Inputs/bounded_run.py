#!/usr/bin/env python3
"""Runs a command that must fail quickly and small: exit code 1 within
SECONDS, at most MB megabytes of peak memory (resident), its stderr passed
through. Fails (naming which bound) otherwise, a hang included.

usage: bounded_run.py SECONDS MB -- COMMAND...
"""
import resource
import subprocess
import sys

seconds, megabytes = float(sys.argv[1]), float(sys.argv[2])
command = sys.argv[sys.argv.index("--") + 1:]
try:
    result = subprocess.run(command, stderr=subprocess.PIPE, text=True, timeout=seconds)
except subprocess.TimeoutExpired:
    sys.exit("bounded_run.py: %s ran past %g s" % (command[0], seconds))
sys.stderr.write(result.stderr)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
if result.returncode != 1:
    sys.exit("bounded_run.py: exit code %d, not 1" % result.returncode)
if peak > megabytes:
    sys.exit("bounded_run.py: %s peaked at %.0f MB, over %g MB" % (command[0], peak, megabytes))
