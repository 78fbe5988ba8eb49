// The playground page: a CodeMirror editor that is usable at once, the
// engine in a Web Worker (latest request wins), and panels that each fail on
// their own without blanking the page.
import { basicSetup, EditorView } from "codemirror";
import { python } from "@codemirror/lang-python";
import { linter, lintGutter, forceLinting } from "@codemirror/lint";
import { EditorSelection } from "@codemirror/state";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";

/* global __SAMPLES__ */
const SAMPLES = __SAMPLES__;
const STORAGE_KEY = "keyleak.playground.v1";
const SHARE_VERSION = "v1";
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

// Latest request wins: one check in flight; edits made meanwhile are
// coalesced into a single follow-up check of the newest text.
let inFlight = null;
let queued = null;
function check(source) {
  return new Promise((resolve) => {
    const job = { source, options: currentOptions(), resolve };
    if (inFlight) {
      queued?.resolve(null); // superseded
      queued = job;
      return;
    }
    run(job);
  });
}
function run(job) {
  inFlight = job;
  ask({ type: "check", source: job.source, options: job.options })
    .then((r) => {
      job.resolve(queued ? null : r);
      if (!queued) onReport(job.source, r.report, r.ms);
    })
    .catch((e) => {
      job.resolve(null);
      setStatus(`check failed: ${e.message}`, true);
    })
    .finally(() => {
      inFlight = null;
      if (queued) {
        const next = queued;
        queued = null;
        next.source = view.state.doc.toString();
        run(next);
      }
    });
}

// ---------- state ----------
let pendingLink = null; // a share link to open once the editor exists
let lastReport = { diagnostics: [], secretRanges: [] };
let lastSource = "";
let rules = [];
const disabled = new Set();
function currentOptions() {
  return disabled.size ? { ignore: [...disabled] } : {};
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

// ---------- editor ----------
const severityOf = { critical: "error", high: "error", medium: "warning", low: "info", info: "info" };
const keyleakLinter = linter(
  async (v) => {
    const source = v.state.doc.toString();
    const result = await check(source);
    if (!result || v.state.doc.toString() !== source) return null; // superseded: keep the newer result
    const doc = v.state.doc;
    return result.report.diagnostics.map((d) => ({
      from: offset(doc, d.range.start),
      to: Math.max(offset(doc, d.range.end), offset(doc, d.range.start)),
      severity: severityOf[d.severity] ?? "warning",
      source: `${d.code} ${d.name}`,
      message: d.message,
      actions: d.fixes.map((f) => ({
        name: f.applicability === "unsafe" ? `${f.title} (unsafe)` : f.title,
        apply(view2) {
          const changes = f.edits.map((e) => ({ from: offset(view2.state.doc, e.range.start), to: offset(view2.state.doc, e.range.end), insert: e.newText }));
          view2.dispatch({ changes });
        },
      })),
    }));
  },
  { delay: 100 },
);

const darkTheme = EditorView.theme(
  {
    "&": { color: "#e6e9ee", backgroundColor: "#0f1419" },
    ".cm-content": { caretColor: "#ffb454" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#ffb454" },
    "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "#273747" },
    ".cm-gutters": { backgroundColor: "#0f1419", color: "#5c6773", border: "none" },
    ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "#151b22" },
    ".cm-tooltip": { backgroundColor: "#161c24", color: "#e6e9ee", border: "1px solid #334" },
  },
  { dark: true },
);

const darkHighlight = syntaxHighlighting(
  HighlightStyle.define([
    { tag: t.keyword, color: "#ff8f40" },
    { tag: [t.string, t.special(t.string)], color: "#aad94c" },
    { tag: t.comment, color: "#6c7680", fontStyle: "italic" },
    { tag: [t.number, t.bool, t.null], color: "#d2a6ff" },
    { tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.definition(t.variableName)], color: "#ffb454" },
    { tag: [t.className, t.definition(t.className)], color: "#59c2ff" },
    { tag: [t.operator, t.meta], color: "#f29668" },
  ]),
);

