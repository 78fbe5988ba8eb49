// The playground page: a CodeMirror editor that is usable at once, the
// engine in a Web Worker (latest request wins), and panels that each fail on
// their own without blanking the page. Every control works from the keyboard,
// the layout stacks on narrow screens, and the page follows the system's
// light or dark preference unless the reader picks one.
import { basicSetup, EditorView } from "codemirror";
import { tooltips } from "@codemirror/view";
import { python } from "@codemirror/lang-python";
import { linter, lintGutter } from "@codemirror/lint";
import { Annotation, Compartment, EditorSelection, StateEffect } from "@codemirror/state";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

/* global __SAMPLES__ */
const SAMPLES = __SAMPLES__;
const STORAGE_KEY = "keyleak.playground.v1";
// the reader's own work, kept aside while a shared link is shown
const STASH_KEY = "keyleak.playground.v1.before-link";
const THEME_KEY = "keyleak.playground.theme";
const SHARE_VERSION = "v1";
const LINK = /^#(v\d+)\.([A-Za-z0-9_-]+)$/;
const PLACEHOLDER = "# loading the shared code…\n";
const $ = (id) => document.getElementById(id);

// ---------- the engine, in a worker ----------
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
let nextId = 1;
const waiting = new Map();
worker.onmessage = ({ data }) => {
  const done = waiting.get(data.id);
  waiting.delete(data.id);
  if (!done) return;
  if (data.type === "error") done.reject(new Error(data.message));
  else done.resolve(data);
};
worker.onerror = (e) => setStatus(`engine failed to load: ${e.message ?? "unknown error"}`, true);
function ask(message) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, ...message });
  });
}
/** The engine's redact(): every credential-looking token masked, lines kept in place. */
async function redacted(...sources) {
  return (await ask({ type: "redact", sources })).texts;
}

// Latest request wins: one check in flight; requests made meanwhile are
// coalesced into one follow-up check of the newest text with the newest
// options, and every caller gets that newest result ({source, report, ms}).
let inFlight = null;
let queued = null;
function check(source) {
  return new Promise((resolve) => {
    if (inFlight) {
      queued ??= { waiters: [] };
      queued.waiters.push(resolve);
      return;
    }
    run({ source, waiters: [resolve] });
  });
}
function run(job) {
  inFlight = job;
  ask({ type: "check", source: job.source, options: currentOptions() })
    .then(
      (r) => ({ source: job.source, report: r.report, ms: r.ms }),
      (e) => {
        setStatus(`check failed: ${e.message}`, true);
        return null;
      },
    )
    .then((result) => {
      inFlight = null;
      if (queued) {
        const next = queued;
        queued = null;
        run({ source: view.state.doc.toString(), waiters: [...job.waiters, ...next.waiters] });
        return;
      }
      if (result) onReport(result.source, result.report, result.ms);
      for (const w of job.waiters) w(result);
    });
}

// ---------- state ----------
let lastReport = { diagnostics: [], secretRanges: [], syntaxErrors: 0 };
let lastSource = "";
let rules = [];
let selected = null; // the finding last jumped to: {code, line, character}
let linkState = null; // the shared link on show: {code, masked, findings, edited}
let statusNote = null; // a problem to keep in view (a broken link) until the next edit
// rules the reader switched off, and rules off by default they switched on
const disabled = new Set();
const enabled = new Set();
const defaultOn = (code) => rules.find((r) => r.code === code)?.defaultEnabled ?? true;
const isOn = (code) => (defaultOn(code) ? !disabled.has(code) : enabled.has(code));
function currentOptions() {
  const o = {};
  if (disabled.size) o.ignore = [...disabled];
  if (enabled.size) o["extend-select"] = [...enabled];
  return o;
}
/** Take a saved or shared rule selection. */
function setSelection(off, on) {
  disabled.clear();
  enabled.clear();
  (Array.isArray(off) ? off : []).forEach((c) => disabled.add(String(c)));
  (Array.isArray(on) ? on : []).forEach((c) => enabled.add(String(c)));
}

// ---------- positions ----------
function offset(doc, pos) {
  const line = doc.line(Math.min(pos.line + 1, doc.lines));
  return Math.min(line.from + pos.character, line.to);
}
function applyToString(text, changes) {
  let out = text;
  for (const c of [...changes].sort((a, b) => b.from - a.from)) out = out.slice(0, c.from) + c.insert + out.slice(c.to);
  return out;
}

