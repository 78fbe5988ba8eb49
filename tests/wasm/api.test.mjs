// The real WebAssembly module, loaded in Node: findings, masking, UTF-16
// positions, fixes, incremental documents and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { initSync, Engine, mask, redact } from "../../crate/pkg/keyleak.js";

initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });

const KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
const APP = `import logging
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)
STRIPE_KEY = "${KEY}"
ADMIN_TOKEN = os.environ["ADMIN_TOKEN"]


@app.route("/debug")
def debug():
    log.info(f"stripe key {STRIPE_KEY}")
    if request.headers.get("X-Admin-Token") != ADMIN_TOKEN:
        abort(401)
    return jsonify(token=ADMIN_TOKEN)


if __name__ == "__main__":
    app.run(debug=True)
`;

/** UTF-16 offset of an LSP position in `text`. */
function offsetAt(text, { line, character }) {
  let offset = 0;
  for (let l = 0; l < line; l++) offset = text.indexOf("\n", offset) + 1;
  return offset + character;
}

/** Apply LSP-style edits (non-overlapping) to `text`. */
function applyEdits(text, edits) {
  const sorted = [...edits].sort((a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start));
  for (const e of sorted) {
    text = text.slice(0, offsetAt(text, e.range.start)) + e.newText + text.slice(offsetAt(text, e.range.end));
  }
  return text;
}

const codes = (report) => report.diagnostics.map((d) => d.code);

test("finds the leaks, with masked messages and docs", () => {
  const engine = new Engine();
  const report = engine.check(APP, "app.py");
  assert.deepEqual(codes(report).sort(), ["KL101", "KL201", "KL203", "KL301", "KL402"]);
  for (const d of report.diagnostics) {
    assert.ok(!d.message.includes(KEY), `${d.code} message leaks the key`);
    assert.equal(d.docs, undefined, "docs come once, from rules()");
    assert.match(d.url, new RegExp(d.code));
    assert.ok(d.cwe.length > 0);
  }
  const kl101 = report.diagnostics.find((d) => d.code === "KL101");
  assert.match(kl101.message, /sk_l…p7dc/);
  assert.equal(report.secretRanges.length, 1);
  const r = report.secretRanges[0];
  assert.equal(APP.split("\n")[r.start.line].slice(r.start.character, r.end.character), KEY);
  assert.equal(report.syntaxErrors, 0);
});

test("positions are 0-based UTF-16 after accents and emoji", () => {
  const engine = new Engine();
  const src = 'import os\nmsg = "é😀 ünïcödé"; print(os.environ["API_KEY"])\n';
  const [d] = engine.check(src, "app.py").diagnostics;
  assert.equal(d.code, "KL201");
  const line = src.split("\n")[1];
  assert.equal(d.range.start.line, 1);
  assert.equal(d.range.start.character, line.indexOf("os.environ")); // JS strings are UTF-16
  assert.equal(line.slice(d.range.start.character, d.range.end.character), 'os.environ["API_KEY"]');
});

test("fixes apply to the source and resolve the finding", () => {
  const engine = new Engine();
  const report = engine.check(APP, "app.py");
  const kl402 = report.diagnostics.find((d) => d.code === "KL402");
  const fix = kl402.fixes.find((f) => f.applicability !== "display-only");
  assert.equal(fix.applicability, "unsafe");
  const fixed = applyEdits(APP, fix.edits);
  assert.match(fixed, /^import hmac\nimport logging\n/);
  assert.match(fixed, /if not hmac\.compare_digest\(request\.headers\.get\("X-Admin-Token", ""\), ADMIN_TOKEN\):/);
  assert.ok(!codes(engine.check(fixed, "app.py")).includes("KL402"));

  const kl201 = report.diagnostics.find((d) => d.code === "KL201");
  const safe = kl201.fixes.find((f) => f.applicability === "safe");
  const masked = applyEdits(APP, safe.edits);
  assert.match(masked, /log\.info\(f"stripe key \{str\(STRIPE_KEY\)\[:4\]\}\.\.\."\)/);

  const ignore = kl201.fixes.find((f) => f.title === "Ignore KL201 on this line");
  assert.equal(ignore.applicability, "display-only");
  assert.ok(!codes(engine.check(applyEdits(APP, ignore.edits), "app.py")).includes("KL201"));
});

