// The parts of the extension that do not need VS Code: settings to engine
// options, configuration files, edit mapping, fix selection and the
// suppression comments under the cursor. Unit-tested in Node against the
// real wasm engine (tests/vscode/unit.test.mjs).
import { parse as parseToml, TomlError } from "smol-toml";
import type { Diagnostic, Fix, Options, Range, Rule, Severity, TextEdit } from "../../crate/pkg/keyleak.js";

/** VS Code's four levels; keyleak has five severities. */
export type Level = "error" | "warning" | "information";

/** critical and high are errors, medium and low warnings, info information. */
export function level(severity: Severity): Level {
  switch (severity) {
    case "critical":
    case "high":
      return "error";
    case "medium":
    case "low":
      return "warning";
    default:
      return "information";
  }
}

/** The `keyleak.*` settings that shape the engine's options. */
export interface RuleSettings {
  select: string[] | null;
  extendSelect: string[];
  ignore: string[];
  severity: Record<string, Severity>;
}

/**
 * The configuration file's table with the settings on top: `select`
 * replaces the file's when set, `extendSelect` and `ignore` add to the
 * file's lists, `severity` entries win over the file's.
 */
export function mergeOptions(file: Options | undefined, settings: RuleSettings): Options {
  const out: Options = { ...(file ?? {}) };
  if (settings.select) out.select = [...settings.select];
  const union = (a: string[] | undefined, b: string[]) => [...new Set([...(a ?? []), ...b])];
  if (settings.extendSelect.length) out["extend-select"] = union(out["extend-select"], settings.extendSelect);
  if (settings.ignore.length) out.ignore = union(out.ignore, settings.ignore);
  if (Object.keys(settings.severity).length) out.severity = { ...(out.severity ?? {}), ...settings.severity };
  return out;
}

export type ConfigFile =
  | { kind: "none" } // a pyproject.toml without [tool.keyleak]
  | { kind: "ok"; options: Options }
  | { kind: "error"; message: string };

/**
 * A `keyleak.toml` (the table at top level) or a `pyproject.toml` (its
 * `[tool.keyleak]` table), as the CLI reads them. The engine validates the
 * keys and rule codes when it is built from the options.
 */
export function parseConfig(text: string, pyproject: boolean): ConfigFile {
  let value: Record<string, unknown>;
  try {
    value = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    // smol-toml's message carries a code frame of the offending line, which
    // may hold a secret: keep only its first line and the position
    if (e instanceof TomlError) return { kind: "error", message: `invalid TOML at line ${e.line}, column ${e.column}: ${e.message.split("\n")[0]}` };
    return { kind: "error", message: `invalid TOML: ${String(e).split("\n")[0]}` };
  }
  let table: unknown = value;
  if (pyproject) {
    const tool = value.tool as Record<string, unknown> | undefined;
    if (!tool || typeof tool !== "object" || !("keyleak" in tool)) return { kind: "none" };
    table = tool.keyleak;
  }
  if (!table || typeof table !== "object" || Array.isArray(table)) return { kind: "error", message: "[tool.keyleak] must be a table" };
  return { kind: "ok", options: plain(table) as Options };
}

/** TOML values (dates aside) to plain JSON-like objects, for the engine. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object" && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  if (typeof v === "bigint") return Number(v);
  return v;
}

/** One of VS Code's `TextDocumentContentChangeEvent`s, positions in UTF-16. */
export interface ContentChange {
  range: Range;
  text: string;
}

/**
 * Apply one change event's content changes to the engine's document.
 * VS Code applies them in order, each against the text the previous one
 * left, with UTF-16 positions, which is what `Document.edit` takes.
 */
export function applyChanges(doc: { edit(sl: number, sc: number, el: number, ec: number, text: string): void }, changes: readonly ContentChange[]): void {
  for (const c of changes) doc.edit(c.range.start.line, c.range.start.character, c.range.end.line, c.range.end.character, c.text);
}

/** UTF-16 offset of a position in `text` (positions past a line's end clamp to it). */
export function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf("\n", offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const end = text.indexOf("\n", offset);
  const lineEnd = end < 0 ? text.length : end;
  return Math.min(offset + character, lineEnd);
}

/** The text with the edits applied (edits do not overlap; any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const spans = edits
    .map((e) => ({ start: offsetAt(text, e.range.start.line, e.range.start.character), end: offsetAt(text, e.range.end.line, e.range.end.character), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

const before = (a: Range["start"], b: Range["start"]) => a.line < b.line || (a.line === b.line && a.character < b.character);
const same = (a: Range["start"], b: Range["start"]) => a.line === b.line && a.character === b.character;

/** Two edits conflict when their ranges overlap, or both insert at one point. */
function conflict(a: TextEdit, b: TextEdit): boolean {
  if (same(a.range.start, b.range.start) && same(a.range.end, b.range.end)) return true;
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}

const sameEdit = (a: TextEdit, b: TextEdit) => a.newText === b.newText && same(a.range.start, b.range.start) && same(a.range.end, b.range.end);

/**
 * The edits of every safe fix that can be applied together: the first safe
 * fix of each finding, in order, skipping one whose edits clash with an
 * earlier pick (an identical edit, such as the same `import`, is shared).
 * Fixing again after the result converges, as `keyleak check --fix` does.
 */