const saved = loadSaved();
const view = new EditorView({
  parent: $("editor"),
  doc: saved?.code ?? SAMPLES["shop_api.py"] ?? "",
  extensions: [
    basicSetup,
    python(),
    darkTheme,
    darkHighlight,
    lintGutter(),
    keyleakLinter,
    EditorView.updateListener.of((u) => {
      if (u.docChanged) scheduleSave();
    }),
  ],
});
window.keyleakPlayground = { view }; // for tests and the curious

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
  {
    const panel = $(panelId);
    let box = panel.querySelector(".panel-error");
    if (!box) {
      box = document.createElement("p");
      box.className = "panel-error";
      panel.append(box);
    }
    box.textContent = `This panel failed: ${e.message}`;
  }
}

function setStatus(text, bad = false) {
  $("status").textContent = text;
  $("status").style.color = bad ? "var(--crit)" : "";
}

function onReport(source, report, ms) {
  lastReport = report;
  lastSource = source;
  guarded("findings-panel", renderFindings);
  const n = report.diagnostics.length;
  setStatus(`${n} finding${n === 1 ? "" : "s"} · checked in ${ms.toFixed(1)} ms`);
  document.body.dataset.checked = String(Number(document.body.dataset.checked ?? 0) + 1);
}

function renderFindings() {
  const list = $("findings");
  list.replaceChildren();
  $("count").textContent = `(${lastReport.diagnostics.length})`;
  for (const d of lastReport.diagnostics) {
    const li = document.createElement("li");
    li.tabIndex = 0;
    li.dataset.code = d.code;
    const sev = Object.assign(document.createElement("span"), { className: `sev ${d.severity}`, textContent: d.severity });
    const code = Object.assign(document.createElement("span"), { className: "code", textContent: d.code });
    const msg = Object.assign(document.createElement("span"), { className: "msg", textContent: `${d.range.start.line + 1}: ${d.message}` });
    const cwe = Object.assign(document.createElement("span"), { className: "cwe", textContent: d.cwe.map((c) => `CWE-${c}`).join(" ") });
    li.append(sev, code, msg, cwe);
    const jump = () => {
      const doc = view.state.doc;
      const from = offset(doc, d.range.start);
      view.dispatch({ selection: EditorSelection.range(from, offset(doc, d.range.end)), scrollIntoView: true });
      view.focus();
      guarded("rule-panel", () => showRule(d.code));
    };
    li.onclick = jump;
    li.onkeydown = (e) => e.key === "Enter" && jump();
    list.append(li);
  }
}

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

function showRule(code) {
  const rule = rules.find((r) => r.code === code);
  if (!rule) return;
  $("rule-doc").innerHTML = `<p><span class="code">${rule.code}</span> ${rule.name} · ${rule.severity} · ${rule.cwe.map((c) => `CWE-${c}`).join(", ")}</p>${markdown(rule.docs)}`;
}

function renderRules() {
  const list = $("rules");
  list.replaceChildren();
  for (const r of rules) {
    const li = document.createElement("li");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: !disabled.has(r.code) });
    box.setAttribute("aria-label", `enable ${r.code}`);
    box.onchange = () => {
      if (box.checked) disabled.delete(r.code);
      else disabled.add(r.code);
      scheduleSave();
      forceLinting(view);
    };
    const link = Object.assign(document.createElement("a"), { textContent: `${r.code} ${r.name}` });
    link.onclick = () => guarded("rule-panel", () => showRule(r.code));
    li.append(box, link);
    list.append(li);
  }
}

// ---------- samples ----------
guarded("editor-pane", () => {
  const select = $("samples");
  select.append(new Option("— choose —", ""));
  for (const name of Object.keys(SAMPLES)) select.append(new Option(name, name));
  select.onchange = () => {
    if (!select.value) return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: SAMPLES[select.value] } });
    select.value = "";
  };
});

