//! The project index: what every module of a project declares that the
//! checks of other modules need (an app factory in one module, blueprints,
//! limiters and config classes in others). The CLI fills it from all files
//! before checking any; an editor or the playground can supply sibling
//! files the same way. Without one, a check sees only its own file.

use std::hash::{Hash, Hasher};

use crate::semantic::project::{At, ClassFacts, Const, Shared, Summary, Traits};

/// Reads a module's summary when a check first needs it.
#[derive(Clone)]
struct Loader(std::sync::Arc<dyn Fn() -> Option<ModuleSummary> + Send + Sync>);

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Loader")
    }
}

/// A module of the project: its path, its dotted name, and its summary.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    pub path: String,
    /// `pkg/admin/views.py` -> `pkg.admin.views` (`pkg/__init__.py` -> `pkg`).
    pub name: String,
    /// The package relative imports start from.
    pub package: String,
    /// The top folder of the path ("" at the root): facts that hold for a
    /// whole app (default rate limits, app-wide hooks) are shared only
    /// within a scope, and from the root.
    pub scope: String,
    summary: std::sync::OnceLock<Summary>,
    /// For a module added with [`Project::add_lazy`]: reads its summary
    /// the first time a check resolves a name into it.
    loader: Option<Loader>,
    /// Its text may hold app-wide facts (registrations, hooks, limiters):
    /// the scans over every module read only these.
    app_facts: bool,
}

impl Module {
    /// `scope_path` is the path relative to the folder that was scanned
    /// (its first folder is the scope).
    pub(crate) fn new(path: &str, scope_path: &str, summary: Summary) -> Module {
        let path = path.replace('\\', "/");
        let scope_path = scope_path.replace('\\', "/");
        let scope = scope_path.trim_start_matches("./").split_once('/').map_or(String::new(), |(s, _)| s.to_string());
        let trimmed = path.trim_start_matches("./");
        let stem = trimmed.strip_suffix(".py").unwrap_or(trimmed);
        let is_pkg = stem == "__init__" || stem.ends_with("/__init__");
        let stem = stem.strip_suffix("/__init__").unwrap_or(stem);
        let name = if stem == "__init__" { String::new() } else { stem.replace('/', ".") };
        let package =
            if is_pkg { name.clone() } else { name.rsplit_once('.').map_or(String::new(), |(p, _)| p.to_string()) };
        let summary = std::sync::OnceLock::from(summary);
        Module { path, name, package, scope, summary, loader: None, app_facts: true }
    }

    /// A module whose summary is read when first needed.
    fn lazy(path: &str, scope_path: &str, loader: Loader) -> Module {
        let mut m = Module::new(path, scope_path, Summary::default());
        m.summary = std::sync::OnceLock::new();
        m.loader = Some(loader);
        m.app_facts = false;
        m
    }

    /// Its imports and the facts of its items.
    pub(crate) fn summary(&self) -> &Summary {
        self.summary.get_or_init(|| self.loader.as_ref().and_then(|l| (l.0)()).map(|s| s.0).unwrap_or_default())
    }

    /// Its app-wide facts, without reading a module whose text holds none.
    fn app(&self) -> &Shared {
        static NONE: std::sync::OnceLock<Shared> = std::sync::OnceLock::new();
        if self.app_facts {
            &self.summary().shared
        } else {
            NONE.get_or_init(Shared::default)
        }
    }

    /// The absolute qualified name of `name` as this module sees it:
    /// `admin_bp` imported with `from .admin.views import admin_bp` is
    /// `pkg.admin.views.admin_bp`; a name defined here is `pkg.app.name`.
    pub(crate) fn qualify(&self, name: &str) -> String {
        let (head, rest) = name.split_once('.').map_or((name, None), |(h, r)| (h, Some(r)));
        let base = match self.summary().import(head) {
            Some(q) => self.absolute(q),
            None => join(&self.name, head),
        };
        match rest {
            Some(r) => format!("{base}.{r}"),
            None => base,
        }
    }

    /// `.x.y` / `..x` relative to this module's package.
    fn absolute(&self, q: &str) -> String {
        let dots = q.chars().take_while(|c| *c == '.').count();
        if dots == 0 {
            return q.to_string();
        }
        let mut base: Vec<&str> = self.package.split('.').filter(|s| !s.is_empty()).collect();
        for _ in 1..dots {
            base.pop();
        }
        join(&base.join("."), &q[dots..])
    }

