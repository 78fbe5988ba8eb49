// One changed file through the engine: the whole file at the head commit
// when the page could fetch it, else the lines the diff shows (a partial
// result). Findings come back on new-side line numbers (1-based, as GitHub
// numbers them), with the quick fix as suggestion blocks and nothing that
// holds a secret: messages are masked by the engine, suggestions by redact().
//
// Runs in the service worker (where the wasm engine is) and in Node tests.

import { primaryFix, suggestionFor } from "./suggestion.js";

/** @typedef {import("../../crate/pkg/keyleak.js").Engine} Engine */
/** @typedef {import("../../crate/pkg/keyleak.js").Report} Report */
/** @typedef {import("../../crate/pkg/keyleak.js").Severity} Severity */
/** @typedef {import("./suggestion.js").Suggestion} Suggestion */

/**
 * @typedef {object} AnalyseRequest
 * @property {string} path
 * @property {string|null} source        the file at the head commit; null when it could not be fetched
 * @property {string|null} unavailable   why `source` is null ("HTTP 404", "not signed in", ...)
 * @property {Array<[number, string]>} visible new-side lines the diff shows: [1-based line, text]
 */

/**
 * @typedef {object} Finding
 * @property {number} line     1-based new-side line where the finding starts
 * @property {number} endLine
 * @property {string} code
 * @property {string} name
 * @property {Severity} severity
 * @property {string} message  masked by the engine
 * @property {number[]} cwe
 * @property {string} url      the rule's documentation
 * @property {string} remediation
 * @property {{line: number, message: string}[]} related
 * @property {Suggestion|null} suggestion
 */

/**
 * @typedef {object} FileResult
 * @property {string} path
 * @property {string|null} partial  null for a whole-file analysis, else why only the diff's lines were read
 * @property {number} syntaxErrors
 * @property {Finding[]} findings   sorted by line
 */

export const SEVERITIES = /** @type {const} */ (["critical", "high", "medium", "low", "info"]);

/**
 * Text with each visible line at its own line number and blank lines
 * elsewhere, so the engine's positions are new-side positions.
 * @param {Array<[number, string]>} visible
 */
export function sourceFromVisibleLines(visible) {
  const last = visible.reduce((max, [line]) => Math.max(max, line), 0);
  const lines = new Array(last).fill("");
  for (const [line, text] of visible) lines[line - 1] = text;
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/**
 * @param {Engine} engine
 * @param {(text: string) => string} redact
 * @param {AnalyseRequest} req
 * @returns {FileResult}
 */
export function analyseFile(engine, redact, req) {
  const partial = req.source === null ? req.unavailable ?? "the file could not be read" : null;
  const source = req.source ?? sourceFromVisibleLines(req.visible);
  // Project-level facts (routes registered in another file) would enter
  // here: ask the engine which sibling files it wants, have the page fetch
  // them, and check the set instead of the one file.
  const report = engine.check(source, req.path);
  const known = partial ? new Set(req.visible.map(([line]) => line)) : null;
  const findings = report.diagnostics.map((d) => {
    const fix = primaryFix(d.fixes);
    let suggestion = fix ? suggestionFor(source, fix, redact, d.range.start.line) : null;
    // in a partial result, a block on lines the diff does not show would
    // replace text nobody has read
    if (suggestion && known) {
      const blocks = suggestion.blocks.filter((b) => lineRange(b.startLine, b.endLine).every((l) => known.has(l)));
      suggestion = blocks.length ? { ...suggestion, blocks } : null;
    }
    return {
      line: d.range.start.line + 1,
      endLine: d.range.end.line + 1,
      code: d.code,
      name: d.name,
      severity: d.severity,
      message: d.message,
      cwe: d.cwe,
      url: d.url,
      remediation: d.remediation,
      related: d.related.map((r) => ({ line: r.range.start.line + 1, message: r.message })),
      suggestion,
    };
  });
  findings.sort((a, b) => a.line - b.line || SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return { path: req.path, partial, syntaxErrors: report.syntaxErrors, findings };
}

/**
 * @param {number} from
 * @param {number} to
 */
function lineRange(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
