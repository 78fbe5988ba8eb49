// Everything the extension knows about GitHub's pull-request diff markup, in
// one place. GitHub serves two diff UIs and both must keep working:
//
// Classic ("Files changed", /pull/N/files, server-rendered tables):
//   div.file                                  one per file, with a
//     .file-header[data-path]                 path (the new path of a rename), data-file-deleted
//       a[href*="/blob/<sha>/"]               "View file" in the header menu: the head commit
//     table.diff-table[data-diff-anchor]      `file-diff-split` when split
//       td.blob-num[data-line-number]         line-number cells, id "diff-<digest>L12" / "…R12";
//                                             the new-side cell is `js-blob-rnum` in unified view
//       td.blob-code(-addition|-context|-deletion)[data-split-side]
//         .blob-code-inner                    the line's text (the +/- is data-code-marker)
//
// React (/pull/N/changes, GitHub's default for signed-in users since 2025):
//   div[role=region][id="diff-<sha256(path)>"]  one per file, class names are hashed CSS modules
//     h3[class*=file-name] code               the path, wrapped in U+200E marks
//     table[role=grid][aria-label="Diff for: <path>"][data-diff-anchor]
//       tr.diff-line-row
//         td[data-diff-side=left|right][data-line-number]  number and code cells;
//                                             code cells carry data-line-anchor "diff-<digest>R12"
//           code.diff-text(.addition|.deletion) .diff-text-inner   the line's text
//   script[data-target="react-app.embeddedData"]  the route payload:
//     payload.pullRequestsChangesRoute.comparison.fullDiff.headOid
//
// Sources: public extensions and userscripts that read the same DOM
// (refined-github's selectors and features, PR-review extensions' notes on
// live captures of github.com/psf/requests/pull/4052 and others, Sourcegraph's
// saved GitHub fixtures), cross-checked against each other. Class names with
// a hash suffix are only ever matched by prefix.

/** @typedef {import("../github.js").PullPage} PullPage */

export const SELECTORS = {
  classicFileHeader: ".file-header[data-path]",
  classicFile: ".file, .js-file",
  classicTable: "table.diff-table",
  classicViewFileLink: '.file-header a[href*="/blob/"]',
  classicNumberCell: "td.blob-num[data-line-number]",
  classicCodeInner: ".blob-code-inner",
  reactTable: 'table[aria-label^="Diff for: "]',
  reactRegion: 'div[role="region"][id^="diff-"]',
  reactFileName: '[class*="file-name"] code, h3 code',
  reactRightCell: 'td[data-diff-side="right"][data-line-number]',
  reactLeftCell: 'td[data-diff-side="left"][data-line-number]',
  reactCode: "code.diff-text",
  reactCodeInner: ".diff-text-inner",
  embeddedData: 'script[type="application/json"][data-target="react-app.embeddedData"]',
  headShaInput: 'input[name="head_sha"]',
};

/**
 * @typedef {object} DiffFile
 * @property {"classic"|"react"} ui
 * @property {string} path              the path at the head commit
 * @property {Element} container        the file's box
 * @property {HTMLTableElement|null} table  null while the diff is collapsed or not loaded yet
 * @property {boolean} deleted          nothing on the new side to annotate
 */

/**
 * @typedef {object} DiffLine one new-side line shown in the diff
 * @property {number} line         1-based, as GitHub numbers it
 * @property {boolean} changed     added or modified by the pull request
 * @property {string} text
 * @property {HTMLTableRowElement} row
 */

const BIDI_MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The files of the diff shown under `root`, in page order.
 * @param {ParentNode} root
 * @returns {DiffFile[]}
 */
export function findDiffFiles(root) {
  /** @type {DiffFile[]} */
  const files = [];
  for (const header of root.querySelectorAll(SELECTORS.classicFileHeader)) {
    const path = header.getAttribute("data-path");
    const container = header.closest(SELECTORS.classicFile);
    if (!path || !container) continue;
    files.push({
      ui: "classic",
      path,
      container,
      table: /** @type {HTMLTableElement|null} */ (container.querySelector(SELECTORS.classicTable)),
      deleted: header.getAttribute("data-file-deleted") === "true",
    });
  }
  const seen = new Set();
  for (const region of root.querySelectorAll(SELECTORS.reactRegion)) {
    const table = /** @type {HTMLTableElement|null} */ (region.querySelector(SELECTORS.reactTable));
    const path = (table && tablePath(table)) ?? headerPath(region);
    if (!path) continue;
    if (table) seen.add(table);
    files.push({ ui: "react", path, container: region, table, deleted: table ? reactDeleted(table) : false });
  }
  // tables outside a recognisable region (the wrapper changed): still usable
  for (const table of root.querySelectorAll(SELECTORS.reactTable)) {
    if (seen.has(table)) continue;
    const path = tablePath(/** @type {HTMLTableElement} */ (table));
    if (!path) continue;
    const container = table.closest('[id^="diff-"]') ?? table.parentElement ?? table;
    files.push({ ui: "react", path, container, table: /** @type {HTMLTableElement} */ (table), deleted: reactDeleted(table) });
  }
  return files;
}