// ---------- text with `code` spans, built as DOM (never innerHTML) ----------
function richText(text) {
  const frag = document.createDocumentFragment();
  for (const part of String(text).split(/(`[^`\n]+`)/)) {
    if (part.length > 2 && part.startsWith("`") && part.endsWith("`")) {
      const code = document.createElement("code");
      code.textContent = part.slice(1, -1);
      frag.append(code);
    } else if (part) frag.append(part);
  }
  return frag;
}
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c != null && c !== false));
  return node;
}

/** Sentences of a Markdown paragraph; periods inside `code` do not end one. */
function sentences(text) {
  const out = [];
  let start = 0;
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "`") inCode = !inCode;
    else if (!inCode && /[.!?]/.test(c) && text[i + 1] === " " && /[A-Z`"(]/.test(text[i + 2] ?? "")) {
      out.push(text.slice(start, i + 1).trim());
      start = i + 2;
    }
  }
  if (text.slice(start).trim()) out.push(text.slice(start).trim());
  return out;
}
/**
 * Why a rule's unsafe fix is unsafe: the sentences of its docs' "Fix safety"
 * section from the one that says "unsafe" on. Sentences about what the fix
 * does in an editor with a workspace (VS Code) do not apply here.
 */
function unsafeReason(code) {
  const docs = rules.find((r) => r.code === code)?.docs ?? "";
  const section = docs.split(/^## /m).find((s) => s.startsWith("Fix safety\n"));
  if (!section) return "";
  const all = sentences(section.slice("Fix safety\n".length).replace(/\s+/g, " ").trim());
  const from = all.findIndex((s) => /\bunsafe\b/i.test(s));
  if (from < 0) return "";
  const text = all.slice(from).filter((s) => !/^In the editor\b/.test(s)).join(" ");
  const reason = text.replace(/^(?:It is|They are|Both are|This is|The fix(?:es)? (?:is|are)) unsafe: */i, "");
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

// ---------- editor ----------
const severityOf = { critical: "error", high: "error", medium: "warning", low: "info", info: "info" };
const rulesChanged = StateEffect.define();
const fromLink = Annotation.define(); // changes that load a shared link (not the reader's edits)

function renderDiagnosticMessage(d) {
  return () => {
    const box = el("div", { className: "kl-diagnostic" }, el("p", {}, richText(d.message)));
    const unsafe = d.fixes.filter((f) => f.applicability === "unsafe");
    const reason = unsafe.length ? unsafeReason(d.code) : "";
    if (reason) box.append(unsafeNote(unsafe.length, reason));
    return box;
  };
}
function unsafeNote(count, reason) {
  return el("p", { className: "kl-unsafe" }, el("strong", { textContent: count === 1 ? "Why the fix is unsafe: " : "Why these fixes are unsafe: " }), richText(reason));
}
const fixName = (f) => `${f.title.replace(/`/g, "")}${f.applicability === "unsafe" ? " (unsafe)" : ""}`;
function toDiagnostics(doc, report) {
  return report.diagnostics.map((d) => ({
    from: offset(doc, d.range.start),
    to: Math.max(offset(doc, d.range.end), offset(doc, d.range.start)),
    severity: severityOf[d.severity] ?? "warning",
    source: `${d.code} ${d.name} · ${d.severity}`,
    message: d.message,
    renderMessage: renderDiagnosticMessage(d),
    actions: d.fixes.map((f) => ({
      // action names are plain text: drop the Markdown backticks
      name: fixName(f),
      apply(view2) {
        const changes = f.edits.map((e) => ({ from: offset(view2.state.doc, e.range.start), to: offset(view2.state.doc, e.range.end), insert: e.newText }));
        view2.dispatch({ changes, userEvent: "input.fix" });
      },
    })),
  }));
}
const keyleakLinter = linter(
  async (v) => {
    const { doc } = v.state;
    const source = doc.toString();
    const result = await check(source);
    // a newer text was checked meanwhile: the linter drops results for an old document
    if (!result || result.source !== source) return [];
    return toDiagnostics(doc, result.report);
  },
  {
    delay: 100,
    // switching a rule on or off re-checks at once, not at the next edit
    needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(rulesChanged))),
  },
);

// One theme for both schemes: colours come from the page's CSS variables.
const editorThemeSpec = {
  "&": { color: "var(--fg)", backgroundColor: "var(--bg)" },
  "&.cm-focused": { outline: "none" }, // the pane around the editor shows focus (style.css)
  ".cm-content": { caretColor: "var(--caret)" },
  ".cm-content:focus-visible": { outline: "none" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--caret)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--selection)" },
  ".cm-gutters": { backgroundColor: "var(--bg)", color: "var(--gutter)", border: "none" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)", color: "var(--fg)" },
  ".cm-matchingBracket, &.cm-focused .cm-matchingBracket": { backgroundColor: "transparent", outline: "1px solid var(--muted)", color: "inherit" },
  ".cm-nonmatchingBracket, &.cm-focused .cm-nonmatchingBracket": { backgroundColor: "transparent", outline: "1px solid var(--crit)", color: "inherit" },
  ".cm-selectionMatch": { backgroundColor: "var(--selection-match)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
  ".cm-tooltip-lint": { maxWidth: "min(32rem, calc(100vw - 2rem))" },
  ".cm-diagnostic": { whiteSpace: "normal", padding: "6px 8px" },
  ".cm-diagnostic-error": { borderLeftColor: "var(--crit)" },
  ".cm-diagnostic-warning": { borderLeftColor: "var(--med)" },
  ".cm-diagnostic-info": { borderLeftColor: "var(--low)" },
  ".cm-diagnosticAction": { backgroundColor: "var(--button)", color: "var(--fg)", border: "1px solid var(--border)", marginTop: "4px" },
  ".cm-diagnosticSource": { opacity: 1, color: "var(--muted)", fontSize: "80%", marginTop: "4px" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  // the lint panel (Ctrl+Shift+M): taller, and its selected row in theme colours, not the system's
  ".cm-panel.cm-panel-lint ul": { maxHeight: "min(14rem, 40vh)" },
  ".cm-panel.cm-panel-lint ul [aria-selected], .cm-panel.cm-panel-lint ul:focus [aria-selected]": { backgroundColor: "var(--current)", color: "var(--fg)" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy var(--crit)", textUnderlineOffset: "3px" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline wavy var(--med)", textUnderlineOffset: "3px" },
  ".cm-lintRange-info": { backgroundImage: "none", textDecoration: "underline wavy var(--low)", textUnderlineOffset: "3px" },
};
const editorTheme = { dark: EditorView.theme(editorThemeSpec, { dark: true }), light: EditorView.theme(editorThemeSpec, { dark: false }) };
const highlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.keyword, color: "var(--tok-keyword)" },
    { tag: [t.string, t.special(t.string)], color: "var(--tok-string)" },
    { tag: t.comment, color: "var(--tok-comment)", fontStyle: "italic" },
    { tag: [t.number, t.bool, t.null], color: "var(--tok-number)" },
    { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.definition(t.variableName)], color: "var(--tok-function)" },
    { tag: [t.className, t.definition(t.className)], color: "var(--tok-class)" },
    { tag: [t.operator, t.meta], color: "var(--tok-operator)" },
  ]),
);

// ---------- theme: the system's, or the reader's pick ----------
const systemDark = matchMedia("(prefers-color-scheme: dark)");
function themeChoice() {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}
function resolvedTheme(choice) {
  return choice === "light" || choice === "dark" ? choice : systemDark.matches ? "dark" : "light";
}
const themeSlot = new Compartment();
function applyTheme(choice) {
  if (choice === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  const theme = resolvedTheme(choice);
  document.documentElement.dataset.resolvedTheme = theme;
  view?.dispatch({ effects: themeSlot.reconfigure(editorTheme[theme]) });
}

// ---------- narrow screens: panels stack, long lines wrap (no sideways scrolling) ----------
const narrow = matchMedia("(max-width: 48rem)");
const wrapSlot = new Compartment();

// ---------- the editor ----------
const saved = loadSaved();
const initialLink = location.hash.match(LINK);
let view = null;
const initialTheme = themeChoice();
applyTheme(initialTheme);
view = new EditorView({
  parent: $("editor"),
  doc: initialLink ? PLACEHOLDER : saved?.code ?? SAMPLES["shop_api.py"] ?? "",
  extensions: [
    basicSetup,
    python(),
    themeSlot.of(editorTheme[resolvedTheme(initialTheme)]),
    highlight,
    wrapSlot.of(narrow.matches ? EditorView.lineWrapping : []),
    // an explicit tabindex (the content is focusable anyway) tells checkers such as axe that
    // the scroller holding it has keyboard access
    EditorView.contentAttributes.of({ "aria-label": "Python code to check", "aria-describedby": "editor-keys", tabindex: "0" }),
    // tooltips stay over the editor, never across the findings panel
    tooltips({ tooltipSpace: (v) => v.dom.getBoundingClientRect() }),
    lintGutter(),
    keyleakLinter,
    EditorView.updateListener.of((u) => {
      if (!u.docChanged) return;
      if (u.transactions.some((tr) => tr.docChanged && !tr.annotation(fromLink))) onEdit();
    }),
  ],
});
// for tests and the curious: the editor, and the text the findings on show belong to
window.keyleakPlayground = {
  view,
  get checkedSource() {
    return lastSource;
  },
};
narrow.addEventListener("change", () => view.dispatch({ effects: wrapSlot.reconfigure(narrow.matches ? EditorView.lineWrapping : []) }));
systemDark.addEventListener("change", () => applyTheme($("theme").value));
$("theme").value = initialTheme;
$("theme").onchange = () => {
  const choice = $("theme").value;
  try {
    if (choice === "system") localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    /* the pick lasts for this visit */
  }
  applyTheme(choice);
};

// ---------- panels (each guarded) ----------
function guarded(panelId, f) {
  try {
    const r = f();
    if (r instanceof Promise) r.catch((e) => showPanelError(panelId, e));
  } catch (e) {
    showPanelError(panelId, e);
  }
}
function showPanelError(panelId, e) {
  const panel = $(panelId);
  let box = panel.querySelector(".panel-error");
  if (!box) {
    box = el("p", { className: "panel-error" });
    panel.append(box);
  }
  box.textContent = `This panel failed: ${e.message}`;
}

function setStatus(text, bad = false) {
  $("status").textContent = statusNote ? `${statusNote} · ${text}` : text;
  $("status").classList.toggle("bad", bad || Boolean(statusNote));
}
function setStatusNote(text) {
  statusNote = text;
  $("status").textContent = text;
  $("status").classList.add("bad");
}

function onReport(source, report, ms) {
  lastReport = report;
  lastSource = source;
  guarded("findings-panel", renderFindings);
  const n = report.diagnostics.length;
  setStatus(`${n} finding${n === 1 ? "" : "s"} · checked in ${ms.toFixed(1)} ms`);
  if (linkState && source === linkState.code && !$("link-notice").hidden) guarded("link-notice", renderLinkNotice);
  document.body.dataset.checked = String(Number(document.body.dataset.checked ?? 0) + 1);
}

const cwes = (d) => d.cwe.map((c) => `CWE-${c}`).join(" ");
const sameFinding = (a, d) => a && a.code === d.code && a.line === d.range.start.line && a.character === d.range.start.character;

function renderFindings() {
  const list = $("findings");
  const hadFocus = list.contains(document.activeElement) ? [...list.querySelectorAll("button")].indexOf(document.activeElement) : -1;
  list.replaceChildren();
  const n = lastReport.diagnostics.length;
  $("count").textContent = `(${n})`;
  for (const d of lastReport.diagnostics) {
    const button = el(
      "button",
      { type: "button", className: "finding" },
      el("span", { className: `sev ${d.severity}`, textContent: d.severity }),
      el("span", { className: "code", textContent: d.code }),
      el("span", { className: "msg" }, el("span", { className: "line", textContent: `${d.range.start.line + 1}: ` }), richText(d.message)),
      d.cwe.length ? el("span", { className: "cwe", textContent: cwes(d) }) : null,
    );
    if (sameFinding(selected, d)) button.setAttribute("aria-current", "true");
    button.onclick = (e) => jump(d, button, e);
    const li = el("li", {}, button);
    li.dataset.code = d.code;
    list.append(li);
  }
  if (hadFocus >= 0) list.querySelectorAll("button")[Math.min(hadFocus, n - 1)]?.focus();
  renderEmpty();
}

/** A clean file says so, and says which rules looked. */
function renderEmpty() {
  const box = $("findings-empty");
  if (lastReport.diagnostics.length || !rules.length) {
    box.hidden = true;
    return;
  }
  const on = rules.filter((r) => isOn(r.code)).map((r) => r.code);
  const off = rules.filter((r) => disabled.has(r.code)).map((r) => r.code);
  const parts = [on.length ? `No leak found. Rules checked: ${on.join(", ")}.` : "Every rule is switched off: nothing was checked."];
  if (off.length && on.length) parts.push(`Switched off: ${off.join(", ")}.`);
  if (lastReport.syntaxErrors) parts.push(`The code has ${lastReport.syntaxErrors} syntax error${lastReport.syntaxErrors === 1 ? "" : "s"}; the parts around ${lastReport.syntaxErrors === 1 ? "it" : "them"} may go unchecked.`);
  box.textContent = parts.join(" ");
  box.hidden = false;
}

function jump(d, button, event) {
  const doc = view.state.doc;
  const from = offset(doc, d.range.start);
  const to = Math.max(from, offset(doc, d.range.end));
  selected = { code: d.code, line: d.range.start.line, character: d.range.start.character };
  for (const b of $("findings").querySelectorAll("button[aria-current]")) b.removeAttribute("aria-current");
  button.setAttribute("aria-current", "true");
  // the cursor goes to the start of the finding, so a long line does not scroll sideways to its end
  view.dispatch({ selection: EditorSelection.single(to, from), effects: EditorView.scrollIntoView(from, { y: "center", x: "nearest" }) });
  // stacked layout: bring the editor back into view
  $("editor-pane").scrollIntoView({ block: "nearest" });
  // a tap does not focus the editor: that would open the on-screen keyboard over the code
  if (event?.pointerType !== "touch") view.focus();
  guarded("rule-panel", () => showRule(d.code, d));
}

// Arrow keys move between findings; Tab and everything else keep their usual meaning.
$("findings").addEventListener("keydown", (e) => {
  const buttons = [...$("findings").querySelectorAll("button")];
  const i = buttons.indexOf(document.activeElement);
  if (i < 0) return;
  const to = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
  if (to === undefined || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  buttons[Math.max(0, Math.min(to, buttons.length - 1))].focus();
});

/** Minimal, escaping Markdown for the rule docs (headings, code, lists, links). */
function markdown(md) {
  const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const inline = (s) =>
    esc(s)
      .replace(/`([^`]+)`/g, "<code>$1</code>")
      .replace(/\[([^\]]+)\]\((https:\/\/[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
  const out = [];
  const blocks = md.split(/\n```/);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) {
      const body = block.replace(/^[a-z]*\n/, "");
      out.push(`<pre><code>${esc(body)}</code></pre>`);
      return;
    }
    for (let para of block.split(/\n\n+/)) {
      let t = para.trim();
      if (!t) continue;
      if (t.startsWith("## ")) {
        const [heading, ...rest] = t.split("\n");
        out.push(`<h3>${inline(heading.slice(3))}</h3>`);
        t = rest.join("\n").trim();
        if (!t) continue;
      }
      if (t.startsWith("- ")) out.push(`<ul>${t.split(/\n- /).map((x) => `<li>${inline(x.replace(/^- /, ""))}</li>`).join("")}</ul>`);
      else out.push(`<p>${inline(t)}</p>`);
    }
  });
  return out.join("");
}

