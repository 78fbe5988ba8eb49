#!/usr/bin/env python3
"""`make bench`: keyleak's speed beside the tools people run today, on the
pinned real-world corpus, written to docs/benchmarks.md.

usage: scripts/bench.py CORPUS_DIR KEYLEAK --tools-venv DIR [--runs N]
                        [--out docs/benchmarks.md] [--editor-json FILE]

CORPUS_DIR is the output of ../shared/bench/make-corpus.sh (medium/, large/,
tiny/). Every command of a table runs alternately with the others, so that
the load of this shared machine hits them alike; each figure is a median.
CPU time (user + system, of the process and its children) is what "per
core" figures divide by; peak RSS is the largest resident set of the
process tree as wait4 reports it.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def python_files(root: Path):
    return sorted(p for p in root.rglob("*.py") if p.is_file())


def size_of(root: Path):
    files = python_files(root) if root.is_dir() else [root]
    lines = size = 0
    for p in files:
        d = p.read_bytes()
        lines += d.count(b"\n")
        size += len(d)
    return len(files), lines, size


TIME = shutil.which("time", path="/usr/bin:/bin")


def run(cmd, env=None):
    """Wall seconds, CPU seconds and peak RSS (KiB) of one run. The RSS
    comes from GNU time when it is installed: a child forked from this
    Python process would count the parent's pages until it execs."""
    rss_file = Path("target/bench-rss.txt")
    full = [TIME, "-f", "%M", "-o", str(rss_file), *cmd] if TIME else cmd
    start = time.perf_counter()
    p = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}")
    rss = ru.ru_maxrss
    if TIME:
        rss = int(rss_file.read_text().split()[-1])
    return wall, ru.ru_utime + ru.ru_stime, rss


def measure(tools, runs, label, warm_up=True):
    """Run each (name, cmd, env) `runs` times, alternating, after one
    warm-up. Returns name -> (median wall, median cpu, max rss)."""
    samples = {name: [] for name, _, _ in tools}
    for name, cmd, env in tools if warm_up else []:
        run(cmd, env)
    for i in range(runs):
        for name, cmd, env in tools:
            samples[name].append(run(cmd, env))
        print(f"  {label}: run {i + 1}/{runs}", file=sys.stderr)
    out = {}
    for name, s in samples.items():
        out[name] = (
            statistics.median(x[0] for x in s),
            statistics.median(x[1] for x in s),
            max(x[2] for x in s),
        )
    return out


def one_file(corpus: Path, lines: int, out: Path):
    """Whole modules of the corpus, in path order, concatenated to about
    `lines` lines: one large real file."""
    text, n = [], 0
    for p in python_files(corpus):
        t = p.read_text(encoding="utf-8", errors="replace").rstrip("\n") + "\n"
        k = t.count("\n")
        if n + k > lines * 1.05:
            continue
        text.append(t)
        n += k
        if n >= lines * 0.97:
            break
    out.write_text("".join(text), encoding="utf-8")
    return n


