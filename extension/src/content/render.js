// What the extension draws on a pull request: a row of findings under a
// changed line, a note on each file, and the summary badge. Text only ever
// goes in through textContent; every element carries data-keyleak so the
// page scanner can tell its own nodes from GitHub's.

import { SEVERITIES } from "../analysis.js";
import { suggestionMarkdown } from "../suggestion.js";
import { OWN_ATTRIBUTE, rowLayout } from "./github-dom.js";

/** @typedef {import("../analysis.js").Finding} Finding */
/** @typedef {import("../suggestion.js").SuggestionBlock} SuggestionBlock */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node|string|null|false)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === false) continue;
    node.append(child);
  }
  return node;
}

const LABEL = { critical: "Critical", high: "High", medium: "Medium", low: "Low", info: "Info" };

const lines = (/** @type {SuggestionBlock} */ b) => (b.startLine === b.endLine ? `line ${b.startLine}` : `lines ${b.startLine}–${b.endLine}`);

/**
 * One finding, as it appears under its line.
 * @param {Finding} f
 * @param {string} path
 * @param {(line: number) => boolean} inDiff  whether the diff shows a line (only those take review comments)
 */
function findingView(f, path, inDiff) {
  const head = el("div", { class: "keyleak-head" }, [
    el("span", { class: `keyleak-label keyleak-sev-${f.severity}` }, [LABEL[f.severity]]),
    el("a", { class: "keyleak-code", href: f.url, target: "_blank", rel: "noopener noreferrer", title: `${f.code} documentation` }, [f.code]),
    el("span", { class: "keyleak-name" }, [f.name]),
    el("span", { class: "keyleak-brand" }, ["keyleak"]),
  ]);
  const related = f.related.map((r) => el("p", { class: "keyleak-related" }, [`Line ${r.line}: ${r.message}`]));
  const cwe = f.cwe.length ? el("span", { class: "keyleak-cwe" }, [f.cwe.map((c) => `CWE-${c}`).join(", ")]) : null;
  return el("div", { class: `keyleak-finding keyleak-sev-${f.severity}`, "data-code": f.code, "data-line": String(f.line), "data-path": path, tabindex: "-1", [OWN_ATTRIBUTE]: "finding" }, [
    head,
    el("p", { class: "keyleak-message" }, [f.message]),
    el("p", { class: "keyleak-remediation" }, [f.remediation, " ", cwe]),
    ...related,
    f.suggestion ? suggestionView(f.suggestion, inDiff) : null,
  ]);
}

/**
 * @param {NonNullable<Finding["suggestion"]>} s
 * @param {(line: number) => boolean} inDiff
 */
function suggestionView(s, inDiff) {
  const caution = s.applicability === "unsafe" ? "changes behaviour: review before committing" : "keeps behaviour";
  const blocks = s.blocks.map((block, i) => {
    const markdown = suggestionMarkdown(block);
    const copy = el("button", { type: "button", class: "keyleak-copy", "aria-label": `Copy the suggestion for ${lines(block)}` }, ["Copy"]);
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(markdown).then(
        () => (copy.textContent = "Copied"),
        () => (copy.textContent = "Copy failed"),
      );
    });
    let commentable = true;
    for (let line = block.startLine; line <= block.endLine; line++) commentable &&= inDiff(line);
    const label = `${i === 0 ? "Suggested change for" : "And for"} ${lines(block)}${commentable ? "" : " (not in the diff: make this change by hand)"}`;
    return el("div", { class: "keyleak-block", "data-start": String(block.startLine), "data-end": String(block.endLine) }, [
      el("div", { class: "keyleak-block-head" }, [
        el("span", {}, [label]),
        copy,
      ]),
      el("pre", { class: "keyleak-suggestion" }, [markdown]),
      block.masked ? el("p", { class: "keyleak-masked" }, ["Secrets in these lines are masked here: edit them before committing."]) : null,
    ]);
  });
  return el("div", { class: "keyleak-fix" }, [
    el("p", { class: "keyleak-fix-title" }, [`Quick fix: ${s.title} (${caution})`]),
    ...blocks,
  ]);
}

/**
 * The row of findings under a diff line.
 * @param {HTMLTableRowElement} row
 * @param {Finding[]} findings
 * @param {string} path
 * @param {string} key   identifies the content, to skip redrawing an unchanged row
 * @param {(line: number) => boolean} inDiff
 */
export function annotationRow(row, findings, path, key, inDiff) {
  const { columns, split } = rowLayout(row);
  const body = el("div", { class: "keyleak-annotations" }, findings.map((f) => findingView(f, path, inDiff)));
  const tr = el("tr", { class: "keyleak-row", [OWN_ATTRIBUTE]: "annotation", "data-keyleak-key": key });
  if (split && columns >= 4) {
    const left = Math.floor(columns / 2);
    tr.append(el("td", { class: "keyleak-empty", colspan: String(left) }), el("td", { class: "keyleak-cell", colspan: String(columns - left) }, [body]));
  } else {
    tr.append(el("td", { class: "keyleak-cell", colspan: String(Math.max(columns, 1)) }, [body]));
  }
  return tr;
}

