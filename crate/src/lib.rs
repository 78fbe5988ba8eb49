//! keyleak: finds where Flask applications leak API keys and other secrets,
//! and fixes it in place.
//!
//! ```
//! let report = keyleak::check("import logging, os\nlogging.info(os.environ['API_KEY'])\n", "app.py");
//! assert_eq!(report.diagnostics[0].code, "KL201");
//! ```

mod config;
mod diagnostic;
mod document;
mod envfile;
mod fix;
#[doc(hidden)]
pub mod fuzzing;
mod position;
mod project;
mod rules;
mod secrets;
mod selector;
mod semantic;
mod suppression;
mod syntax;
mod taint;

#[cfg(feature = "cli")]
pub mod render;
#[cfg(feature = "wasm")]
mod wasm;

/// The engine's maps and sets: foldhash, randomly seeded like the standard
/// ones (names and node ids are short and hashed constantly; SipHash cost a
/// tenth of a check).
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

pub use config::{glob_match, Config, ConfigError, DEFAULT_EXCLUDES};
pub use diagnostic::{Diagnostic, EnvVar, FixAvailability, Related, RuleMeta, Severity, Span};
pub use document::{Document, EditError};
pub use envfile::move_to_env;
pub use fix::{apply_edits, Applicability, Edit, FileEdit, Fix};
pub use position::{ColumnUnit, LineCol, LineIndex};
pub use project::{ModuleSummary, Project};
pub use rules::{all as rules, by_code as rule};
pub use secrets::{mask, mask_source, redact, scrub};
pub use selector::UnknownSelector;
pub use syntax::{ParseError, Parsed};

use secrets::NameClassifier;
use syntax::Node;

/// The engine's version (the crate version).
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The hasher of every key the engine compares between checks (item and
/// method texts, cache keys, project fingerprints): foldhash with a fixed
/// seed, several times faster than SipHash on text, which an editor's
/// re-check hashes all of. Keys never leave the process.
#[derive(Clone)]
pub(crate) struct StableHasher(foldhash::quality::FoldHasher<'static>);

impl Default for StableHasher {
    fn default() -> StableHasher {
        use std::hash::BuildHasher;
        StableHasher(foldhash::quality::FixedState::with_seed(0x6b65_796c_6561_6b21).build_hasher())
    }
}

impl std::hash::Hasher for StableHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i);
    }
    fn write_u32(&mut self, i: u32) {
        self.0.write_u32(i);
    }
    fn write_u64(&mut self, i: u64) {
        self.0.write_u64(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i);
    }
    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// What checking one file found.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    /// Findings after suppressions, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// Byte ranges of secret values in the source, for hosts that print or
    /// share source text: mask these first.
    pub secret_spans: Vec<Span>,
    /// ERROR and MISSING nodes in the parse: findings in a broken file are
    /// best-effort.
    pub syntax_errors: usize,
    /// What the check could not do in full (never a finding, never a secret).
    pub notes: Vec<Note>,
}

/// Something a user should know about a check: a part of the file keyleak
/// did not analyse, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Note {
    pub span: Span,
    pub message: String,
}

/// A configured engine. Cheap to share across threads and to clone.
#[derive(Clone)]
pub struct Checker {
    config: Config,
    settings: config::RuleSettings,
    names: NameClassifier,
    project: Option<std::sync::Arc<Project>>,
    /// Leave [`Report::secret_spans`] empty for a file with no finding and
    /// no note: nothing of it is printed.
    spans_only_when_printed: bool,
}

impl Checker {
    pub fn new(config: Config) -> Result<Checker, ConfigError> {
        let settings = config.resolve()?;
        let names = NameClassifier::new(&config.secret_names, &config.non_secret_names);
        Ok(Checker { config, settings, names, project: None, spans_only_when_printed: false })
    }

    /// The same checker, consulting `project` for facts other files hold
    /// (blueprint prefixes, hooks, rate limits, config classes).
    pub fn with_project(&self, project: std::sync::Arc<Project>) -> Checker {
        Checker { project: Some(project), ..self.clone() }
    }

    /// This checker, with the project (or none) `other` consults.
    pub fn with_project_of(&self, other: &Checker) -> Checker {
        Checker { project: other.project.clone(), ..self.clone() }
    }

