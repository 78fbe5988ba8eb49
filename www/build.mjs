// Bundle the playground into www/dist: static files only, nothing from a CDN.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";

const here = new URL(".", import.meta.url).pathname;
const dist = `${here}dist`;
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const samples = Object.fromEntries(
  readdirSync(`${here}samples`).filter((f) => f.endsWith(".py")).sort().map((f) => [f, readFileSync(`${here}samples/${f}`, "utf8")]),
);
const common = { bundle: true, format: "esm", target: "es2022", minify: true, sourcemap: true, logLevel: "warning" };
await build({ ...common, entryPoints: [`${here}src/main.js`], outfile: `${dist}/main.js`, define: { __SAMPLES__: JSON.stringify(samples) } });
await build({ ...common, entryPoints: [`${here}src/worker.js`], outfile: `${dist}/worker.js` });
copyFileSync(`${here}index.html`, `${dist}/index.html`);
copyFileSync(`${here}style.css`, `${dist}/style.css`);
copyFileSync(`${here}../crate/pkg/keyleak_bg.wasm`, `${dist}/keyleak_bg.wasm`);
writeFileSync(`${dist}/.nojekyll`, "");
console.log(`www/dist built (${readdirSync(dist).length} files)`);
