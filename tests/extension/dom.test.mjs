// The DOM adapters (extension/src/content/github-dom.js) in Chromium against
// the saved, reduced GitHub pages: classic unified and split, React unified
// and split. What they read must equal the diff the pages were made from.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { hunks } from "./fixtures/github.mjs";
import { PR1 } from "./fixtures/prs.mjs";
import { SAVED } from "./fixtures/write-html.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const saved = (/** @type {string} */ name) => readFileSync(new URL(`./fixtures/html/${name}`, import.meta.url), "utf8");

/** @type {import("playwright-core").Browser} */
let browser;
/** @type {string} */
let adapters;
/** @type {import("playwright-core").Page} */
let shared;
before(async () => {
  const out = await build({
    entryPoints: [new URL("../../extension/src/content/github-dom.js", import.meta.url).pathname],
    bundle: true,
    format: "iife",
    globalName: "KL",
    write: false,
    logLevel: "warning",
  });
  adapters = out.outputFiles[0].text;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  shared = await browser.newPage();
  await shared.route("**/*", (route) => {
    const fixture = new URL(route.request().url()).searchParams.get("fixture");
    return route.request().resourceType() === "document" && fixture ? route.fulfill({ contentType: "text/html", body: saved(fixture) }) : route.abort();
  });
});
after(() => browser?.close());

/**
 * A page holding a saved fixture and the adapters (as `window.KL`).
 * @param {string} name
 * @param {string} [url]  the page's address, for the adapters that read it
 */
async function open(name, url = "https://github.com/acme/shop/pull/1/files") {
  const address = new URL(url);
  address.searchParams.set("fixture", name);
  await shared.goto(address.href);
  await shared.addScriptTag({ content: adapters });
  return shared;
}

/** The new-side lines of a file, as the diff they were made from has them. */
function expectedLines(/** @type {string} */ path) {
  const file = PR1.files.find((f) => f.path === path);
  if (!file) throw new Error(path);
  return hunks(file.base, file.head)
    .flatMap((h) => h.lines)
    .filter((l) => l.new !== null)
    .map((l) => ({ line: l.new, changed: l.kind === "+", text: l.text }));
}

/** @param {import("playwright-core").Page} page */
const readFiles = (page) =>
  page.evaluate(() =>
    window.KL.findDiffFiles(document).map((/** @type {any} */ f) => ({
      ui: f.ui,
      path: f.path,
      deleted: f.deleted,
      table: !!f.table,
      lines: [...window.KL.newSideLines(f).values()].map((/** @type {any} */ l) => ({ line: l.line, changed: l.changed, text: l.text })),
    })),
  );

test("the saved fixtures are what the generator makes", () => {
  for (const [name, render] of Object.entries(SAVED)) assert.equal(saved(name), render(), `${name} is stale: run node tests/extension/fixtures/write-html.mjs`);
});

for (const name of Object.keys(SAVED)) {
  test(`${name}: files, paths and every new-side line with its text`, async () => {
    const page = await open(name);
    const files = await readFiles(page);
    const ui = name.startsWith("classic") ? "classic" : "react";
    assert.deepEqual(
      files.map((f) => [f.ui, f.path, f.deleted, f.table]),
      PR1.files.map((f) => [ui, f.path, f.head === null, true]),
    );
    for (const f of files) {
      if (f.deleted) assert.deepEqual(f.lines, [], `${f.path} has nothing on the new side`);
      else assert.deepEqual(f.lines, expectedLines(f.path), f.path);
    }
  });
}

test("classic markup without line ids still tells the new side (js-blob-rnum, data-split-side, position)", async () => {
  for (const name of ["classic-unified.html", "classic-split.html"]) {
    const page = await open(name);
    const before = await readFiles(page);
    await page.evaluate(() => {
      for (const cell of document.querySelectorAll("td.blob-num[id]")) cell.removeAttribute("id");
    });
    assert.deepEqual(await readFiles(page), before, `${name} without ids`);
    await page.evaluate(() => {
      for (const cell of document.querySelectorAll(".js-blob-rnum")) cell.classList.remove("js-blob-rnum");
    });
    assert.deepEqual(await readFiles(page), before, `${name} without ids or js-blob-rnum`);
  }
});