    /// The same checker, finding secret spans only in files it reports
    /// something in (a CLI prints no source of the others; masking costs a
    /// scan of every string and comment).
    pub fn spans_only_when_printed(&self) -> Checker {
        Checker { spans_only_when_printed: true, ..self.clone() }
    }

    pub fn project(&self) -> Option<&Project> {
        self.project.as_deref()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Check Python source. `path` is the file's path relative to the
    /// project root (it decides what is a test, a config module, and which
    /// per-file ignores apply); any name works for pasted text.
    pub fn check(&self, source: &str, path: &str) -> Report {
        if file_kind(path) == FileKind::Config {
            return self.check_config(source, path);
        }
        match Parsed::parse(source.to_string()) {
            Ok(parsed) => self.check_parsed(&parsed, path),
            Err(_) => Report::default(),
        }
    }

    /// Check an already parsed file (editors keep one and re-parse
    /// incrementally with [`Parsed::edit`]).
    pub fn check_parsed(&self, parsed: &Parsed, path: &str) -> Report {
        self.check_with(parsed, path, None)
    }

    /// Check a document an editor keeps open: what did not change since the
    /// last check with this `cache` (per top-level item: its declarations,
    /// comments, secrets and findings) is reused. The report is the same as
    /// [`Checker::check_parsed`] gives.
    pub fn check_document(&self, parsed: &Parsed, path: &str, cache: &mut DocumentCache) -> Report {
        self.check_with(parsed, path, Some(cache))
    }

    /// The configured severity overrides.
    fn apply_severities(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            if let Some(sev) = rules::all().position(|m| m.code == d.code).and_then(|i| self.settings.severity[i]) {
                d.severity = sev;
            }
        }
    }

    /// A configuration file (`.env`, YAML, JSON, TOML, INI): its own rules.
    fn check_config(&self, source: &str, path: &str) -> Report {
        let path = path.replace('\\', "/");
        let ignored = self.settings.ignored_in(&path);
        let on = |code: &str| {
            rules::all().position(|m| m.code == code).is_some_and(|i| self.settings.enabled[i] && !ignored.contains(&i))
        };
        let mut diagnostics = rules::secret_in_config_file::check(source, &path, &self.names, on("KL102"), on("KL301"));
        let lines = LineIndex::new(source);
        let suppressions = rules::secret_in_config_file::suppressions(source, &path);
        diagnostics.retain(|d| !suppressions.is_suppressed(d, &lines));
        self.apply_severities(&mut diagnostics);
        // every credential-looking token is masked wherever a host prints
        // this file, reported or not
        let mut secret_spans: Vec<Span> = diagnostics.iter().filter(|d| d.code == "KL102").map(|d| d.span).collect();
        secrets::redact::text_spans(source, 0, true, &mut secret_spans);
        secrets::redact::normalize(&mut secret_spans);
        let mut notes = Vec::new();
        scrub_messages(&mut diagnostics, &mut notes, source, &secret_spans);
        Report { diagnostics, secret_spans, syntax_errors: 0, notes }
    }

