#!/usr/bin/env python3
"""Time keyleak against the pinned real-world corpus, side by side with the
Python security linters people run today (Ruff's flake8-bandit rules and
Bandit), interleaving the runs so machine noise hits every tool alike.

usage: scripts/bench.py CORPUS_DIR KEYLEAK [--runs N] [--tools-venv DIR]
CORPUS_DIR is the output of ../shared/bench/make-corpus.sh (medium/, tiny/).
Prints medians and ratios; nothing here is a pass/fail test.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def count(corpus: Path):
    files = [p for p in corpus.rglob("*.py") if p.is_file()]
    lines = 0
    size = 0
    for p in files:
        data = p.read_bytes()
        size += len(data)
        lines += data.count(b"\n")
    return len(files), lines, size


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("keyleak")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--tools-venv", type=Path)
    args = ap.parse_args()
    medium = args.corpus / "medium"
    tiny = args.corpus / "tiny" / "app.py"
    files, lines, size = count(medium)
    print(f"corpus: {medium} ({files} files, {lines} lines, {size / 1e6:.1f} MB of Python)")
    print(f"machine: {os.cpu_count()} cores; {args.runs} interleaved runs per tool after one warm-up\n")

    single = dict(os.environ, RAYON_NUM_THREADS="1")
    tools = [
        ("keyleak check", [args.keyleak, "check", str(medium), "--format", "json", "-o", os.devnull, "--exit-zero", "-q"], None),
        ("keyleak check (1 thread)", [args.keyleak, "check", str(medium), "--format", "json", "-o", os.devnull, "--exit-zero", "-q"], single),
        ("keyleak on a 19-line file", [args.keyleak, "check", str(tiny), "-q", "--exit-zero"], None),
    ]
    if args.tools_venv:
        bin_ = args.tools_venv / "bin"
        if (bin_ / "ruff").exists():
            tools.append(("ruff check --select S", [str(bin_ / "ruff"), "check", "--select", "S", "--no-cache", "--exit-zero", "-q", str(medium)], None))
        if (bin_ / "bandit").exists():
            tools.append(("bandit -r", [str(bin_ / "bandit"), "-r", "-q", "-f", "json", "-o", os.devnull, str(medium)], None))

    times = {name: [] for name, _, _ in tools}
    for name, cmd, env in tools:  # warm-up: page cache, first-run costs
        timed(cmd, env)
    for i in range(args.runs):
        for name, cmd, env in tools:
            times[name].append(timed(cmd, env))
        print(f"  run {i + 1}/{args.runs} done", file=sys.stderr)

    base = statistics.median(times["keyleak check"])
    print(f"{'tool':28} {'median':>9} {'min':>9} {'max':>9} {'vs keyleak':>11}")
    for name, _, _ in tools:
        t = times[name]
        med = statistics.median(t)
        ratio = "" if "19-line" in name else f"{med / base:10.2f}x"
        print(f"{name:28} {med:8.3f}s {min(t):8.3f}s {max(t):8.3f}s {ratio:>11}")
    print(f"\nkeyleak throughput: {lines / base / 1000:.0f}k lines/s, {size / base / 1e6:.1f} MB/s (median, all cores)")


if __name__ == "__main__":
    main()