    /// Does the qualified name `q` (as another module wrote it, made
    /// absolute) name `var` of this module? Exact, or one a suffix of the
    /// other (a scan rooted above or below the package root), or the
    /// package re-exporting it.
    pub(crate) fn defines(&self, q: &str, var: &str) -> bool {
        let full = join(&self.name, var);
        q == full
            || full.ends_with(&format!(".{q}")) && q.contains('.')
            || q.ends_with(&format!(".{full}"))
            || (!self.package.is_empty() && q == join(&self.package, var))
    }
}

fn join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => format!("{a}.{b}"),
    }
}

/// Every module of a project, for checks that need facts from other files.
#[derive(Debug, Clone, Default)]
pub struct Project {
    /// In the order added; `by_path` finds one.
    modules: Vec<Module>,
    by_path: crate::HashMap<String, usize>,
    /// Each module's hash (path and summary); the fingerprint combines
    /// them without regard to order, so adding a file costs O(1).
    hashes: Vec<u64>,
    fingerprint: u64,
    /// Which modules define a qualified name (the first two in order):
    /// a check asks for the same imported names over and over, and each
    /// answer would otherwise be a scan of every module.
    definitions: Definitions,
}

#[derive(Default)]
struct Definitions(std::sync::RwLock<crate::HashMap<String, [Option<u32>; 2]>>);

impl Clone for Definitions {
    fn clone(&self) -> Self {
        Definitions::default()
    }
}

impl std::fmt::Debug for Definitions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Definitions")
    }
}

impl Project {
    pub fn new() -> Project {
        Project::default()
    }

    /// Add (or replace) a file by its path relative to the project root.
    /// Files that are not Python, and files that do not parse, add nothing.
    pub fn add_file(&mut self, path: &str, source: &str) {
        self.add_file_in(path, path, source);
    }

    /// Add a file whose path relative to the scanned folder is
    /// `scanned_path` (its first folder decides which app-wide facts it
    /// shares: `keyleak check apps/` keeps `apps/shop` and `apps/blog` apart).
    pub fn add_file_in(&mut self, path: &str, scanned_path: &str, source: &str) {
        if let Some(s) = ModuleSummary::of(path, source) {
            self.add(path, scanned_path, s);
        }
    }

    /// Add a summary made with [`ModuleSummary::of`] (on any thread).
    pub fn add(&mut self, path: &str, scanned_path: &str, summary: ModuleSummary) {
        let m = Module::new(path, scanned_path, summary.0);
        let mut h = crate::StableHasher::default();
        m.path.hash(&mut h);
        m.summary().hash(&mut h);
        self.insert(m, h.finish());
    }

    /// Add a file whose `source` holds no app-wide facts
    /// ([`ModuleSummary::needed`] is false): its summary (what its names
    /// are) is made by `load` only if a check resolves a name into it.
    /// A run over thousands of files parses most of them once instead of
    /// twice this way. The fingerprint follows `content`, a hash of the
    /// file's text.
    pub fn add_lazy(
        &mut self,
        path: &str,
        scanned_path: &str,
        content: u64,
        load: impl Fn() -> Option<ModuleSummary> + Send + Sync + 'static,
    ) {
        if crate::file_kind(path) != crate::FileKind::Python {
            return;
        }
        let m = Module::lazy(path, scanned_path, Loader(std::sync::Arc::new(load)));
        let mut h = crate::StableHasher::default();
        m.path.hash(&mut h);
        content.hash(&mut h);
        self.insert(m, h.finish());
    }

    fn insert(&mut self, m: Module, hash: u64) {
        if let Ok(mut d) = self.definitions.0.write() {
            d.clear();
        }
        match self.by_path.get(&m.path) {
            Some(&i) => {
                self.fingerprint ^= self.hashes[i] ^ hash;
                self.hashes[i] = hash;
                self.modules[i] = m;
            }
            None => {
                self.fingerprint ^= hash;
                self.by_path.insert(m.path.clone(), self.modules.len());
                self.hashes.push(hash);
                self.modules.push(m);
            }
        }
    }

