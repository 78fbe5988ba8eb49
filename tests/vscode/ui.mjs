// Driving VS Code's workbench as a person does: keyboard shortcuts, the
// Problems panel, the quick-fix menu, hovers. Selectors are VS Code 1.100's.
import { readFileSync } from "node:fs";

/** @typedef {import("playwright-core").Page} Page */

/** Wait for the workbench, then for the explorer to list the workspace. */
export async function ready(/** @type {Page} */ page) {
  await page.waitForSelector(".monaco-workbench .part.editor", { timeout: 60_000 });
  await page.waitForSelector(".explorer-folders-view .monaco-list-row", { timeout: 60_000 });
}

/** Open a file with Ctrl+P; resolves, when its editor tab is active, to the time Enter was pressed. */
export async function openFile(/** @type {Page} */ page, /** @type {string} */ name) {
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input", { timeout: 10_000 });
  await page.keyboard.type(name);
  await page.waitForFunction((n) => [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((r) => r.textContent?.includes(n)), name, { timeout: 10_000 });
  const entered = performance.now();
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 10_000 });
  return entered;
}

/** Run a command from the command palette by its title. */
export async function command(/** @type {Page} */ page, /** @type {string} */ title) {
  // a tab that has just opened can take the focus back and swallow the
  // first F1: press it again until the palette shows
  const palette = ".quick-input-widget:not([style*='display: none']) input";
  for (let i = 0; ; i++) {
    await page.keyboard.press("F1");
    try {
      await page.waitForSelector(palette, { timeout: 2_000 });
      break;
    } catch (e) {
      if (i >= 4) throw e;
    }
  }
  await page.keyboard.type(title);
  await page.waitForFunction((t) => [...document.querySelectorAll(".quick-input-list .monaco-list-row")].some((r) => r.textContent?.includes(t)), title, { timeout: 10_000 });
  await page.keyboard.press("Enter");
}

/** Put the cursor at a 1-based line and column (Ctrl+G). */
export async function goTo(/** @type {Page} */ page, /** @type {number} */ line, /** @type {number} */ column) {
  await page.keyboard.press("Control+1");
  await page.keyboard.press("Control+G");
  await page.waitForSelector(".quick-input-widget:not([style*='display: none']) input", { timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.waitForFunction((want) => document.querySelector(".statusbar [id='status.editor.selection'], .statusbar-item[id*='selection']")?.textContent?.includes(want), `Ln ${line}, Col ${column}`, { timeout: 10_000 });
}

/** The keyleak rows of the Problems panel as `CODE:line`, sorted. */
export async function problems(/** @type {Page} */ page) {
  const rows = await page.$$eval(".markers-panel .monaco-tl-row", (els) => els.map((e) => e.textContent ?? ""));
  return rows
    .map((r) => r.match(/keyleak\s*(KL\d+)\s*\[Ln (\d+), Col \d+\]/))
    .filter((m) => m !== null)
    .map((m) => `${m[1]}:${m[2]}`)
    .sort();
}

/** Open the Problems panel and wait until it lists exactly `want` (`CODE:line`). */
export async function waitForProblems(/** @type {Page} */ page, /** @type {string[]} */ want, timeout = 15_000) {
  if (!(await page.$(".markers-panel"))) await page.keyboard.press("Control+Shift+M");
  await page.waitForSelector(".markers-panel", { timeout: 10_000 });
  const expected = [...want].sort().join(",");
  const start = Date.now();
  let got = "";
  while (Date.now() - start < timeout) {
    got = (await problems(page)).join(",");
    if (got === expected) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`Problems panel: expected [${expected}], got [${got}]`);
}

/** Text of the Problems panel rows (messages and related information). */
export const problemRows = (/** @type {Page} */ page) => page.$$eval(".markers-panel .monaco-tl-row", (els) => els.map((e) => e.textContent ?? ""));

/** Ctrl+. at the cursor, then pick the action whose title contains `title`. Returns every title shown. */
export async function quickFix(/** @type {Page} */ page, /** @type {string} */ title) {
  const rows = ".action-widget .monaco-list-row.action";
  // the actions come from the debounced check: on a loaded machine the menu
  // can open before they are there, or the key press can be lost; close it
  // and ask again, for up to 15 s
  for (let i = 0; ; i++) {
    await page.keyboard.press("Control+.");
    try {
      await page.waitForFunction((t) => [...document.querySelectorAll(".action-widget .monaco-list-row.action")].some((r) => r.textContent?.includes(t)), title, { timeout: 3_000 });
      break;
    } catch (e) {
      if (i >= 4) throw e;
      await page.keyboard.press("Escape");
    }
  }
  const titles = await page.$$eval(rows, (els) => els.map((e) => e.textContent ?? ""));
  const index = titles.findIndex((t) => t.includes(title));
  // move the selection with the keyboard, as a person would, then Enter
  await page.keyboard.press("Home");
  for (let i = 0; i < index; i++) await page.keyboard.press("ArrowDown");
  const focused = await page.$eval(".action-widget .monaco-list-row.action.focused", (e) => e.textContent ?? "");
  if (!focused.includes(title)) throw new Error(`quick fix menu: focused "${focused}", wanted "${title}"`);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".action-widget", { state: "hidden", timeout: 10_000 }).catch(() => {});
  return titles;
}

/** Wait until a file on disk satisfies `ok`. */
export async function waitForFile(/** @type {Page} */ page, /** @type {string} */ path, /** @type {(text: string) => boolean} */ ok, timeout = 10_000) {
  const start = Date.now();
  let text = "";
  while (Date.now() - start < timeout) {
    try {
      text = readFileSync(path, "utf8");
      if (ok(text)) return text;
    } catch {
      text = "<absent>";
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`${path} never reached the expected state; it holds:\n${text}`);
}

/** Squiggles drawn in the editor now. */
export const squiggles = (/** @type {Page} */ page) => page.$$eval(".monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info", (els) => els.length);

/** The text the output panel shows (its visible lines). */
export const outputText = (/** @type {Page} */ page) => page.$$eval(".part.panel .output-view .view-line, .part.panel [id*='output'] .view-line", (els) => els.map((e) => e.textContent?.replace(/\u00a0/g, " ")).join("\n"));

/** Wait until the panel (Problems, Output) shows `text` (Monaco draws spaces as no-break spaces). */
export const waitForPanelText = (/** @type {Page} */ page, /** @type {string} */ text, timeout = 10_000) =>
  page.waitForFunction((t) => (document.querySelector(".part.panel")?.textContent ?? "").replace(/\u00a0/g, " ").includes(t), text, { timeout });