test("options select rules and reject mistakes", () => {
  assert.deepEqual(codes(new Engine({ ignore: ["KL1", "KL2"] }).check(APP, "app.py")).sort(), ["KL301", "KL402"]);
  assert.deepEqual(codes(new Engine({ select: ["KL301"] }).check(APP, "app.py")), ["KL301"]);
  assert.equal(new Engine({ severity: { KL301: "high" } }).check(APP, "app.py").diagnostics.find((d) => d.code === "KL301").severity, "high");
  assert.throws(() => new Engine({ ignored: ["KL201"] }), /ignored/);
  assert.throws(() => new Engine({ ignore: ["E501"] }), /E501/);
  assert.throws(() => new Engine({ ignore: "KL201" }), /invalid options/);
  // a key passed by mistake is not echoed back in the exception
  assert.throws(() => new Engine({ ignore: KEY }), (e) => !e.message.includes(KEY) && e.message.includes("sk_l…p7dc"));
});

test("bad input gives findings or an exception, never a crash", () => {
  const engine = new Engine();
  for (const src of ["", "\0\0\0", "def f(:\n  return {", "x = '" + "a".repeat(100000) + "'", "\ud800 lone surrogate", "if x:\n\tpass\n  else\n"]) {
    const r = engine.check(src, "weird.py");
    assert.ok(Array.isArray(r.diagnostics));
  }
  const doc = engine.open("x = 1\n", "a.py");
  assert.throws(() => doc.edit(5, 0, 5, 0, "y"), /outside the document/);
  assert.throws(() => doc.edit(0, 3, 0, 1, "y"), /ends before it starts/);
  assert.equal(doc.text(), "x = 1\n");
  assert.ok(engine.check(APP, "app.py").diagnostics.length > 0, "the engine still works after errors");
});

test("deep nesting of every kind is bounded in WebAssembly too (1 MiB stack)", () => {
  const engine = new Engine();
  const n = 3000;
  const rep = (s) => s.repeat(n);
  const pre = "import logging, os\nlog = logging.getLogger()\nKEY = os.environ['API_KEY']\n";
  const cases = {
    concatenation: `x = "a"${rep(' + "a"')}\n`,
    calls: `log.info(${rep("f(")}KEY${rep(")")})\n`,
    lists: `log.info(${rep("[")}KEY${rep("]")})\n`,
    dicts: `log.info(${rep("{'k': ")}KEY${rep("}")})\n`,
    attributes: `x = a${rep(".b")}\n`,
    subscripts: `x = ${rep("a[")}0${rep("]")}\n`,
    fstrings: `log.info(${rep("f'{")}KEY${rep("}'")})\n`,
    conditionals: `x = ${rep("a if b else ")}c\n`,
    blocks: Array.from({ length: 300 }, (_, i) => " ".repeat(i) + "if x:\n").join("") + " ".repeat(300) + "log.info(KEY)\n",
    targets: `${rep("(")}a${rep(",)")} = KEY\n`,
  };
  for (const [what, body] of Object.entries(cases)) {
    const t = performance.now();
    const r = engine.check(pre + body, "deep.py");
    assert.ok(Array.isArray(r.diagnostics), what);
    const doc = engine.open(pre + body, "deep.py");
    doc.check();
    doc.edit(0, 0, 0, 0, "\n");
    doc.check();
    assert.ok(performance.now() - t < 20000, `${what} took ${performance.now() - t} ms`);
  }
  assert.ok(engine.check(APP, "app.py").diagnostics.length > 0, "the module still works");
});

test("mask and redact come from the engine", () => {
  assert.equal(mask(KEY), "sk_l…7dc".replace("7dc", "p7dc"));
  assert.equal(mask("hunter2"), "****");
  const src = `# old key ${KEY}\nx = 1\nPEM = """-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----"""\n`;
  const out = redact(src);
  assert.equal(out.split("\n").length, src.split("\n").length, "lines stay in place");
  assert.ok(!out.includes("4eC39HqLyjWDarjt"), out);
  assert.ok(!out.includes("u1SU1LfVLPHCozMx"), out);
  assert.ok(out.includes("x = 1"));
});

test("incremental edits give the same result as a fresh check", () => {
  const engine = new Engine();
  const doc = engine.open(APP, "app.py");
  let text = APP;
  // a seeded generator: the same edits every run
  let seed = 12345;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const pieces = ["x", " ", "\n", "'", '"', "(", ")", ":", "é", "😀", "    ", "log.info(ADMIN_TOKEN)\n", "#", "=", "sk_live_"];
  for (let i = 0; i < 300; i++) {
    const lines = text.split("\n");
    const line = rand(lines.length);
    const character = rand(lines[line].length + 1);
    const start = { line, character };
    let end = start;
    if (rand(3) === 0) {
      const endLine = Math.min(lines.length - 1, line + rand(2));
      end = { line: endLine, character: endLine === line ? Math.min(lines[line].length, character + rand(5)) : rand(lines[endLine].length + 1) };
    }
    let insert = rand(4) === 0 ? "" : pieces[rand(pieces.length)];
    // never split a surrogate pair: edits come from editors, which keep them whole
    const s = offsetAt(text, start), e = offsetAt(text, end);
    if (/[\udc00-\udfff]/.test(text[s] ?? "") || /[\udc00-\udfff]/.test(text[e] ?? "")) continue;
    doc.edit(start.line, start.character, end.line, end.character, insert);
    text = text.slice(0, s) + insert + text.slice(e);
    assert.equal(doc.text(), text, `text after edit ${i}`);
    assert.deepEqual(doc.check(), engine.check(text, "app.py"), `findings after edit ${i}`);
  }
});

