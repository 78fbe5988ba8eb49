// Build the extension into vscode/dist: one bundle per extension host
// (dist/node.js for Node, dist/web.js for the web worker) and the engine's
// wasm beside them, copied from crate/pkg as it is. `node build.mjs vsix`
// also packages vscode/keyleak-<version>.vsix with @vscode/vsce.
// `node build.mjs test` writes the pure core as an ES module for the unit
// tests (vscode/out/core.mjs).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
const pkg = join(here, "../crate/pkg");
const dist = join(here, "dist");
const what = process.argv[2] ?? "dist";

// Readable output (no minification): what runs is what a reviewer reads.
// The wasm-bindgen glue's default `new URL("keyleak_bg.wasm", import.meta.url)`
// is never used (the extension passes the bytes): give it a constant.
const common = {
  bundle: true,
  logLevel: "warning",
  legalComments: "none",
  charset: "utf8",
  external: ["vscode"],
  define: { "import.meta.url": JSON.stringify("file:///keyleak/keyleak.js") },
};

if (what === "test") {
  mkdirSync(join(here, "out"), { recursive: true });
  await build({ ...common, define: {}, format: "esm", platform: "neutral", target: "node20", entryPoints: [join(here, "src/core.ts")], outfile: join(here, "out/core.mjs") });
  process.exit(0);
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
await build({ ...common, format: "cjs", platform: "node", target: "node20", entryPoints: [join(here, "src/node.ts")], outfile: join(dist, "node.js") });
await build({ ...common, format: "cjs", platform: "browser", target: "es2022", entryPoints: [join(here, "src/web.ts")], outfile: join(dist, "web.js") });
copyFileSync(join(pkg, "keyleak_bg.wasm"), join(dist, "keyleak_bg.wasm"));
const kb = (/** @type {string} */ f) => `${(statSync(f).size / 1024).toFixed(0)} KB`;
console.log(`vscode/dist built: node.js ${kb(join(dist, "node.js"))}, web.js ${kb(join(dist, "web.js"))}, keyleak_bg.wasm ${kb(join(dist, "keyleak_bg.wasm"))}`);

if (what === "vsix") {
  const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
  const out = join(here, `keyleak-${version}.vsix`);
  rmSync(out, { force: true });
  // bundled: no node_modules in the package; no LICENSE file or repository yet
  execFileSync(join(here, "node_modules/.bin/vsce"), ["package", "--no-dependencies", "--skip-license", "--allow-missing-repository", "--out", out], { cwd: here, stdio: ["ignore", "inherit", "inherit"] });
  console.log(`${relative(process.cwd(), out)}: ${kb(out)}`);
}
