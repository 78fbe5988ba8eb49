// A keyleak fix as GitHub ```suggestion``` blocks. A suggestion replaces the
// lines a review comment sits on, so each group of edits on neighbouring
// lines becomes one block: the original line range and the text that
// replaces it. The text goes through `redact()` before anyone sees it, so a
// secret that stays on a changed line is shown (and copied) masked.

/** @typedef {import("../../crate/pkg/keyleak.js").Fix} Fix */
/** @typedef {import("../../crate/pkg/keyleak.js").TextEdit} TextEdit */
/** @typedef {import("../../crate/pkg/keyleak.js").Position} Position */

/**
 * @typedef {object} SuggestionBlock
 * @property {number} startLine first original line replaced (1-based)
 * @property {number} endLine   last original line replaced (1-based)
 * @property {string} text      the replacement lines, secrets masked
 * @property {boolean} masked   the replacement had a secret in it, so the text is not byte-exact
 */

/**
 * @typedef {object} Suggestion
 * @property {string} title
 * @property {"safe"|"unsafe"|"display-only"} applicability
 * @property {SuggestionBlock[]} blocks the block on the finding's line first
 */

/** Offsets of the start of each line (0-based lines, UTF-16 offsets). */
function lineStarts(/** @type {string} */ text) {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * @param {number[]} starts
 * @param {Position} pos
 */
function offsetOf(starts, pos) {
  return (starts[pos.line] ?? starts[starts.length - 1]) + pos.character;
}

/**
 * Apply non-overlapping edits (LSP positions) to `text`.
 * @param {string} text
 * @param {TextEdit[]} edits
 */
export function applyEdits(text, edits) {
  const starts = lineStarts(text);
  const spans = edits
    .map((e) => ({ from: offsetOf(starts, e.range.start), to: offsetOf(starts, e.range.end), text: e.newText }))
    .sort((a, b) => b.from - a.from || b.to - a.to);
  let out = text;
  for (const s of spans) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  return out;
}

/**
 * The first fix a reviewer can suggest: not a display-only one (those are
 * the engine's "ignore on this line/file" actions).
 * @param {Fix[]} fixes
 */
export function primaryFix(fixes) {
  return fixes.find((f) => f.applicability !== "display-only") ?? null;
}

/**
 * Group a fix's edits into suggestion blocks against `source`.
 * @param {string} source           the file the fix was computed on
 * @param {Fix} fix
 * @param {(text: string) => string} redact
 * @param {number} findingLine      0-based line of the finding, whose block comes first
 * @returns {Suggestion}
 */
export function suggestionFor(source, fix, redact, findingLine) {
  const starts = lineStarts(source);
  const lastLine = starts.length - 1;
  // an edit covers the lines from its start to its end; an end at column 0
  // of a later line stops at the line before
  const spans = fix.edits
    .map((edit) => {
      const first = edit.range.start.line;
      let last = edit.range.end.line;
      if (last > first && edit.range.end.character === 0) last -= 1;
      return { first, last: Math.min(last, lastLine), edit };
    })
    .sort((a, b) => a.first - b.first);

  /** @type {{first: number, last: number, edits: TextEdit[]}[]} */
  const groups = [];
  for (const span of spans) {
    const open = groups[groups.length - 1];
    if (open && span.first <= open.last + 1) {
      open.last = Math.max(open.last, span.last);
      open.edits.push(span.edit);
    } else {
      groups.push({ first: span.first, last: span.last, edits: [span.edit] });
    }
  }

  const blocks = groups.map((g) => {
    const from = starts[g.first];
    const end = g.last + 1 <= lastLine ? starts[g.last + 1] : source.length; // with its newline
    const base = { line: g.first, character: 0 };
    const rebased = g.edits.map((e) => ({
      newText: e.newText,
      range: { start: rebase(e.range.start, base), end: rebase(e.range.end, base) },
    }));
    const original = source.slice(from, end);
    let replaced = applyEdits(original, rebased);
    // a block is whole lines; keep line endings as the file has them
    replaced = replaced.replace(/\r?\n$/, "").replace(/\r$/gm, "");
    const text = redact(replaced);
    return { startLine: g.first + 1, endLine: g.last + 1, text, masked: text !== replaced, group: g };
  });
  blocks.sort((a, b) => Number(contains(b.group, findingLine)) - Number(contains(a.group, findingLine)));
  return {
    title: fix.title,
    applicability: fix.applicability,
    blocks: blocks.map(({ startLine, endLine, text, masked }) => ({ startLine, endLine, text, masked })),
  };
}

/**
 * @param {Position} pos
 * @param {Position} base
 */
function rebase(pos, base) {
  return { line: pos.line - base.line, character: pos.character };
}

/**
 * @param {{first: number, last: number}} group
 * @param {number} line
 */
function contains(group, line) {
  return group.first <= line && line <= group.last;
}

/** The text a reviewer pastes into a review comment on the block's lines. */
export function suggestionMarkdown(/** @type {SuggestionBlock} */ block) {
  const fence = block.text.includes("```") ? "````" : "```";
  return `${fence}suggestion\n${block.text}\n${fence}`;
}