// ---------- autosave ----------
let saveTimer = null;
function scheduleSave() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ code: view.state.doc.toString(), disabled: [...disabled] }));
    } catch {
      /* storage full or disabled: autosave is a convenience */
    }
  }, 300);
}
function loadSaved() {
  const fromLink = readShareLink();
  if (fromLink) return fromLink;
  try {
    const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (s?.disabled) s.disabled.forEach((c) => disabled.add(c));
    return s;
  } catch {
    return null;
  }
}

// ---------- share links: #v1.<base64url(deflate-raw(JSON))> ----------
function maskSecrets(source, ranges) {
  const doc = view.state.toText(source);
  const spans = ranges.map((r) => [offset(doc, r.start), offset(doc, r.end)]).sort((a, b) => b[0] - a[0]);
  let out = source;
  for (const [from, to] of spans) {
    const value = [...out.slice(from, to)];
    const keep = value.length >= 16 ? 4 : value.length >= 8 ? 2 : 0;
    const masked = keep ? `${value.slice(0, keep).join("")}…${value.slice(-keep).join("")}` : "****";
    out = out.slice(0, from) + masked + out.slice(to);
  }
  return out;
}
async function pack(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = "";
  buf.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
function readShareLink() {
  const m = location.hash.match(/^#(v\d+)\.([A-Za-z0-9_-]+)$/);
  if (!m) return null;
  pendingLink = m;
  return { code: "# loading the shared code…\n" };
}
async function openPendingLink() {
  if (!pendingLink) return;
  const [, version, data] = pendingLink;
  pendingLink = null;
  if (version !== SHARE_VERSION) {
    setStatus(`this link is from a newer playground (${version})`, true);
    return;
  }
  try {
    const bin = atob(data.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const obj = JSON.parse(await new Response(stream).text());
    (obj.disabled ?? []).forEach((c) => disabled.add(c));
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: String(obj.code ?? "") } });
  } catch (e) {
    setStatus(`could not read the shared link: ${e.message}`, true);
  }
}
$("share").onclick = () =>
  guarded("editor-pane", async () => {
    const source = view.state.doc.toString();
    const withSecrets = $("share-secrets").checked;
    const report = source === lastSource ? lastReport : (await check(source))?.report ?? lastReport;
    const code = withSecrets ? source : maskSecrets(source, report.secretRanges);
    const url = `${location.origin}${location.pathname}#${SHARE_VERSION}.${await pack({ code, disabled: [...disabled] })}`;
    $("share-url").value = url;
    $("share-box").hidden = false;
    $("share-url").select();
  });
$("share-close").onclick = () => ($("share-box").hidden = true);

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
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push(["add", y[j++]]);
    else out.push(["del", x[i++]]);
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
    $("fix-summary").textContent = applied ? `${applied} safe fix${applied === 1 ? "" : "es"}; review them before applying:` : "No safe fixes to apply.";
    const pre = $("fix-diff");
    pre.replaceChildren(
      ...lineDiff(maskSecrets(source, lastReport.secretRanges), text === source ? maskSecrets(source, lastReport.secretRanges) : maskText(text)).map(([kind, line]) =>
        Object.assign(document.createElement("span"), { className: kind, textContent: `${kind === "add" ? "+" : kind === "del" ? "-" : " "} ${line}` }),
      ),
    );
    $("fix-apply").disabled = !applied;
    dialog.onclose = () => {
      if (dialog.returnValue === "apply" && view.state.doc.toString() === source) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      }
    };
    dialog.showModal();
  });
// the diff preview never shows secrets either: mask known secret values in the fixed text
function maskText(text) {
  let out = text;
  const doc = view.state.toText(lastSource);
  for (const r of lastReport.secretRanges) {
    const value = lastSource.slice(offset(doc, r.start), offset(doc, r.end));
    if (value.length >= 4) out = out.split(value).join(maskSecrets(value, [{ start: { line: 0, character: 0 }, end: { line: 0, character: value.length } }]));
  }
  return out;
}

// ---------- start ----------
ask({ type: "rules" })
  .then(({ rules: rs, version }) => {
    rules = rs;
    guarded("options-panel", renderRules);
    document.title = `keyleak ${version} playground`;
  })
  .catch((e) => guarded("options-panel", () => { throw e; }));
openPendingLink();
