// Real modules for the editor timings: whole modules of one Flask project
// (Flask-AppBuilder, from the pinned corpus that ../shared/bench/make-corpus.sh
// builds), concatenated to about 1,000 and 5,000 lines, as a developer's
// large module looks. Two probes are added, marked as such:
// - line 1 holds a hardcoded key, so that a squiggle shows as soon as the
//   file's findings arrive (open to squiggles);
// - a function in the middle ends in `print(toke)`: typing `n` makes it
//   log the caller's Authorization header (KL201), so one keystroke makes a
//   squiggle appear (keystroke to squiggles). It sits between two modules.
// Usage: node real-modules.mjs CORPUS OUTDIR  (CORPUS: the corpus's medium/ or large/)
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";

export const TOP_PROBE = 'KEYLEAK_PROBE_API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"  # probe: a finding on line 1\n';
export const KEYSTROKE_PROBE = [
  "",
  "",
  "def keyleak_probe():  # probe: typing `n` after `toke` below logs the Authorization header",
  "    from flask import request as probe_request",
  "",
  '    token = probe_request.headers.get("Authorization")',
  "    print(toke)",
  "",
  "",
];

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : n.endsWith(".py") ? [p] : [];
    });
}

/**
 * The module files, in a fixed order: largest first, then whole modules in
 * path order while they fit under `lines` + 3%.
 * @param {string} project @param {number} lines
 */
function pick(project, lines) {
  const files = walk(project).map((p) => ({ p, n: readFileSync(p, "utf8").split("\n").length }));
  const bySize = [...files].sort((a, b) => b.n - a.n || a.p.localeCompare(b.p));
  const out = [];
  let total = 0;
  for (const f of [...bySize.slice(0, 1), ...files]) {
    if (out.includes(f) || total + f.n > lines * 1.03) continue;
    out.push(f);
    total += f.n;
    if (total >= lines * 0.98) break;
  }
  return out.map((f) => f.p);
}

/**
 * Write real_1k.py and real_5k.py into `outDir`; returns, for each, its
 * path, line count, the modules it holds and the 1-based line and column
 * where the keystroke goes.
 * @param {string} corpus @param {string} outDir
 */
export function makeRealModules(corpus, outDir) {
  const project = join(corpus, "flask_appbuilder");
  mkdirSync(outDir, { recursive: true });
  return [
    ["real_1k.py", 1000],
    ["real_5k.py", 5000],
  ].map(([name, lines]) => {
    const modules = pick(project, /** @type {number} */ (lines));
    const texts = modules.map((m) => readFileSync(m, "utf8").replace(/\n*$/, "\n"));
    const half = Math.floor(texts.length / 2) || 1;
    const body = [...texts.slice(0, half), KEYSTROKE_PROBE.join("\n"), ...texts.slice(half)].join("");
    const text = TOP_PROBE + body;
    const all = text.split("\n");
    const probeLine = all.findIndex((l) => l === "    print(toke)") + 1;
    writeFileSync(join(outDir, /** @type {string} */ (name)), text);
    return { name, path: join(outDir, /** @type {string} */ (name)), lines: all.length - 1, modules: modules.map((m) => relative(corpus, m)), keystroke: { line: probeLine, column: "    print(toke".length + 1 } };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [corpus, out] = process.argv.slice(2);
  if (!corpus || !out) {
    console.error("usage: node real-modules.mjs CORPUS/medium OUTDIR");
    process.exit(2);
  }
  for (const m of makeRealModules(corpus, out)) console.log(`${m.path}: ${m.lines} lines from ${m.modules.join(", ")}; keystroke at ${m.keystroke.line}:${m.keystroke.column}`);
}
