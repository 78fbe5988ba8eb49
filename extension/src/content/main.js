// The content script on GitHub pages. It watches for a pull request's diff
// (on load, after GitHub's soft navigations, as lazily loaded files and rows
// arrive), fetches each Python or config file at the head commit with the
// user's own session, has the service worker's engine check it, and draws
// the findings under the lines the pull request changes.
//
// Nothing leaves the browser: the only requests are to the GitHub host the
// page is on (and the raw-content host its file URLs redirect to).

import { isAnalysable, isDiffTab, MAX_FILE_BYTES, parsePullUrl, pullHeadRef, rawFileUrl } from "../github.js";
import { loadSettings } from "../settings.js";
import { fileHeadCommit, findDiffFiles, headCommit, headFromRoutePayload, isOwnNode, newSideLines, OWN_ATTRIBUTE } from "./github-dom.js";
import { annotationRow, createBadge, fileNote, fileNoteText } from "./render.js";

/** @typedef {import("../github.js").PullPage} PullPage */
/** @typedef {import("../analysis.js").FileResult} FileResult */
/** @typedef {import("../analysis.js").Finding} Finding */
/** @typedef {import("./github-dom.js").DiffFile} DiffFile */
/** @typedef {import("./github-dom.js").DiffLine} DiffLine */
/** @typedef {import("./github-dom.js").HeadCommit} HeadCommit */

/**
 * @typedef {object} FileState
 * @property {string} path
 * @property {string} ref             the commit (or head ref) the file is read at
 * @property {FileResult|null} result
 * @property {string|null} error
 * @property {boolean} running
 * @property {string|null} unavailable why the file could not be read at `ref` (then the diff's lines are checked)
 * @property {number} visibleCount    lines the last partial check saw
 * @property {Set<number>} changed    new-side lines seen as added or modified
 */

const FETCHES_AT_ONCE = 6;

/**
 * What is known about the pull request on screen. Files are keyed by path
 * and the commit they are read at: the page and the URL can disagree for a
 * moment during GitHub's soft navigations.
 * @type {{page: PullPage|null, head: HeadCommit|null, headKnown: boolean, headLookup: Promise<void>|null, files: Map<string, FileState>, generation: number}}
 */
const state = { page: null, head: null, headKnown: false, headLookup: null, files: new Map(), generation: 0 };
let enabled = false;
let hidden = false;
let position = -1;
/** @type {ReturnType<typeof createBadge>|null} */
let badge = null;
/** @type {import("./render.js").BadgeState|null} */
let shownState = null;

// ---- scheduling: one scan shortly after the DOM or the URL changes -------

/** @type {ReturnType<typeof setTimeout>|null} */
let timer = null;
function schedule(delay = 30) {
  if (timer === null) timer = setTimeout(() => ((timer = null), scan()), delay);
}

new MutationObserver((records) => {
  for (const r of records) {
    if (isOwnNode(r.target)) continue; // inside the extension's own elements
    for (const n of r.addedNodes) if (!isOwnNode(n)) return schedule();
    for (const n of r.removedNodes) if (!isOwnNode(n)) return schedule();
  }
}).observe(document.documentElement, { childList: true, subtree: true });
// Turbo (classic pages) and pjax fire these; React navigations only change the DOM and the URL
for (const event of ["turbo:load", "turbo:render", "pjax:end", "popstate", "pageshow"]) {
  (event === "popstate" || event === "pageshow" ? window : document).addEventListener(event, () => schedule());
}

// ---- settings ----------------------------------------------------------------

async function applySettings() {
  const [settings, local] = await Promise.all([loadSettings(), chrome.storage.local.get("hidden")]);
  enabled = settings.hosts[location.host] ?? false;
  setHidden(local.hidden === true);
}

chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "sync" && (changes.rules || changes.hosts)) {
    reset(); // a new rule selection means new results
    void applySettings().then(() => schedule());
  }
});

// ---- the scan ------------------------------------------------------------------

function reset() {
  state.generation++;
  state.page = null;
  state.head = null;
  state.headKnown = false;
  state.headLookup = null;
  state.files = new Map();
  position = -1;
  for (const node of document.querySelectorAll(`[${OWN_ATTRIBUTE}]`)) node.remove();
  badge = null;
  shownState = null;
}