/**
 * The rule's docs. From a finding, the badge shows that finding's severity
 * (a live vendor key is critical where the rule's default is high), with the
 * rule's default beside it when they differ.
 */
function showRule(code, finding) {
  const rule = rules.find((r) => r.code === code);
  if (!rule) return;
  const severity = finding?.severity ?? rule.severity;
  const meta = el("p", { className: "rule-meta" }, el("span", { className: `sev ${severity}`, textContent: severity }));
  if (!finding) meta.append(" default severity");
  else if (finding.severity !== rule.severity) meta.append(` this finding; the rule's default is ${rule.severity}`);
  else meta.append(" this finding");
  if (rule.cwe.length) meta.append(` · ${rule.cwe.map((c) => `CWE-${c}`).join(", ")}`);
  const body = el("div");
  body.innerHTML = markdown(rule.docs); // markdown() escapes all text; only https links are made
  $("rule-doc").replaceChildren(el("p", { className: "rule-title" }, el("span", { className: "code", textContent: rule.code }), ` ${rule.name}`), meta, finding ? fixButtons(finding, lastSource) : null, ...body.childNodes);
}

/**
 * The finding's fixes as buttons: the lint tooltip shows them on hover only,
 * so this is where the keyboard (and a phone) reaches them.
 */
function fixButtons(d, source) {
  if (!d.fixes.length) return null;
  const box = el("section", { className: "fixes" });
  box.setAttribute("aria-label", "Fixes for this finding");
  const buttons = el("div", { className: "row" });
  for (const f of d.fixes) {
    const b = el("button", { type: "button", textContent: fixName(f) });
    b.onclick = () => {
      if (view.state.doc.toString() !== source) {
        box.replaceChildren(el("p", { className: "muted", textContent: "The code changed since this finding: pick it again in the list." }));
        return;
      }
      view.dispatch({ changes: f.edits.map((e) => ({ from: offset(view.state.doc, e.range.start), to: offset(view.state.doc, e.range.end), insert: e.newText })), userEvent: "input.fix" });
      box.replaceChildren(el("p", { className: "muted" }, "Applied: ", richText(f.title), "."));
      view.focus();
    };
    buttons.append(b);
  }
  box.append(el("h3", { textContent: "Fixes" }), buttons);
  const unsafe = d.fixes.filter((f) => f.applicability === "unsafe").length;
  const reason = unsafe ? unsafeReason(d.code) : "";
  if (reason) box.append(unsafeNote(unsafe, reason));
  return box;
}