    fn check_with(&self, parsed: &Parsed, path: &str, mut cache: Option<&mut DocumentCache>) -> Report {
        if file_kind(path) == FileKind::Config {
            return self.check_config(parsed.source(), path);
        }
        let root = parsed.root();
        let source = parsed.source();
        let lines = parsed.lines();
        let path = path.replace('\\', "/");
        let names = &self.names;
        // per top-level item: declarations for the index, comments and secrets
        let items = root.children();
        let mut old_items = cache.as_deref_mut().map(|c| std::mem::take(&mut c.items)).unwrap_or_default();
        let mut new_items = HashMap::default();
        let mut entries: Vec<std::rc::Rc<ItemEntry>> = Vec::with_capacity(items.len());
        let is_test = semantic::is_test_path(&path);
        let mut top = Vec::with_capacity(items.len());
        for item in &items {
            let key = syntax::node_hash(*item);
            if !item.is("comment") {
                top.push(syntax::TopItem::of(*item, key));
            }
            let entry = match old_items.remove(&key).or_else(|| new_items.get(&key).cloned()) {
                Some(e) => e,
                None => std::rc::Rc::new(match (taint::class_body(*item), cache.as_deref_mut()) {
                    // a changed class: its statements that did not change are not read again
                    (Some(body), Some(c)) => ItemEntry::scan_class(*item, body, &lines, &mut c.parts),
                    // an editor keeps each item's secrets; one check finds them at the end
                    (_, Some(_)) => ItemEntry::scan(*item, &lines, true),
                    (_, None) => ItemEntry::scan(*item, &lines, false),
                }),
            };
            new_items.insert(key, entry.clone());
            entries.push(entry);
        }
        if let Some(c) = cache.as_deref_mut() {
            c.items = new_items;
            c.parts.end();
        }
        let facts: Vec<(usize, &semantic::ItemFacts)> =
            items.iter().zip(&entries).map(|(item, e)| (item.start(), &e.facts)).collect();
        let index = semantic::Index::from_facts(&top, &facts, &lines);
        let project = project::View::new(&path, index.summary.clone(), self.project.as_deref());
        if cache.is_none() {
            for item in &top {
                index.add_routes(item.node);
            }
        }
        let cached = cache.is_some();
        let file = taint::FileCtx { root, items: top, source, path: &path, index, names, is_test, project };
        let ignored = self.settings.ignored_in(&path);
        let dispatch = rules::Dispatch::new(|i| self.settings.enabled[i] && !ignored.contains(&i));
        let analysis = match cache {
            Some(c) => taint::analyze_cached(&file, &dispatch, Some(&mut c.walks)),
            None => taint::analyze(&file, &dispatch),
        };
        let mut diagnostics = analysis.diagnostics;
        let mut notes = Vec::new();
        if let Some(at) = analysis.cut {
            notes.push(Note {
                span: Span { start: at, end: at },
                message: format!(
                    "code nested deeper than {} levels (or too large to follow) was not followed; findings inside it may be missing",
                    taint::MAX_DEPTH
                ),
            });
        }

        let mut suppressions = suppression::Suppressions::default();
        let mut secret_spans = Vec::new();
        for (item, entry) in items.iter().zip(&entries) {
            let line = lines.line_of(item.start()) as isize;
            suppressions.extend_shifted(&entry.suppressions, line);
            secret_spans
                .extend(entry.secrets.iter().map(|(a, b)| Span { start: item.start() + a, end: item.start() + b }));
        }
        let mut seen = HashSet::default();
        diagnostics.retain(|d| seen.insert((d.code, d.span)));
        // one problem, one finding; then suppressions (ignoring the specific
        // finding must not bring back the general one)
        rules::apply_precedence(&mut diagnostics);
        diagnostics.retain(|d| !suppressions.is_suppressed(d, &lines));
        self.apply_severities(&mut diagnostics);
        for d in &mut diagnostics {
            let ignore = suppression::ignore_fixes(d, root, source, &lines);
            d.fixes.extend(ignore);
        }
        diagnostics.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
        // file-level decisions, made on the final findings (an editor reuses
        // per-item findings, so these cannot live in the items)
        rules::hardcoded_secret::unique_env_names(&mut diagnostics, source, &file.index.env_reads);
        // inserted lines end like the file's lines
        if uses_crlf(source) {
            for e in diagnostics.iter_mut().flat_map(|d| d.fixes.iter_mut()).flat_map(|f| f.edits.iter_mut()) {
                e.new_text = to_crlf(&e.new_text);
            }
        }
        if let Some(at) = parsed.first_error() {
            notes.push(Note {
                span: at,
                message: "syntax error: findings in this file are best-effort, and fixes are not applied inside the broken statement".into(),
            });
        }
        let nothing_printed = self.spans_only_when_printed && diagnostics.is_empty() && notes.is_empty();
        if !cached && !nothing_printed {
            secrets::redact::spans_in(root, &mut secret_spans);
        }
        secrets::redact::normalize(&mut secret_spans);
        scrub_messages(&mut diagnostics, &mut notes, source, &secret_spans);
        Report { diagnostics, secret_spans, syntax_errors: parsed.error_count(), notes }
    }
}

/// What a parsed module shares with its project: its imports and the
/// facts of its items. The other modules read no more of it (what they
/// ask of the checked module itself comes from its own full index), so
/// the CLI's pre-pass skips the rest of the item facts.
pub(crate) fn module_summary(parsed: &Parsed) -> semantic::project::Summary {
    let root = parsed.root();
    let lines = LineIndex::new(parsed.source());
    let mut summary = semantic::project::Summary::default();
    for item in root.children() {
        match item.kind() {
            "import_statement" => semantic::import_facts(item, &mut summary.imports),
            "import_from_statement" => semantic::from_import_facts(item, &mut summary.imports),
            "comment" => continue,
            _ => {}
        }
        let mut shared = semantic::project::Shared::of(item);
        shared.place(item.start(), &lines);
        summary.shared.extend(shared);
    }
    summary.imports.sort();
    summary
}