/** @param {Element} table */
function tablePath(table) {
  const label = table.getAttribute("aria-label") ?? "";
  const path = label.slice("Diff for: ".length).replace(BIDI_MARKS, "").trim();
  return path || null;
}

/**
 * The path in a React file header; a rename reads "old renamed to new" for
 * screen readers and "old → new" on screen.
 * @param {Element} region
 */
function headerPath(region) {
  const code = region.querySelector(SELECTORS.reactFileName);
  if (!code) return null;
  const spoken = code.querySelector(".sr-only")?.textContent ?? "";
  const renamed = spoken.split(" renamed to ")[1];
  const text = (renamed ?? code.textContent ?? "").replace(BIDI_MARKS, "");
  const path = text.split(" → ").pop()?.trim();
  return path || null;
}

/** @param {Element} table */
function reactDeleted(table) {
  return !table.querySelector(SELECTORS.reactRightCell) && !!table.querySelector(SELECTORS.reactLeftCell);
}

/**
 * The new-side lines the diff shows, by line number.
 * @param {DiffFile} file
 * @returns {Map<number, DiffLine>}
 */
export function newSideLines(file) {
  /** @type {Map<number, DiffLine>} */
  const lines = new Map();
  if (!file.table || file.deleted) return lines;
  if (file.ui === "classic") {
    for (const cell of file.table.querySelectorAll(SELECTORS.classicNumberCell)) {
      if (!isClassicNewSide(cell)) continue;
      const line = Number(cell.getAttribute("data-line-number"));
      const row = /** @type {HTMLTableRowElement|null} */ (cell.closest("tr"));
      const code = classicCodeCell(cell);
      if (!row || !code || !Number.isInteger(line) || line < 1) continue;
      const inner = code.querySelector(SELECTORS.classicCodeInner) ?? code;
      lines.set(line, { line, row, changed: code.classList.contains("blob-code-addition"), text: inner.textContent ?? "" });
    }
  } else {
    for (const cell of file.table.querySelectorAll(SELECTORS.reactRightCell)) {
      const line = Number(cell.getAttribute("data-line-number"));
      const row = /** @type {HTMLTableRowElement|null} */ (cell.closest("tr"));
      if (!row || lines.has(line) || !Number.isInteger(line) || line < 1) continue;
      // the row's new-side code: in split view the row also holds the old side
      const code = [...row.querySelectorAll(SELECTORS.reactCode)].find(
        (c) => c.closest("td")?.getAttribute("data-diff-side") !== "left",
      );
      if (!code) continue;
      const inner = code.querySelector(SELECTORS.reactCodeInner) ?? code;
      lines.set(line, { line, row, changed: code.classList.contains("addition"), text: inner.textContent ?? "" });
    }
  }
  return lines;
}

/**
 * Whether a classic line-number cell numbers the new side.
 * @param {Element} cell
 */
function isClassicNewSide(cell) {
  const side = /([LR])\d+$/.exec(cell.id);
  if (side) return side[1] === "R";
  if (cell.classList.contains("js-blob-rnum")) return true;
  const code = cell.nextElementSibling;
  const split = code?.getAttribute("data-split-side");
  if (split) return split === "right";
  if (cell.classList.contains("blob-num-addition")) return true;
  if (cell.classList.contains("blob-num-deletion")) return false;
  const numbers = [...(cell.parentElement?.children ?? [])].filter((c) => c.classList.contains("blob-num"));
  return numbers.length >= 2 && numbers.indexOf(cell) === 1;
}

/**
 * The code cell of a classic new-side number cell: the next cell in both
 * layouts (unified: old number, new number, code; split: number, code twice).
 * @param {Element} cell
 */
function classicCodeCell(cell) {
  const next = cell.nextElementSibling;
  if (next?.classList.contains("blob-code")) return next;
  const row = cell.parentElement;
  const codes = row ? [...row.children].filter((c) => c.classList.contains("blob-code")) : [];
  return codes[codes.length - 1] ?? null;
}

/**
 * How wide an inserted row must be, and whether the diff is split (an
 * annotation then sits under the new side, as GitHub's own comments do).
 * @param {HTMLTableRowElement} row
 */
