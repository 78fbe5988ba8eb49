// The playground in a real browser (Debian Chromium): load, paste a leaky
// app, squiggles and findings, a quick fix from the lint tooltip, fix-all
// with a diff preview, share links (secrets masked; old links still open),
// and not one request leaving 127.0.0.1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

const DIST = new URL("../../www/dist/", import.meta.url).pathname;
const OUT = new URL("../out/", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const LEAKY = `import logging
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)
STRIPE_KEY = "${KEY}"
ADMIN_TOKEN = os.environ["ADMIN_TOKEN"]


@app.route("/admin")
def admin():
    log.info(f"using {STRIPE_KEY}")
    if request.headers.get("X-Admin-Token") != ADMIN_TOKEN:
        abort(401)
    return jsonify(stripe=STRIPE_KEY)
`;

let server;
let browser;
before(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await serve(DIST);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const outside = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(server.url) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, outside, errors };
}

const text = (page) => page.evaluate(() => window.keyleakPlayground.view.state.doc.toString());
const codes = (page) => page.evaluate(() => [...document.querySelectorAll("#findings li")].map((li) => li.dataset.code).sort().join(","));

async function paste(page, source) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+A");
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData("text/plain", t);
    document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, source);
  await page.waitForFunction((t) => window.keyleakPlayground.view.state.doc.toString() === t, source);
}

test("paste, see findings, fix, fix all, share", async () => {
  const { context, page, outside, errors } = await newPage();
  const t0 = performance.now();
  await page.goto(server.url);
  await page.locator(".cm-editor").waitFor();
  const editorMs = performance.now() - t0;
  await page.locator("#findings li").first().waitFor();
  const findingsMs = performance.now() - t0;
  console.log(`page load -> editor visible ${editorMs.toFixed(0)} ms, first findings ${findingsMs.toFixed(0)} ms`);

  await paste(page, LEAKY);
  await page.waitForFunction(() => [...document.querySelectorAll("#findings li")].map((li) => li.dataset.code).sort().join(",") === "KL101,KL201,KL203,KL402");
  assert.ok((await page.locator(".cm-lintRange-error, .cm-lintRange-warning").count()) >= 4, "squiggles");
  const listed = await page.locator("#findings").innerText();
  assert.ok(!listed.includes(KEY) && listed.includes("sk_l…p7dc"), "findings are masked");
  assert.match(listed, /CWE-208/);

  // clicking a finding selects its range and shows the rule's docs
  await page.locator('#findings li[data-code="KL402"]').click();
  await page.locator("#rule-doc h3", { hasText: "Why is this bad?" }).waitFor();

  // a quick fix from the lint tooltip
  const at = await page.evaluate(() => {
    const { view } = window.keyleakPlayground;
    const pos = view.state.doc.toString().indexOf("!= ADMIN_TOKEN");
    const c = view.coordsAtPos(pos);
    return { x: c.left + 3, y: (c.top + c.bottom) / 2 };
  });
  await page.mouse.move(at.x, at.y);
  const action = page.locator(".cm-tooltip-lint .cm-diagnosticAction", { hasText: "Compare with" });
  await action.waitFor();
  await action.click();
  await page.waitForFunction(() => window.keyleakPlayground.view.state.doc.toString().includes("not hmac.compare_digest("));
  assert.match(await text(page), /^import hmac\n/);
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="KL402"]'));

  // fix all safe, with a diff preview
  await page.click("#fix-all");
  const dialog = page.locator("#fix-dialog");
  await dialog.waitFor();
  const diff = await page.locator("#fix-diff").innerText();
  assert.match(diff, /\+ +log\.info\(f"using \{str\(STRIPE_KEY\)\[:4\]\}\.\.\."\)/);
  assert.ok(!diff.includes(KEY), "the diff preview masks secrets");
  await page.click("#fix-apply");
  await page.waitForFunction(() => window.keyleakPlayground.view.state.doc.toString().includes("{str(STRIPE_KEY)[:4]}..."));
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="KL201"]'));
  await page.screenshot({ path: `${OUT}playground.png` });

  // share: secrets are masked in the link unless asked otherwise
  const source = await text(page);
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-url").value.includes("#v1."));
  const link = await page.locator("#share-url").inputValue();
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  const other = await context.newPage();
  await other.goto(link);
  await other.waitForFunction((k) => window.keyleakPlayground?.view.state.doc.toString().includes("sk_l…p7dc"), KEY);
  const opened = await text(other);
  assert.ok(!opened.includes(KEY));
  assert.equal(opened, source.replace(KEY, "sk_l…p7dc"));
  await page.check("#share-secrets");
  await page.click("#share");
  await page.waitForFunction((old) => document.getElementById("share-url").value !== old, link);
  const full = await page.locator("#share-url").inputValue();
  await other.goto("about:blank");
  await other.goto(full);
  await other.waitForFunction((s) => window.keyleakPlayground?.view.state.doc.toString() === s, source);

  assert.deepEqual(outside, [], "no request leaves 127.0.0.1");
  assert.deepEqual(errors, []);
  await context.close();
});

test("old v1 links keep opening; a broken link is reported, not fatal", async () => {
  const { context, page, outside, errors } = await newPage();
  // a link made by an independent encoder (Node's zlib), as a v1 link is specified
  const payload = deflateRawSync(Buffer.from(JSON.stringify({ code: "print('hello from an old link')\n", disabled: ["KL301"] }))).toString("base64url");
  await page.goto(`${server.url}#v1.${payload}`);
  await page.waitForFunction(() => window.keyleakPlayground?.view.state.doc.toString() === "print('hello from an old link')\n");
  await page.waitForFunction(() => document.querySelector('#rules input[aria-label="enable KL301"]')?.checked === false);
  await page.goto(`${server.url}?x=1#v1.not-deflate-data`);
  await page.waitForFunction(() => /could not read the shared link/.test(document.getElementById("status").textContent));
  await page.locator(".cm-editor").waitFor();
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the editor text survives a reload (autosave)", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(server.url);
  await page.locator("#findings li").first().waitFor();
  await paste(page, "import os\nprint(os.environ['API_KEY'])\n");
  await page.waitForTimeout(600); // autosave is debounced
  await page.reload();
  await page.waitForFunction(() => window.keyleakPlayground?.view.state.doc.toString() === "import os\nprint(os.environ['API_KEY'])\n");
  await page.waitForFunction(() => document.querySelector('#findings li[data-code="KL201"]'));
  assert.deepEqual(errors, []);
  await context.close();
});
