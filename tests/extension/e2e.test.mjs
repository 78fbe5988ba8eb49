// The unpacked extension (extension/dist, its production manifest) in
// Debian's Chromium, on fixture GitHub pages served with GitHub's CSP:
// annotations on the right lines in both UIs and both layouts, suggestions
// without the secret, the badge, soft navigation, lazily loaded and
// re-rendered rows, the partial fallback, the options page, the time from
// page load to annotations, and no request anywhere but the routed GitHub URLs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { annotations, launch, OUT, ownText, settled } from "./browser.mjs";
import { PR1, PR2, PR3, PR4, GITHUB_TOKEN, SENDGRID, STRIPE, STRIPE_MASKED } from "./fixtures/prs.mjs";

/** @type {import("./browser.mjs").Browser} */
let b;
before(async () => {
  b = await launch();
});
after(() => b?.close());

/** Findings shown for pull request #1: [path, line, code], in page order. */
const PR1_SHOWN = [
  ["app/auth.py", 11, "KL402"],
  ["app/auth.py", 13, "KL203"],
  ["app/payments.py", 7, "KL101"],
  ["app/payments.py", 17, "KL201"],
];

async function newPage() {
  const page = await b.context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { page, errors };
}

/** @param {import("playwright-core").Page} page */
const badge = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('[data-keyleak="badge"]');
    if (!root) return null;
    const counts = Object.fromEntries([...root.querySelectorAll("[data-severity]")].map((c) => [c.getAttribute("data-severity"), Number.parseInt(c.textContent ?? "", 10)]));
    return { counts, unchanged: Number(root.getAttribute("data-unchanged")), status: root.querySelector(".keyleak-status")?.textContent ?? "" };
  });

/** @param {import("playwright-core").Page} page */
const notes = (page) => page.evaluate(() => [...document.querySelectorAll('[data-keyleak="file-note"]')].map((n) => n.textContent));

/** @param {import("playwright-core").Page} page */
async function assertPr1(page) {
  await settled(page, 4);
  const shown = await annotations(page);
  assert.deepEqual(
    shown.map((a) => [a.path, a.line, a.code]),
    PR1_SHOWN,
  );
  assert.ok(shown.every((a) => a.added), "annotations sit under lines the pull request adds");
  const kl101 = shown.find((a) => a.code === "KL101");
  assert.deepEqual(kl101?.suggestion, ['```suggestion\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n```', "```suggestion\nimport os\nimport logging\n```"]);
  assert.deepEqual(shown.find((a) => a.code === "KL201")?.suggestion, ['```suggestion\n    log.info(f"🔑 charging with {str(STRIPE_KEY)[:4]}...")\n```']);
  assert.deepEqual(shown.find((a) => a.code === "KL203")?.suggestion, [], "KL203 has no quick fix");
  // GitHub takes suggestions only on lines the diff shows: line 1 of payments.py is not one
  const heads = await page.evaluate(() => [...document.querySelectorAll('.keyleak-finding[data-code="KL101"] .keyleak-block-head > span')].map((h) => h.textContent));
  assert.deepEqual(heads, ["Suggested change for line 7", "And for line 1 (not in the diff: make this change by hand)"]);
  const text = await ownText(page);
  assert.ok(!text.includes(STRIPE), "the extension never shows the secret");
  assert.ok(text.includes(`Hardcoded Stripe live secret key \`${STRIPE_MASKED}\``));
  assert.deepEqual(await badge(page), { counts: { critical: 1, high: 1, medium: 2 }, unchanged: 1, status: "1 more on unchanged lines" });
  assert.deepEqual(await notes(page), [
    "keyleak: 2 findings on changed lines",
    "keyleak: 2 findings on changed lines, 1 on lines this pull request does not change",
    "keyleak: no findings",
  ]);
}