/// The last line of defence against a leak through the tool itself: a
/// message is built from names and code text, and broken or odd code can
/// put a secret's text inside a "name". Any secret text of the file that
/// still appears in a message, a related note or a fix title is masked.
fn scrub_messages(diagnostics: &mut [Diagnostic], notes: &mut [Note], source: &str, spans: &[Span]) {
    let secrets: Vec<&str> =
        spans.iter().filter_map(|s| source.get(s.start..s.end)).filter(|t| t.chars().count() >= 6).collect();
    if secrets.is_empty() {
        return;
    }
    // every secret's first six bytes, so that a text holding none of them
    // (nearly every message) is not searched for each secret
    let heads: HashSet<&[u8]> = secrets.iter().map(|s| &s.as_bytes()[..6]).collect();
    let scrub = |text: &mut String| {
        if !text.as_bytes().windows(6).any(|w| heads.contains(w)) {
            return;
        }
        for s in &secrets {
            if text.contains(s) {
                *text = text.replace(s, &secrets::mask(s));
            }
        }
    };
    for d in diagnostics {
        scrub(&mut d.message);
        d.related.iter_mut().for_each(|r| scrub(&mut r.message));
        d.fixes.iter_mut().for_each(|f| scrub(&mut f.title));
    }
    notes.iter_mut().for_each(|n| scrub(&mut n.message));
}

/// What a file is to the checker, by its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Python source (also any path not known to be something else: pasted
    /// text, `stdin`).
    Python,
    /// A configuration file: `.env`, `.env.*`, `.flaskenv`, YAML, JSON,
    /// TOML, INI and CFG.
    Config,
}

/// The kind of the file at `path`.
pub fn file_kind(path: &str) -> FileKind {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let dotenv = name == ".env" || name == ".flaskenv" || (name.starts_with(".env.") && ext != "py");
    if dotenv || matches!(ext, "yaml" | "yml" | "json" | "toml" | "ini" | "cfg") {
        FileKind::Config
    } else {
        FileKind::Python
    }
}

/// Most of the file's lines end with CRLF.
fn uses_crlf(source: &str) -> bool {
    let crlf = source.matches("\r\n").count();
    crlf > 0 && crlf * 2 >= source.matches('\n').count()
}

fn to_crlf(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut prev = '\0';
    for c in text.chars() {
        if c == '\n' && prev != '\r' {
            out.push('\r');
        }
        out.push(c);
        prev = c;
    }
    out
}

/// What one top-level item holds, independent of where it sits.
struct ItemEntry {
    /// For a class-body statement: its app-wide facts, positions relative to it.
    app: semantic::project::Shared,
    /// For a class-body statement: whether its text may hold app-wide facts
    /// (a class's text may when its head's or one statement's may).
    app_words: bool,
    facts: semantic::ItemFacts,
    /// Suppression directives, lines relative to the item's first line.
    suppressions: suppression::Suppressions,
    /// Secret literals, bytes relative to the item's start.
    secrets: Vec<(usize, usize)>,
}

impl ItemEntry {
    /// A top-level item; its secret spans only when `secrets`.
    fn scan(item: Node<'_>, lines: &LineIndex<'_>, secrets: bool) -> ItemEntry {
        let facts = semantic::ItemFacts::of(item);
        let (suppressions, secrets) = ItemEntry::comments_and_secrets(item, None, lines, secrets);
        ItemEntry { app: semantic::project::Shared::default(), app_words: false, facts, suppressions, secrets }
    }