function renderRules() {
  const list = $("rules");
  list.replaceChildren();
  for (const r of rules) {
    const id = `rule-${r.code}`;
    const box = el("input", { type: "checkbox", id, checked: isOn(r.code) });
    box.dataset.code = r.code;
    box.onchange = () => {
      const set = r.defaultEnabled ? disabled : enabled;
      if (box.checked === r.defaultEnabled) set.delete(r.code);
      else set.add(r.code);
      scheduleSave();
      view.dispatch({ effects: rulesChanged.of(null) });
    };
    const label = el("label", { htmlFor: id, title: r.summary }, el("span", { className: "code", textContent: r.code }), ` ${r.name}`);
    const docs = el("button", { type: "button", className: "link", textContent: "docs" });
    docs.setAttribute("aria-label", `${r.code} docs`);
    docs.onclick = () => guarded("rule-panel", () => showRule(r.code));
    list.append(el("li", {}, box, label, docs));
  }
  renderEmpty();
}
function syncRuleBoxes() {
  for (const box of $("rules").querySelectorAll("input[type=checkbox]")) box.checked = isOn(box.dataset.code);
}

// ---------- samples ----------
guarded("editor-pane", () => {
  const select = $("samples");
  select.append(new Option("— choose —", ""));
  for (const name of Object.keys(SAMPLES)) select.append(new Option(name, name));
  select.onchange = () => {
    if (!select.value) return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: SAMPLES[select.value] }, userEvent: "input.sample" });
    select.value = "";
  };
});