function scan() {
  const page = enabled ? parsePullUrl(location.href) : null;
  if (!page || !isDiffTab(page)) {
    if (state.page) reset();
    return;
  }
  if (state.page?.key !== page.key) {
    reset();
    state.page = page;
  }
  const files = findDiffFiles(document).filter((f) => isAnalysable(f.path) && !f.deleted);
  if (!state.headKnown && !state.headLookup && files.length) {
    state.head = headCommit(document, page, files.map((f) => f.path));
    if (state.head) state.headKnown = true;
    else state.headLookup = lookUpHead(page, state.generation, files.map((f) => f.path));
  }
  /** @type {View[]} */
  const views = [];
  for (const file of files) {
    // a classic file names its own commit; otherwise the page's, once known
    const sha = page.head ?? fileHeadCommit(file, page) ?? state.head?.sha;
    if (!sha && !state.headKnown) continue; // asked GitHub; scanned again when it answers
    const ref = sha ?? pullHeadRef(page.number);
    const key = `${file.path}@${ref}`;
    let fs = state.files.get(key);
    if (!fs) {
      fs = { path: file.path, ref, result: null, error: null, running: false, unavailable: null, visibleCount: 0, changed: new Set() };
      state.files.set(key, fs);
    }
    const lines = newSideLines(file);
    for (const line of lines.values()) if (line.changed) fs.changed.add(line.line);
    if (!fs.running && !fs.result && !fs.error) void check(page, fs, lines);
    // a partial result re-checks when more of the diff is shown
    else if (fs.result?.partial && !fs.running && lines.size > fs.visibleCount) void check(page, fs, lines);
    views.push({ file, lines, state: fs });
  }
  draw(views, files.length);
}

/** @typedef {{file: DiffFile, lines: Map<number, DiffLine>, state: FileState}} View */

/**
 * GitHub's React view embeds the head commit in the page; after a soft
 * navigation that copy is stale, so ask for the route's data the way the
 * page itself does. Without it, files are read at the pull request's head ref.
 * @param {PullPage} page
 * @param {number} generation
 * @param {string[]} paths
 */
async function lookUpHead(page, generation, paths) {
  try {
    const res = await fetch(`/${page.owner}/${page.repo}/pull/${page.number}/${page.tab}`, {
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest", "GitHub-Verified-Fetch": "true" },
    });
    const type = res.headers.get("content-type") ?? "";
    if (res.ok && type.includes("json")) {
      const sha = headFromRoutePayload(await res.json(), page, paths);
      if (sha && generation === state.generation) state.head = { sha, source: "embedded-data" };
    }
  } catch {
    // fall back to the head ref
  } finally {
    if (generation === state.generation) {
      state.headKnown = true;
      schedule(0);
    }
  }
}

// ---- checking a file -----------------------------------------------------------

let inFlight = 0;
/** @type {(() => void)[]} */
const waiting = [];
async function slot() {
  if (inFlight >= FETCHES_AT_ONCE) await new Promise((resolve) => waiting.push(() => resolve(undefined)));
  inFlight++;
}
function release() {
  inFlight--;
  waiting.shift()?.();
}

/**
 * The file's text at `ref`, fetched like the page fetches anything: same
 * origin, the user's cookies, following GitHub's redirect to the raw host.
 * @param {string} url
 * @returns {Promise<{text: string} | {reason: string}>}
 */
async function fetchSource(url) {
  await slot();
  try {
    const res = await fetch(url, { credentials: "same-origin" });
    if (!res.ok) return { reason: `GitHub answered ${res.status} for the file at the head commit` };
    if (new URL(res.url).pathname.startsWith("/login")) return { reason: "GitHub asked to sign in" };
    if ((res.headers.get("content-type") ?? "").includes("text/html")) return { reason: "GitHub sent a web page, not the file" };
    if (Number(res.headers.get("content-length") ?? 0) > MAX_FILE_BYTES) return { reason: "the file is too large" };
    const text = await res.text();
    if (text.length > MAX_FILE_BYTES) return { reason: "the file is too large" };
    if (text.includes("\u0000")) return { reason: "the file is binary" };
    return { text };
  } catch {
    return { reason: "the file could not be fetched" };
  } finally {
    release();
  }
}

/**
 * @param {PullPage} page
 * @param {FileState} fs
 * @param {Map<number, DiffLine>} lines
 */
async function check(page, fs, lines) {
  const generation = state.generation;
  fs.running = true;
  try {
    /** @type {string|null} */
    let source = null;
    if (fs.unavailable === null) {
      const got = await fetchSource(rawFileUrl(page, fs.ref, fs.path));
      if (generation !== state.generation) return;
      if ("text" in got) source = got.text;
      else fs.unavailable = got.reason;
    }
    const visible = /** @type {Array<[number, string]>} */ (source === null ? [...lines.values()].map((l) => [l.line, l.text]) : []);
    const answer = await chrome.runtime.sendMessage({
      type: "analyse",
      request: { path: fs.path, source, unavailable: fs.unavailable, visible },
    });
    if (generation !== state.generation) return;
    if (answer?.result) {
      fs.result = answer.result;
      fs.visibleCount = lines.size;
    } else {
      fs.error = answer?.error ?? "no answer from the extension";
    }
  } catch (e) {
    if (generation === state.generation) fs.error = e instanceof Error ? e.message : String(e);
  } finally {
    fs.running = false;
    if (generation === state.generation) schedule(0);
  }
}

// ---- drawing ---------------------------------------------------------------

/**
 * The first line of a finding's range that the pull request changes: where
 * its annotation goes (a multi-line call may start on an unchanged line).
 * @param {Finding} f
 * @param {Set<number>} changed
 */