test("classic unified view: findings under the changed lines, fixes as suggestions without the secret", async () => {
  const { page, errors } = await newPage();
  const before = b.github.length;
  await page.goto("https://github.com/acme/shop/pull/1/files");
  await assertPr1(page);
  // the files were read at the head commit, with the user's session, through GitHub's raw redirect
  const raw = b.github.slice(before).filter((r) => r.url.includes("/raw/"));
  assert.deepEqual(raw.map((r) => r.url.replace(`/raw/${PR1.headSha}/`, "/raw/HEAD/")).sort(), [
    "https://github.com/acme/shop/raw/HEAD/app/auth.py",
    "https://github.com/acme/shop/raw/HEAD/app/payments.py",
    "https://github.com/acme/shop/raw/HEAD/config/settings.yaml",
  ]);
  assert.ok(raw.every((r) => r.cookie && !r.fromWorker), "fetched by the page, with the session cookie");
  assert.ok(b.raw.some((u) => u.startsWith(`https://raw.githubusercontent.com/acme/shop/${PR1.headSha}/app/payments.py?token=`)));

  // copying a suggestion copies the fix, masked
  await page.locator('.keyleak-finding[data-code="KL101"] .keyleak-copy').first().click();
  await page.locator('.keyleak-finding[data-code="KL101"] .keyleak-copy', { hasText: "Copied" }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, '```suggestion\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n```');

  await page.screenshot({ path: `${OUT}extension-classic-light.png`, fullPage: true });
  await page.evaluate(() => document.documentElement.setAttribute("data-color-mode", "dark"));
  await page.screenshot({ path: `${OUT}extension-classic-dark.png`, fullPage: true });
  // the annotations take GitHub's theme colours
  const colours = await page.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".keyleak-finding"))).backgroundColor);
  assert.equal(colours, "rgb(13, 17, 23)", "dark theme background");
  assert.deepEqual(errors, []);
  await page.close();
});

test("classic split view: the same findings, under the new side", async () => {
  const { page, errors } = await newPage();
  await page.goto("https://github.com/acme/shop/pull/1/files?diff=split");
  await assertPr1(page);
  const cells = await page.evaluate(() => [...document.querySelectorAll("tr.keyleak-row")].map((r) => [...r.children].map((c) => `${c.className}:${c.getAttribute("colspan")}`).join(" ")));
  assert.deepEqual(new Set(cells), new Set(["keyleak-empty:2 keyleak-cell:2"]));
  assert.deepEqual(errors, []);
  await page.close();
});

test("React view (/changes), unified and split: the same findings; the head commit from the route data", async () => {
  for (const url of ["https://github.com/acme/shop/pull/1/changes", "https://github.com/acme/shop/pull/1/changes?diff=split"]) {
    const { page, errors } = await newPage();
    const before = b.github.length;
    await page.goto(url);
    await assertPr1(page);
    const raw = b.github.slice(before).filter((r) => r.url.includes("/raw/"));
    assert.ok(raw.length === 3 && raw.every((r) => r.url.includes(`/raw/${PR1.headSha}/`)), url);
    if (!url.includes("split")) {
      // GitHub's React diff skips painting files out of view (content-visibility): show the whole page
      await page.setViewportSize({ width: 1280, height: await page.evaluate(() => document.documentElement.scrollHeight) });
      await page.screenshot({ path: `${OUT}extension-react-light.png`, fullPage: true });
      await page.evaluate(() => document.documentElement.setAttribute("data-color-mode", "dark"));
      await page.screenshot({ path: `${OUT}extension-react-dark.png`, fullPage: true });
    }
    assert.deepEqual(errors, [], url);
    await page.close();
  }
});

test("the badge steps through findings and hides them; the choice is remembered", async () => {
  const { page } = await newPage();
  await page.goto("https://github.com/acme/shop/pull/1/files");
  await settled(page, 4);
  const current = () => page.evaluate(() => [document.querySelector(".keyleak-current")?.getAttribute("data-code"), document.querySelector(".keyleak-position")?.textContent]);
  await page.click('[data-keyleak="badge"] [data-action="next"]');
  assert.deepEqual(await current(), ["KL402", "1/4"]);
  await page.click('[data-keyleak="badge"] [data-action="next"]');
  assert.deepEqual(await current(), ["KL203", "2/4"]);
  await page.click('[data-keyleak="badge"] [data-action="prev"]');
  await page.click('[data-keyleak="badge"] [data-action="prev"]');
  assert.deepEqual(await current(), ["KL201", "4/4"]);
  assert.ok(await page.locator(".keyleak-current").isVisible());
  assert.ok(await page.evaluate(() => document.activeElement?.classList.contains("keyleak-current")), "the finding has focus");

  await page.click('[data-keyleak="badge"] [data-action="toggle"]');
  assert.equal(await page.locator("tr.keyleak-row").first().isVisible(), false);
  assert.equal(await page.locator('[data-keyleak="badge"] [data-action="toggle"]').textContent(), "Show");
  await page.reload();
  await page.locator('[data-keyleak="badge"][data-state="done"]').waitFor();
  assert.equal(await page.locator("tr.keyleak-row").first().isVisible(), false, "still hidden after a reload");
  await page.click('[data-keyleak="badge"] [data-action="toggle"]');
  assert.equal(await page.locator("tr.keyleak-row").first().isVisible(), true);
  await page.close();
});

