// Debian's Chromium with the unpacked extension (the production build and
// manifest, unchanged), and the fixture GitHub behind it.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { asset, github, SESSION, startRawServer } from "./fixtures/site.mjs";

export const EXT = new URL("../../extension/dist/", import.meta.url).pathname;
export const OUT = new URL("../out/", import.meta.url).pathname;
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/**
 * @typedef {object} Browser
 * @property {import("playwright-core").BrowserContext} context
 * @property {string} extensionId
 * @property {{url: string, cookie: boolean, fromWorker: boolean}[]} github   requests answered for github.com
 * @property {string[]} raw          requests the raw-content host answered
 * @property {string[]} unexpected   requests to anywhere else (refused)
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Browser>} */
export async function launch() {
  mkdirSync(OUT, { recursive: true });
  const rawServer = await startRawServer();
  const profile = mkdtempSync(join(tmpdir(), "keyleak-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      ...ARGS,
      `--disable-extensions-except=${EXT}`,
      `--load-extension=${EXT}`,
      // raw.githubusercontent.com is the local fixture server; nothing else resolves
      `--host-resolver-rules=MAP raw.githubusercontent.com 127.0.0.1:${rawServer.port}, MAP * ~NOTFOUND`,
      "--ignore-certificate-errors",
      "--disable-features=LocalNetworkAccessChecks",
    ],
  });
  await context.addCookies([SESSION]);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: "https://github.com" });
  /** @type {Browser["github"]} */
  const githubRequests = [];
  /** @type {string[]} */
  const unexpected = [];
  await context.route("**/*", async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (url.protocol === "chrome-extension:") return route.continue(); // the extension's own files
    if (url.host === "github.com") {
      const headers = await request.allHeaders();
      const answer = github(url, headers);
      if (answer) {
        githubRequests.push({ url: url.href, cookie: (headers.cookie ?? "").includes(SESSION.value), fromWorker: !!request.serviceWorker() });
        return route.fulfill(answer);
      }
    } else if (url.host === "github.githubassets.com") {
      const answer = asset(url);
      if (answer) return route.fulfill(answer);
    }
    unexpected.push(url.href);
    return route.abort();
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    github: githubRequests,
    raw: rawServer.requests,
    unexpected,
    close: async () => {
      await context.close();
      await rawServer.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * What the extension drew: one entry per finding shown under a line, with
 * the diff line it sits under (read from GitHub's own row, not ours).
 * @param {import("playwright-core").Page} page
 */
export function annotations(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("tr.keyleak-row .keyleak-finding")].map((f) => {
      const row = f.closest("tr")?.previousElementSibling;
      const cells = [...(row?.querySelectorAll("[data-line-number]") ?? [])];
      // the new-side number: classic ids end in R<n>; React cells say data-diff-side="right"
      const right = cells.find((c) => /R\d+$/.test(c.id) || c.getAttribute("data-diff-side") === "right" || c.classList.contains("js-blob-rnum"));
      return {
        path: f.getAttribute("data-path"),
        code: f.getAttribute("data-code"),
        line: Number(right?.getAttribute("data-line-number")),
        added: !!row?.querySelector(".blob-code-addition, code.addition"),
        suggestion: [...f.querySelectorAll("pre.keyleak-suggestion")].map((p) => p.textContent),
      };
    }),
  );
}

/**
 * Wait until every file is checked and `n` findings are drawn.
 * @param {import("playwright-core").Page} page
 * @param {number} n
 */
export async function settled(page, n) {
  await page.waitForFunction(
    (want) => {
      const badge = document.querySelector('[data-keyleak="badge"]');
      return badge?.getAttribute("data-state") === "done" && document.querySelectorAll("tr.keyleak-row .keyleak-finding").length === want;
    },
    n,
    { timeout: 20_000 },
  );
}

/** Text of everything the extension added to the page. */
export const ownText = (/** @type {import("playwright-core").Page} */ page) =>
  page.evaluate(() => [...document.querySelectorAll("[data-keyleak]")].map((n) => n.textContent).join("\n"));
