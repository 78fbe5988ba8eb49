// The editor's timings on real modules, keyleak's WebAssembly engine beside
// Ruff's WebAssembly build in the same Node process, measured alternately:
// - a full check of real_1k.py and real_5k.py (whole Flask-AppBuilder
//   modules concatenated; see tests/vscode/real-modules.mjs);
// - a re-check after a one-character edit (type `x`, then delete it) at
//   places of each kind spread through the file: inside methods, class
//   bodies, module level, comments, strings, imports.
// Prints one JSON object; scripts/bench.py writes it into docs/benchmarks.md.
// Usage: node editor.mjs CORPUS/medium OUTDIR
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, Engine } from "../../crate/pkg/keyleak.js";
import { Workspace, PositionEncoding } from "@astral-sh/ruff-wasm-nodejs";
import { makeRealModules } from "../../tests/vscode/real-modules.mjs";

initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Where one-character edits land, by kind: the same rules as the native
 * `recheck_real` test in crate/tests/incremental.rs. Returns [kind, line, column].
 * @param {string} text @param {number} perKind
 */
export function editPlaces(text, perKind) {
  /** @type {Record<string, [number, number][]>} */
  const byKind = { method: [], "class body": [], "module level": [], comment: [], string: [], import: [] };
  let inClass = false;
  text.split("\n").forEach((raw, line) => {
    const body = raw.trimEnd();
    const t = body.trimStart();
    const indent = body.length - t.length;
    if (indent === 0 && t && !t.startsWith("#") && !t.startsWith("@") && !t.startsWith(")")) inClass = t.startsWith("class ");
    const ident = t ? t.search(/[A-Za-z]/) : -1;
    let place = null;
    if (t.startsWith("#")) place = ["comment", indent + 1];
    else if (indent === 0 && (t.startsWith("import ") || t.startsWith("from "))) place = ["import", t.indexOf(" ") + 2];
    else if (t.includes('"') && indent >= 8 && !t.includes('"""')) place = ["string", indent + t.indexOf('"') + 1];
    else if (inClass && indent === 4 && t.includes(" = ") && !t.startsWith("def ")) place = ["class body", indent + 1];
    else if (inClass && indent >= 8 && ident === 0 && !t.startsWith("def ")) place = ["method", indent + 1];
    else if (indent === 0 && !inClass && t.includes(" = ") && ident === 0) place = ["module level", 1];
    if (place) byKind[place[0]].push([line, place[1]]);
  });
  /** @type {[string, number, number][]} */
  const out = [];
  for (const [kind, places] of Object.entries(byKind)) {
    const step = Math.max(1, Math.floor(places.length / perKind));
    places.filter((_, i) => i % step === 0).slice(0, perKind).forEach(([l, c]) => out.push([kind, l, c]));
  }
  return out;
}

function main() {
  const [corpus, outDir] = process.argv.slice(2);
  if (!corpus || !outDir) {
    console.error("usage: node editor.mjs CORPUS/medium OUTDIR");
    process.exit(2);
  }
  const engine = new Engine();
  const ruffDefault = new Workspace(Workspace.defaultSettings(), PositionEncoding.Utf16);
  const ruffS = new Workspace({ ...Workspace.defaultSettings(), lint: { select: ["S"] } }, PositionEncoding.Utf16);
  const files = [];
  for (const m of makeRealModules(corpus, outDir)) {
    const text = readFileSync(m.path, "utf8");
    // full checks, alternating so that noise hits each alike
    const t = { keyleak: [], ruff: [], ruffS: [] };
    const runs = { keyleak: () => engine.check(text, "app.py"), ruff: () => ruffDefault.check(text), ruffS: () => ruffS.check(text) };
    for (const f of Object.values(runs)) f();
    for (let i = 0; i < 15; i++) {
      for (const [name, f] of Object.entries(runs)) {
        const s = performance.now();
        f();
        t[name].push(performance.now() - s);
      }
    }
    // re-checks after one typed character, then its deletion
    const places = [];
    for (const [kind, line, column] of editPlaces(text, 6)) {
      const doc = engine.open(text, "app.py");
      doc.check();
      const xs = [];
      for (let k = 0; k < 6; k++) {
        const s = performance.now();
        if (k % 2 === 0) doc.edit(line, column, line, column, "x");
        else doc.edit(line, column, line, column + 1, "");
        doc.check();
        xs.push(performance.now() - s);
      }
      doc.free();
      places.push({ kind, line: line + 1, ms: median(xs) });
    }
    const kinds = {};
    for (const p of places) (kinds[p.kind] ??= []).push(p.ms);
    files.push({
      name: m.name,
      lines: m.lines,
      modules: m.modules,
      full: { keyleak: median(t.keyleak), ruff: median(t.ruff), ruffS: median(t.ruffS) },
      recheck: median(places.map((p) => p.ms)),
      byKind: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, { median: median(v), max: Math.max(...v), places: v.length }])),
      places,
    });
  }
  console.log(JSON.stringify({ ruffVersion: Workspace.version(), files }, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
