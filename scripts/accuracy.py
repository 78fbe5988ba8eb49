#!/usr/bin/env python3
"""Real-code accuracy: run keyleak over the pinned corpora and print, per
rule, how many findings were reviewed as true, defensible or noise.

    python3 scripts/accuracy.py BENCH_DIR KEYLEAK [--labels docs/accuracy-labels.tsv]

A review label is keyed by rule, path (relative to the corpus) and a hash
of the reported line's text (not its number, so labels survive unrelated
edits; not the text itself, which may hold a secret).
A finding without a label is listed as "unreviewed": review it and add a
line to the labels file. Exits 1 when a reviewed-as-noise share exceeds
the goals (10% overall, 20% per rule) so that a regression is visible.
"""

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys

KINDS = ("true", "defensible", "noise")


def load_labels(path):
    labels = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or parts[3] not in KINDS:
                sys.exit(f"{path}:{n}: expected code<TAB>path<TAB>line hash<TAB>{'|'.join(KINDS)}[<TAB>why]")
            labels[(parts[0], parts[1], parts[2].strip())] = parts[3]
    return labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench_dir")
    ap.add_argument("keyleak")
    ap.add_argument("--corpus", default="large")
    ap.add_argument("--labels", default="docs/accuracy-labels.tsv")
    args = ap.parse_args()
    root = os.path.join(args.bench_dir, args.corpus)
    if not os.path.isdir(root):
        sys.exit(f"{root}: no such corpus (build it with ../shared/bench/make-corpus.sh {args.bench_dir})")
    out = subprocess.run(
        [args.keyleak, "check", root, "--isolated", "--format", "json", "--exit-zero", "-q"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    findings = json.loads(out)
    labels = load_labels(args.labels)
    table = collections.defaultdict(collections.Counter)
    unreviewed = []
    lines_of = {}
    for f in findings:
        rel = os.path.relpath(f["filename"], root)
        if rel not in lines_of:
            with open(f["filename"], encoding="utf-8", errors="replace") as fh:
                lines_of[rel] = fh.read().splitlines()
        row = f["location"]["row"]
        text = lines_of[rel][row - 1].strip() if row <= len(lines_of[rel]) else ""
        digest = hashlib.sha1(text.encode()).hexdigest()[:12]
        kind = labels.get((f["code"], rel, digest))
        if kind is None:
            kind = "unreviewed"
            unreviewed.append(f"{f['code']}\t{rel}\t{digest}\t?\tline {row}: {f['message']}")
        table[f["code"]][kind] += 1
    files = sum(1 for _, _, fs in os.walk(root) for x in fs if x.endswith(".py"))
    print(f"corpus: {args.corpus} ({files} Python files), {len(findings)} findings")
    print(f"| rule | findings | true | defensible | noise | unreviewed | noise share |")
    print(f"|---|---:|---:|---:|---:|---:|---:|")
    total = collections.Counter()
    bad = False
    for code in sorted(table):
        c = table[code]
        n = sum(c.values())
        total.update(c)
        share = c["noise"] / n if n else 0
        bad |= share > 0.20
        print(f"| {code} | {n} | {c['true']} | {c['defensible']} | {c['noise']} | {c['unreviewed']} | {share:.0%} |")
    n = sum(total.values())
    share = total["noise"] / n if n else 0
    bad |= share > 0.10
    print(f"| all | {n} | {total['true']} | {total['defensible']} | {total['noise']} | {total['unreviewed']} | {share:.0%} |")
    if unreviewed:
        print("\nunreviewed (add to the labels file with a verdict):")
        print("\n".join(unreviewed))
    if bad:
        print("\nnoise over the goal (10% overall, 20% per rule)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
