// keyleak in VS Code: the wasm engine runs in the extension host itself
// (Node or web worker): no binary, no server, no network.
import * as vscode from "vscode";
import init, { Document, Engine, redact } from "../../crate/pkg/keyleak.js";
import type { Diagnostic as Finding, Fix, Options, Report, Rule } from "../../crate/pkg/keyleak.js";
import * as core from "./core";

export type Host = "node" | "web";

const FIX_ALL = vscode.CodeActionKind.SourceFixAll.append("keyleak");
/** Documents that are views of something else: history, diffs, output. */
const SKIPPED_SCHEMES = new Set(["git", "gitfs", "output", "vscode-scm", "debug", "vscode-chat-code-block", "comment", "merge-conflict.conflict-diff"]);
const SELECTOR: vscode.DocumentSelector = [
  { language: "python" },
  { pattern: "**/{.env,.env.*,.flaskenv}" },
  { pattern: "**/*.{yaml,yml,json,toml,ini,cfg}" },
];
const MAX_BYTES = 10 * 1024 * 1024; // as the CLI: larger files are not checked

interface Settings extends core.RuleSettings {
  enable: boolean;
  run: "onType" | "onSave";
  delay: number;
  showUnsafeFixes: boolean;
  useConfigFile: boolean;
}

function settings(scope: vscode.Uri | undefined): Settings {
  const c = vscode.workspace.getConfiguration("keyleak", scope);
  const list = (k: string) => (c.get<string[]>(k) ?? []).filter((s) => typeof s === "string");
  return {
    enable: c.get("enable", true),
    run: c.get<string>("run") === "onSave" ? "onSave" : "onType",
    delay: Math.max(0, Number(c.get("delay", 150)) || 0),
    select: Array.isArray(c.get("select")) ? list("select") : null,
    extendSelect: list("extendSelect"),
    ignore: list("ignore"),
    severity: c.get("severity") ?? {},
    showUnsafeFixes: c.get("showUnsafeFixes", true),
    useConfigFile: c.get("useConfigFile", true),
  };
}

/** A project: the folder of its configuration file (else the workspace folder), and its engine. */
interface Project {
  key: string;
  root: vscode.Uri | undefined;
  config: vscode.Uri | undefined;
  engine: Engine;
  options: Options;
  /** The configuration or settings could not be used (the last good options are). */
  error: string | undefined;
  excludes: string[];
  /** A pending re-read of the sibling files (see `loadWorkspace`). */
  workspaceTimer?: ReturnType<typeof setTimeout>;
}

/** Sibling files read for facts other files hold (blueprint prefixes, hooks, rate limits): at most this many, each at most 1 MB. */
const MAX_WORKSPACE_FILES = 2000;
const MAX_WORKSPACE_FILE = 1 << 20;
/** After a save or a file created or deleted, wait this long for more before re-reading. */
const WORKSPACE_DELAY = 1000;

/** An open document the engine follows. */
interface Tracked {
  document: vscode.TextDocument;
  project: Project;
  path: string;
  doc: Document;
  /** The document version the engine's copy holds. */
  version: number;
  checked: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  findings: Finding[];
  report: Report | undefined;
  ms: number;
}

export async function activateWith(context: vscode.ExtensionContext, host: Host): Promise<void> {
  const log = vscode.window.createOutputChannel("keyleak", { log: true });
  context.subscriptions.push(log);
  const t0 = performance.now();
  try {
    await init({ module_or_path: await wasmBytes(vscode.Uri.joinPath(context.extensionUri, "dist", "keyleak_bg.wasm")) });
  } catch (e) {
    log.error(`could not load the keyleak engine: ${String(e)}`);
    throw e;
  }
  const keyleak = new Keyleak(context, log, host);
  log.info(`keyleak ${Engine.version()} in the ${host} extension host (engine loaded in ${(performance.now() - t0).toFixed(0)} ms)`);
  await keyleak.start();
}

/**
 * The engine's bytes, through VS Code's file system (the extension's own
 * files in every host: file:, vscode-remote:, the web's extension URIs);
 * a web host that cannot read them that way fetches them from the same place.
 */