export function fixAllEdits(findings: readonly Diagnostic[]): TextEdit[] {
  const picked: TextEdit[] = [];
  for (const d of findings) {
    const fix = d.fixes.find((f) => f.applicability === "safe");
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !picked.some((p) => sameEdit(p, e)));
    if (fresh.some((e) => picked.some((p) => conflict(p, e)))) continue;
    picked.push(...fresh);
  }
  return picked;
}

/** A fix's quick-fix order: safe first, then unsafe, then the ignore comments. */
export function fixOrder(fixes: readonly Fix[]): Fix[] {
  const rank = { safe: 0, unsafe: 1, "display-only": 2 } as const;
  return [...fixes].sort((a, b) => rank[a.applicability] - rank[b.applicability]);
}

/** Files of the project, besides the document, that a fix writes. */
export interface FilePlan {
  /** Relative to the project root, `/`-separated. */
  path: string;
  create: boolean;
  edits: TextEdit[];
  /** For a file to create: its whole text. */
  contents?: string;
}

/**
 * A fix as one workspace edit's parts: the document's edits, then each
 * other file's (a new file gets its text at once).
 */
export function planFix(fix: Fix): { document: TextEdit[]; files: FilePlan[] } {
  const files = (fix.fileEdits ?? []).map((f) => (f.create ? { ...f, contents: applyEdits("", f.edits) } : { ...f }));
  return { document: fix.edits, files };
}

/** Where a project-relative path lands; refuses paths that leave the root. */
export function joinRelative(root: string, rel: string): string | undefined {
  const parts = rel.split(/[\\/]/).filter((p) => p && p !== ".");
  if (parts.some((p) => p === "..")) return undefined;
  return [root.replace(/\/+$/, ""), ...parts].join("/");
}

/** Config files the config-file rules read (the engine decides from the path). */
export function isConfigFile(path: string): boolean {
  const name = path.split("/").pop() ?? path;
  if (name === ".env" || name === ".flaskenv" || name.startsWith(".env.")) return true;
  return /\.(ya?ml|json|toml|ini|cfg)$/i.test(name);
}

/** A suppression comment on a line, and where it sits. */
export interface Suppression {
  start: number;
  end: number;
  /** Selectors it names; empty for a bare `# keyleak: ignore` (every rule). */
  selectors: string[];
  file: boolean;
}

/** The suppression comments on a line: `# keyleak: ignore[...]`, `ignore-file[...]`, `# noqa: KL201`. */
export function suppressions(line: string): Suppression[] {
  const out: Suppression[] = [];
  const split = (s: string | undefined) => (s ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  for (const m of line.matchAll(/#\s*keyleak:\s*ignore(-file)?(?:\[([^\]]*)\])?/g)) {
    out.push({ start: m.index, end: m.index + m[0].length, selectors: split(m[2]), file: !!m[1] });
  }
  for (const m of line.matchAll(/#\s*noqa:\s*((?:KL\d+\s*,?\s*)+)/gi)) {
    out.push({ start: m.index, end: m.index + m[0].trimEnd().length, selectors: split(m[1]), file: false });
  }
  return out;
}

/** The rules a selector names: a code, a prefix of codes, or a name (any case). */
export function rulesFor(rules: readonly Rule[], selector: string): Rule[] {
  const s = selector.trim().toLowerCase();
  const byName = rules.filter((r) => r.name.toLowerCase() === s);
  if (byName.length) return byName;
  return rules.filter((r) => r.code.toLowerCase().startsWith(s));
}

/** Markdown of a rule for a hover or a documentation page. */
export function ruleMarkdown(rule: Rule): string {
  const cwe = rule.cwe.map((c) => `CWE-${c}`).join(", ");
  return `**${rule.code} ${rule.name}** · ${rule.severity}${cwe ? ` · ${cwe}` : ""}\n\n${rule.docs.trim()}\n`;
}

/** Paths relative to a root, for the engine (`/`-separated, no leading `./`). */
export function relativePath(root: string, path: string): string | undefined {
  const r = root.replace(/\/+$/, "") + "/";
  return path.startsWith(r) ? path.slice(r.length) : undefined;
}

/** Folders from a file's folder up to the root, nearest first (URI paths). */
export function foldersUp(root: string, file: string): string[] {
  const rel = relativePath(root, file);
  if (rel === undefined) return [];
  const parts = rel.split("/").slice(0, -1);
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push([root.replace(/\/+$/, ""), ...parts.slice(0, i)].join("/"));
  return out;
}

/** Directory names never walked into by "Check workspace" (the CLI's default excludes). */
export const DEFAULT_EXCLUDES = [
  ".bzr", ".direnv", ".eggs", ".git", ".hg", ".mypy_cache", ".nox", ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv",
  "__pycache__", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
];

/**
 * A VS Code glob for `findFiles`'s exclude from `exclude` patterns: a
 * pattern without `/` names a file or folder anywhere, one with `/` a path
 * from the root; both also exclude what is below a matching folder.
 */
export function excludeGlob(patterns: readonly string[]): string {
  const globs = patterns.flatMap((p) => {
    const q = p.replace(/^\.\//, "").replace(/\/+$/, "");
    if (!q) return [];
    return q.includes("/") ? [q, `${q}/**`] : [`**/${q}`, `**/${q}/**`];
  });
  return `{${globs.join(",")}}`;
}

/** "1 finding", "3 findings". */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
