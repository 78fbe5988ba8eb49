// The extension's pure parts (vscode/src/core.ts, built to vscode/out/core.mjs)
// against the real wasm engine: edit mapping in UTF-16, settings to
// options, configuration files, the .env writer (moveToEnv) as one
// workspace edit's parts, fix all, suppression comments.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Engine, initSync } from "../../crate/pkg/keyleak.js";
import * as core from "../../vscode/out/core.mjs";

initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });
const engine = new Engine({});
const FIXTURE = readFileSync(new URL("./fixture/app.py", import.meta.url), "utf8");
const STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dcQx";

/** @param {{range: {start: {line: number, character: number}}, code: string}[]} ds */
const at = (ds) => ds.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);

test("severities map to VS Code's levels", () => {
  assert.deepEqual(["critical", "high", "medium", "low", "info"].map(core.level), ["error", "error", "warning", "warning", "information"]);
});

test("settings go on top of the configuration file", () => {
  const none = { select: null, extendSelect: [], ignore: [], severity: {} };
  assert.deepEqual(core.mergeOptions(undefined, none), {});
  const file = { ignore: ["KL301"], "extend-select": ["KL402"], severity: { KL201: "high" }, exclude: ["vendor"] };
  assert.deepEqual(core.mergeOptions(file, none), file);
  assert.deepEqual(core.mergeOptions(file, { select: ["KL1"], extendSelect: ["KL402", "KL2"], ignore: ["KL203"], severity: { KL201: "low", KL101: "critical" } }), {
    select: ["KL1"],
    "extend-select": ["KL402", "KL2"],
    ignore: ["KL301", "KL203"],
    severity: { KL201: "low", KL101: "critical" },
    exclude: ["vendor"],
  });
  // the file's object is not changed
  assert.deepEqual(file.ignore, ["KL301"]);
  // and the engine takes the result
  new Engine(core.mergeOptions(file, { ...none, ignore: ["secret-logged"] })).free();
});

test("configuration files: keyleak.toml, pyproject.toml, errors without secrets", () => {
  assert.deepEqual(core.parseConfig('ignore = ["KL301"]\n[severity]\nKL201 = "high"\n', false), { kind: "ok", options: { ignore: ["KL301"], severity: { KL201: "high" } } });
  assert.deepEqual(core.parseConfig('[project]\nname = "x"\n', true), { kind: "none" });
  const py = core.parseConfig('[project]\nname = "x"\n[tool.keyleak]\nextend-select = ["KL402"]\n[tool.keyleak.per-file-ignores]\n"scripts/*.py" = ["KL201"]\n', true);
  assert.deepEqual(py, { kind: "ok", options: { "extend-select": ["KL402"], "per-file-ignores": { "scripts/*.py": ["KL201"] } } });
  new Engine(py.kind === "ok" ? py.options : {}).free();
  // a TOML error names the line, and never shows the line itself
  const bad = core.parseConfig(`[tool.keyleak]\nignore = ["KL301"]\ntoken = "${STRIPE}" oops\n`, true);
  assert.equal(bad.kind, "error");
  assert.match(bad.kind === "error" ? bad.message : "", /line 3/);
  assert.ok(!JSON.stringify(bad).includes(STRIPE));
  // unknown keys and codes are the engine's to refuse, with a message
  const unknown = core.parseConfig('[tool.keyleak]\nignor = ["KL301"]\n', true);
  assert.throws(() => new Engine(unknown.kind === "ok" ? unknown.options : {}), /unknown field `ignor`/);
  const code = core.parseConfig('ignore = ["KL999"]\n', false);
  assert.throws(() => new Engine(code.kind === "ok" ? code.options : {}), /KL999/);
  assert.equal(core.parseConfig("[tool]\nkeyleak = 3\n", true).kind, "error");
});

test("UTF-16 positions: findings after non-ASCII text sit where VS Code counts", () => {
  const line = `NOTE = "héllo 🔑 世界"; STRIPE_SECRET_KEY = "${STRIPE}"`;
  const [d] = engine.check(line + "\n", "app.py").diagnostics;
  assert.equal(d.code, "KL101");
  // VS Code's character is a UTF-16 index: the JavaScript string index
  assert.equal(d.range.start.character, line.indexOf(`"${STRIPE}"`));
  assert.equal(d.range.end.character, line.indexOf(`"${STRIPE}"`) + STRIPE.length + 2);
});