function anchorLine(f, changed) {
  for (let line = f.line; line <= Math.max(f.line, f.endLine); line++) if (changed.has(line)) return line;
  return null;
}

/**
 * @param {View[]} views
 * @param {number} total  files to check, counting those still waiting for the head commit
 */
function draw(views, total) {
  /** @type {Record<string, number>} */
  const counts = {};
  let unchanged = 0;
  let done = 0;
  let partial = 0;
  /** @type {string|null} */
  let error = null;
  for (const { file, lines, state: fs } of views) {
    if (fs.result || fs.error) done++;
    if (fs.error) error ??= fs.error;
    if (fs.result?.partial) partial++;
    /** @type {Map<number, Finding[]>} */
    const byLine = new Map();
    let shown = 0;
    let hiddenRows = 0;
    let offLines = 0;
    for (const f of fs.result?.findings ?? []) {
      const line = anchorLine(f, fs.changed);
      if (line === null) {
        offLines++;
        continue;
      }
      counts[f.severity] = (counts[f.severity] ?? 0) + 1;
      if (lines.has(line)) {
        shown++;
        byLine.set(line, [...(byLine.get(line) ?? []), f]);
      } else {
        hiddenRows++;
      }
    }
    unchanged += offLines;
    if (file.table) drawRows(file, lines, byLine);
    drawNote(file, {
      shown,
      hidden: hiddenRows,
      unchanged: offLines,
      partial: fs.result?.partial ?? null,
      error: fs.error,
      pending: !fs.result && !fs.error,
    });
  }
  if (!total) {
    badge?.root.remove();
    badge = null;
    shownState = null;
    return;
  }
  if (!badge || !badge.root.isConnected) {
    badge = createBadge({ prev: () => step(-1), next: () => step(1), toggle: () => void saveHidden(!hidden) });
    document.body.append(badge.root);
  }
  const navigable = findingElements().length;
  if (position >= navigable) position = navigable - 1;
  shownState = { counts, unchanged, files: done, total, partial, error, hidden, position };
  badge.update(shownState);
  badge.root.dataset.navigable = String(navigable);
  badge.root.dataset.unchanged = String(unchanged);
}

/**
 * Keep exactly one annotation row after each line with findings, re-adding
 * rows GitHub re-rendered away.
 * @param {DiffFile} file
 * @param {Map<number, DiffLine>} lines
 * @param {Map<number, Finding[]>} byLine
 */
function drawRows(file, lines, byLine) {
  const table = /** @type {HTMLTableElement} */ (file.table);
  /** @type {Map<string, Element>} */
  const existing = new Map();
  for (const row of table.querySelectorAll(`tr[${OWN_ATTRIBUTE}="annotation"]`)) {
    const key = row.getAttribute("data-keyleak-key") ?? "";
    if (existing.has(key)) row.remove();
    else existing.set(key, row);
  }
  for (const [line, findings] of byLine) {
    const anchor = /** @type {DiffLine} */ (lines.get(line)).row;
    const key = `${line}:${findings.map((f) => `${f.code}@${f.line}`).join(",")}`;
    const current = existing.get(key);
    existing.delete(key);
    if (current && current.previousElementSibling === anchor) continue;
    current?.remove();
    anchor.after(annotationRow(anchor, findings, file.path, key, (n) => lines.has(n)));
  }
  for (const stale of existing.values()) stale.remove();
}

/**
 * @param {DiffFile} file
 * @param {import("./render.js").FileSummary} summary
 */
function drawNote(file, summary) {
  const anchor = file.table ?? null;
  const existing = file.container.querySelector(`[${OWN_ATTRIBUTE}="file-note"]`);
  const text = fileNoteText(summary);
  if (existing && existing.textContent === text && (!anchor || existing.nextElementSibling === anchor)) return;
  existing?.remove();
  if (!anchor) return; // a collapsed file: its findings count in the badge
  anchor.before(fileNote(summary));
}

// ---- navigation and the show/hide toggle ---------------------------------------

function findingElements() {
  return /** @type {HTMLElement[]} */ ([...document.querySelectorAll(`.keyleak-row .keyleak-finding`)]);
}

/** @param {number} delta */
function step(delta) {
  const all = findingElements();
  if (!all.length || hidden) return;
  position = position < 0 ? (delta > 0 ? 0 : all.length - 1) : (position + delta + all.length) % all.length;
  for (const f of all) f.classList.remove("keyleak-current");
  const target = all[position];
  target.classList.add("keyleak-current");
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
  refreshBadge();
}

/** Show a new position or visibility at once, not at the next scan. */
function refreshBadge() {
  if (badge && shownState) badge.update((shownState = { ...shownState, hidden, position }));
}

/** @param {boolean} value */
function setHidden(value) {
  hidden = value;
  document.documentElement.classList.toggle("keyleak-hidden", hidden);
}

/** @param {boolean} value */
async function saveHidden(value) {
  setHidden(value);
  refreshBadge();
  await chrome.storage.local.set({ hidden: value });
}

void applySettings().then(() => schedule(0));