// ---------- autosave ----------
let saveTimer = null;
function readStored(key) {
  try {
    const s = JSON.parse(localStorage.getItem(key) ?? "null");
    const list = (v) => (Array.isArray(v) ? v.map(String) : []);
    return s && typeof s.code === "string" ? { code: s.code, disabled: list(s.disabled), enabled: list(s.enabled) } : null;
  } catch {
    return null;
  }
}
function store(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or disabled: autosave is a convenience */
  }
}
const currentWork = () => ({ code: view.state.doc.toString(), disabled: [...disabled], enabled: [...enabled] });
function scheduleSave() {
  clearTimeout(saveTimer);
  // a shared link the reader has not edited is not their work: keep theirs
  if (linkState && !linkState.edited) return;
  saveTimer = setTimeout(() => store(STORAGE_KEY, currentWork()), 300);
}
function loadSaved() {
  const s = readStored(STORAGE_KEY);
  if (s && !location.hash.match(LINK)) setSelection(s.disabled, s.enabled);
  return s;
}
/** The reader changed the text: it is theirs now, and a reload must bring back this, not the link. */
function onEdit() {
  statusNote = null;
  if (linkState && !linkState.edited) {
    linkState.edited = true;
    history.replaceState(null, "", location.pathname + location.search);
  }
  scheduleSave();
}

