// The playground in a real browser (Debian Chromium): load, paste a leaky
// app, squiggles and findings, a quick fix from the lint tooltip, fix-all
// with a diff preview, share links (secrets masked by the engine; old links
// still open; the reader's own work kept), keyboard-only use, a phone-size
// screen, axe-core on every main state in light and dark, and not one
// request leaving 127.0.0.1. Screenshots and axe results go to tests/out/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { execFileSync } from "node:child_process";
import {
  DESKTOP, PHONE, OUT, STORAGE_KEY, start, stop, url, newPage, text, codes, waitForCodes, paste, coordsOf, decodeLink,
  assertNoAxeViolations, writeAxeResults, focused, focusRing,
} from "./lib.mjs";

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

before(start);
after(async () => {
  writeAxeResults();
  await stop();
});

test("paste, see findings, fix, fix all, share", async () => {
  const { context, page, outside, errors } = await newPage();
  const t0 = performance.now();
  await page.goto(url());
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
  await page.goto(`${url()}#v1.${payload}`);
  await page.waitForFunction(() => window.keyleakPlayground?.view.state.doc.toString() === "print('hello from an old link')\n");
  await page.waitForFunction(() => document.querySelector('#rules input[data-code="KL301"]')?.checked === false);
  await page.goto(`${url()}?x=1#v1.not-deflate-data`);
  await page.waitForFunction(() => /could not read the shared link/.test(document.getElementById("status").textContent));
  await page.locator(".cm-editor").waitFor();
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the editor text survives a reload (autosave)", async () => {
  const { context, page, errors } = await newPage();
  await page.goto(url());
  await page.locator("#findings li").first().waitFor();
  await paste(page, "import os\nprint(os.environ['API_KEY'])\n");
  await page.waitForTimeout(600); // autosave is debounced
  await page.reload();
  await page.waitForFunction(() => window.keyleakPlayground?.view.state.doc.toString() === "import os\nprint(os.environ['API_KEY'])\n");
  await page.waitForFunction(() => document.querySelector('#findings li[data-code="KL201"]'));
  assert.deepEqual(errors, []);
  await context.close();
});

// ---------- keyboard only ----------

/** Press Tab until `name` has focus (at most `max` presses). */
async function tabTo(page, name, { key = "Tab", max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    if ((await focused(page)) === name) return;
    await page.keyboard.press(key);
  }
  assert.fail(`${key} never reached ${name} (ended on ${await focused(page)})`);
}
async function assertFocusRing(page) {
  const ring = await focusRing(page);
  const who = await focused(page);
  assert.ok(ring.style !== "none" && ring.width >= 2, `a visible focus ring on ${who}: ${JSON.stringify(ring)}`);
}

