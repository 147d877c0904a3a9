"""python3 -m cnnc compile MODEL -o OUT [cnnc options]: the cnnc command
line, run by the compiler installed with this package (so a Python user
needs no PATH set up). `python3 -m cnnc run LIBRARY.so` runs a compiled
shared library once on zeros and prints its top-5 and latency."""
import subprocess
import sys

import numpy as np

from . import compiler, load

USAGE = ("usage: python3 -m cnnc compile MODEL -o OUT [cnnc options]\n"
         "       python3 -m cnnc run LIBRARY.so [--bench=N]")


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 1
    command, rest = argv[0], argv[1:]
    if command == "compile":
        return subprocess.run([compiler()] + rest).returncode
    if command == "run" and rest:
        runs = 20
        for arg in rest[1:]:
            if not arg.startswith("--bench="):
                print("python3 -m cnnc run: unknown option %s\n%s" %
                      (arg, USAGE), file=sys.stderr)
                return 1
            value = arg.split("=", 1)[1]
            if not value.isdigit() or int(value) < 1:
                print("python3 -m cnnc run: --bench takes a positive count, "
                      "not %s" % value, file=sys.stderr)
                return 1
            runs = int(value)
        model = load(rest[0])
        scores = model(np.zeros(model.input_shape, np.float32)).reshape(-1)
        top = np.argsort(-scores)[:5]
        print(model)
        print("top-5: " + ", ".join("%d (%.4g)" % (i, scores[i]) for i in top))
        print("latency: %s" % (model.benchmark(runs),))
        return 0
    print("python3 -m cnnc: unknown command %s\n%s" % (command, USAGE),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