// ---------- share links: #v1.<base64url(deflate-raw(JSON))> ----------
// JSON: {code, disabled, enabled?, masked?, findings?}; `masked` (how many values the
// engine's redact() masked) and `findings` (how many the author saw) are
// optional, so links made before them still open.
async function pack(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = "";
  buf.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
async function unpack(data) {
  const bin = atob(data.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return JSON.parse(await new Response(stream).text());
}

async function openLink([, version, data], work) {
  let obj;
  try {
    if (version !== SHARE_VERSION) throw new Error(`it is from a newer playground (${version})`);
    obj = await unpack(data);
  } catch (e) {
    setStatusNote(`could not read the shared link: ${e.message}`);
    // the page opened on this link: show the reader's own work instead of the placeholder
    if (view.state.doc.toString() === PLACEHOLDER) {
      setSelection(work?.disabled, work?.enabled);
      syncRuleBoxes();
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: work?.code ?? SAMPLES["shop_api.py"] ?? "" }, annotations: fromLink.of(true), effects: rulesChanged.of(null) });
    }
    return;
  }
  const code = String(obj.code ?? "");
  // keep the reader's own work, to come back to
  clearTimeout(saveTimer);
  if (work && work.code !== code) {
    store(STASH_KEY, work);
    store(STORAGE_KEY, work);
  }
  linkState = { code, masked: Number(obj.masked) || 0, findings: Number.isFinite(obj.findings) ? obj.findings : null, edited: false };
  setSelection(obj.disabled, obj.enabled);
  syncRuleBoxes();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code }, annotations: fromLink.of(true), effects: rulesChanged.of(null) });
  renderLinkNotice();
}
/**
 * The notice under the toolbar: a shared link is on show (what was masked;
 * the reader's own code is kept), or, later, the code from before a link is
 * still kept and can come back.
 */