    /// Build from (path, source) pairs.
    pub fn from_files<'s>(files: impl IntoIterator<Item = (&'s str, &'s str)>) -> Project {
        let mut p = Project::new();
        for (path, source) in files {
            p.add_file(path, source);
        }
        p
    }

    /// The first two modules, in order, that define what `q` names.
    fn defining(&self, q: &str, var: &str) -> [Option<u32>; 2] {
        if let Some(hit) = self.definitions.0.read().ok().and_then(|d| d.get(q).copied()) {
            return hit;
        }
        let mut found = [None, None];
        let mut matches = self.modules.iter().enumerate().filter(|(_, m)| m.defines(q, var));
        found[0] = matches.next().and_then(|(i, _)| u32::try_from(i).ok());
        found[1] = matches.next().and_then(|(i, _)| u32::try_from(i).ok());
        if let Ok(mut d) = self.definitions.0.write() {
            d.insert(q.to_string(), found);
        }
        found
    }

    /// How many modules it knows.
    pub fn len(&self) -> usize {
        self.modules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}

/// What one module shares with its project, made without the project.
#[derive(Debug, Clone)]
pub struct ModuleSummary(Summary);

impl ModuleSummary {
    /// Must this file's summary be made before any check? Only when its
    /// text may hold facts that every module's check scans for (blueprint
    /// registrations, request hooks, rate limiters); for the others,
    /// [`Project::add_lazy`].
    pub fn needed(source: &str) -> bool {
        crate::semantic::project::may_hold_app_facts(source)
    }

    /// None for files that are not Python or do not parse.
    pub fn of(path: &str, source: &str) -> Option<ModuleSummary> {
        if crate::file_kind(path) != crate::FileKind::Python {
            return None;
        }
        let parsed = crate::Parsed::parse(source.to_string()).ok()?;
        Some(ModuleSummary(crate::module_summary(&parsed)))
    }
}

/// A found fact with where it is, for a related location.
#[derive(Debug, Clone)]
pub(crate) struct Found<T> {
    pub value: T,
    /// The file, when it is not the checked one.
    pub path: Option<String>,
    pub at: At,
}

impl<T> Found<T> {
    pub(crate) fn related(&self, message: String) -> crate::Related {
        crate::Related {
            span: crate::Span { start: self.at.byte, end: self.at.end.max(self.at.byte) },
            message,
            path: self.path.clone(),
            position: self.path.as_ref().map(|_| crate::LineCol { line: self.at.line, column: self.at.column }),
        }
    }
}

/// The checked module among the others of its project.
pub(crate) struct View<'p> {
    pub this: Module,
    /// The project's copy of this module, left out of the others.
    own: Option<usize>,
    project: Option<&'p Project>,
    fingerprint: u64,
    /// Checked with a project: facts absent from it are absent, not unknown.
    pub has_project: bool,
}

/// What a hook function we cannot read (another package, or a sibling
/// module without a project) does, by its name: `require_login`,
/// `check_admin` guard; `no_store`, `add_security_headers` set no-store.
fn traits_by_name(name: &str) -> Traits {
    let last = name.rsplit('.').next().unwrap_or(name);
    let ws = crate::secrets::words_of(last);
    let has = |w: &str| ws.iter().any(|x| x == w);
    let guard = crate::semantic::is_guard_decorator(last)
        || ["login", "auth", "authenticate", "admin", "authorize", "permission", "permissions", "token", "key"]
            .iter()
            .any(|w| has(w))
            && ["require", "required", "check", "ensure", "verify", "enforce"].iter().any(|w| has(w));
    let no_store =
        has("store") && (has("no") || has("nostore")) || last.contains("nostore") || has("security") && has("headers");
    Traits { rejects: guard, no_store, ..Traits::default() }
}