/**
 * @typedef {object} FileSummary
 * @property {number} shown       findings on changed lines
 * @property {number} unchanged   findings on lines the pull request does not change
 * @property {number} hidden      findings on changed lines not loaded yet (collapsed or virtualised)
 * @property {string|null} partial
 * @property {string|null} error
 * @property {boolean} pending
 */

/**
 * The note at the top of a file's diff.
 * @param {FileSummary} s
 */
export function fileNoteText(s) {
  if (s.error) return `keyleak could not check this file: ${s.error}`;
  if (s.pending) return "keyleak is checking this file…";
  const parts = [];
  if (s.shown) parts.push(`${s.shown} ${plural(s.shown, "finding")} on changed lines`);
  if (s.hidden) parts.push(`${s.hidden} on changed lines not shown yet`);
  if (s.unchanged) parts.push(`${s.unchanged} on lines this pull request does not change`);
  if (!parts.length) parts.push("no findings");
  let text = `keyleak: ${parts.join(", ")}`;
  if (s.partial) text += ` (partial: only the lines shown in the diff were checked, because ${s.partial})`;
  return text;
}

/** @param {FileSummary} s */
export function fileNote(s) {
  const tone = s.error ? "error" : s.shown ? "findings" : "quiet";
  return el("div", { class: `keyleak-file-note keyleak-note-${tone}`, [OWN_ATTRIBUTE]: "file-note", role: "status" }, [fileNoteText(s)]);
}

/**
 * @param {number} n
 * @param {string} word
 */
export const plural = (n, word) => (n === 1 ? word : `${word}s`);

/**
 * @typedef {object} BadgeState
 * @property {Record<string, number>} counts   by severity, findings on changed lines
 * @property {number} unchanged
 * @property {number} files      files checked so far
 * @property {number} total      files to check
 * @property {number} partial    files checked from the diff's lines only
 * @property {string|null} error
 * @property {boolean} hidden
 * @property {number} position   0-based index of the focused finding, or -1
 */

/**
 * The summary badge, created once and updated in place.
 * @param {{prev: () => void, next: () => void, toggle: () => void}} actions
 */
export function createBadge(actions) {
  const counts = el("span", { class: "keyleak-counts" });
  const status = el("span", { class: "keyleak-status" });
  const position = el("span", { class: "keyleak-position", "aria-live": "polite" });
  const prev = el("button", { type: "button", class: "keyleak-nav", "data-action": "prev", "aria-label": "Previous finding", title: "Previous finding" }, ["‹"]);
  const next = el("button", { type: "button", class: "keyleak-nav", "data-action": "next", "aria-label": "Next finding", title: "Next finding" }, ["›"]);
  const toggle = el("button", { type: "button", class: "keyleak-toggle", "data-action": "toggle", "aria-pressed": "false" }, ["Hide"]);
  prev.addEventListener("click", actions.prev);
  next.addEventListener("click", actions.next);
  toggle.addEventListener("click", actions.toggle);
  const root = el("div", { class: "keyleak-badge", [OWN_ATTRIBUTE]: "badge", role: "region", "aria-label": "keyleak findings" }, [
    el("span", { class: "keyleak-badge-title" }, ["keyleak"]),
    counts,
    status,
    el("span", { class: "keyleak-navs" }, [prev, position, next]),
    toggle,
  ]);
  /** @param {BadgeState} s */
  const update = (s) => {
    const total = SEVERITIES.reduce((sum, sev) => sum + (s.counts[sev] ?? 0), 0);
    counts.replaceChildren(
      ...(total
        ? SEVERITIES.filter((sev) => s.counts[sev]).map((sev) =>
            el("span", { class: `keyleak-count keyleak-sev-${sev}`, "data-severity": sev, title: `${s.counts[sev]} ${sev}` }, [`${s.counts[sev]} ${sev}`]),
          )
        : [el("span", { class: "keyleak-count keyleak-none" }, [s.files < s.total ? "checking…" : "no findings on changed lines"])]),
    );
    const notes = [];
    if (s.files < s.total) notes.push(`${s.files}/${s.total} files`);
    if (s.unchanged) notes.push(`${s.unchanged} more on unchanged lines`);
    if (s.partial) notes.push(`${s.partial} ${plural(s.partial, "file")} partial`);
    if (s.error) notes.push(s.error);
    status.textContent = notes.join(" · ");
    position.textContent = total ? `${s.position >= 0 ? s.position + 1 : "–"}/${total}` : "";
    prev.disabled = next.disabled = total === 0 || s.hidden;
    toggle.textContent = s.hidden ? "Show" : "Hide";
    toggle.setAttribute("aria-pressed", String(s.hidden));
    root.dataset.state = s.files < s.total ? "checking" : "done";
    root.dataset.total = String(total);
  };
  return { root, update };
}
