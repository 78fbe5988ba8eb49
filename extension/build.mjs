// Build the unpacked extension into extension/dist and zip it beside it
// (extension/keyleak-extension.zip). Static files only: the engine is the
// prebuilt wasm package in crate/pkg, bundled with esbuild; no remote code.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { crc32, deflateRawSync, deflateSync } from "node:zlib";

const here = new URL(".", import.meta.url).pathname;
const dist = join(here, "dist");
const pkg = join(here, "../crate/pkg");
const zipPath = join(here, "keyleak-extension.zip");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "icons"), { recursive: true });

// Readable output (no minification): what runs is what a reviewer reads.
const common = { bundle: true, target: "chrome121", logLevel: "warning", legalComments: "none", charset: "utf8" };
await build({ ...common, format: "esm", entryPoints: [join(here, "src/background.js")], outfile: join(dist, "background.js") });
await build({ ...common, format: "iife", entryPoints: [join(here, "src/content/main.js")], outfile: join(dist, "content.js") });
await build({ ...common, format: "esm", entryPoints: [join(here, "src/options/options.js")], outfile: join(dist, "options.js") });

copyFileSync(join(here, "manifest.json"), join(dist, "manifest.json"));
copyFileSync(join(here, "src/content/content.css"), join(dist, "content.css"));
copyFileSync(join(here, "src/options/options.html"), join(dist, "options.html"));
copyFileSync(join(here, "src/options/options.css"), join(dist, "options.css"));
copyFileSync(join(pkg, "keyleak_bg.wasm"), join(dist, "keyleak_bg.wasm"));
for (const size of [16, 32, 48, 128]) writeFileSync(join(dist, `icons/${size}.png`), icon(size));

const files = walk(dist).sort();
writeFileSync(zipPath, zip(files.map((f) => ({ name: relative(dist, f), data: readFileSync(f) }))));
const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
console.log(`extension/dist built (${files.length} files, ${(bytes / 1024).toFixed(0)} KB); ${relative(process.cwd(), zipPath)} (${(statSync(zipPath).size / 1024).toFixed(0)} KB)`);

/** @param {string} dir @returns {string[]} */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * A zip archive (deflate), with fixed timestamps so the same input gives the same bytes.
 * @param {{name: string, data: Buffer}[]} entries
 */
function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name.split("\\").join("/"), "utf8");
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/**
 * The icon: a key on a rounded square, drawn from distance functions
 * (4x4 supersampling) and written as a PNG.
 * @param {number} size
 */
function icon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const bg = [31, 35, 40];
  const fg = [255, 255, 255];
  const accent = [209, 36, 47];
  const box = (/** @type {number} */ x, /** @type {number} */ y, /** @type {number} */ cx, /** @type {number} */ cy, /** @type {number} */ hw, /** @type {number} */ hh) =>
    Math.max(Math.abs(x - cx) - hw, Math.abs(y - cy) - hh);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let key = 0;
      let dot = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const x = (px + (sx + 0.5) / 4) / size;
          const y = (py + (sy + 0.5) / 4) / size;
          // rounded square
          const qx = Math.max(Math.abs(x - 0.5) - 0.32, 0);
          const qy = Math.max(Math.abs(y - 0.5) - 0.32, 0);
          if (Math.hypot(qx, qy) <= 0.16) cover++;
          // the key: a ring, a shaft, two teeth
          const ring = Math.abs(Math.hypot(x - 0.33, y - 0.5) - 0.13) - 0.055;
          const shaft = box(x, y, 0.6, 0.5, 0.2, 0.05);
          const tooth1 = box(x, y, 0.72, 0.6, 0.035, 0.08);
          const tooth2 = box(x, y, 0.6, 0.58, 0.03, 0.06);
          if (Math.min(ring, shaft, tooth1, tooth2) <= 0) key++;
          if (Math.hypot(x - 0.33, y - 0.5) <= 0.06) dot++;
        }
      }
      const a = cover / 16;
      const k = key / 16;
      const d = dot / 16;
      const i = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(bg[c] * (1 - k - d) + fg[c] * k + accent[c] * d);
      rgba[i + 3] = Math.round(255 * a);
    }
  }
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const chunk = (/** @type {string} */ type, /** @type {Buffer} */ data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(6, 9); // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
