#!/usr/bin/env python3
"""The driver of bench/compare.sh: per model, exports torchvision's model
to ONNX (test/Inputs/torch_fixture.py: seeded weights and BatchNorm
statistics), compiles that file with cnnc and checks its output against
PyTorch's, then times CNNC (the linked object, bench/cnnc_serve.c), ONNX
Runtime (the same .onnx file, bench/ort_time.js) and PyTorch
(bench/torch_cpu.py: the best of eager and traced + frozen channels-last),
each a long-lived process warmed up at its start, in short rounds, the
engines' runs interleaved, and prints one markdown row per model: the
medians over the rounds, CNNC/ORT and CNNC/PyTorch (the medians of the
per-round ratios; for CNNC/ORT also their middle half), CNNC's GFLOP/s
in its fastest round and share of the peak; then the geometric means.

    compare_engines.py --work=DIR --peak=GFLOPS --runs=N --rounds=R
                       --threads=T --size=S --batch=B [--tune] MODEL...

ORT_NODE_MODULES names the folder holding node_modules/onnxruntime-node.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          **kwargs)


class Server:
    """An engine in its own process that answers `N` with median times."""

    def __init__(self, cmd, env=None):
        self.process = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        env=env)
        line = self.process.stdout.readline().strip()
        if line != "ready":
            self.process.kill()
            raise RuntimeError(f"{cmd[1]} did not start: {line!r}")

    def time(self, runs):
        self.process.stdin.write(f"{runs}\n")
        self.process.stdin.flush()
        return [float(t) for t in self.process.stdout.readline().split()]

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


def interleaved(servers, rounds, runs, pause=0.2):
    """Each server's median of `runs` runs, `rounds` times, the servers one
    after another in every round: {name: [median per round]}. Rounds are
    short so that the engines of one round meet the machine at the same
    speed (some machines switch speeds every few seconds); the pause lets
    the threads of the engine before stop spinning. PyTorch's server
    answers its variants' medians: the best counts."""
    times = {name: [] for name in servers}
    for _ in range(rounds):
        for name, server in servers.items():
            times[name].append(min(server.time(runs)))
            time.sleep(pause)
    return times


def paired(numerators, denominators):
    """The median of the per-round ratios, and their middle half as text:
    two engines' times compared within each round, where both ran at the
    machine's speed of that moment."""
    ratios = sorted(n / d for n, d in zip(numerators, denominators))
    quarter = len(ratios) // 4
    return (statistics.median(ratios),
            f"{ratios[quarter]:.2f}-{ratios[len(ratios) - 1 - quarter]:.2f}")


def macs_of(onnx):
    stats = run([f"{ROOT}/build/bin/cnn-opt", onnx, "--cnn-stats",
                 "-o", os.devnull]).stdout
    for line in stats.splitlines():
        if line.startswith("total: "):
            return int(line.split("macs=")[1])
    return 0


def matches(reference, output):
    """`yes (ratio)` or `NO (...)`: npy.py's compare at 2e-5 of max|ref|."""
    check = subprocess.run([PYTHON, f"{ROOT}/test/Inputs/npy.py", "compare",
                            reference, output, "2e-5"],
                           capture_output=True, text=True)
    text = (check.stdout + check.stderr).strip().splitlines()
    ratio = next((l.split("ratio = ")[1].split()[0].rstrip(";:") for l in text
                  if "ratio = " in l), "?")
    return f"yes ({ratio})" if check.returncode == 0 else f"NO ({ratio})"


def prepare(model, args):
    """Exports, compiles, links and checks `model`; returns its folder and
    what the checks said, or raises with what failed."""
    side = 299 if model == "inception_v3" else args.size
    d = os.path.join(args.work, model)
    run([PYTHON, f"{ROOT}/test/Inputs/torch_fixture.py", model, d,
         f"--input-size={side}", f"--batch={args.batch}", "--onnx"])
    onnx = os.path.join(d, "model.onnx")
    tune = ["--tune", f"--tuning={args.work}/tuning.json"] if args.tune else []
    started = time.time()
    run([f"{ROOT}/build/bin/cnnc", onnx, "--quiet", *tune, "-o",
         f"{d}/model.o"])
    compile_s = time.time() - started
    run(["cc", "-O2", f"-I{d}", '-DMODEL_HEADER="model.h"',
         f"{ROOT}/examples/classify.c", f"{d}/model.o", "-o", f"{d}/run",
         "-lpthread", "-ldl", "-lm"])
    run([f"{d}/run", f"{d}/input.npy", f"{d}/cnnc.npy", "1"])
    run(["cc", "-O2", f"-I{d}", f"-I{ROOT}/examples",
         '-DMODEL_HEADER="model.h"', f"{ROOT}/bench/cnnc_serve.c",
         f"{d}/model.o", "-o", f"{d}/serve", "-lpthread", "-ldl", "-lm"])
    return d, side, compile_s, matches(f"{d}/torch.npy", f"{d}/cnnc.npy")