impl<'p> View<'p> {
    pub(crate) fn new(path: &str, summary: Summary, project: Option<&'p Project>) -> View<'p> {
        let mut this = Module::new(path, path, summary);
        let own = project.and_then(|p| p.by_path.get(&this.path).copied());
        if let Some(known) = own.and_then(|i| project.map(|p| &p.modules[i])) {
            this.scope = known.scope.clone();
        }
        View { fingerprint: project.map_or(0, |p| p.fingerprint), this, own, project, has_project: project.is_some() }
    }

    /// The project's fingerprint (the other modules).
    pub(crate) fn project_fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// This module first, then the others.
    fn all(&self) -> impl Iterator<Item = &Module> {
        let others = self.project.map_or(&[][..], |p| &p.modules[..]);
        let own = self.own;
        std::iter::once(&self.this)
            .chain(others.iter().enumerate().filter(move |(i, _)| Some(*i) != own).map(|(_, m)| m))
    }

    /// Modules whose app-wide facts apply to this one: its scope and the root.
    fn in_scope(&self) -> impl Iterator<Item = &Module> {
        let scope = self.this.scope.clone();
        self.all().filter(move |m| m.scope == scope || m.scope.is_empty())
    }

    fn found<T>(&self, m: &Module, value: T, at: At) -> Found<T> {
        let path = (m.path != self.this.path).then(|| m.path.clone());
        Found { value, path, at }
    }

    /// The module defining what `q` (absolute) names, and the name there.
    fn definition(&self, q: &str) -> Option<(&Module, String)> {
        let var = q.rsplit('.').next()?;
        if self.this.defines(q, var) {
            return Some((&self.this, var.to_string()));
        }
        let project = self.project?;
        let m = project
            .defining(q, var)
            .into_iter()
            .flatten()
            .map(|i| &project.modules[i as usize])
            .find(|m| m.path != self.this.path)?;
        Some((m, var.to_string()))
    }

    /// What a function (by name, as `m` sees it) does: defined in `m`, or
    /// imported from a module of the project.
    pub(crate) fn traits_in(&self, m: &Module, name: &str) -> Option<Traits> {
        if !name.contains('.') {
            if let Some(f) = m.summary().function(name) {
                return Some(f.1);
            }
        }
        let q = m.qualify(name);
        let (dm, var) = self.definition(&q)?;
        if std::ptr::eq(dm, m) && name.contains('.') {
            return None;
        }
        dm.summary().function(&var).map(|f| f.1)
    }

    pub(crate) fn traits(&self, name: &str) -> Option<Traits> {
        self.traits_in(&self.this, name)
    }

    /// A module constant by name, here or imported.
    pub(crate) fn constant(&self, name: &str) -> Option<Found<Const>> {
        if let Some(c) = self.this.summary().constant(name) {
            return Some(self.found(&self.this, c.1.clone(), c.2));
        }
        let (m, var) = self.definition(&self.this.qualify(name))?;
        let c = m.summary().constant(&var)?;
        Some(self.found(m, c.1.clone(), c.2))
    }

    /// A class by name as `m` sees it, with the module it is in.
    fn class_in<'s>(&'s self, m: &'s Module, name: &str) -> Option<(&'s Module, &'s ClassFacts)> {
        if let Some(c) = m.summary().class(name) {
            return Some((m, c));
        }
        let (dm, var) = self.definition(&m.qualify(name))?;
        dm.summary().class(&var).map(|c| (dm, c))
    }

    /// A class attribute, following base classes of the project.
    pub(crate) fn class_attr(&self, class: &str, attr: &str) -> Option<Found<Const>> {
        let mut cur = self.class_in(&self.this, class);
        for _ in 0..8 {
            let (m, c) = cur?;
            if let Some((_, v)) = c.attrs.iter().rev().find(|(k, _)| k == attr) {
                return Some(self.found(m, v.clone(), c.at));
            }
            cur = c.bases.iter().find_map(|b| self.class_in(m, b));
        }
        None
    }

    /// Registrations of this module's blueprint `var`: the prefix given
    /// there (None: the constructor's applies), the app it is registered
    /// on and in which module.
    pub(crate) fn registrations(&self, var: &str) -> Vec<(Found<Option<String>>, &Module, String)> {
        let mut out = Vec::new();
        for m in self.all() {
            for r in &m.app().registrations {
                if self.this.defines(&m.qualify(&r.bp), var) {
                    out.push((self.found(m, r.prefix.clone(), r.at), m, r.app.clone()));
                }
            }
        }
        out
    }

    /// Hooks (before: `after == false`) on router `router` of module `m`,
    /// with what the hook function does.
    pub(crate) fn hooks_on(&self, m: &Module, router: &str, after: bool) -> Vec<Found<Traits>> {
        let mut out = Vec::new();
        for hm in self.all() {
            for h in hm.app().hooks.iter().filter(|h| h.after == after) {
                let same = if std::ptr::eq(hm, m) || hm.path == m.path {
                    h.router == router
                } else {
                    m.defines(&hm.qualify(&h.router), router)
                };
                if !same {
                    continue;
                }
                let traits = match &h.func {
                    Some(f) => self.traits_in(hm, f).unwrap_or_else(|| traits_by_name(f)),
                    None => h.traits,
                };
                out.push(self.found(hm, traits, h.at));
            }
        }
        out
    }