test("keyboard only: every control in Tab order, no trap, focus always visible", async () => {
  const { context, page, outside, errors } = await newPage();
  await page.goto(url());
  await page.locator("#findings li").first().waitFor();
  await page.locator("#rules li").first().waitFor();
  const findings = (await page.$$eval("#findings li", (lis) => lis.map((li) => `finding:${li.dataset.code}`)));
  const rules = (await page.$$eval("#rules input", (xs) => xs.map((x) => x.dataset.code))).flatMap((c) => [`rule:${c}`, `docs:${c}`]);
  const expected = ["#samples", "#fix-all", "#share", "#share-secrets", "#theme", "editor", ...findings, ...rules];

  // Tab from the top of the page through every control and out again
  const order = [];
  for (let i = 0; i < expected.length + 3; i++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now === "body" || (order.length && now === order[0])) break;
    order.push(now);
    await assertFocusRing(page);
  }
  assert.deepEqual(order, expected, "Tab order");
  // and back with Shift+Tab, in reverse
  await page.locator("#rules button").last().focus();
  const back = [await focused(page)];
  for (let i = 0; i < expected.length - 1; i++) {
    await page.keyboard.press("Shift+Tab");
    back.push(await focused(page));
  }
  assert.deepEqual(back, [...expected].reverse(), "Shift+Tab order");

  // arrows move through the findings; Tab still leaves the list
  await page.locator("#samples").focus();
  await tabTo(page, findings[0]);
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(page), findings[1]);
  await page.keyboard.press("End");
  assert.equal(await focused(page), findings.at(-1));
  await page.keyboard.press("Home");
  assert.equal(await focused(page), findings[0]);
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(page), findings[0]);
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(page), "editor", "Shift+Tab leaves the list");

  // Enter on a finding: the editor selects it and has focus, the rule panel explains it; Tab goes on
  await tabTo(page, "finding:KL402");
  await page.keyboard.press("Enter");
  assert.equal(await focused(page), "editor");
  await assertFocusRing(page);
  const selected = await page.evaluate(() => {
    const { view } = window.keyleakPlayground;
    const r = view.state.selection.main;
    return view.state.doc.sliceString(r.from, r.to);
  });
  assert.match(selected, /!= PARTNER_KEY/);
  await page.locator("#rule-doc .rule-title", { hasText: "KL402" }).waitFor();
  assert.equal(await page.getAttribute('#findings li[data-code="KL402"] button', "aria-current"), "true");
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), findings[0], "Tab from the editor reaches the findings, and leaves them");
  await tabTo(page, findings.at(-1));
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "fix:Compare with hmac.compare_digest (unsafe)", "then the finding's fixes (the tooltip's, reachable without a mouse)");
  await assertFocusRing(page);
  assert.match(await page.locator("#rule-doc .fixes").innerText(), /Why the fix is unsafe: compare_digest raises TypeError/);
  await tabTo(page, "doc-link");
  await assertFocusRing(page);

  // a rule toggle, with Space: the findings change at once, without an edit
  const before = await text(page);
  await tabTo(page, "rule:KL402");
  await page.keyboard.press("Space");
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="KL402"]'));
  assert.equal(await text(page), before);
  await page.keyboard.press("Space");
  await page.locator('#findings li[data-code="KL402"]').waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "docs:KL402");
  await page.keyboard.press("Enter");
  await page.locator("#rule-doc .rule-title", { hasText: "KL402" }).waitFor();

  // share box: Enter opens it with focus in the link; Tab reaches Copy and Close; Escape closes it
  await page.locator("#samples").focus();
  await tabTo(page, "#share");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "share-url" && document.getElementById("share-url").value.includes("#v1."));
  await assertFocusRing(page);
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "#share-copy");
  await assertFocusRing(page);
  await page.keyboard.press("Tab");
  assert.equal(await focused(page), "#share-close");
  await page.keyboard.press("Escape");
  assert.ok(await page.locator("#share-box").isHidden());
  assert.equal(await focused(page), "#share", "focus returns to the Share button");

  // fix-all dialog: focus moves in, Escape closes it and focus comes back
  await page.keyboard.press("Shift+Tab");
  assert.equal(await focused(page), "#fix-all");
  await page.keyboard.press("Enter");
  await page.locator("#fix-dialog[open]").waitFor();
  assert.equal(await focused(page), "#fix-apply");
  await assertFocusRing(page);
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.getElementById("fix-dialog").open);
  assert.equal(await focused(page), "#fix-all");

  // a quick fix without a mouse: pick the finding, Tab to its fix, Enter
  await tabTo(page, "finding:KL402");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await tabTo(page, "fix:Compare with hmac.compare_digest (unsafe)");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.keyleakPlayground.view.state.doc.toString().includes("not hmac.compare_digest("));
  assert.equal(await focused(page), "editor");
  await page.waitForFunction(() => !document.querySelector('#findings li[data-code="KL402"]'));

  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---------- phone ----------

const LONG_LINE = `    log.info("charging the customer's card now, with the key that the config module holds: %s", STRIPE_KEY)`;

