// A real VS Code for the end-to-end tests: code-server from npm (VS Code
// 1.100.3), the packaged vsix installed into it, Debian's Chromium driven
// by playwright-core. Every request the page makes past code-server is
// refused and recorded; the server's own outbound traffic goes to a closed
// local proxy port.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const here = new URL(".", import.meta.url).pathname;
const ENTRY = join(here, "node_modules/code-server/out/node/entry.js");
const { version } = JSON.parse(readFileSync(join(here, "../../vscode/package.json"), "utf8"));
export const VSIX = process.env.KEYLEAK_VSIX ?? join(here, `../../vscode/keyleak-${version}.vsix`);
export const OUT = join(here, "../out");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** User settings of every run: nothing that pops up, updates or phones home. */
export const BASE_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "window.commandCenter": false,
  "keyleak.delay": 150,
};

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });

/**
 * code-server on a copy of `fixture`, with the vsix installed.
 * `host`: "node" runs the extension in the Node extension host (the
 * default for an extension installed on the server); "web" makes VS Code
 * pick its `browser` entry and run it in the browser's web worker.
 * @param {{fixture?: string, files?: Record<string, string>, host: "node" | "web", settings?: object}} o
 */
export async function startCodeServer({ fixture, files = {}, host, settings = {} }) {
  const tmp = mkdtempSync(join(tmpdir(), "keyleak-vscode-"));
  const ws = join(tmp, "ws");
  const udd = join(tmp, "udd");
  const ext = join(tmp, "ext");
  const xdg = join(tmp, "xdg");
  for (const d of [ws, udd, ext, xdg, join(udd, "User")]) mkdirSync(d, { recursive: true });
  if (fixture) cpSync(fixture, ws, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(ws, name, ".."), { recursive: true });
    writeFileSync(join(ws, name), text);
  }
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: xdg,
    XDG_DATA_HOME: xdg,
    XDG_CACHE_HOME: xdg,
    // anything the server tries to fetch goes to a closed local port
    http_proxy: "http://127.0.0.1:9",
    https_proxy: "http://127.0.0.1:9",
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    no_proxy: "",
  };
  const common = ["--user-data-dir", udd, "--extensions-dir", ext];
  const install = spawnSync(process.execPath, [ENTRY, ...common, "--install-extension", VSIX], { env, encoding: "utf8" });
  if (install.status !== 0 || !/successfully installed/.test(install.stdout)) {
    throw new Error(`installing ${VSIX} into code-server failed:\n${install.stdout}\n${install.stderr}`);
  }
  const userSettings = { ...BASE_SETTINGS, ...(host === "web" ? { "remote.extensionKind": { "keyleak.keyleak": ["web"] } } : {}), ...settings };
  writeSettings(udd, userSettings);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [ENTRY, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", ...common, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", ws],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${log}`)), 30_000);
    const onData = (/** @type {Buffer} */ b) => {
      log += b.toString();
      if (log.includes("HTTP server listening")) {
        clearTimeout(timer);
        resolve(undefined);
      }
    };
    server.stdout.on("data", onData);
    server.stderr.on("data", onData);
    server.once("exit", (code) => reject(new Error(`code-server exited (${code}):\n${log}`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  /** @type {Record<string, unknown>} */
  const workspaceSettings = {};
  return {
    ws,
    udd,
    origin,
    url: `${origin}/?folder=${encodeURIComponent(ws)}`,
    log: () => log,
    /**
     * Change settings while VS Code runs: the workspace's .vscode/settings.json,
     * which VS Code watches (code-server does not watch the user settings file).
     */
    settings(/** @type {object} */ more) {
      Object.assign(workspaceSettings, more);
      mkdirSync(join(ws, ".vscode"), { recursive: true });
      writeFileSync(join(ws, ".vscode/settings.json"), JSON.stringify(workspaceSettings, null, 2));
    },
    async close() {
      server.kill("SIGTERM");
      await new Promise((r) => (server.exitCode !== null ? r(undefined) : server.once("exit", r)));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** @param {string} udd @param {object} s */
function writeSettings(udd, s) {
  writeFileSync(join(udd, "User/settings.json"), JSON.stringify(s, null, 2));
}

/** Chromium with a page that may reach code-server only; everything else is refused and recorded. */
export async function openBrowser(/** @type {string} */ origin) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"] });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  /** @type {string[]} */
  const outside = [];
  await context.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + "/") || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return { browser, context, page, outside, errors };
}