test("soft navigation: conversation to files, between pull requests, back, and React navigation with stale route data", async () => {
  const { page, errors } = await newPage();
  await page.goto("https://github.com/acme/shop/pull/2");
  await page.waitForTimeout(300);
  assert.equal(await page.locator('[data-keyleak="badge"]').count(), 0, "no badge on the conversation tab");

  // Turbo: the Files changed tab
  await page.click('a.tabnav-tab:has-text("Files changed")');
  await page.waitForURL("**/pull/2/files");
  await settled(page, 2);
  assert.deepEqual((await annotations(page)).map((a) => [a.path, a.line, a.code]), [
    ["app/debug.py", 5, "KL301"],
    ["app/debug.py", 6, "KL101"],
  ]);
  // a file behind "Load diff": its findings appear once it is loaded
  await page.click(".js-diff-load");
  await settled(page, 4);
  assert.deepEqual((await annotations(page)).map((a) => [a.path, a.line, a.code]).slice(2), [
    ["app/mailer.py", 4, "KL101"],
    ["app/mailer.py", 8, "KL201"],
  ]);
  const text = await ownText(page);
  assert.ok(!text.includes(GITHUB_TOKEN) && !text.includes(SENDGRID));

  // Turbo: to another pull request, and back
  await page.click("#to-pr1");
  await page.waitForURL("**/pull/1/files");
  await settled(page, 4);
  assert.deepEqual((await annotations(page)).map((a) => [a.path, a.line, a.code]), PR1_SHOWN);
  await page.goBack();
  await page.waitForURL("**/pull/2/files");
  await settled(page, 2);
  assert.equal((await annotations(page))[0].path, "app/debug.py");
  await page.click('a.tabnav-tab:has-text("Conversation")');
  await page.waitForURL("**/pull/2");
  await page.waitForFunction(() => !document.querySelector("[data-keyleak]"));

  // React: only the rendered tree changes; the embedded route data still describes #1
  const before = b.github.length;
  await page.goto("https://github.com/acme/shop/pull/1/changes");
  await settled(page, 4);
  await page.click("#to-pr2-changes");
  await page.waitForURL("**/pull/2/changes");
  await settled(page, 4); // mailer.py is not deferred in the React view
  assert.deepEqual((await annotations(page)).map((a) => [a.path, a.line, a.code]), [
    ["app/debug.py", 5, "KL301"],
    ["app/debug.py", 6, "KL101"],
    ["app/mailer.py", 4, "KL101"],
    ["app/mailer.py", 8, "KL201"],
  ]);
  const asked = b.github.slice(before).map((r) => r.url);
  assert.ok(asked.includes("https://github.com/acme/shop/pull/2/changes"), "asked GitHub for #2's route data");
  const pr2Raw = asked.filter((u) => u.includes("/raw/") && u.includes("/app/debug.py"));
  assert.deepEqual(pr2Raw, [`https://github.com/acme/shop/raw/${PR2.headSha}/app/debug.py`], "read #2's files at #2's head, not #1's");
  assert.deepEqual(errors, []);
  await page.close();
});