test("content changes map onto the incremental document, in order, in UTF-16", () => {
  const doc = engine.open(FIXTURE, "app.py");
  doc.check();
  let text = FIXTURE;
  /** @param {import("../../vscode/out/core.mjs").ContentChange[]} changes */
  const apply = (changes) => {
    core.applyChanges(doc, changes);
    for (const c of changes) text = core.applyEdits(text, [{ range: c.range, newText: c.text }]);
    assert.equal(doc.text(), text);
    assert.deepEqual(at(doc.check().diagnostics), at(engine.check(text, "app.py").diagnostics));
  };
  const r = (/** @type {number[]} */ [sl, sc, el, ec]) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
  // an emoji (two UTF-16 units) before the secret on its line, then typing after it
  apply([{ range: r([7, 0, 7, 0]), text: "🔑 = 1; " }]);
  apply([{ range: r([7, 8, 7, 8]), text: "é" }]);
  // one event, several changes: each applies to the text the previous one left (as VS Code sends them)
  apply([
    { range: r([14, 4, 14, 4]), text: "# 世界\n    " },
    { range: r([15, 0, 15, 0]), text: "    x = '🎉'\n" },
  ]);
  // deleting across lines, replacing, and a multi-cursor style pair
  apply([{ range: r([9, 0, 11, 0]), text: "" }]);
  apply([
    { range: r([2, 0, 2, 4]), text: "FROM" },
    { range: r([2, 0, 2, 4]), text: "from" },
  ]);
  // seeded random edits: insertions and deletions anywhere, with astral characters
  let seed = 7;
  const rand = (/** @type {number} */ n) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const pieces = ["a", " ", "\n", "é", "🔑", "世", '"', "(", ")", "key", "API_KEY = ", "log.info(auth)\n"];
  for (let i = 0; i < 150; i++) {
    const lines = text.split("\n");
    const line = rand(lines.length);
    // never split a surrogate pair: VS Code positions are between UTF-16 units, but editors keep pairs whole
    const chars = [...lines[line]];
    const from = rand(chars.length + 1);
    const to = Math.min(chars.length, from + rand(3));
    const c16 = (/** @type {number} */ k) => chars.slice(0, k).join("").length;
    apply([{ range: r([line, c16(from), line, c16(to)]), text: rand(3) ? pieces[rand(pieces.length)] : "" }]);
  }
  doc.free();
});

test("an edit outside the document throws (the extension then re-reads the text)", () => {
  const doc = engine.open("x = 1\n", "app.py");
  assert.throws(() => core.applyChanges(doc, [{ range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: "y" }]));
  doc.free();
});

test(".env writer: move a secret to .env, .gitignore and os.environ in one edit", () => {
  const doc = engine.open(FIXTURE, "app.py");
  const finding = doc.check().diagnostics.find((d) => d.code === "KL101" && d.message.includes("Stripe"));
  assert.ok(finding);
  const { line, character } = finding.range.start;

  // neither file exists: both are created with their whole text
  let fix = doc.moveToEnv(line, character, undefined, undefined);
  assert.ok(fix);
  let plan = core.planFix(fix);
  assert.deepEqual(
    plan.files.map((f) => [f.path, f.create, f.contents]),
    [
      [".env", true, `STRIPE_SECRET_KEY=${STRIPE}\n`],
      [".gitignore", true, ".env\n"],
    ],
  );
  const moved = core.applyEdits(FIXTURE, plan.document);
  assert.ok(moved.startsWith("import os\n"));
  assert.match(moved, /^STRIPE_SECRET_KEY = os\.environ\["STRIPE_SECRET_KEY"\]$/m);
  assert.ok(!moved.includes(STRIPE));
  assert.ok(!at(engine.check(moved, "app.py").diagnostics).includes(at([finding])[0]));

  // both exist: appended, never a name twice, .gitignore left alone when it lists .env
  fix = doc.moveToEnv(line, character, "DEBUG=0\nSTRIPE_SECRET_KEY=sk_test_other\n", "__pycache__/\n.env\n");
  assert.ok(fix);
  plan = core.planFix(fix);
  assert.deepEqual(plan.files.map((f) => f.path), [".env"]);
  const env = core.applyEdits("DEBUG=0\nSTRIPE_SECRET_KEY=sk_test_other\n", plan.files[0].edits);
  const names = env.split("\n").filter(Boolean).map((l) => l.split("=")[0]);
  assert.equal(new Set(names).size, names.length, env);
  assert.ok(env.includes(`=${STRIPE}\n`));
  const newName = names[names.length - 1];
  assert.ok(core.applyEdits(FIXTURE, plan.document).includes(`os.environ["${newName}"]`));

  // a .env without a final newline, a .gitignore without .env
  fix = doc.moveToEnv(line, character, "DEBUG=0", "*.pyc");
  assert.ok(fix);
  plan = core.planFix(fix);
  assert.equal(core.applyEdits("DEBUG=0", plan.files.find((f) => f.path === ".env")?.edits ?? []), `DEBUG=0\nSTRIPE_SECRET_KEY=${STRIPE}\n`);
  assert.equal(core.applyEdits("*.pyc", plan.files.find((f) => f.path === ".gitignore")?.edits ?? []), "*.pyc\n.env\n");

  // no KL101 there: no fix
  assert.equal(doc.moveToEnv(0, 0, undefined, undefined), undefined);
  doc.free();
});