test("phone (390x844): panels stack, the editor takes the width, nothing scrolls sideways", async () => {
  const { context, page, outside, errors } = await newPage({ ...PHONE, colorScheme: "light" });
  await page.goto(url());
  await page.locator("#findings li").first().waitFor();
  await paste(page, LEAKY.replace('    log.info(f"using {STRIPE_KEY}")', LONG_LINE));
  await waitForCodes(page, "KL101,KL201,KL203,KL402");
  const m = await page.evaluate(() => {
    const r = (s) => document.querySelector(s).getBoundingClientRect();
    const page = document.scrollingElement;
    return {
      width: innerWidth,
      editor: r(".cm-editor").width,
      editorBottom: r("#editor-pane").bottom + scrollY,
      findingsTop: r("#findings-panel").top + scrollY,
      pageScroll: page.scrollWidth - page.clientWidth,
      rightmost: Math.max(...[...document.querySelectorAll("body *")].filter((e) => e.getClientRects().length && !e.closest(".cm-editor")).map((e) => e.getBoundingClientRect().right)),
      findingsRight: Math.max(...[...document.querySelectorAll("#findings button")].map((b) => b.getBoundingClientRect().right)),
    };
  });
  assert.ok(m.editor >= 0.9 * m.width, `the editor is ${m.editor} px of ${m.width}`);
  assert.ok(m.findingsTop >= m.editorBottom - 1, "the findings come below the editor");
  assert.equal(m.pageScroll, 0, "the page does not scroll sideways");
  assert.ok(m.rightmost <= m.width + 0.5, `nothing sticks out on the right (${m.rightmost})`);
  assert.ok(m.findingsRight <= m.width, "findings are not cut off");
  await page.screenshot({ path: `${OUT}phone-light.png`, fullPage: true });
  await assertNoAxeViolations(page, "phone, light");

  // a tap on the finding at the end of the long line: the editor does not scroll sideways,
  // comes into view, and does not take focus (no on-screen keyboard over the code)
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  await page.tap('#findings li[data-code="KL201"] button');
  await page.waitForFunction(() => document.querySelector('#findings li[data-code="KL201"] button').getAttribute("aria-current") === "true");
  const after = await page.evaluate(() => {
    const s = document.querySelector(".cm-scroller");
    const { view } = window.keyleakPlayground;
    const r = view.state.selection.main;
    const pane = document.getElementById("editor-pane").getBoundingClientRect();
    return {
      scrollLeft: s.scrollLeft,
      overflow: s.scrollWidth - s.clientWidth,
      selected: view.state.doc.sliceString(r.from, r.to),
      paneTop: pane.top,
      paneBottom: pane.bottom,
      active: document.activeElement?.className ?? "",
      pageScroll: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth,
    };
  });
  assert.equal(after.scrollLeft, 0, "no sideways scroll in the editor");
  assert.ok(after.overflow <= 1, "long lines wrap on a phone");
  assert.equal(after.pageScroll, 0);
  assert.match(after.selected, /STRIPE_KEY/);
  assert.ok(after.paneTop > -1 && after.paneTop < 844, "the editor is scrolled into view");
  assert.ok(!after.active.includes("cm-content"), "a tap does not focus the editor");

  await page.selectOption("#theme", "dark");
  await page.waitForFunction(() => document.documentElement.dataset.resolvedTheme === "dark");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}phone-dark.png`, fullPage: true });
  await assertNoAxeViolations(page, "phone, dark");
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});

// ---------- axe-core and screenshots, dark and light ----------

for (const theme of ["dark", "light"]) {
  test(`axe-core: no violations in any main state (${theme}); screenshots`, async () => {
    // light is picked with the Theme control while the system is dark: the toggle is tested too
    const { context, page, outside, errors } = await newPage({ ...DESKTOP, colorScheme: "dark" });
    if (theme === "light") await page.addInitScript(() => localStorage.getItem("keyleak.playground.theme") || localStorage.setItem("keyleak.playground.theme", "light"));
    await page.goto(url());
    await page.locator("#findings li").first().waitFor();
    await page.locator("#rules li").first().waitFor();
    const look = await page.evaluate(() => ({
      scheme: getComputedStyle(document.documentElement).colorScheme,
      bg: getComputedStyle(document.body).backgroundColor,
      editorBg: getComputedStyle(document.querySelector(".cm-editor")).backgroundColor,
      picked: document.getElementById("theme").value,
    }));
    assert.equal(look.scheme, theme, "native controls follow the theme (color-scheme)");
    assert.equal(look.bg, theme === "light" ? "rgb(255, 255, 255)" : "rgb(15, 20, 25)");
    assert.equal(look.editorBg, look.bg);
    assert.equal(look.picked, theme === "light" ? "light" : "system");
    await assertNoAxeViolations(page, `loaded, ${theme}`);

    await paste(page, LEAKY);
    await waitForCodes(page, "KL101,KL201,KL203,KL402");
    await page.locator('#findings li[data-code="KL101"]').click();
    await page.locator("#rule-doc h3", { hasText: "Why is this bad?" }).waitFor();
    await page.mouse.move(1, 1);
    await assertNoAxeViolations(page, `with findings, ${theme}`);
    await page.screenshot({ path: `${OUT}playground-${theme}.png` });

    const at = await coordsOf(page, "!= ADMIN_TOKEN");
    await page.mouse.move(at.x, at.y);
    await page.locator(".cm-tooltip-lint").waitFor();
    await assertNoAxeViolations(page, `tooltip open, ${theme}`);
    await page.screenshot({ path: `${OUT}tooltip-${theme}.png` });
    await page.mouse.move(1, 1);
    await page.locator(".cm-tooltip-lint").waitFor({ state: "detached" });

    await page.click("#share");
    await page.waitForFunction(() => document.getElementById("share-url").value.includes("#v1."));
    await assertNoAxeViolations(page, `share box open, ${theme}`);
    await page.screenshot({ path: `${OUT}share-${theme}.png` });
    const link = await page.inputValue("#share-url");
    await page.click("#share-close");

    await page.click("#fix-all");
    await page.locator("#fix-dialog[open]").waitFor();
    await assertNoAxeViolations(page, `fix-all dialog, ${theme}`);
    await page.screenshot({ path: `${OUT}dialog-${theme}.png` });
    await page.keyboard.press("Escape");

    await page.selectOption("#samples", "clean.py");
    await page.locator("#findings-empty", { hasText: "No leak found" }).waitFor();
    await assertNoAxeViolations(page, `clean file, ${theme}`);

    // a masked link opened over the reader's own work
    await page.waitForTimeout(400); // autosave
    await page.goto(link);
    await page.locator("#link-notice", { hasText: "masked" }).waitFor();
    await page.waitForFunction(() => document.body.dataset.checked);
    await assertNoAxeViolations(page, `shared link opened, ${theme}`);
    await page.screenshot({ path: `${OUT}link-${theme}.png` });

    assert.deepEqual(outside, []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// ---------- share links ----------

const COMMENT_KEY = "sk_live_9fKq2LmZ8xRt4VbN7cWp3YhD";
const PASSWORD = "S3cr3tPassw0rd!!";
const SECRETS = LEAKY.replace('STRIPE_KEY = "', `# the old key, still live: ${COMMENT_KEY}\nDB = ("admin", "${PASSWORD}")\nSTRIPE_KEY = "`);
const MY_WORK = "import os\nprint(os.environ['API_KEY'])\n";

/** The characters of `secret` that a masked share still shows (its masked form, minus the ellipsis). */
function shown(code, secret, before) {
  const line = code.split("\n").find((l) => l.startsWith(before));
  assert.ok(line, `a line starting with ${before}`);
  assert.ok(!line.includes(secret), `${secret} is masked: ${line}`);
  return line.slice(before.length).replace(/["),]/g, "").replace(/…|\*/g, "").length;
}

test("share links: every credential masked by the engine; the reader's own work kept; hashchange; reload after an edit", async () => {
  // the author: a live key in a comment, a password in a tuple, a key in a variable
  const a = await newPage();
  await a.page.goto(url());
  await a.page.locator("#findings li").first().waitFor();
  await paste(a.page, SECRETS);
  await a.page.waitForFunction((s) => window.keyleakPlayground.checkedSource === s, SECRETS);
  const authorFindings = await a.page.locator("#findings li").count();
  await a.page.click("#share");
  await a.page.waitForFunction(() => document.getElementById("share-url").value.includes("#v1."));
  const link = await a.page.inputValue("#share-url");
  assert.match(await a.page.locator("#share-note").innerText(), /secret values are masked in this link/);
  const payload = decodeLink(link);
  for (const secret of [COMMENT_KEY, PASSWORD, KEY]) assert.ok(!payload.code.includes(secret), `${secret} is not in the link`);
  assert.ok(shown(payload.code, COMMENT_KEY, "# the old key, still live: ") <= 8, "the key in a comment is masked");
  assert.ok(shown(payload.code, PASSWORD, 'DB = ("admin", "') <= 4, `a 16-character password shows at most 4 characters: ${payload.code}`);
  assert.ok(shown(payload.code, KEY, 'STRIPE_KEY = "') <= 8);
  assert.equal(payload.code.split("\n").length, SECRETS.split("\n").length, "lines stay in place");
  assert.ok(payload.masked >= 3, `the link says how many values were masked (${payload.masked})`);
  assert.equal(payload.findings, authorFindings, "and how many findings the author saw");
  // with the box ticked, the link holds the code as written
  await a.page.check("#share-secrets");
  await a.page.waitForFunction((old) => document.getElementById("share-url").value !== old, link);
  assert.equal(decodeLink(await a.page.inputValue("#share-url")).code, SECRETS);
  assert.deepEqual(a.outside, []);
  assert.deepEqual(a.errors, []);
  await a.context.close();

  // the reader has work of their own, autosaved, and pastes the link into the open playground
  const b = await newPage();
  await b.page.goto(url());
  await b.page.locator("#findings li").first().waitFor();
  await paste(b.page, MY_WORK);
  await b.page.waitForFunction((w) => JSON.parse(localStorage.getItem("keyleak.playground.v1") ?? "{}").code === w, MY_WORK);
  await b.page.evaluate(() => (window.sameDocument = true));
  await b.page.evaluate((h) => (location.hash = h), new URL(link).hash);
  await b.page.waitForFunction((c) => window.keyleakPlayground.view.state.doc.toString() === c, payload.code);
  assert.equal(await b.page.evaluate(() => window.sameDocument), true, "opened by hashchange, without a reload");
  const notice = b.page.locator("#link-notice");
  await notice.waitFor();
  await b.page.locator("#link-notice", { hasText: `Whoever shared it saw ${authorFindings} findings` }).waitFor();
  const said = await notice.innerText();
  assert.match(said, /secrets were masked before it was shared/);
  assert.match(said, /Your own code is kept/);
  assert.equal(await b.page.evaluate((k) => JSON.parse(localStorage.getItem(k)).code, STORAGE_KEY), MY_WORK, "the autosaved work is not replaced");

  // a reload before any edit shows the link again
  await b.page.reload();
  await b.page.waitForFunction((c) => window.keyleakPlayground?.view.state.doc.toString() === c, payload.code);
  await notice.waitFor();

  // an edit makes the code the reader's: the hash goes, and a reload keeps the edit
  await b.page.click(".cm-content");
  await b.page.keyboard.press("Control+End");
  await b.page.keyboard.type("# my note\n");
  const edited = `${payload.code}# my note\n`;
  await b.page.waitForFunction((e) => location.hash === "" && JSON.parse(localStorage.getItem("keyleak.playground.v1") ?? "{}").code === e, edited);
  await b.page.reload();
  await b.page.waitForFunction((e) => window.keyleakPlayground?.view.state.doc.toString() === e, edited);
  // and the work from before the link can still come back
  await b.page.locator("#link-notice", { hasText: "The code you had before you opened a shared link is kept" }).waitFor();
  await b.page.click("#link-restore");
  await b.page.waitForFunction((w) => window.keyleakPlayground.view.state.doc.toString() === w, MY_WORK);
  assert.ok(await notice.isHidden());
  await b.page.waitForFunction((w) => JSON.parse(localStorage.getItem("keyleak.playground.v1") ?? "{}").code === w, MY_WORK);
  await b.page.reload();
  await b.page.waitForFunction((w) => window.keyleakPlayground?.view.state.doc.toString() === w, MY_WORK);
  assert.ok(await notice.isHidden(), "nothing more to restore");

  // a link made with secrets included: no word about masking
  await b.page.evaluate(() => (location.hash = ""));
  const full = `${url()}#v1.${deflateRawSync(Buffer.from(JSON.stringify({ code: SECRETS, disabled: [] }))).toString("base64url")}`;
  await b.page.goto(full);
  await b.page.waitForFunction((c) => window.keyleakPlayground?.view.state.doc.toString() === c, SECRETS);
  await notice.waitFor();
  assert.doesNotMatch(await notice.innerText(), /masked/);
  assert.deepEqual(b.outside, []);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

// ---------- readability ----------

test("readable findings: code spans, badges, rule header, tooltip with the fix's safety, a clean file", async () => {
  const { context, page, outside, errors } = await newPage();
  await page.goto(url());
  await page.locator("#rules li").first().waitFor();
  await paste(page, LEAKY);
  await waitForCodes(page, "KL101,KL201,KL203,KL402");

  // Markdown code spans become <code>, never raw backticks
  const listed = await page.locator("#findings").innerText();
  assert.ok(!listed.includes("`"), "no raw backticks in the findings");
  assert.ok(await page.locator("#findings code", { hasText: "sk_l…p7dc" }).count(), "the masked key is a code span");

  // badges keep their own height on a wrapped, multi-line finding
  const sizes = await page.$eval('#findings li[data-code="KL402"] button', (b) => ({ row: b.getBoundingClientRect().height, badge: b.querySelector(".sev").getBoundingClientRect().height }));
  assert.ok(sizes.badge <= 24 && sizes.badge < sizes.row / 2, `the badge is not stretched: ${JSON.stringify(sizes)}`);

  // the rule header agrees with the finding's badge, and names the rule's default
  await page.locator('#findings li[data-code="KL101"]').click();
  await page.locator("#rule-doc .rule-title", { hasText: "KL101" }).waitFor();
  assert.equal(await page.locator('#findings li[data-code="KL101"] .sev').innerText(), "CRITICAL");
  assert.equal(await page.locator("#rule-doc .rule-meta .sev").innerText(), "CRITICAL");
  assert.match(await page.locator("#rule-doc .rule-meta").innerText(), /default is high/);
  await page.click('#rules button[aria-label="KL101 docs"]');
  await page.waitForFunction(() => document.querySelector("#rule-doc .rule-meta")?.textContent.includes("default severity"));
  assert.equal(await page.locator("#rule-doc .rule-meta .sev").innerText(), "HIGH");
  assert.ok(!(await page.locator("#rule-doc").innerText()).includes("`"));

  // the tooltip: code spans, why the fix is unsafe (from the rule's "Fix safety"), over the editor only
  const at = await coordsOf(page, "!= ADMIN_TOKEN");
  await page.mouse.move(at.x, at.y);
  const tip = page.locator(".cm-tooltip-lint");
  await tip.waitFor();
  const said = await tip.innerText();
  assert.ok(!said.includes("`"), `no raw backticks in the tooltip: ${said}`);
  assert.ok(await tip.locator("code", { hasText: "X-Admin-Token" }).count());
  assert.match(said, /Why the fix is unsafe: compare_digest raises TypeError where == returned False/);
  assert.match(said, /Compare with hmac\.compare_digest \(unsafe\)/);
  const box = await page.evaluate(() => ({
    tip: document.querySelector(".cm-tooltip-lint").getBoundingClientRect().toJSON(),
    editor: document.querySelector(".cm-editor").getBoundingClientRect().toJSON(),
  }));
  assert.ok(box.tip.width <= 512.5, `the tooltip is at most 32rem wide (${box.tip.width})`);
  assert.ok(box.tip.right <= box.editor.right + 1, "the tooltip does not run over the findings panel");
  await page.mouse.move(1, 1);

  // a clean file: says so, and which rules ran
  await page.selectOption("#samples", "clean.py");
  const empty = page.locator("#findings-empty");
  await page.locator("#findings-empty", { hasText: "No leak found" }).waitFor();
  // the rules on by default, as the native CLI lists them
  const defaults = JSON.parse(
    execFileSync(new URL("../../target/release/keyleak", import.meta.url).pathname, ["rules", "--format", "json"], { encoding: "utf8" }),
  )
    .filter((r) => r.default_enabled)
    .map((r) => r.code);
  assert.ok(defaults.length >= 5, "the CLI lists no rule");
  assert.equal(await empty.innerText(), `No leak found. Rules checked: ${defaults.join(", ")}.`);
  await page.uncheck('#rules input[data-code="KL301"]');
  await page.locator("#findings-empty", { hasText: "Switched off: KL301." }).waitFor();
  // a rule off by default (KL304) starts unchecked; switched on, it checks
  // (the clean sample's app sends no HSTS)
  const optIn = page.locator('#rules input[data-code="KL304"]');
  assert.equal(await optIn.isChecked(), false, "KL304 is off by default");
  await optIn.check();
  await page.locator("#findings", { hasText: "KL304" }).waitFor();
  await optIn.uncheck();
  await page.locator("#findings-empty", { hasText: "Switched off: KL301." }).waitFor();
  assert.deepEqual(outside, []);
  assert.deepEqual(errors, []);
  await context.close();
});