    /// The limiters bound to app `app` of module `m` (`Limiter(app=app)`,
    /// `limiter.init_app(app)`), with whether they set default limits.
    pub(crate) fn limiters_of_app(&self, m: &Module, app: &str) -> Vec<Found<bool>> {
        let mut out = Vec::new();
        for l in m.app().limiters.iter().filter(|l| l.app.as_deref() == Some(app)) {
            out.push(self.found(m, l.defaults || self.ratelimit_default(), l.at));
        }
        for u in m.app().limiter_uses.iter() {
            if u.op != crate::semantic::project::LimiterOp::InitApp || u.target != app {
                continue;
            }
            if let Some(f) = self.limiter(m, &u.limiter) {
                out.push(f);
            }
        }
        out
    }

    /// A limiter by name as `m` sees it.
    fn limiter(&self, m: &Module, name: &str) -> Option<Found<bool>> {
        if let Some(l) = m.app().limiters.iter().find(|l| l.var == name) {
            return Some(self.found(m, l.defaults || self.ratelimit_default(), l.at));
        }
        let (dm, var) = self.definition(&m.qualify(name))?;
        let l = dm.app().limiters.iter().find(|l| l.var == var)?;
        Some(self.found(dm, l.defaults || self.ratelimit_default(), l.at))
    }

    /// Any limiter with default limits in scope.
    pub(crate) fn any_default_limiter(&self) -> Option<Found<bool>> {
        for m in self.in_scope() {
            for l in &m.app().limiters {
                if l.defaults || self.ratelimit_default() {
                    return Some(self.found(m, true, l.at));
                }
            }
        }
        None
    }

    fn ratelimit_default(&self) -> bool {
        self.in_scope().any(|m| m.app().ratelimit_default)
    }

    /// `limiter.exempt(bp)` / `limiter.limit(...)(bp)` for this module's
    /// blueprint `var`, anywhere in the project.
    pub(crate) fn limiter_use_on(&self, var: &str, op: crate::semantic::project::LimiterOp) -> bool {
        self.all().any(|m| {
            m.app().limiter_uses.iter().any(|u| {
                u.op == op
                    && if m.path == self.this.path {
                        u.target == var
                    } else {
                        self.this.defines(&m.qualify(&u.target), var)
                    }
            })
        })
    }

    /// `api = Api(bp)`: the blueprint behind an Api/namespace of this module.
    pub(crate) fn api_blueprint(&self, api: &str) -> Option<String> {
        self.this.summary().api_of.iter().find(|(a, _)| a == api).map(|(_, b)| b.clone())
    }

    /// Is `router` a blueprint (not an app) of this module?
    pub(crate) fn is_blueprint(&self, router: &str) -> bool {
        self.this.summary().blueprints.iter().any(|(b, _)| b == router)
    }

    /// Is `router` an app created in this module?
    pub(crate) fn is_local_app(&self, router: &str) -> bool {
        self.this.summary().apps.iter().any(|a| a == router)
    }