function renderLinkNotice() {
  const stash = readStored(STASH_KEY);
  const kept = stash && stash.code !== (linkState?.code ?? view.state.doc.toString());
  if (!linkState && !kept) {
    closeLinkNotice();
    return;
  }
  const parts = [];
  if (!linkState) parts.push("The code you had before you opened a shared link is kept.");
  else parts.push("You opened a shared link.");
  if (linkState?.masked) {
    parts.push("Its secrets were masked before it was shared (they show as `ab…yz` or `****`), so findings about them, such as hardcoded keys, may be missing here.");
    const now = lastSource === linkState.code ? lastReport.diagnostics.length : null;
    if (linkState.findings != null && now != null && now < linkState.findings) {
      parts.push(`Whoever shared it saw ${linkState.findings} finding${linkState.findings === 1 ? "" : "s"}; ${now} show${now === 1 ? "s" : ""} here.`);
    }
  }
  if (linkState && kept) parts.push("Your own code is kept.");
  $("link-notice-text").replaceChildren(richText(parts.join(" ")));
  $("link-restore").hidden = !kept;
  $("link-restore").textContent = linkState ? "Back to my code" : "Back to my earlier code";
  $("link-dismiss").textContent = linkState ? "Dismiss" : "Discard it";
  $("link-notice").hidden = false;
}
function closeLinkNotice() {
  $("link-notice").hidden = true;
}
$("link-restore").onclick = () => {
  const work = readStored(STASH_KEY);
  if (!work) return;
  store(STASH_KEY, null);
  linkState = null;
  history.replaceState(null, "", location.pathname + location.search);
  setSelection(work.disabled, work.enabled);
  syncRuleBoxes();
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: work.code }, userEvent: "input.restore", effects: rulesChanged.of(null) });
  closeLinkNotice();
  setStatus("your code is back");
  view.focus();
};
$("link-dismiss").onclick = () => {
  if (!linkState) store(STASH_KEY, null); // "Discard it": the earlier code is let go
  closeLinkNotice();
  view.focus();
};
// a link pasted into the address bar of an open playground
window.addEventListener("hashchange", () => {
  const m = location.hash.match(LINK);
  if (!m) return;
  // the reader's work: the text on show, unless that is a link they have not edited
  const work = linkState && !linkState.edited ? readStored(STORAGE_KEY) : currentWork();
  guarded("editor-pane", () => openLink(m, work));
});

