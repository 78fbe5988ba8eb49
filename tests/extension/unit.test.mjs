// The extension's logic in Node, with the real engine: URLs, which files are
// read, settings, suggestion blocks (never holding a secret) and findings on
// new-side lines, whole-file and partial.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, Engine, redact } from "../../crate/pkg/keyleak.js";
import { analyseFile, sourceFromVisibleLines } from "../../extension/src/analysis.js";
import { isAnalysable, parsePullUrl, rawFileUrl } from "../../extension/src/github.js";
import { hostOrigins, normalise, parseHost, parseSelectors } from "../../extension/src/settings.js";
import { applyEdits, primaryFix, suggestionFor, suggestionMarkdown } from "../../extension/src/suggestion.js";
import { hunks } from "./fixtures/github.mjs";
import { PR1, PR4, STRIPE, STRIPE_MASKED } from "./fixtures/prs.mjs";

initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });
const engine = new Engine({});
const head = (/** @type {string} */ path) => /** @type {string} */ (PR1.files.find((f) => f.path === path)?.head);

test("pull-request URLs", () => {
  const files = parsePullUrl("https://github.com/acme/shop/pull/12/files?diff=split#diff-abc");
  assert.deepEqual(files && { ...files, key: undefined }, { host: "github.com", owner: "acme", repo: "shop", number: 12, tab: "files", head: null, key: undefined });
  assert.equal(parsePullUrl("https://github.com/acme/shop/pull/12/changes")?.tab, "changes");
  assert.equal(parsePullUrl("https://github.com/acme/shop/pull/12")?.tab, "conversation");
  const range = parsePullUrl(`https://github.com/acme/shop/pull/12/files/${"a".repeat(40)}..${"b".repeat(40)}`);
  assert.equal(range?.head, "b".repeat(40));
  assert.equal(parsePullUrl("https://github.com/acme/shop/pull/12/changes/abcdef1")?.head, "abcdef1");
  assert.equal(parsePullUrl("https://ghe.example.com/team/app/pull/3/files")?.host, "ghe.example.com");
  assert.equal(parsePullUrl("https://github.com/acme/shop/issues/12"), null);
  assert.equal(parsePullUrl("https://github.com/acme/shop/blob/main/pull/1/files"), null);
  // different ranges of one pull request are different diffs
  assert.notEqual(parsePullUrl("https://github.com/a/b/pull/1/files")?.key, range?.key);
});

test("raw file URLs keep slashes and encode the rest", () => {
  assert.equal(rawFileUrl({ host: "github.com", owner: "acme", repo: "shop" }, "abc", "app/my file#1.py"), "https://github.com/acme/shop/raw/abc/app/my%20file%231.py");
  assert.equal(rawFileUrl({ host: "github.com", owner: "a", repo: "b" }, "refs/pull/3/head", "x.py"), "https://github.com/a/b/raw/refs/pull/3/head/x.py");
});

test("Python and config files are read, the rest is not", () => {
  for (const path of ["app.py", "pkg/views.py", "run.pyw", ".env", "deploy/.env.production", ".flaskenv", "config.yaml", "c.yml", "pyproject.toml", "setup.cfg", "app.ini", "settings.json"]) assert.ok(isAnalysable(path), path);
  for (const path of ["README.md", "app.js", "package-lock.json", "poetry.lock", "Pipfile.lock", "static/app.min.json", "image.png", "env.txt"]) assert.ok(!isAnalysable(path), path);
});

test("settings: CLI selectors, hosts, Enterprise origins", () => {
  assert.deepEqual(parseSelectors(" KL2, KL402\nhardcoded-secret ,, "), ["KL2", "KL402", "hardcoded-secret"]);
  assert.deepEqual(normalise({}), { rules: {}, hosts: { "github.com": true } });
  assert.deepEqual(normalise({ rules: { ignore: ["KL301"], select: "KL1", bogus: ["x"] }, hosts: { "github.com": false, "ghe.corp.example": true, bad: "yes" } }), {
    rules: { ignore: ["KL301"] },
    hosts: { "github.com": false, "ghe.corp.example": true },
  });
  assert.equal(parseHost("https://GHE.corp.example/some/path"), "ghe.corp.example");
  assert.equal(parseHost("ghe.corp.example"), "ghe.corp.example");
  assert.equal(parseHost("http://ghe.corp.example"), null);
  assert.equal(parseHost("localhost"), null);
  assert.deepEqual(hostOrigins("ghe.corp.example"), ["https://ghe.corp.example/*", "https://*.ghe.corp.example/*"]);
});

test("edits apply at UTF-16 positions", () => {
  const text = "a = '🔑'\nb = 1\n";
  const edited = applyEdits(text, [
    { range: { start: { line: 0, character: 4 }, end: { line: 0, character: 8 } }, newText: "x" },
    { range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } }, newText: "2" },
  ]);
  assert.equal(edited, "a = x\nb = 2\n");
});