export function rowLayout(row) {
  const table = row.closest("table");
  const spanned = [...row.cells].reduce((sum, c) => sum + (c.colSpan || 1), 0);
  const cols = table?.querySelectorAll(":scope > colgroup > col").length ?? 0;
  // hunk rows may span more columns than line rows have cells (React: colspan 4)
  const widest = Math.max(0, ...[...(table?.querySelectorAll("td[colspan]") ?? [])].map((c) => /** @type {HTMLTableCellElement} */ (c).colSpan));
  const columns = Math.max(spanned, cols, widest);
  const codeCells = [...row.cells].filter(
    (c) => c.classList.contains("blob-code") || c.classList.contains("diff-text-cell") || c.querySelector("code.diff-text"),
  );
  const split = !!table?.classList.contains("file-diff-split") || codeCells.length >= 2;
  return { columns, split };
}

/**
 * @typedef {object} HeadCommit
 * @property {string} sha
 * @property {"url"|"embedded-data"|"view-file-link"|"review-form"} source
 */

const SHA = /^[0-9a-f]{40}$/i;

/**
 * The commit the diff's new side shows, from what the page already holds.
 * @param {Document} doc
 * @param {PullPage} page
 * @param {string[]} paths  the diff's files, to tell this pull request's embedded data from a stale one
 * @returns {HeadCommit|null}
 */
export function headCommit(doc, page, paths) {
  if (page.head) return { sha: page.head, source: "url" };
  for (const script of doc.querySelectorAll(SELECTORS.embeddedData)) {
    const text = script.textContent ?? "";
    if (!text.includes("headOid")) continue;
    try {
      const sha = headFromRoutePayload(JSON.parse(text), page, paths);
      if (sha) return { sha, source: "embedded-data" };
    } catch {
      // some other app's data
    }
  }
  const linked = blobLinkCommit(doc, page);
  if (linked) return { sha: linked, source: "view-file-link" };
  const input = doc.querySelector(SELECTORS.headShaInput);
  const value = input?.getAttribute("value") ?? "";
  if (SHA.test(value)) return { sha: value.toLowerCase(), source: "review-form" };
  return null;
}

/**
 * The commit a classic file's "View file" link points at: the head commit,
 * read from the file itself, so it is right even while GitHub has already
 * changed the URL and not yet the page (Turbo changes history first).
 * @param {DiffFile} file
 * @param {PullPage} page
 * @returns {string|null}
 */
export function fileHeadCommit(file, page) {
  return file.ui === "classic" ? blobLinkCommit(file.container, page) : null;
}

/**
 * The commit in the first classic "View file" link under `root`.
 * @param {ParentNode} root
 * @param {PullPage} page
 */
function blobLinkCommit(root, page) {
  const repoPath = `/${page.owner}/${page.repo}/blob/`;
  for (const link of root.querySelectorAll(SELECTORS.classicViewFileLink)) {
    const href = link.getAttribute("href") ?? "";
    const at = href.indexOf(repoPath);
    const sha = at === -1 ? "" : href.slice(at + repoPath.length).split("/")[0];
    if (SHA.test(sha)) return sha.toLowerCase();
  }
  return null;
}

/**
 * The head commit in a React route payload (embedded in the page, or the
 * JSON GitHub's own soft navigation fetches), when it is this pull
 * request's: after a soft navigation the page still embeds the first one.
 * @param {any} json
 * @param {PullPage} page
 * @param {string[]} paths
 * @returns {string|null}
 */
export function headFromRoutePayload(json, page, paths) {
  const payload = json?.payload ?? json;
  const route = payload?.pullRequestsChangesRoute ?? payload?.pullRequestsFilesRoute;
  const sha = route?.comparison?.fullDiff?.headOid;
  if (typeof sha !== "string" || !SHA.test(sha)) return null;
  const number = route?.pullRequest?.number;
  if (typeof number === "number") return number === page.number ? sha.toLowerCase() : null;
  const listed = new Set((route?.diffSummaries ?? []).map((/** @type {any} */ s) => s?.path));
  return paths.length > 0 && paths.every((p) => listed.has(p)) ? sha.toLowerCase() : null;
}

/** Marks everything the extension adds to the page. */
export const OWN_ATTRIBUTE = "data-keyleak";

/**
 * Whether a node was added by the extension (its own mutations must not
 * trigger a rescan).
 * @param {Node} node
 */
export function isOwnNode(node) {
  return node instanceof Element ? node.hasAttribute(OWN_ATTRIBUTE) || !!node.closest(`[${OWN_ATTRIBUTE}]`) : false;
}
