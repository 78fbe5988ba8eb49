// The engine runs here, off the main thread. Messages:
//   {id, type: "check", source, options}  -> {id, type: "report", report}
//   {id, type: "rules"}                   -> {id, type: "rules", rules, version}
// Failures come back as {id, type: "error", message}; the page stays usable.
import init, { Engine } from "../../crate/pkg/keyleak.js";

const ready = init({ module_or_path: new URL("./keyleak_bg.wasm", import.meta.url) });
let engine = null;
let engineOptions = null;

function engineFor(options) {
  const key = JSON.stringify(options ?? {});
  if (!engine || key !== engineOptions) {
    const next = new Engine(options ?? {});
    engine?.free();
    engine = next;
    engineOptions = key;
  }
  return engine;
}

self.onmessage = async ({ data }) => {
  const { id, type } = data;
  try {
    await ready;
    if (type === "check") {
      const started = performance.now();
      const report = engineFor(data.options).check(data.source, data.path ?? "app.py");
      self.postMessage({ id, type: "report", report, ms: performance.now() - started });
    } else if (type === "rules") {
      self.postMessage({ id, type: "rules", rules: engineFor(null).rules(), version: Engine.version() });
    }
  } catch (e) {
    self.postMessage({ id, type: "error", message: String(e?.message ?? e) });
  }
};
