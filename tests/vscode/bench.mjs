// Editor timings on real code, in a real VS Code (code-server), in both
// extension hosts:
// - open to squiggles: from Enter in Ctrl+P to the first squiggle drawn
//   (the extension is already active: a small file was opened first);
// - keystroke to squiggles: from the key press that makes a finding to its
//   squiggle drawn (median of 7), and from Backspace to it gone. Both
//   include the extension's debounce (`keyleak.delay`, 150 ms by default).
// Beside them, the engine alone in Node on the same files (full check; the
// incremental re-check after the same keystroke).
// Usage: node bench.mjs [CORPUS]   (default ../../target/bench-corpus/medium)
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Engine, initSync } from "../../crate/pkg/keyleak.js";
import { OUT, openBrowser, startCodeServer } from "./codeserver.mjs";
import { makeRealModules } from "./real-modules.mjs";
import { goTo, openFile, ready } from "./ui.mjs";

const corpus = process.argv[2] ?? new URL("../../target/bench-corpus/medium", import.meta.url).pathname;
const RUNS = 7;
const scratch = join(OUT, "vscode-bench-modules");
const modules = makeRealModules(corpus, scratch);
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// the engine alone, in Node
initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });
const engine = new Engine({});
/** @type {Record<string, any>} */
const results = { engineInNode: {}, node: {}, web: {} };
for (const m of modules) {
  const text = readFileSync(m.path, "utf8");
  const full = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    engine.check(text, m.name);
    full.push(performance.now() - t);
  }
  const doc = engine.open(text, m.name);
  doc.check();
  const keystroke = [];
  const { line, column } = m.keystroke;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    doc.edit(line - 1, column - 1, line - 1, column - 1, "n");
    const on = doc.check();
    keystroke.push(performance.now() - t);
    if (!on.diagnostics.some((d) => d.code === "KL201" && d.range.start.line === line - 1)) throw new Error(`${m.name}: the keystroke probe makes no KL201`);
    t = performance.now();
    doc.edit(line - 1, column - 1, line - 1, column, "");
    doc.check();
    keystroke.push(performance.now() - t);
  }
  doc.free();
  results.engineInNode[m.name] = { lines: m.lines, fullCheckMs: +median(full).toFixed(1), keystrokeRecheckMs: +median(keystroke).toFixed(1) };
}

const WARM = 'import logging\nAPI_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx"\n';
for (const host of /** @type {const} */ (["node", "web"])) {
  // each module three times under other names: each open is a first open
  const copy = (/** @type {string} */ name, /** @type {number} */ i) => (i ? name.replace(".py", `_${i + 1}.py`) : name);
  const files = Object.fromEntries([["warm.py", WARM], ...modules.flatMap((m) => [0, 1, 2].map((i) => [copy(m.name, i), readFileSync(m.path, "utf8")]))]);
  const cs = await startCodeServer({ files, host });
  const b = await openBrowser(cs.origin);
  const { page } = b;
  try {
    await page.goto(cs.url);
    await ready(page);
    await openFile(page, "warm.py");
    await page.waitForSelector(".monaco-editor .squiggly-error", { timeout: 30_000 });
    for (const m of modules) {
      // open to squiggles, three first opens
      const opens = [];
      for (let i = 2; i >= 0; i--) {
        const name = copy(m.name, i);
        await page.keyboard.press("Escape");
        await page.keyboard.press("Control+1");
        await page.keyboard.press("Control+P");
        await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input");
        await page.keyboard.type(name);
        await page.waitForFunction((n) => [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((r) => r.textContent?.includes(n)), name);
        const opened = performance.now();
        await page.keyboard.press("Enter");
        await page.waitForFunction(
          (n) => {
            const ed = document.querySelector(".editor-group-container.active .monaco-editor");
            return !!document.querySelector(`.tab.active[aria-label*="${n}"]`) && !!ed && ed.querySelector(".view-line")?.textContent?.includes("KEYLEAK_PROBE_API_KEY") && !!ed.querySelector(".squiggly-error");
          },
          name,
          { timeout: 60_000, polling: "raf" },
        );
        opens.push(performance.now() - opened);
        if (i) await page.keyboard.press("Control+W");
      }
      const open = median(opens);

      // keystroke to squiggles
      await goTo(page, m.keystroke.line, m.keystroke.column);
      const count = () => page.$$eval(".editor-group-container.active .monaco-editor .squiggly-warning", (els) => els.length);
      const base = await count();
      const appear = [];
      const disappear = [];
      for (let i = 0; i < RUNS; i++) {
        let t = performance.now();
        await page.keyboard.press("n");
        await page.waitForFunction((n) => document.querySelectorAll(".editor-group-container.active .monaco-editor .squiggly-warning").length > n, base, { timeout: 30_000, polling: "raf" });
        appear.push(performance.now() - t);
        t = performance.now();
        await page.keyboard.press("Backspace");
        await page.waitForFunction((n) => document.querySelectorAll(".editor-group-container.active .monaco-editor .squiggly-warning").length === n, base, { timeout: 30_000, polling: "raf" });
        disappear.push(performance.now() - t);
      }
      results[host][m.name] = {
        lines: m.lines,
        openToSquigglesMs: Math.round(open),
        openRangeMs: [Math.round(Math.min(...opens)), Math.round(Math.max(...opens))],
        keystrokeToSquigglesMs: Math.round(median(appear)),
        keystrokeToSquiggleGoneMs: Math.round(median(disappear)),
        keystrokeRangeMs: [Math.round(Math.min(...appear)), Math.round(Math.max(...appear))],
      };
      console.error(`${host} host, ${m.name}: ${JSON.stringify(results[host][m.name])}`);
      await page.keyboard.press("Control+W");
    }
    if (b.outside.length) throw new Error(`requests left 127.0.0.1: ${b.outside.join(", ")}`);
  } finally {
    await b.browser.close();
    await cs.close();
  }
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "vscode-bench.json"), JSON.stringify({ corpus, modules: modules.map(({ name, lines, modules }) => ({ name, lines, modules })), results }, null, 2) + "\n");
console.log("file         lines | engine in Node: full, keystroke | VS Code Node host: open, keystroke | web worker host: open, keystroke  (ms; keystroke includes the 150 ms debounce)");
for (const m of modules) {
  const e = results.engineInNode[m.name];
  const n = results.node[m.name];
  const w = results.web[m.name];
  console.log(`${m.name.padEnd(12)} ${String(m.lines).padStart(5)} | ${e.fullCheckMs}, ${e.keystrokeRecheckMs} | ${n.openToSquigglesMs}, ${n.keystrokeToSquigglesMs} | ${w.openToSquigglesMs}, ${w.keystrokeToSquigglesMs}`);
}