    /// The constructor prefix of this module's blueprint.
    pub(crate) fn ctor_prefix(&self, var: &str) -> Option<String> {
        self.this.summary().blueprints.iter().find(|(b, _)| b == var).and_then(|(_, p)| p.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_a_file_again_replaces_it_and_the_fingerprint_follows() {
        let mut p = Project::new();
        p.add_file("pkg/app.py", "from flask import Flask\napp = Flask(__name__)\n");
        p.add_file("pkg/views.py", "from flask import Blueprint\nbp = Blueprint('b', __name__)\n");
        let before = p.fingerprint;
        p.add_file("pkg/app.py", "from .views import bp\napp.register_blueprint(bp, url_prefix='/admin')\n");
        assert_eq!(p.len(), 2, "the same path is one module");
        assert_ne!(p.fingerprint, before, "what the module declares changed");
        p.add_file("pkg/app.py", "from flask import Flask\napp = Flask(__name__)\n");
        assert_eq!(p.fingerprint, before, "the fingerprint depends on the content, not on the history");
        let regs = &p.modules[p.by_path["pkg/app.py"]].summary().shared.registrations;
        assert!(regs.is_empty());
    }

    #[test]
    fn a_lazy_module_is_read_only_when_a_name_resolves_into_it() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let views = "from flask import Blueprint\nADMIN_PREFIX = '/admin'\nbp = Blueprint('b', __name__)\n";
        let helpers = "def helper():\n    return 1\n";
        assert!(!ModuleSummary::needed(views) && !ModuleSummary::needed(helpers));
        let app = "from flask import Flask\nfrom pkg.views import bp, ADMIN_PREFIX\napp = Flask(__name__)\napp.register_blueprint(bp, url_prefix=ADMIN_PREFIX)\n";
        assert!(ModuleSummary::needed(app));
        let reads = Arc::new(AtomicUsize::new(0));
        let mut p = Project::new();
        p.add_file("pkg/app.py", app);
        for (path, text) in [("pkg/views.py", views), ("pkg/helpers.py", helpers)] {
            let r = reads.clone();
            p.add_lazy(path, path, 1, move || {
                r.fetch_add(1, Ordering::SeqCst);
                ModuleSummary::of(path, text)
            });
        }
        let this = ModuleSummary::of("pkg/views.py", views).expect("parses").0;
        let view = View::new("pkg/views.py", this, Some(&p));
        // scans for app-wide facts skip modules that hold none
        assert_eq!(view.registrations("bp").len(), 1);
        assert!(view.any_default_limiter().is_none());
        assert_eq!(reads.load(Ordering::SeqCst), 0, "no name resolved into a lazy module yet");
        // the app module resolves ADMIN_PREFIX into views.py: read once
        let app_view = View::new("pkg/app.py", ModuleSummary::of("pkg/app.py", app).expect("parses").0, Some(&p));
        let c = app_view.constant("ADMIN_PREFIX").expect("the imported constant");
        assert_eq!(c.path.as_deref(), Some("pkg/views.py"));
        app_view.constant("ADMIN_PREFIX");
        assert_eq!(reads.load(Ordering::SeqCst), 1, "read when first needed, then kept");
    }

    #[test]
    fn the_text_filter_never_hides_an_app_wide_fact() {
        // each of these holds one fact the scans over all modules read
        for text in [
            "app.register_blueprint(bp)\n",
            "@bp.before_request\ndef f():\n    pass\n",
            "@bp.after_app_request\ndef f(r):\n    return r\n",
            "app.before_request(check)\n",
            "limiter.exempt(bp)\n",
            "limiter.init_app(app)\n",
            "limiter.limit ('5/minute')(bp)\n",
            "limiter.shared_limit(\n    '5/minute', scope='x')(bp)\n",
            "limiter.limit(\")\")(bp)\n",
            "x = (limiter.limit(f\"{n}/second\", key_func=lambda: key(1), per_method=[\"get\"])\n  (bp))\n",
            "limiter.limit('1/s'  # one\n)(bp)\n",
            "limiter.limit(\"\"\"1/s\"\"\")(bp)\n",
            "limiter = Limiter(get_remote_address, app=app, default_limits=['1/s'])\n",
            "RATELIMIT_DEFAULT = '10/minute'\n",
        ] {
            let s = ModuleSummary::of("m.py", text).expect("parses").0.shared;
            let facts = s.registrations.len() + s.hooks.len() + s.limiters.len() + s.limiter_uses.len();
            assert!(facts > 0 || s.ratelimit_default, "the test case holds a fact: {text}");
            assert!(ModuleSummary::needed(text), "{text}");
        }
        assert!(!ModuleSummary::needed("limit = 5\nrows = rows[:limit]\nunlimited = True\n"));
        // a query's limit is called for rows, not to decorate
        assert!(!ModuleSummary::needed("rows = q.limit(10).all()\nq = q.limit(n)\nq.limit(f(\"(\"))[0]\n"));
    }

    /// Over a folder: every module whose summary holds an app-wide fact
    /// passes the text filter (`KEYLEAK_CORPUS=target/bench-corpus/large
    /// cargo test --release -- --ignored text_filter_on`).
    #[test]
    #[ignore]
    fn the_text_filter_on_a_corpus() {
        let dir = std::env::var("KEYLEAK_CORPUS").expect("KEYLEAK_CORPUS");
        let mut stack = vec![std::path::PathBuf::from(dir)];
        let (mut with_facts, mut files) = (0, 0);
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Some(text) =
                    path.extension().filter(|x| *x == "py").and_then(|_| std::fs::read_to_string(&path).ok())
                else {
                    continue;
                };
                files += 1;
                let Some(s) = ModuleSummary::of("m.py", &text) else { continue };
                let s = s.0.shared;
                if s.registrations.len() + s.hooks.len() + s.limiters.len() + s.limiter_uses.len() > 0
                    || s.ratelimit_default
                {
                    with_facts += 1;
                    assert!(ModuleSummary::needed(&text), "{}", path.display());
                }
            }
        }
        eprintln!("{files} files, {with_facts} with app-wide facts, all pass the filter");
        assert!(with_facts > 0);
    }
}