test("move a hardcoded secret to .env: one fix over three files", () => {
  const engine = new Engine();
  const src = `import os\nSTRIPE_KEY = "${KEY}"\n`;
  const doc = engine.open(src, "app.py");
  doc.check();
  assert.equal(doc.moveToEnv(0, 0, undefined, undefined), undefined, "no hardcoded secret on line 0");
  const fix = doc.moveToEnv(1, 15, "DEBUG=0", undefined);
  assert.equal(fix.applicability, "unsafe");
  assert.equal(applyEdits(src, fix.edits), 'import os\nSTRIPE_KEY = os.environ["STRIPE_KEY"]\n');
  const env = fix.fileEdits.find((f) => f.path === ".env");
  const gitignore = fix.fileEdits.find((f) => f.path === ".gitignore");
  assert.equal(env.create, false);
  assert.equal(applyEdits("DEBUG=0", env.edits), `DEBUG=0\nSTRIPE_KEY=${KEY}\n`);
  assert.equal(gitignore.create, true);
  assert.equal(applyEdits("", gitignore.edits), ".env\n");
  // the secret travels only in this on-demand fix, never in a report
  assert.ok(!JSON.stringify(doc.check()).includes(KEY.slice(8)), "a report carries the key");
});

test("rules and version", () => {
  const engine = new Engine();
  const rules = engine.rules();
  // the catalogue is the native CLI's, not a list kept here by hand
  const cli = JSON.parse(
    execFileSync(new URL("../../target/release/keyleak", import.meta.url).pathname, ["rules", "--format", "json"], {
      encoding: "utf8",
    }),
  );
  assert.ok(cli.length > 0, "the CLI lists no rule");
  assert.deepEqual(
    rules.map((r) => r.code),
    cli.map((r) => r.code),
  );
  for (const [i, r] of rules.entries()) {
    assert.equal(r.name, cli[i].name, `${r.code}: the wasm and CLI names differ`);
  }
  for (const r of rules) {
    assert.match(r.docs, /## Why is this bad\?/);
    assert.ok(["always", "sometimes", "none"].includes(r.fix));
  }
  assert.match(Engine.version(), /^\d+\.\d+\.\d+$/);
});

test("a workspace supplies facts from sibling files (blueprint prefix set at registration)", () => {
  const views = [
    "from flask import Blueprint, jsonify",
    "ops = Blueprint('ops', __name__)",
    "@ops.get('/queues')",
    "def queues():",
    "    return jsonify(depth=1)",
    "",
  ].join("\n");
  const app = [
    "from flask import Flask",
    "from .views import ops",
    "def create_app():",
    "    app = Flask(__name__)",
    "    app.register_blueprint(ops, url_prefix='/internal')",
    "    return app",
    "",
  ].join("\n");
  const engine = new Engine();
  // alone, `/queues` is not an internal route
  assert.ok(!engine.check(views, "pkg/views.py").diagnostics.some((d) => d.code === "KL403"));
  engine.setWorkspace([{ path: "pkg/app.py", text: app }, { path: "pkg/views.py", text: views }]);
  const found = engine.check(views, "pkg/views.py").diagnostics.find((d) => d.code === "KL403");
  assert.ok(found, "KL403 once the app module is known");
  assert.match(found.message, /\/internal\/queues/);
  const note = found.related.find((r) => r.path === "pkg/app.py");
  assert.ok(note, "the related location names the file that sets the prefix");
  assert.equal(note.range.start.line, 4);
  // an open document gets the workspace too, and an empty one goes back to single-file checks
  const doc = engine.open(views, "pkg/views.py");
  assert.ok(doc.check().diagnostics.some((d) => d.code === "KL403"));
  doc.setWorkspace([]);
  assert.ok(!doc.check().diagnostics.some((d) => d.code === "KL403"));
  assert.throws(() => engine.setWorkspace([{ path: 1 }]), /invalid workspace/);
});