async function wasmBytes(uri: vscode.Uri): Promise<Uint8Array | ArrayBuffer> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (e) {
    if (uri.scheme !== "http" && uri.scheme !== "https") throw e;
    const response = await fetch(uri.toString(true));
    if (!response.ok) throw e;
    return await response.arrayBuffer();
  }
}

class Keyleak {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("keyleak");
  private readonly status = vscode.languages.createLanguageStatusItem("keyleak.status", SELECTOR);
  private readonly tracked = new Map<string, Tracked>();
  private readonly opening = new Map<string, Promise<void>>();
  private readonly projects = new Map<string, Project>();
  /** Parsed configuration files by URI (undefined: the file does not exist). */
  private readonly configs = new Map<string, Promise<core.ConfigFile | undefined>>();
  /** The last options each configuration file gave that the engine accepted. */
  private readonly lastGood = new Map<string, Options>();
  private readonly rules: Rule[];
  /** Files "Check workspace" reported on: re-read from disk when closed. */
  private readonly fromWorkspaceCheck = new Set<string>();
  private readonly version = Engine.version();
  /** Bumped by every reconfiguration: opens begun before it are dropped. */
  private generation = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: Host,
  ) {
    const e = new Engine({});
    this.rules = e.rules();
    e.free();
    this.status.name = "keyleak";
    this.status.text = "keyleak";
    this.status.command = { title: "Show output", command: "keyleak.showOutput" };
  }

  async start(): Promise<void> {
    const c = this.context.subscriptions;
    c.push(this.diagnostics, this.status);
    c.push(vscode.workspace.onDidOpenTextDocument((d) => void this.open(d)));
    c.push(vscode.workspace.onDidChangeTextDocument((e) => this.change(e)));
    c.push(vscode.workspace.onDidSaveTextDocument((d) => this.save(d)));
    c.push(vscode.workspace.onDidCloseTextDocument((d) => this.close(d)));
    c.push(vscode.window.onDidChangeActiveTextEditor(() => this.showStatus()));
    c.push(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("keyleak") && void this.reconfigure("settings changed")));
    const watcher = vscode.workspace.createFileSystemWatcher("**/{pyproject.toml,keyleak.toml}");
    const configChanged = (uri: vscode.Uri) => {
      this.configs.delete(uri.toString());
      void this.reconfigure(`${vscode.workspace.asRelativePath(uri)} changed`);
    };
    c.push(watcher, watcher.onDidChange(configChanged), watcher.onDidCreate(configChanged), watcher.onDidDelete(configChanged));
    // watchers do not fire on every file system (virtual workspaces): saves do
    c.push(vscode.workspace.onDidSaveTextDocument((d) => /(^|\/)(pyproject|keyleak)\.toml$/.test(d.uri.path) && configChanged(d.uri)));
    c.push(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.reconfigure("workspace folders changed")));
    // a Python file created or deleted changes what the other files can see
    const py = vscode.workspace.createFileSystemWatcher("**/*.py", false, true, false);
    const pyChanged = (uri: vscode.Uri) => this.workspaceChanged(uri);
    c.push(py, py.onDidCreate(pyChanged), py.onDidDelete(pyChanged));

    c.push(
      vscode.languages.registerCodeActionsProvider(SELECTOR, this.actions(), {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL],
      }),
    );
    c.push(vscode.languages.registerHoverProvider(SELECTOR, { provideHover: (d, p) => this.hover(d, p) }));
    c.push(vscode.workspace.registerTextDocumentContentProvider("keyleak-rule", { provideTextDocumentContent: (uri) => this.ruleDocument(uri) }));
    c.push(vscode.commands.registerCommand("keyleak.checkWorkspace", () => this.checkWorkspace()));
    c.push(vscode.commands.registerCommand("keyleak.showRuleDocumentation", (code?: string) => this.showRule(code)));
    c.push(vscode.commands.registerCommand("keyleak.showOutput", () => this.log.show(true)));
    c.push({ dispose: () => this.forgetAll() });

    await Promise.all(vscode.workspace.textDocuments.map((d) => this.open(d)));
    this.showStatus();
  }

  // ---- documents ----------------------------------------------------------

  private wanted(d: vscode.TextDocument): boolean {
    if (SKIPPED_SCHEMES.has(d.uri.scheme)) return false;
    if (d.languageId !== "python" && !d.uri.path.endsWith(".py") && !core.isConfigFile(d.uri.path)) return false;
    return settings(d.uri).enable;
  }

  private open(d: vscode.TextDocument): Promise<void> {
    const key = d.uri.toString();
    if (this.tracked.has(key) || !this.wanted(d)) return Promise.resolve();
    const pending = this.opening.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const p: Promise<void> = this.project(d.uri)
      .then((project) => {
        // a reconfiguration since then opens it again, with its own project
        if (generation !== this.generation || this.tracked.has(key) || d.isClosed || !this.wanted(d)) return;
        const text = d.getText();
        if (text.length > MAX_BYTES) {
          this.log.warn(`${this.label(d.uri)}: not checked (over 10 MB)`);
          return;
        }
        const path = this.enginePath(project, d.uri);
        const t: Tracked = { document: d, project, path, doc: project.engine.open(text, path), version: d.version, checked: -1, timer: undefined, findings: [], report: undefined, ms: 0 };
        this.tracked.set(key, t);
        this.check(t, "open");
      })
      .catch((e) => this.log.error(`${this.label(d.uri)}: ${this.scrub(e)}`))
      .finally(() => this.opening.get(key) === p && this.opening.delete(key));
    this.opening.set(key, p);
    return p;
  }

  private change(e: vscode.TextDocumentChangeEvent): void {
    const t = this.tracked.get(e.document.uri.toString());
    if (!t || e.contentChanges.length === 0 || e.document.version <= t.version) return;
    try {
      if (e.document.version === t.version + 1) core.applyChanges(t.doc, e.contentChanges);
      else t.doc.setText(e.document.getText()); // missed an event: start over
    } catch (err) {
      this.log.warn(`${t.path}: re-reading the document after an edit failed (${this.scrub(err)})`);
      t.doc.setText(e.document.getText());
    }
    t.version = e.document.version;
    const s = settings(e.document.uri);
    if (s.run !== "onType") return;
    // debounce: a newer edit cancels the check still waiting
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => {
      t.timer = undefined;
      this.check(t, "edit");
    }, s.delay);
  }

  private save(d: vscode.TextDocument): void {
    const t = this.tracked.get(d.uri.toString());
    if (!t) return;
    if (t.doc.text() !== d.getText()) {
      this.log.warn(`${t.path}: the engine's copy had drifted from the editor's; re-read it`);
      t.doc.setText(d.getText());
      t.version = d.version;
      t.checked = -1;
    }
    this.check(t, "save");
    if (d.uri.path.endsWith(".py")) this.workspaceChanged(d.uri);
  }

  // ---- the workspace: facts other files hold --------------------------------

  /** A file of some project changed on disk: re-read that project's sibling files soon. */
  private workspaceChanged(uri: vscode.Uri): void {
    for (const p of this.projects.values()) {
      if (p.root && (uri.path === p.root.path || uri.path.startsWith(`${p.root.path.replace(/\/$/, "")}/`))) this.scheduleWorkspace(p, WORKSPACE_DELAY);
    }
  }

  private scheduleWorkspace(project: Project, delay: number): void {
    if (!project.root) return;
    if (project.workspaceTimer) clearTimeout(project.workspaceTimer);
    project.workspaceTimer = setTimeout(() => {
      project.workspaceTimer = undefined;
      this.loadWorkspace(project).catch((e) => this.log.warn(`reading the workspace's Python files failed: ${this.scrub(e)}`));
    }, delay);
  }

  /**
   * Give the project's engine its Python files, so that a check sees what
   * other modules declare (a blueprint's prefix set where it is registered,
   * a `before_request` guard, default rate limits), then re-check its open
   * documents. Everything stays local: the files are read from the workspace.
   */
  private async loadWorkspace(project: Project): Promise<void> {
    const root = project.root;
    if (!root || this.projects.get(project.key) !== project) return;
    const start = performance.now();
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(root, "**/*.py"), new vscode.RelativePattern(root, core.excludeGlob(project.excludes)), MAX_WORKSPACE_FILES);
    const files: { path: string; text: string }[] = [];
    for (const uri of uris) {
      const text = await this.readText(uri).catch(() => undefined);
      if (text !== undefined && text.length <= MAX_WORKSPACE_FILE) files.push({ path: this.enginePath(project, uri), text });
    }
    // reconfigured meanwhile: this project's engine is gone
    if (this.projects.get(project.key) !== project) return;
    project.engine.setWorkspace(files);
    for (const t of this.tracked.values()) {
      if (t.project !== project) continue;
      t.doc.shareWorkspace(project.engine);
      t.checked = -1;
      this.check(t, "workspace");
    }
    this.log.info(`${vscode.workspace.asRelativePath(root)}: ${core.plural(files.length, "Python file")} read for facts across files in ${(performance.now() - start).toFixed(0)} ms`);
  }

  private close(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    const t = this.tracked.get(key);
    if (!t) return;
    this.forget(t);
    this.tracked.delete(key);
    if (this.fromWorkspaceCheck.has(key)) void this.checkFile(d.uri);
    else this.diagnostics.delete(d.uri);
  }

  private forget(t: Tracked): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = undefined;
    t.doc.free();
  }

  private forgetAll(): void {
    for (const t of this.tracked.values()) this.forget(t);
    this.tracked.clear();
    for (const p of this.projects.values()) {
      if (p.workspaceTimer) clearTimeout(p.workspaceTimer);
      p.engine.free();
    }
    this.projects.clear();
  }

  /** Check now if the engine's copy is newer than the last check (a pending debounced check is done at once). */
  private fresh(t: Tracked): void {
    if (t.timer) {
      clearTimeout(t.timer);
      t.timer = undefined;
    }
    if (t.checked !== t.version) this.check(t, "request");
  }

  private check(t: Tracked, why: string): void {
    if (t.checked === t.version || !this.tracked.has(t.document.uri.toString())) return;
    const start = performance.now();
    let report: Report;
    try {
      report = t.doc.check();
    } catch (e) {
      this.log.error(`${t.path}: check failed: ${this.scrub(e)}`);
      return;
    }
    t.ms = performance.now() - start;
    t.checked = t.version;
    t.report = report;
    t.findings = report.diagnostics;
    this.diagnostics.set(t.document.uri, report.diagnostics.map((f) => this.toDiagnostic(f, t.document.uri, t.project)));
    this.log.debug(`${t.path}: ${core.plural(report.diagnostics.length, "finding")} in ${t.ms.toFixed(1)} ms (${why}, ${t.document.lineCount} lines)`);
    for (const n of report.notes) this.log.debug(`${t.path}:${n.range.start.line + 1}: ${n.message}`);
    if (vscode.window.activeTextEditor?.document === t.document) this.showStatus();
  }

  private toDiagnostic(f: Finding, uri: vscode.Uri, project: Project): vscode.Diagnostic {
    const sev = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, information: vscode.DiagnosticSeverity.Information }[core.level(f.severity)];
    const d = new vscode.Diagnostic(range(f.range), f.message, sev);
    d.source = "keyleak";
    d.code = { value: f.code, target: vscode.Uri.parse(f.url) };
    d.relatedInformation = f.related.flatMap((r) => {
      const other = r.path === undefined ? uri : this.inProject(project, r.path);
      return other ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(other, range(r.range)), r.message)] : [];
    });
    return d;
  }

  /** The finding a VS Code diagnostic stands for (code actions get copies). */
  private findingOf(t: Tracked, d: vscode.Diagnostic): Finding | undefined {
    const code = typeof d.code === "object" ? d.code.value : d.code;
    return t.findings.find((f) => f.code === code && f.message === d.message && range(f.range).isEqual(d.range));
  }

  // ---- projects and configuration -------------------------------------------

  private enginePath(project: Project, uri: vscode.Uri): string {
    const rel = project.root ? core.relativePath(project.root.path, uri.path) : undefined;
    return rel ?? uri.path.split("/").pop() ?? "main.py";
  }

  private inProject(project: Project, rel: string): vscode.Uri | undefined {
    if (!project.root) return undefined;
    const path = core.joinRelative(project.root.path, rel);
    return path === undefined ? undefined : project.root.with({ path });
  }

  private readConfig(uri: vscode.Uri, pyproject: boolean): Promise<core.ConfigFile | undefined> {
    const key = uri.toString();
    let p = this.configs.get(key);
    if (!p) {
      p = this.readText(uri).then((text) => (text === undefined ? undefined : core.parseConfig(text, pyproject)));
      this.configs.set(key, p);
    }
    return p;
  }

  /** The project of a file: the nearest configuration from its folder up to the workspace folder, as the CLI finds it. */
  private async project(uri: vscode.Uri): Promise<Project> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const s = settings(uri);
    let root = folder?.uri;
    let config: vscode.Uri | undefined;
    let file: core.ConfigFile | undefined;
    if (folder && s.useConfigFile) {
      search: for (const dir of core.foldersUp(folder.uri.path, uri.path)) {
        for (const [name, pyproject] of [["keyleak.toml", false], ["pyproject.toml", true]] as const) {
          const candidate = folder.uri.with({ path: `${dir}/${name}` });
          const parsed = await this.readConfig(candidate, pyproject);
          if (!parsed || parsed.kind === "none") continue;
          root = folder.uri.with({ path: dir });
          config = candidate;
          file = parsed;
          break search;
        }
      }
    }
    const where = config ? vscode.workspace.asRelativePath(config) : "keyleak.* settings";
    let error: string | undefined;
    let fileOptions: Options | undefined;
    if (file?.kind === "ok") fileOptions = file.options;
    else if (file?.kind === "error") {
      error = `${where}: ${file.message}`;
      fileOptions = config && this.lastGood.get(config.toString());
    }
    const { select, extendSelect, ignore, severity } = s;
    let options = core.mergeOptions(fileOptions, { select, extendSelect, ignore, severity });
    const key = `${folder?.uri.toString() ?? ""}|${root?.toString() ?? ""}|${JSON.stringify(options)}`;
    const known = this.projects.get(key);
    if (known && known.error === error) return known;
    // the options as given; else the file's last good options with the
    // settings, without them, the settings alone, nothing
    const good = config && this.lastGood.get(config.toString());
    const rules = { select, extendSelect, ignore, severity };
    const candidates = [options, core.mergeOptions(good, rules), good ?? {}, core.mergeOptions(undefined, rules), {}];
    let engine: Engine | undefined;
    for (const [i, candidate] of candidates.entries()) {
      try {
        engine = new Engine(candidate);
        options = candidate;
        if (i === 0 && config && file?.kind === "ok") this.lastGood.set(config.toString(), file.options);
        break;
      } catch (e) {
        if (i === 0) error ??= `${this.blame(config && fileOptions, where)}: ${this.scrub(e)}`;
      }
    }
    engine ??= new Engine({});
    if (error) this.log.error(`configuration error: ${error} (using the last valid options)`);
    const project: Project = { key, root, config, engine, options, error, excludes: [...core.DEFAULT_EXCLUDES, ...(options.exclude ?? [])] };
    known?.engine.free();
    this.projects.set(key, project);
    this.scheduleWorkspace(project, 0);
    return project;
  }

  /** Whether the configuration file or the settings hold what the engine refused. */
  private blame(fileOptions: Options | undefined, where: string): string {
    if (!fileOptions) return "keyleak.* settings";
    try {
      new Engine(fileOptions).free();
      return "keyleak.* settings";
    } catch {
      return where;
    }
  }

  /** Settings or configuration files changed: rebuild the engines, reopen every document. */
  private async reconfigure(why: string): Promise<void> {
    this.log.info(`${why}: re-checking open files`);
    this.generation++;
    this.opening.clear();
    const old = [...this.projects.values()];
    this.projects.clear();
    const docs = [...this.tracked.values()].map((t) => t.document);
    for (const t of this.tracked.values()) {
      this.forget(t);
      this.diagnostics.delete(t.document.uri);
    }
    this.tracked.clear();
    for (const p of old) {
      if (p.workspaceTimer) clearTimeout(p.workspaceTimer);
      p.engine.free();
    }
    const all = new Set([...docs, ...vscode.workspace.textDocuments]);
    await Promise.all([...all].map((d) => this.open(d)));
    this.showStatus();
  }

  // ---- status ---------------------------------------------------------------

  private showStatus(): void {
    const d = vscode.window.activeTextEditor?.document;
    const t = d && this.tracked.get(d.uri.toString());
    const error = t?.project.error;
    this.status.severity = error ? vscode.LanguageStatusSeverity.Error : vscode.LanguageStatusSeverity.Information;
    if (d && !settings(d.uri).enable) {
      this.status.text = "keyleak: off";
      this.status.detail = "keyleak.enable is false";
    } else if (error) {
      this.status.text = "keyleak: configuration error";
      this.status.detail = error;
    } else if (t) {
      const n = t.findings.length;
      this.status.text = `keyleak: ${core.plural(n, "finding")}`;
      const syntax = t.report?.syntaxErrors ? ` · syntax error: checked as far as it parses` : "";
      this.status.detail = `engine ${this.version}, ${this.host} host · checked in ${t.ms.toFixed(1)} ms${syntax}`;
    } else {
      this.status.text = "keyleak";
      this.status.detail = `engine ${this.version}, ${this.host} host`;
    }
  }

  // ---- code actions ---------------------------------------------------------

  private actions(): vscode.CodeActionProvider<KeyleakAction> {
    return {
      provideCodeActions: (document, _range, context) => {
        const t = this.tracked.get(document.uri.toString());
        if (!t) return [];
        const out: KeyleakAction[] = [];
        if (context.only && FIX_ALL.intersects(context.only)) {
          this.fresh(t); // on save, before the file is written
          const edits = core.fixAllEdits(t.findings);
          if (edits.length) {
            const a = new KeyleakAction("keyleak: fix all safe fixes", FIX_ALL);
            a.edit = new vscode.WorkspaceEdit();
            for (const e of edits) a.edit.replace(document.uri, range(e.range), e.newText);
            out.push(a);
          }
        }
        if (context.only && !vscode.CodeActionKind.QuickFix.intersects(context.only)) return out;
        // Ctrl+. checks a document that changed since its last check; the
        // light bulb, asked for as the cursor moves, waits for the debounced
        // check instead (stale findings would have stale ranges)
        if (context.triggerKind === vscode.CodeActionTriggerKind.Invoke) this.fresh(t);
        else if (t.checked !== t.version) return out;
        const unsafe = settings(document.uri).showUnsafeFixes;
        for (const diagnostic of context.diagnostics) {
          if (diagnostic.source !== "keyleak") continue;
          const f = this.findingOf(t, diagnostic);
          if (!f) continue;
          let preferred = false;
          let moved = false;
          for (const fix of core.fixOrder(f.fixes)) {
            if (fix.applicability === "unsafe" && !unsafe) continue;
            if (fix.applicability === "display-only" && !moved && f.code === "KL101" && unsafe && t.project.root) {
              out.push(...this.moveToEnvAction(t, f, diagnostic));
              moved = true;
            }
            const title = fix.applicability === "unsafe" ? `${fix.title} (unsafe)` : fix.title;
            const a = new KeyleakAction(title, vscode.CodeActionKind.QuickFix);
            a.diagnostics = [diagnostic];
            a.edit = this.workspaceEdit(t, fix);
            if (fix.applicability === "safe" && !preferred) a.isPreferred = preferred = true;
            out.push(a);
          }
        }
        return out;
      },
      resolveCodeAction: async (action) => {
        if (action.moveToEnv) action.edit = await this.moveToEnvEdit(action.moveToEnv);
        return action;
      },
    };
  }

  /** "Move the secret to .env", titled now, its edit computed when chosen (it reads .env and .gitignore). */
  private moveToEnvAction(t: Tracked, f: Finding, diagnostic: vscode.Diagnostic): KeyleakAction[] {
    let fix: Fix | undefined;
    try {
      fix = t.doc.moveToEnv(f.range.start.line, f.range.start.character, undefined, undefined);
    } catch (e) {
      this.log.warn(`${t.path}: move to .env: ${this.scrub(e)}`);
    }
    if (!fix) return [];
    const a = new KeyleakAction(`${fix.title} (unsafe)`, vscode.CodeActionKind.QuickFix);
    a.diagnostics = [diagnostic];
    a.moveToEnv = { t, finding: f };
    return [a];
  }

  private async moveToEnvEdit({ t, finding }: { t: Tracked; finding: Finding }): Promise<vscode.WorkspaceEdit | undefined> {
    const root = t.project.root;
    if (!root || !this.tracked.has(t.document.uri.toString())) return undefined;
    const [env, gitignore] = await Promise.all([this.readText(vscode.Uri.joinPath(root, ".env")), this.readText(vscode.Uri.joinPath(root, ".gitignore"))]);
    this.fresh(t);
    // the document may have changed since the menu opened: the same finding, wherever it is now
    const now = t.findings.find((f) => f.code === finding.code && f.message === finding.message) ?? finding;
    const fix = t.doc.moveToEnv(now.range.start.line, now.range.start.character, env, gitignore);
    if (!fix) {
      this.log.warn(`${t.path}: move to .env: the finding is gone`);
      return undefined;
    }
    this.log.info(`${t.path}: ${fix.title}`);
    return this.workspaceEdit(t, fix);
  }

  /** A fix as one WorkspaceEdit: the document, and the other files it writes (created when missing). */
  private workspaceEdit(t: Tracked, fix: Fix): vscode.WorkspaceEdit {
    const edit = new vscode.WorkspaceEdit();
    const plan = core.planFix(fix);
    for (const e of plan.document) edit.replace(t.document.uri, range(e.range), e.newText);
    for (const f of plan.files) {
      const uri = this.inProject(t.project, f.path);
      if (!uri) continue;
      if (f.create) edit.createFile(uri, { ignoreIfExists: false, contents: new TextEncoder().encode(f.contents ?? "") });
      else for (const e of f.edits) edit.replace(uri, range(e.range), e.newText);
    }
    return edit;
  }

  // ---- hover and rule documentation -----------------------------------------

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const t = this.tracked.get(document.uri.toString());
    if (!t) return undefined;
    const shown: Rule[] = [];
    let where: vscode.Range | undefined;
    for (const f of t.findings) {
      const r = range(f.range);
      if (!r.contains(position)) continue;
      where = where ? where.union(r) : r;
      const rule = this.rules.find((x) => x.code === f.code);
      if (rule && !shown.includes(rule)) shown.push(rule);
    }
    const line = document.lineAt(position.line).text;
    let note = "";
    for (const s of core.suppressions(line)) {
      if (position.character < s.start || position.character > s.end) continue;
      const r = new vscode.Range(position.line, s.start, position.line, s.end);
      where = where ? where.union(r) : r;
      if (!s.selectors.length) note = `keyleak: this comment ignores every rule ${s.file ? "in this file" : "on this line"}.`;
      for (const sel of s.selectors) {
        const hits = core.rulesFor(this.rules, sel);
        if (!hits.length) note += `\`${sel}\` names no keyleak rule. `;
        for (const rule of hits) if (!shown.includes(rule)) shown.push(rule);
      }
    }
    if (!shown.length && !note) return undefined;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = { enabledCommands: ["keyleak.showRuleDocumentation"] };
    if (note) md.appendMarkdown(note.trim() + "\n\n");
    for (const rule of shown) {
      md.appendMarkdown(core.ruleMarkdown(rule));
      const arg = encodeURIComponent(JSON.stringify([rule.code]));
      md.appendMarkdown(`\n[Open ${rule.code} documentation](command:keyleak.showRuleDocumentation?${arg})\n\n---\n\n`);
    }
    return new vscode.Hover(md, where);
  }

  private ruleDocument(uri: vscode.Uri): string {
    const code = uri.path.replace(/^\//, "").replace(/\.md$/, "");
    const rule = this.rules.find((r) => r.code === code);
    if (!rule) return `# ${code}\n\nNo such keyleak rule.\n`;
    const cwe = rule.cwe.map((c) => `CWE-${c}`).join(", ");
    return `# ${rule.code} ${rule.name}\n\n${rule.summary} Severity ${rule.severity}${cwe ? `; ${cwe}` : ""}.\n\n${rule.docs.trim()}\n\n[${rule.url}](${rule.url})\n`;
  }

  private async showRule(code?: string): Promise<void> {
    if (typeof code !== "string") {
      const pick = await vscode.window.showQuickPick(
        this.rules.map((r) => ({ label: r.code, description: r.name, detail: r.summary })),
        { title: "keyleak: rule documentation", matchOnDescription: true, matchOnDetail: true },
      );
      if (!pick) return;
      code = pick.label;
    }
    const uri = vscode.Uri.from({ scheme: "keyleak-rule", path: `/${code}.md` });
    try {
      await vscode.commands.executeCommand("markdown.showPreview", uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  }

  // ---- check workspace ------------------------------------------------------

  private async checkFile(uri: vscode.Uri): Promise<number> {
    const project = await this.project(uri);
    const text = await this.readText(uri);
    if (text === undefined || text.length > MAX_BYTES) return 0;
    const report = project.engine.check(text, this.enginePath(project, uri));
    this.diagnostics.set(uri, report.diagnostics.map((f) => this.toDiagnostic(f, uri, project)));
    return report.diagnostics.length;
  }

  private async checkWorkspace(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (!folders.length) {
      void vscode.window.showInformationMessage("keyleak: open a folder to check a workspace.");
      return;
    }
    const start = performance.now();
    let files = 0;
    let findings = 0;
    let withFindings = 0;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "keyleak: checking the workspace", cancellable: true },
      async (progress, token) => {
        const uris: vscode.Uri[] = [];
        for (const folder of folders) {
          if (!settings(folder.uri).enable) continue;
          const project = await this.project(vscode.Uri.joinPath(folder.uri, "x.py"));
          const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, "**/*.py"), new vscode.RelativePattern(folder, core.excludeGlob(project.excludes)), undefined, token);
          uris.push(...found);
        }
        uris.sort((a, b) => a.toString().localeCompare(b.toString()));
        for (const [i, uri] of uris.entries()) {
          if (token.isCancellationRequested) break;
          const key = uri.toString();
          const open = this.tracked.get(key);
          let n: number;
          try {
            if (open) {
              this.fresh(open);
              n = open.findings.length;
            } else {
              n = await this.checkFile(uri);
              this.fromWorkspaceCheck.add(key);
            }
          } catch (e) {
            this.log.error(`${this.label(uri)}: ${this.scrub(e)}`);
            continue;
          }
          files++;
          findings += n;
          if (n) withFindings++;
          progress.report({ increment: 100 / uris.length, message: `${i + 1}/${uris.length} ${vscode.workspace.asRelativePath(uri)}` });
          // let the editor breathe between files
          if (i % 10 === 9) await new Promise((r) => setTimeout(r, 0));
        }
      },
    );
    const summary = `${core.plural(findings, "finding")} in ${core.plural(withFindings, "file")} (${core.plural(files, "Python file")} checked in ${((performance.now() - start) / 1000).toFixed(1)} s)`;
    this.log.info(`check workspace: ${summary}`);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    void vscode.window.showInformationMessage(`keyleak: ${summary}`);
  }

  // ---- helpers --------------------------------------------------------------

  /** A file's text: the editor's when it is open (unsaved changes count), else the disk's; undefined when absent. */
  private async readText(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      if (e instanceof vscode.FileSystemError && (e.code === "FileNotFound" || e.code === "EntryNotFound")) return undefined;
      if (String(e).includes("ENOENT") || String(e).includes("FileNotFound") || String(e).includes("EntryNotFound")) return undefined;
      throw e;
    }
  }

  private label(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(uri);
  }

  /** Whatever is logged goes through the engine's redact(): never a secret in the output. */
  private scrub(e: unknown): string {
    return redact(e instanceof Error ? e.message : String(e));
  }
}

class KeyleakAction extends vscode.CodeAction {
  moveToEnv?: { t: Tracked; finding: Finding };
}

function range(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