async function makeShareLink() {
  const source = view.state.doc.toString();
  const withSecrets = $("share-secrets").checked;
  const report = source === lastSource ? lastReport : (await check(source))?.report ?? lastReport;
  const payload = { code: source, disabled: [...disabled], enabled: [...enabled] };
  let note;
  if (withSecrets) note = "This link holds the code as it is, secrets included.";
  else {
    [payload.code] = await redacted(source);
    if (payload.code !== source) {
      payload.masked = Math.max(1, report.secretRanges.length);
      payload.findings = report.diagnostics.length;
      note = `${payload.masked} secret value${payload.masked === 1 ? " is" : "s are"} masked in this link. Tick “include secrets in the link” to share ${payload.masked === 1 ? "it" : "them"} as written.`;
    } else note = "No secrets to mask in this code.";
  }
  return { url: `${location.origin}${location.pathname}#${SHARE_VERSION}.${await pack(payload)}`, note };
}
async function showShareBox() {
  const { url, note } = await makeShareLink();
  $("share-url").value = url;
  $("share-note").textContent = note;
  $("share-box").hidden = false;
  $("share-url").focus();
  $("share-url").select();
}
$("share").onclick = () => guarded("editor-pane", showShareBox);
$("share-secrets").onchange = () => {
  if (!$("share-box").hidden) guarded("editor-pane", showShareBox);
};
$("share-copy").onclick = async () => {
  const url = $("share-url").value;
  try {
    await navigator.clipboard.writeText(url);
  } catch {
    $("share-url").select();
    document.execCommand("copy");
  }
  setStatus("link copied");
};
function closeShareBox() {
  $("share-box").hidden = true;
  $("share").focus();
}
$("share-close").onclick = closeShareBox;
$("share-box").addEventListener("keydown", (e) => {
  if (e.key === "Escape") closeShareBox();
});

// ---------- fix all safe, with a diff preview ----------
function lineDiff(a, b) {
  const x = a.split("\n"), y = b.split("\n");
  const n = x.length, m = y.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) out.push(["ctx", x[i++]]), j++;
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(["del", x[i++]]); // removed lines first
    else out.push(["add", y[j++]]);
  }
  // keep changes with 2 lines of context
  const keep = out.map((l, k) => out.slice(Math.max(0, k - 2), k + 3).some((o) => o[0] !== "ctx"));
  return out.filter((_, k) => keep[k]);
}
async function fixAllSafe(source) {
  let text = source;
  let applied = 0;
  for (let round = 0; round < 5; round++) {
    const r = await ask({ type: "check", source: text, options: currentOptions(), preview: true });
    const chosen = [];
    for (const d of r.report.diagnostics) {
      const f = d.fixes.find((x) => x.applicability === "safe");
      if (!f) continue;
      const doc = view.state.toText(text);
      const spans = f.edits.map((e) => [offset(doc, e.range.start), offset(doc, e.range.end), e.newText]);
      if (spans.some(([a, b]) => chosen.some(([c, d2]) => a < d2 && c < b || a === c))) continue;
      chosen.push(...spans);
      applied++;
    }
    if (!chosen.length) break;
    text = applyToString(text, chosen.map(([from, to, insert]) => ({ from, to, insert })));
  }
  return { text, applied };
}
$("fix-all").onclick = () =>
  guarded("editor-pane", async () => {
    const source = view.state.doc.toString();
    const { text, applied } = await fixAllSafe(source);
    const dialog = $("fix-dialog");
    $("fix-summary").textContent = applied ? `${applied} safe fix${applied === 1 ? "; review it" : "es; review them"} before applying:` : "No safe fixes to apply.";
    // the preview never shows a secret: both sides go through the engine's redact()
    const [before, after] = await redacted(source, text);
    $("fix-diff").replaceChildren(
      ...lineDiff(before, after).map(([kind, line]) => el("span", { className: kind, textContent: `${kind === "add" ? "+" : kind === "del" ? "-" : " "} ${line}` })),
    );
    $("fix-apply").disabled = !applied;
    dialog.onclose = () => {
      if (dialog.returnValue === "apply" && view.state.doc.toString() === source) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.fix" });
      }
      $("fix-all").focus();
    };
    dialog.returnValue = "";
    dialog.showModal();
    (applied ? $("fix-apply") : $("fix-cancel")).focus();
  });

// ---------- start ----------
ask({ type: "rules" })
  .then(({ rules: rs, version }) => {
    rules = rs;
    guarded("options-panel", renderRules);
    document.title = `keyleak ${version} playground`;
  })
  .catch((e) => guarded("options-panel", () => { throw e; }));
if (initialLink) guarded("editor-pane", () => openLink(initialLink, saved));
else guarded("link-notice", renderLinkNotice);