test("lazily loaded files and re-rendered rows keep their annotations (20 files, classic and React)", async () => {
  const { page, errors } = await newPage();
  await page.goto("https://github.com/acme/platform/pull/3/files");
  // 8 files come with the page, 12 load progressively
  await settled(page, 40);
  const shown = await annotations(page);
  assert.deepEqual(
    shown.map((a) => [a.path, a.line, a.code]),
    PR3.files.flatMap((f) => [
      [f.path, 11, "KL101"],
      [f.path, 21, "KL201"],
    ]),
  );
  // GitHub re-renders a file's rows: the annotations come back
  await page.evaluate(() => document.dispatchEvent(new CustomEvent("fixture:rerender", { detail: "services/svc03.py" })));
  await settled(page, 40);

  await page.goto("https://github.com/acme/platform/pull/3/changes");
  await settled(page, 40);
  // a virtualised list unmounts rows: their findings still count, and return with the rows
  await page.evaluate(() => document.dispatchEvent(new CustomEvent("fixture:unmount", { detail: "services/svc20.py" })));
  await settled(page, 38);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-keyleak="file-note"]')].some((n) => n.textContent === "keyleak: 2 on changed lines not shown yet"));
  assert.deepEqual((await badge(page))?.counts, { high: 20, medium: 20 });
  await page.evaluate(() => document.dispatchEvent(new CustomEvent("fixture:rerender", { detail: "services/svc20.py" })));
  await settled(page, 40);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a file GitHub will not serve: the diff's lines are checked, and the result says it is partial", async () => {
  const { page, errors } = await newPage();
  await page.goto("https://github.com/acme/vault/pull/4/files");
  await settled(page, 2);
  assert.deepEqual((await annotations(page)).map((a) => [a.path, a.line, a.code]), [
    ["app/keys.py", 4, "KL101"],
    ["app/keys.py", 5, "KL201"],
  ]);
  assert.deepEqual(await notes(page), [
    "keyleak: 2 findings on changed lines (partial: only the lines shown in the diff were checked, because GitHub answered 404 for the file at the head commit)",
  ]);
  assert.match((await badge(page))?.status ?? "", /1 file partial/);
  assert.ok(!(await ownText(page)).includes(STRIPE));
  assert.ok(!b.raw.some((u) => u.includes("/acme/vault/")), "nothing reached the raw host");
  assert.equal(PR4.files.length, 1);
  // the browser reports the refused file; nothing else went wrong
  assert.deepEqual(errors, ["Failed to load resource: the server responded with a status of 404 (Not Found)"]);
  await page.close();
});

test("options: rule selection in the CLI's terms, checked before it is saved", async () => {
  const options = await b.context.newPage();
  await options.goto(`chrome-extension://${b.extensionId}/options.html`);
  await options.locator("#rules tbody tr").first().waitFor();
  assert.ok((await options.locator("#rules tbody").textContent())?.includes("KL201"));
  await options.fill("#ignore", "KL999");
  await options.click('#rules-form button[type="submit"]');
  await options.locator("#rules-status.error").waitFor();
  assert.match((await options.locator("#rules-status").textContent()) ?? "", /KL999/);

  await options.fill("#ignore", "KL2, timing-unsafe-comparison");
  await options.click('#rules-form button[type="submit"]');
  await options.locator("#rules-status.ok").waitFor();

  const { page } = await newPage();
  await page.goto("https://github.com/acme/shop/pull/1/files");
  await settled(page, 1);
  assert.deepEqual((await annotations(page)).map((a) => a.code), ["KL101"]);
  // changing the rules re-checks open pull requests
  await options.fill("#ignore", "");
  await options.click('#rules-form button[type="submit"]');
  await settled(page, 4);

  // switching github.com off removes everything
  await options.uncheck("#host-github\\.com");
  await page.waitForFunction(() => !document.querySelector("[data-keyleak]"));
  await options.check("#host-github\\.com");
  await settled(page, 4);
  await page.close();
  await options.close();
});

test("time from page load to annotations, 20 changed Python files", async () => {
  /** @type {Record<string, {total: number[], ready: number[]}>} */
  const times = {};
  for (const [ui, url] of [
    ["React /changes", "https://github.com/acme/platform/pull/3/changes"],
    ["classic /files", "https://github.com/acme/platform/pull/3/files"],
  ]) {
    times[ui] = { total: [], ready: [] };
    for (let run = 0; run < 5; run++) {
      const page = await b.context.newPage();
      await page.goto(url, { waitUntil: "commit" });
      await settled(page, 40);
      // both from the start of the navigation, by the page's own clock
      const [done, ready] = await page.evaluate(() => [performance.now(), /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType("navigation")[0]).domContentLoadedEventEnd]);
      times[ui].total.push(Math.round(done));
      times[ui].ready.push(Math.round(ready));
      await page.close();
    }
  }
  const median = (/** @type {number[]} */ xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  for (const [ui, { total, ready }] of Object.entries(times)) {
    console.log(`page load -> all 40 annotations on 20 files (${ui}): median ${median(total)} ms; the page itself was ready (DOMContentLoaded) at ${median(ready)} ms (runs: ${total.join(", ")} ms)`);
    assert.ok(median(total) < 10_000);
  }
});

test("no request went anywhere but the routed GitHub URLs", () => {
  assert.deepEqual(b.unexpected, []);
  assert.ok(b.github.length > 0 && b.github.every((r) => r.url.startsWith("https://github.com/")));
  assert.ok(b.raw.length > 0 && b.raw.every((u) => u.startsWith("https://raw.githubusercontent.com/")));
  assert.ok(b.github.every((r) => !r.fromWorker), "the service worker makes no requests");
});