test("row layout: how wide an annotation row is, and whether it sits under the new side", async () => {
  const layouts = {};
  for (const name of Object.keys(SAVED)) {
    const page = await open(name);
    layouts[name] = await page.evaluate(() => {
      const file = window.KL.findDiffFiles(document).find((/** @type {any} */ f) => f.path === "app/payments.py");
      const row = window.KL.newSideLines(file).get(7).row;
      return window.KL.rowLayout(row);
    });
  }
  assert.deepEqual(layouts, {
    "classic-unified.html": { columns: 3, split: false },
    "classic-split.html": { columns: 4, split: true },
    "react-unified.html": { columns: 4, split: false },
    "react-split.html": { columns: 4, split: true },
  });
});

test("React: a collapsed file is still listed (path from its header), renames read the new path", async () => {
  const page = await open("react-unified.html", "https://github.com/acme/shop/pull/1/changes");
  const files = await page.evaluate(() => {
    const region = document.getElementById(`diff-${[...document.querySelectorAll("table[aria-label]")][3].getAttribute("data-diff-anchor")?.slice(5)}`);
    region?.querySelector("table")?.remove(); // collapsed: GitHub drops the table
    const header = document.querySelector('h3[class*="file-name"] code');
    if (header) header.innerHTML = '<span class="sr-only">docs/OLD.md renamed to app/renamed.py</span><span aria-hidden="true">\u200edocs/OLD.md → app/renamed.py\u200e</span>';
    return window.KL.findDiffFiles(document).map((/** @type {any} */ f) => [f.path, !!f.table]);
  });
  assert.deepEqual(files, [
    ["README.md", true],
    ["app/auth.py", true],
    ["app/legacy.py", true],
    ["app/payments.py", false],
    ["config/settings.yaml", true],
  ]);
  const renamed = await page.evaluate(() => {
    document.querySelector("table[aria-label]")?.remove();
    return window.KL.findDiffFiles(document)[0].path;
  });
  assert.equal(renamed, "app/renamed.py");
});

test("the head commit: from the URL, the React route data (this pull request's only), the classic View file link", async () => {
  const head = async (/** @type {string} */ name, /** @type {string} */ url, /** @type {(() => void)|null} */ change = null) => {
    const page = await open(name, url);
    if (change) await page.evaluate(change);
    const found = await page.evaluate((href) => {
      const pr = { host: "github.com", owner: "acme", repo: "shop", number: Number(/pull\/(\d+)/.exec(href)?.[1]), tab: "files", head: /\.\.([0-9a-f]{40})$/.exec(href)?.[1] ?? null, key: href };
      const paths = window.KL.findDiffFiles(document).map((/** @type {any} */ f) => f.path);
      return window.KL.headCommit(document, pr, paths);
    }, url);
    return found;
  };
  assert.deepEqual(await head("classic-unified.html", "https://github.com/acme/shop/pull/1/files"), { sha: PR1.headSha, source: "view-file-link" });
  assert.deepEqual(await head("react-split.html", "https://github.com/acme/shop/pull/1/changes"), { sha: PR1.headSha, source: "embedded-data" });
  const range = `https://github.com/acme/shop/pull/1/files/${"c".repeat(40)}..${"d".repeat(40)}`;
  assert.deepEqual(await head("classic-split.html", range), { sha: "d".repeat(40), source: "url" });
  // after a soft navigation to pull request #2 the page still embeds #1's data
  assert.equal(await head("react-unified.html", "https://github.com/acme/shop/pull/2/changes"), null);
  // without a number, the route data must list the diff's files
  const stale = () => {
    const script = document.querySelector('script[data-target="react-app.embeddedData"]');
    if (!script) return;
    const data = JSON.parse(script.textContent ?? "");
    delete data.payload.pullRequestsChangesRoute.pullRequest;
    data.payload.pullRequestsChangesRoute.diffSummaries.pop();
    script.textContent = JSON.stringify(data);
  };
  assert.equal(await head("react-unified.html", "https://github.com/acme/shop/pull/1/changes", stale), null);
});

test("the extension's own nodes are told apart", async () => {
  const page = await open("classic-unified.html");
  const result = await page.evaluate(() => {
    const mine = document.createElement("tr");
    mine.setAttribute(window.KL.OWN_ATTRIBUTE, "annotation");
    const inner = document.createElement("span");
    mine.append(inner);
    return [window.KL.isOwnNode(mine), window.KL.isOwnNode(inner), window.KL.isOwnNode(document.querySelector("tr")), window.KL.isOwnNode(document.createTextNode("x"))];
  });
  assert.deepEqual(result, [true, true, false, false]);
});