def measure(model, d, side, args):
    """Per round: CNNC, ONNX Runtime, PyTorch, one after another."""
    cnnc = Server([f"{d}/serve", f"{d}/input.npy"])
    ort = Server(["node", f"{ROOT}/bench/ort_time.js", f"{d}/model.onnx",
                  str(args.threads), f"{d}/input.npy", f"{d}/ort.npy"])
    ort_matches = matches(f"{d}/torch.npy", f"{d}/ort.npy")
    torch = Server([PYTHON, f"{ROOT}/bench/torch_cpu.py", "--serve",
                    str(args.threads), str(side), str(args.batch), model])
    try:
        times = interleaved({"cnnc": cnnc, "ort": ort, "torch": torch},
                            args.rounds, args.runs)
    finally:
        cnnc.close()
        ort.close()
        torch.close()
    return times, ort_matches


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--work", "--peak"):
        p.add_argument(flag, required=True)
    for flag, default in (("--runs", 5), ("--rounds", 15), ("--threads", 2),
                          ("--size", 224), ("--batch", 1)):
        p.add_argument(flag, type=int, default=default)
    p.add_argument("--tune", action="store_true")
    p.add_argument("models", nargs="+")
    args = p.parse_args()
    peak = float(args.peak)

    heads = ["model", "matches PyTorch", "CNNC ms", "ORT ms", "PyTorch ms",
             "CNNC/ORT", "(middle half)", "CNNC/PT", "GFLOP/s", "% peak"]
    if args.tune:
        heads.append("compile s")
    print("| " + " | ".join(heads) + " |")
    print("|" + "|".join("---" for _ in heads) + "|")
    ratios_ort, ratios_pt, failed = [], [], []
    for model in args.models:
        try:
            d, side, compile_s, match = prepare(model, args)
            macs = macs_of(f"{d}/model.onnx")
            times, ort_match = measure(model, d, side, args)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            detail = getattr(e, "stderr", "") or str(e)
            failed.append(model)
            print(f"| {model} | failed: {detail.strip()[:80]} |", flush=True)
            continue
        if not ort_match.startswith("yes"):
            match += f"; ORT {ort_match}"
        cnnc = statistics.median(times["cnnc"])
        ort = statistics.median(times["ort"])
        pt = statistics.median(times["torch"])
        versus_ort, spread = paired(times["cnnc"], times["ort"])
        versus_pt, _ = paired(times["cnnc"], times["torch"])
        gflops = 2 * macs / (min(times["cnnc"]) / 1e3) / 1e9
        ratios_ort.append(versus_ort)
        ratios_pt.append(versus_pt)
        cells = [model, match, f"{cnnc:.2f}", f"{ort:.2f}", f"{pt:.2f}",
                 f"{versus_ort:.2f}", spread, f"{versus_pt:.2f}",
                 f"{gflops:.0f}", f"{100 * gflops / peak:.0f}%"]
        if args.tune:
            cells.append(f"{compile_s:.0f}")
        print("| " + " | ".join(cells) + " |", flush=True)
        subprocess.run(["rm", "-rf", d])

    print()
    print("GFLOP/s and % peak count a direct convolution's multiply-adds; "
          "Winograd layers do fewer, so a model can pass 100%.")
    if ratios_ort:
        print(f"geometric mean over {len(ratios_ort)} models: CNNC/ORT "
              f"{geomean(ratios_ort):.2f}, CNNC/PyTorch "
              f"{geomean(ratios_pt):.2f}")
    if failed:
        print(f"failed: {' '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
