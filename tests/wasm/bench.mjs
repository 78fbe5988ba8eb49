// Timings of the real WebAssembly module in Node: a full check of a
// 1,000-line and a 5,000-line Flask file, and a re-check after a
// one-character edit of the 5,000-line file through the incremental API.
// Prints medians; the machine is shared and noisy, so every figure is a
// median of many runs taken in the same process.
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { initSync, Engine } from "../../crate/pkg/keyleak.js";

initSync({ module: readFileSync(new URL("../../crate/pkg/keyleak_bg.wasm", import.meta.url)) });

/** A realistic Flask module of about `lines` lines, each block distinct. */
export function flaskFile(lines) {
  const head = `import logging\nimport os\n\nfrom flask import Blueprint, Flask, abort, jsonify, request\n\napp = Flask(__name__)\nlog = logging.getLogger(__name__)\nAPI_KEY = os.environ["API_KEY"]\n`;
  const block = (i) => `

@app.route("/items/${i}/<item_id>")
def item_${i}(item_id):
    """Return item ${i}."""
    token = request.headers.get("Authorization", "")
    if not token:
        abort(401)
    data = {"id": item_id, "index": ${i}, "region": "eu"}
    log.info("item %s requested", item_id)
    if ${i} % 7 == 0:
        data["note"] = f"block {${i}} of the generated file"
    return jsonify(data)
`;
  let out = head;
  for (let i = 0; out.split("\n").length < lines; i++) out += block(i);
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(n, f) {
  f();
  const xs = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

const engine = new Engine();
const small = flaskFile(1000);
const large = flaskFile(5000);
const full1k = time(31, () => engine.check(small, "app.py"));
const full5k = time(15, () => engine.check(large, "app.py"));

const doc = engine.open(large, "app.py");
const lines = large.split("\n");
const target = lines.findIndex((l, i) => i > 2500 && l.includes('"region": "eu"'));
const col = lines[target].indexOf("eu");
let inserted = false;
const edit = time(41, () => {
  // type one character, then delete it: the document stays the same size
  if (inserted) doc.edit(target, col, target, col + 1, "");
  else doc.edit(target, col, target, col, "x");
  inserted = !inserted;
  doc.check();
});
const parseOnly = time(41, () => {
  if (inserted) doc.edit(target, col, target, col + 1, "");
  else doc.edit(target, col, target, col, "x");
  inserted = !inserted;
});

const fmt = (ms) => `${ms.toFixed(2)} ms`;
console.log(`full check, ${small.split("\n").length} lines: ${fmt(full1k)} (median of 31)`);
console.log(`full check, ${large.split("\n").length} lines: ${fmt(full5k)} (median of 15)`);
console.log(`re-check after a 1-character edit, ${large.split("\n").length} lines: ${fmt(edit)} (median of 41; incremental parse alone ${fmt(parseOnly)})`);