test("a fix becomes suggestion blocks: the finding's line first, then the import", () => {
  const source = head("app/payments.py");
  const report = engine.check(source, "app/payments.py");
  const kl101 = report.diagnostics.find((d) => d.code === "KL101");
  assert.ok(kl101);
  const fix = primaryFix(kl101.fixes);
  assert.ok(fix && fix.applicability === "unsafe");
  const s = suggestionFor(source, fix, redact, kl101.range.start.line);
  assert.deepEqual(s.blocks, [
    { startLine: 7, endLine: 7, text: 'STRIPE_KEY = os.environ["STRIPE_KEY"]', masked: false },
    { startLine: 1, endLine: 1, text: "import os\nimport logging", masked: false },
  ]);
  assert.equal(suggestionMarkdown(s.blocks[0]), '```suggestion\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n```');
});

test("a suggestion that keeps a secret shows it masked, and says so", () => {
  // the KL201 fix masks the logged value but leaves the literal on the same line
  const source = `import logging\nlog = logging.getLogger(__name__)\nKEY = "${STRIPE}"; log.info(KEY)\n`;
  const report = engine.check(source, "app.py");
  const kl201 = report.diagnostics.find((d) => d.code === "KL201");
  assert.ok(kl201, "KL201 found");
  const fix = primaryFix(kl201.fixes);
  assert.ok(fix);
  const s = suggestionFor(source, fix, redact, kl201.range.start.line);
  assert.equal(s.blocks.length, 1);
  assert.ok(!s.blocks[0].text.includes(STRIPE), "the secret is never in a suggestion");
  assert.ok(s.blocks[0].text.includes(STRIPE_MASKED));
  assert.equal(s.blocks[0].masked, true);
});

test("a deletion of whole lines is an empty suggestion; fences grow around backticks", () => {
  const fix = /** @type {const} */ ({ title: "drop", applicability: "safe", edits: [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: "" }] });
  const s = suggestionFor("a\nb\nc\n", fix, (t) => t, 1);
  assert.deepEqual(s.blocks, [{ startLine: 2, endLine: 2, text: "", masked: false }]);
  assert.equal(suggestionMarkdown({ startLine: 1, endLine: 1, text: "x = '```'", masked: false }), "````suggestion\nx = '```'\n````");
});

test("whole-file analysis: new-side lines, masked messages, suggestions without the secret", () => {
  const result = analyseFile(engine, redact, { path: "app/payments.py", source: head("app/payments.py"), unavailable: null, visible: [] });
  assert.equal(result.partial, null);
  assert.deepEqual(
    result.findings.map((f) => [f.line, f.code, f.severity]),
    [
      [7, "KL101", "critical"],
      [17, "KL201", "medium"],
      [22, "KL301", "medium"],
    ],
  );
  const json = JSON.stringify(result);
  assert.ok(!json.includes(STRIPE), "nothing in the result holds the secret");
  assert.ok(json.includes(STRIPE_MASKED));
  const kl201 = result.findings[1];
  assert.deepEqual(kl201.related, [{ line: 7, message: "the secret comes from a hardcoded Stripe live secret key" }]);
  assert.equal(kl201.suggestion?.blocks[0].text, '    log.info(f"🔑 charging with {str(STRIPE_KEY)[:4]}...")');
  assert.match(kl201.url, /KL201/);
});

test("partial analysis: only the diff's lines, at their own line numbers", () => {
  const file = PR4.files[0];
  const visible = /** @type {Array<[number, string]>} */ (
    hunks(file.base, file.head)
      .flatMap((h) => h.lines)
      .filter((l) => l.new !== null)
      .map((l) => [l.new, l.text])
  );
  assert.equal(sourceFromVisibleLines([[3, "c"], [1, "a"]]), "a\n\nc\n");
  const result = analyseFile(engine, redact, { path: file.path, source: null, unavailable: "GitHub answered 404", visible });
  assert.equal(result.partial, "GitHub answered 404");
  assert.deepEqual(result.findings.map((f) => [f.line, f.code]), [[4, "KL101"], [5, "KL201"]]);
  assert.ok(!JSON.stringify(result).includes(STRIPE));
  // the KL101 fix in payments.py also adds `import os` at line 1: a block
  // there is kept when the diff shows line 1, dropped when it does not
  const payments = /** @type {import("./fixtures/github.mjs").PrFile} */ (PR1.files.find((f) => f.path === "app/payments.py"));
  const shown = /** @type {Array<[number, string]>} */ (hunks(payments.base, payments.head).flatMap((h) => h.lines).filter((l) => l.new !== null).map((l) => [l.new, l.text]));
  const all = /** @type {Array<[number, string]>} */ (String(payments.head).split("\n").slice(0, -1).map((text, i) => [i + 1, text]));
  const blocks = (/** @type {Array<[number, string]>} */ lines) =>
    analyseFile(engine, redact, { path: payments.path, source: null, unavailable: "x", visible: lines }).findings.find((f) => f.code === "KL101")?.suggestion?.blocks.map((b) => b.startLine);
  assert.ok(!shown.some(([l]) => l === 1));
  assert.deepEqual(blocks(shown), [7]);
  assert.deepEqual(blocks(all), [7, 1]);
});

test("rule selection reaches the engine", () => {
  const quiet = new Engine({ ignore: ["KL201", "KL301"] });
  const result = analyseFile(quiet, redact, { path: "app/payments.py", source: head("app/payments.py"), unavailable: null, visible: [] });
  assert.deepEqual(result.findings.map((f) => f.code), ["KL101"]);
  assert.throws(() => new Engine({ select: ["KL999"] }), /KL999/);
});