test("file edits never leave the project root", () => {
  assert.equal(core.joinRelative("/ws/app", ".env"), "/ws/app/.env");
  assert.equal(core.joinRelative("/ws/app/", "./conf/.env"), "/ws/app/conf/.env");
  assert.equal(core.joinRelative("/ws/app", "../.env"), undefined);
});

test("fix all: every safe fix that fits, converging", () => {
  const report = engine.check(FIXTURE, "app.py");
  const edits = core.fixAllEdits(report.diagnostics);
  const fixed = core.applyEdits(FIXTURE, edits);
  assert.match(fixed, /log\.info\("whoami called with %s", str\(auth\)\[:4\] \+ "\.\.\."\)/);
  const after = engine.check(fixed, "app.py").diagnostics;
  assert.ok(!after.some((d) => d.code === "KL201"));
  // unsafe fixes stay for the user to choose
  assert.ok(after.some((d) => d.code === "KL101"));
  assert.deepEqual(core.fixAllEdits(after), []);

  // identical edits (one import for two fixes) are shared; clashing ones wait for the next run
  const edit = (/** @type {number} */ l, /** @type {number} */ c, /** @type {number} */ e, /** @type {string} */ t) => ({ range: { start: { line: l, character: c }, end: { line: l, character: e } }, newText: t });
  const fake = (/** @type {object[]} */ edits, applicability = "safe") => /** @type {any} */ ({ fixes: [{ title: "t", applicability, edits }] });
  const picked = core.fixAllEdits([fake([edit(0, 0, 0, "import hmac\n"), edit(3, 4, 8, "a")]), fake([edit(0, 0, 0, "import hmac\n"), edit(5, 0, 2, "b")]), fake([edit(3, 6, 9, "c")]), fake([edit(7, 0, 1, "d")], "unsafe")]);
  assert.deepEqual(picked.map((e) => e.newText), ["import hmac\n", "a", "b"]);
});

test("quick fixes: safe first, the ignore comments last", () => {
  const f = (/** @type {string} */ applicability) => /** @type {any} */ ({ title: applicability, applicability, edits: [] });
  assert.deepEqual(core.fixOrder([f("display-only"), f("unsafe"), f("safe")]).map((x) => x.title), ["safe", "unsafe", "display-only"]);
});

test("suppression comments and the rules they name", () => {
  const rules = engine.rules();
  assert.deepEqual(core.suppressions('x = 1  # keyleak: ignore[KL201, secret-in-response]').map((s) => [s.start, s.selectors, s.file]), [[7, ["KL201", "secret-in-response"], false]]);
  assert.deepEqual(core.suppressions("# keyleak: ignore-file[KL1]")[0].selectors, ["KL1"]);
  assert.deepEqual(core.suppressions("# keyleak: ignore")[0].selectors, []);
  assert.deepEqual(core.suppressions("log(k)  # noqa: KL201,KL203")[0].selectors, ["KL201", "KL203"]);
  assert.deepEqual(core.suppressions("x = 1  # noqa: E501"), []);
  assert.deepEqual(core.rulesFor(rules, "kl201").map((r) => r.code), ["KL201"]);
  assert.deepEqual(core.rulesFor(rules, "secret-in-response").map((r) => r.code), ["KL203"]);
  assert.deepEqual(core.rulesFor(rules, "KL2").map((r) => r.code), rules.filter((r) => r.code.startsWith("KL2")).map((r) => r.code));
  assert.deepEqual(core.rulesFor(rules, "KL9"), []);
  const md = core.ruleMarkdown(rules[0]);
  assert.ok(md.startsWith(`**${rules[0].code} ${rules[0].name}**`));
  assert.ok(md.includes(rules[0].docs.trim().slice(0, 40)));
});

test("paths: project-relative, folders upwards, config files, excludes", () => {
  assert.equal(core.relativePath("/ws", "/ws/app/views.py"), "app/views.py");
  assert.equal(core.relativePath("/ws", "/other/x.py"), undefined);
  assert.deepEqual(core.foldersUp("/ws", "/ws/a/b/x.py"), ["/ws/a/b", "/ws/a", "/ws"]);
  assert.deepEqual(core.foldersUp("/ws/", "/ws/x.py"), ["/ws"]);
  for (const p of [".env", "app/.env.production", ".flaskenv", "config.yaml", "c.yml", "settings.json", "pyproject.toml", "setup.cfg", "tox.ini"]) assert.ok(core.isConfigFile(p), p);
  for (const p of ["app.py", "env.py", "README.md", ".envrc"]) assert.ok(!core.isConfigFile(p), p);
  assert.equal(core.excludeGlob(["vendor", "migrations/**", "./build/"]), "{**/vendor,**/vendor/**,migrations/**,migrations/**/**,**/build,**/build/**}");
});