def copies(medium: Path, k: int, out: Path):
    """`k` copies of the medium corpus side by side."""
    if out.exists():
        return
    for i in range(k):
        shutil.copytree(medium, out / f"copy{i}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("keyleak")
    ap.add_argument("--tools-venv", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    ap.add_argument("--editor-json", type=Path, help="output of scripts/bench/editor.mjs")
    args = ap.parse_args()
    kl = os.path.abspath(args.keyleak)
    bin_ = args.tools_venv / "bin"
    medium, large, tiny = args.corpus / "medium", args.corpus / "large", args.corpus / "tiny" / "app.py"
    one = dict(os.environ, RAYON_NUM_THREADS="1")
    two = dict(os.environ, RAYON_NUM_THREADS="2")
    rules = Path(__file__).parent / "bench" / "semgrep-rules.yml"

    def keyleak(path, env, *extra):
        return [kl, "check", str(path), "--format", "json", "-o", os.devnull, "--exit-zero", "-q", *extra], env

    def peers(path, slow: bool):
        t = [
            ("Ruff `--select S`", [str(bin_ / "ruff"), "check", "--select", "S", "--no-cache", "--exit-zero", "-q", str(path)], None),
        ]
        if slow:
            t += [
                ("Bandit", [str(bin_ / "bandit"), "-r", "-q", "-f", "json", "-o", os.devnull, str(path)], None),
                ("Semgrep, 5 local rules, 1 job", [str(bin_ / "semgrep"), "scan", "--config", str(rules), "--metrics=off", "--disable-version-check", "--no-git-ignore", "-j", "1", "-q", "--json", "-o", os.devnull, str(path)], None),
            ]
        return t

    def corpus_table(path, runs, slow_runs, detect_secrets):
        tools = [
            ("keyleak, 2 threads", *keyleak(path, two)),
            ("keyleak, 1 thread", *keyleak(path, one)),
            ("parse + walk every node (the floor), 1 thread", *keyleak(path, one, "--parse-only")),
        ]
        tools += peers(path, False)
        slow = peers(path, True)[1:]
        if detect_secrets:
            slow.append(("detect-secrets", [str(bin_ / "detect-secrets"), "scan", "--all-files", str(path)], None))
        t = measure(tools, runs, path.name)
        # the slow peers take minutes on the large corpus: fewer runs, the
        # page cache already warm
        t.update(measure(slow, slow_runs, path.name + " (slow peers)", warm_up=slow_runs > 1))
        return t

    report = {}
    for name, path, slow_runs, ds in [("medium", medium, args.runs, True), ("large", large, 1, False)]:
        report[name] = (size_of(path), corpus_table(path, args.runs, slow_runs, ds))

    # start-up: one 19-line file, and --version
    startup = measure(
        [("check a 19-line file", *keyleak(tiny, None)), ("--version", [kl, "--version"], None)], 21, "start-up"
    )

    # scaling: copies of the medium corpus, and single large real files
    scale_dir = Path("target/bench-scale")
    scale_dir.mkdir(parents=True, exist_ok=True)
    scaled = []
    for k in (1, 4, 16):
        d = scale_dir / f"medium-x{k}"
        copies(medium, k, d)
        scaled.append((f"{k}x medium corpus", d))
    for lines in (1000, 5000, 20000):
        f = scale_dir / f"real-{lines // 1000}k.py"
        if not f.exists():
            one_file(large, lines, f)
        scaled.append((f"one file, {lines // 1000}k real lines", f))
    scaling = measure([(label, *keyleak(p, one)) for label, p in scaled], max(args.runs, 3), "scaling")

    editor = json.loads(args.editor_json.read_text()) if args.editor_json else None
    args.out.write_text(render(report, startup, scaling, scaled, editor, args.runs))
    print(f"wrote {args.out}")


def render(report, startup, scaling, scaled, editor, runs):
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench` (scripts/bench.py, scripts/bench/editor.mjs); rerun it",
        "to check any figure. The machine is shared and has 2 cores: commands of one",
        f"table run alternately, {runs} times each after a warm-up, and each figure is a",
        "median. CPU is user + system time of the process tree, so *MB/s per core*",
        "compares tools however many threads they use. Ruff, Bandit, Semgrep and",
        "detect-secrets are pinned in the Makefile; Semgrep runs a 5-rule local file",
        "(scripts/bench/semgrep-rules.yml) and skips the files its default ignore list",
        "names, so its figures flatter it.",
        "",
    ]
    for name, ((files, lines, size), t) in report.items():
        base = t["keyleak, 2 threads"][1]
        floor = t["parse + walk every node (the floor), 1 thread"][1]
        out += [
            f"## The {name} corpus: {files:,} files, {lines:,} lines, {size / 1e6:.1f} MB of Python",
            "",
            "| command | wall s | CPU s | MB/s per core | CPU vs keyleak | peak RSS MiB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for tool, (wall, cpu, rss) in t.items():
            out.append(
                f"| {tool} | {wall:.2f} | {cpu:.2f} | {size / 1e6 / cpu:.2f} | {cpu / base:.2f}x | {rss / 1024:.0f} |"
            )
        one = t["keyleak, 1 thread"]
        out += [
            "",
            f"keyleak's CPU time is {base / floor:.2f}x the parse-and-walk floor; 2 threads finish "
            f"{one[0] / t['keyleak, 2 threads'][0]:.2f}x faster than 1.",
            "",
        ]
    out += [
        "## Start-up",
        "",
        "| command | wall ms | peak RSS MiB |",
        "|---|---:|---:|",
    ]
    for tool, (wall, _, rss) in startup.items():
        out.append(f"| keyleak {tool} | {wall * 1000:.1f} | {rss / 1024:.0f} |")
    out += [
        "",
        "## Scaling (1 thread)",
        "",
        "CPU time per MB should not grow with the input.",
        "",
        "| input | files | lines | MB | CPU s | CPU s per MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, path in scaled:
        files, lines, size = size_of(path)
        cpu = scaling[label][1]
        out.append(f"| {label} | {files:,} | {lines:,} | {size / 1e6:.2f} | {cpu:.2f} | {cpu / (size / 1e6):.2f} |")
    if editor:
        out += [
            "",
            "## Editor: the WebAssembly engine on real modules, beside Ruff's",
            "",
            f"Whole modules of Flask-AppBuilder concatenated (tests/vscode/real-modules.mjs), checked",
            f"in one Node process by keyleak's WebAssembly build and Ruff {editor['ruffVersion']}'s",
            "(`@astral-sh/ruff-wasm-nodejs`, default rules and `S` rules), alternately, medians of 15.",
            "A re-check types one character and then deletes it, at 6 places of each kind spread",
            "through the file; each place's figure is the median of 6 re-checks.",
            "",
            "| file | lines | keyleak full check ms | Ruff (default rules) ms | Ruff (`S`) ms | keyleak re-check, median over places ms | vs Ruff full check |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for f in editor["files"]:
            full = f["full"]
            out.append(
                f"| {f['name']} | {f['lines']:,} | {full['keyleak']:.1f} | {full['ruff']:.1f} | {full['ruffS']:.1f} | "
                f"{f['recheck']:.2f} | {f['recheck'] / full['ruff']:.2f}x |"
            )
        kinds = list(editor["files"][-1]["byKind"])
        out += [
            "",
            "Re-check by where the edit lands (median, and the slowest place), ms:",
            "",
            "| file | " + " | ".join(kinds) + " |",
            "|---|" + "---:|" * len(kinds),
        ]
        for f in editor["files"]:
            cells = [f"{f['byKind'][k]['median']:.1f} (max {f['byKind'][k]['max']:.1f})" if k in f["byKind"] else "" for k in kinds]
            out.append(f"| {f['name']} | " + " | ".join(cells) + " |")
        out += [
            "",
            "An edit that renames what other code reads (an import, a module-level name) makes every",
            "function that mentions it, or the whole module, be analysed again.",
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main()
