// Shared plumbing of the playground's browser tests: one Chromium and one
// static server for the run, pages that may not reach past 127.0.0.1,
// axe-core (from npm, injected into the page) and share-link decoding.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { inflateRawSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const DIST = new URL("../../www/dist/", import.meta.url).pathname;
export const OUT = new URL("../out/", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { viewport: { width: 1400, height: 900 } };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export const STORAGE_KEY = "keyleak.playground.v1";

let server;
let browser;
export async function start() {
  mkdirSync(OUT, { recursive: true });
  server = await serve(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  return server;
}
export async function stop() {
  await browser?.close();
  await server?.close();
}
export const url = () => server.url;

/** A fresh browser context (own storage); any request past 127.0.0.1 is blocked and recorded. */
export async function newPage(options = DESKTOP) {
  const context = await browser.newContext(options);
  const outside = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(server.url) || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  watch(page, errors);
  return { context, page, outside, errors };
}
export function watch(page, errors) {
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
}

export const text = (page) => page.evaluate(() => window.keyleakPlayground.view.state.doc.toString());
export const codes = (page) => page.evaluate(() => [...document.querySelectorAll("#findings li")].map((li) => li.dataset.code).sort().join(","));
export const waitForCodes = (page, want) =>
  page.waitForFunction((w) => [...document.querySelectorAll("#findings li")].map((li) => li.dataset.code).sort().join(",") === w, want);

export async function paste(page, source) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, source);
  await page.waitForFunction((t) => window.keyleakPlayground.view.state.doc.toString() === t, source);
}

/** Where `needle` sits in the editor, in page coordinates (for hovering a squiggle). */
export function coordsOf(page, needle) {
  return page.evaluate((n) => {
    const { view } = window.keyleakPlayground;
    const pos = view.state.doc.toString().indexOf(n);
    const c = view.coordsAtPos(pos);
    return { x: c.left + 3, y: (c.top + c.bottom) / 2 };
  }, needle);
}

/** The JSON inside a `#v1.` share link, decoded the way the link format is specified. */
export function decodeLink(link) {
  const m = link.match(/#v1\.([A-Za-z0-9_-]+)$/);
  assert.ok(m, `a v1 share link: ${link}`);
  return JSON.parse(inflateRawSync(Buffer.from(m[1], "base64url")).toString("utf8"));
}

// ---------- axe-core ----------
export const axeResults = {};
/** Run axe-core (every rule of its default set) on the page as it is; record and return the violations. */
export async function axe(page, state) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(AXE_SOURCE);
  const r = await page.evaluate(() => window.axe.run(document));
  // axe cannot judge the contrast of text scrolled out of view (it reports it
  // "to review"): scroll the page and the side panel through, and check that text too
  const swept = await contrastOutOfView(page);
  r.violations.push(...swept.violations);
  for (const v of r.incomplete) if (v.id === "color-contrast") v.nodes = v.nodes.filter((n) => !swept.checked.includes(n.target.join(" ")));
  r.incomplete = r.incomplete.filter((v) => v.nodes.length);
  const violations = r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`) }));
  axeResults[state] = {
    axe: r.testEngine.version,
    violations: violations.length,
    passes: r.passes.length,
    incomplete: r.incomplete.length,
    details: violations,
    // what axe could not decide alone (for a person to review), e.g. text over a gradient
    toReview: r.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${(n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? ""}`) })),
  };
  return violations;
}
function contrastOutOfView(page) {
  return page.evaluate(async () => {
    const found = [];
    const seen = new Set();
    const checked = new Set();
    const sweep = async (scroller, context) => {
      const keep = scroller.scrollTop;
      for (let top = 0; top < scroller.scrollHeight; top += Math.max(100, scroller.clientHeight * 0.8)) {
        scroller.scrollTop = top;
        const r = await window.axe.run(context, { runOnly: ["color-contrast"] });
        for (const v of [...r.passes, ...r.violations]) for (const n of v.nodes) checked.add(n.target.join(" "));
        for (const v of r.violations) {
          v.nodes = v.nodes.filter((n) => !seen.has(n.target.join(" ")) && seen.add(n.target.join(" ")));
          if (v.nodes.length) found.push(v);
        }
      }
      scroller.scrollTop = keep;
    };
    const side = document.querySelector(".side");
    if (side && side.scrollHeight > side.clientHeight) await sweep(side, side);
    const root = document.scrollingElement;
    if (root.scrollHeight > root.clientHeight) await sweep(root, document);
    return { violations: found, checked: [...checked] };
  });
}
export async function assertNoAxeViolations(page, state) {
  const v = await axe(page, state);
  assert.deepEqual(v, [], `axe-core violations in state "${state}"`);
}
export function writeAxeResults() {
  if (!Object.keys(axeResults).length) return;
  writeFileSync(`${OUT}axe-results.json`, `${JSON.stringify(axeResults, null, 2)}\n`);
  const width = Math.max(...Object.keys(axeResults).map((s) => s.length));
  const lines = Object.entries(axeResults).map(([s, r]) => `  ${s.padEnd(width)}  ${r.violations} violations, ${r.passes} rules passed, ${r.incomplete} to review`);
  console.log(`axe-core ${Object.values(axeResults)[0].axe} (tests/out/axe-results.json):\n${lines.join("\n")}`);
}

// ---------- keyboard ----------
/** A short, stable name for the focused element. */
export function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return "body";
    if (a.classList.contains("cm-content")) return "editor";
    if (a.closest("#findings")) return `finding:${a.closest("li").dataset.code}`;
    if (a.closest("#rules")) return `${a.tagName === "INPUT" ? "rule" : "docs"}:${a.closest("li").querySelector("input").dataset.code}`;
    if (a.closest("#rule-doc .fixes")) return `fix:${a.textContent}`;
    if (a.closest("#rule-doc") && a.tagName === "A") return "doc-link";
    return a.id ? `#${a.id}` : a.tagName.toLowerCase();
  });
}
/** Whether the focused element shows a focus ring of at least 2 px (the editor's is on its pane). */
export function focusRing(page) {
  return page.evaluate(() => {
    let a = document.activeElement;
    if (a.classList.contains("cm-content")) a = document.getElementById("editor-pane");
    const s = getComputedStyle(a);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
  });
}