    /// The suppression comments (lines relative to `item`'s first line)
    /// and secret literals (bytes relative to its start) of `item`, without
    /// the subtree of `skip`.
    fn comments_and_secrets(
        item: Node<'_>,
        skip: Option<Node<'_>>,
        lines: &LineIndex<'_>,
        secrets: bool,
    ) -> (suppression::Suppressions, Vec<(usize, usize)>) {
        let mut suppressions = suppression::Suppressions::default();
        item.visit(&mut |n: Node<'_>| {
            if Some(n) == skip {
                return false;
            }
            if n.is("comment") {
                suppressions.add_comment(n, lines);
            }
            !matches!(n.kind(), "comment" | "string" | "concatenated_string")
        });
        // everything credential-looking, reported or not, is masked wherever
        // keyleak prints source
        let mut spans = Vec::new();
        match skip {
            _ if !secrets => {}
            None => secrets::redact::spans_in(item, &mut spans),
            Some(skip) => secrets::redact::spans_outside(item, skip, &mut spans),
        }
        let secrets = spans.iter().map(|s| (s.start - item.start(), s.end - item.start())).collect();
        let first = lines.line_of(item.start()) as isize;
        let mut relative = suppression::Suppressions::default();
        relative.extend_shifted(&suppressions, -first);
        (relative, secrets)
    }
}

impl ItemEntry {
    /// What one statement of a class body holds, positions relative to it.
    fn scan_part(stmt: Node<'_>, lines: &LineIndex<'_>) -> ItemEntry {
        let mut facts = semantic::ItemFacts::default();
        facts.visit(stmt, None);
        let (suppressions, secrets) = ItemEntry::comments_and_secrets(stmt, None, lines, true);
        let mut app = semantic::project::Shared::default();
        let app_words = semantic::project::may_hold_app_facts(stmt.text());
        if app_words {
            app.app_facts(stmt, stmt, None);
        }
        ItemEntry { app, app_words, facts, suppressions, secrets }
    }

    /// A class: its header read here, its body's statements from `parts`
    /// when their text is unchanged. The same entry [`ItemEntry::scan`] gives.
    fn scan_class(
        item: Node<'_>,
        body: Node<'_>,
        lines: &LineIndex<'_>,
        parts: &mut taint::Kept<std::rc::Rc<ItemEntry>>,
    ) -> ItemEntry {
        let mut facts = semantic::ItemFacts::head(item);
        facts.visit(item, Some(body));
        let (mut suppressions, mut secrets) = ItemEntry::comments_and_secrets(item, Some(body), lines, true);
        let first = lines.line_of(item.start()) as isize;
        let mut shared = semantic::project::Shared::head(item);
        let children = body.children();
        let parts: Vec<_> = children
            .iter()
            .map(|stmt| parts.get(syntax::node_hash(*stmt), || std::rc::Rc::new(ItemEntry::scan_part(*stmt, lines))))
            .collect();
        // the words are names and calls, which do not run from one statement
        // into the next: the whole class's text need not be searched again
        let head = &item.text()[..body.start() - item.start()];
        let app_facts = semantic::project::may_hold_app_facts(head) || parts.iter().any(|p| p.app_words);
        if app_facts {
            shared.app_facts(item, item, Some(body));
        }
        for (stmt, part) in children.into_iter().zip(parts) {
            facts.extend(&part.facts);
            if app_facts {
                shared.extend_shifted(&part.app, stmt.start() - item.start());
            }
            suppressions.extend_shifted(&part.suppressions, lines.line_of(stmt.start()) as isize - first);
            let at = stmt.start() - item.start();
            secrets.extend(part.secrets.iter().map(|(a, b)| (a + at, b + at)));
        }
        facts.shared = shared;
        ItemEntry { app: semantic::project::Shared::default(), app_words: false, facts, suppressions, secrets }
    }
}

/// What an editor keeps between checks of one open document
/// ([`Checker::check_document`]).
#[derive(Default)]
pub struct DocumentCache {
    items: HashMap<u64, std::rc::Rc<ItemEntry>>,
    /// Class-body statements' entries, by text hash.
    parts: taint::Kept<std::rc::Rc<ItemEntry>>,
    walks: taint::WalkCache,
}

impl DocumentCache {
    /// How much the last check reused: (functions and methods whose
    /// findings were reused, functions and methods), and the same for
    /// the first round of class summaries, for the class-body statements
    /// that define nothing, and for the second round of class summaries.
    /// For tests and benchmarks.
    #[doc(hidden)]
    pub fn reuse(&self) -> [(usize, usize); 4] {
        self.walks.reuse()
    }
}

/// Check with the default configuration.
pub fn check(source: &str, path: &str) -> Report {
    match Checker::new(Config::default()) {
        Ok(c) => c.check(source, path),
        Err(_) => Report::default(),
    }
}

/// Replace every secret span of `text` with its masked form, for printing.
pub fn mask_spans(text: &str, spans: &[Span]) -> String {
    mask_source(text, spans)
}
