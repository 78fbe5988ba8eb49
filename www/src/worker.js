// The engine runs here, off the main thread. Messages:
//   {id, type: "check", source, options}  -> {id, type: "report", report}
//   {id, type: "rules"}                   -> {id, type: "rules", rules, version}
//   {id, type: "redact", sources}         -> {id, type: "redacted", texts}
//     every credential-looking token masked (the engine's redact(): vendor
//     keys in comments too, whether or not a rule reports them), for share
//     links and the fix-all preview
// Failures come back as {id, type: "error", message}; the page stays usable.
import init, { Engine, redact } from "../../crate/pkg/keyleak.js";

const ready = init({ module_or_path: new URL("./keyleak_bg.wasm", import.meta.url) });
let engine = null;
let engineOptions = null;

function engineFor(options) {
  const key = JSON.stringify(options ?? {});
  if (!engine || key !== engineOptions) {
    const next = new Engine(options ?? {});
    doc?.free();
    doc = null;
    engine?.free();
    engine = next;
    engineOptions = key;
  }
  return engine;
}

// The open document: each check sends the engine one edit (the changed
// middle of the text), so it re-parses and re-checks only what changed.
let doc = null;
let docText = "";
let docKey = null;

/** 0-based line and UTF-16 character of an offset in `text`. */
function position(text, offset) {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

const isLowSurrogate = (c) => c >= 0xdc00 && c <= 0xdfff;

function checkDocument(text, options, path) {
  const eng = engineFor(options);
  const key = `${engineOptions}\u0000${path}`;
  if (doc && key === docKey && text !== docText) {
    try {
      const max = Math.min(text.length, docText.length);
      let a = 0;
      while (a < max && text.charCodeAt(a) === docText.charCodeAt(a)) a++;
      if (a > 0 && a < docText.length && isLowSurrogate(docText.charCodeAt(a))) a--; // keep pairs whole
      let b = 0;
      while (b < max - a && text.charCodeAt(text.length - 1 - b) === docText.charCodeAt(docText.length - 1 - b)) b++;
      if (b > 0 && isLowSurrogate(docText.charCodeAt(docText.length - b))) b--;
      const start = position(docText, a);
      const end = position(docText, docText.length - b);
      doc.edit(start.line, start.character, end.line, end.character, text.slice(a, text.length - b));
      docText = text;
    } catch {
      doc.free();
      doc = null;
    }
  }
  if (!doc || key !== docKey) {
    doc?.free();
    doc = eng.open(text, path);
    docText = text;
    docKey = key;
  }
  return doc.check();
}

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    await ready;
    if (type === "check") {
      const started = performance.now();
      // previews (fix-all rounds) check other texts: keep the document for the editor's
      const report = data.preview
        ? engineFor(data.options).check(data.source, data.path ?? "app.py")
        : checkDocument(data.source, data.options, data.path ?? "app.py");
      self.postMessage({ id, type: "report", report, ms: performance.now() - started });
    } else if (type === "rules") {
      self.postMessage({ id, type: "rules", rules: engineFor(null).rules(), version: Engine.version() });
    } else if (type === "redact") {
      self.postMessage({ id, type: "redacted", texts: data.sources.map((s) => redact(s)) });
    }
  } catch (e) {
    self.postMessage({ id, type: "error", message: String(e?.message ?? e) });
  }
};
