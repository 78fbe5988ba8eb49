//! Secret data flow: which expressions carry a secret, and from where.
//!
//! The walker goes through each scope's statements in order with an
//! environment of what every name holds, so `token = mask(token)` clears a
//! taint for the lines after it. Branches are walked from the same state and
//! merged. Module constants flow into functions; functions of the module
//! that return a secret are summarised first. Rules are dispatched from the
//! same walk, by node kind, and see the environment as it is at that point.

mod cache;
pub(crate) mod eval;

pub(crate) use cache::{class_body, Kept};
pub(crate) mod vocab;

use crate::HashMap;

use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Dispatch};
use crate::secrets::NameClassifier;
use crate::semantic::{Index, Route, RouteKind};
use crate::syntax::{dotted, Node};

/// Where a secret comes from. The order is precedence when two merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    /// An HMAC computed with a secret: an expected signature. Compared with a
    /// request's signature it must be compared in constant time; it is not
    /// itself a leak.
    Digest,
    /// Only its name says it is a secret (`api_key` parameter).
    Named,
    /// Freshly issued: `secrets.token_hex()`, `create_access_token()`.
    Generated,
    /// The caller's credential: Authorization header, `?api_key=`.
    Request,
    /// Read from the environment or app configuration.
    Config,
    /// A literal in the source.
    Hardcoded,
}

#[derive(Debug, Clone)]
pub(crate) struct Taint {
    pub origin: Origin,
    /// Names the secret for messages; never its value.
    pub what: String,
    /// Where the secret enters (byte range).
    pub at: (usize, usize),
    /// The application's own secret (module constant, config, `self.x`) as
    /// opposed to another party's (a user's stored key).
    pub app_owned: bool,
    /// A secret-named segment of the route's own URL: the caller already
    /// has it in the address bar, so echoing it is not a leak.
    pub url_segment: bool,
    /// Only a bare, ambiguous name says it is a secret (`token`,
    /// `credentials`): in real code these often hold objects, so the leak
    /// rules do not report on the name alone.
    pub ambiguous: bool,
    /// The identifier that makes it a secret by name (`token` for a
    /// parameter `token`), when that is all there is to it.
    pub name: Option<String>,
}

impl Taint {
    /// The secret as the subject of a sentence: "Secret `API_KEY` from the
    /// environment", "A hardcoded Stripe live secret key", "The caller's
    /// `Authorization` header".
    pub(crate) fn subject(&self) -> String {
        let w = &self.what;
        let lower = w.to_ascii_lowercase();
        if ["a ", "an ", "the "].iter().any(|a| lower.starts_with(a)) {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        } else {
            format!("Secret {w}")
        }
    }

    /// The app's own secret or the caller's credential: what must not go
    /// back out in a response.
    pub(crate) fn is_leakable(&self) -> bool {
        match self.origin {
            Origin::Hardcoded | Origin::Config => true,
            Origin::Request => !self.url_segment,
            Origin::Named => self.app_owned,
            Origin::Generated | Origin::Digest => false,
        }
    }
}

/// What a mapping-like object is. Indexing one with a secret name yields a
/// secret; some are sensitive as a whole (see [`MapKind::is_sensitive`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum MapKind {
    /// `os.environ`
    Environ,
    /// `app.config`, `current_app.config`
    Config,
    /// `request.headers`
    RequestHeaders,
    /// `request.environ`: the WSGI environment, headers and cookies included
    WsgiEnviron,
    /// `request.cookies`
    Cookies,
    /// `flask.session`
    Session,
    /// `request.args`, `request.values`
    RequestQuery,
    /// `request.form`, `request.json`, `request.files`, `get_json()`
    RequestBody,
    /// `globals()`, `locals()`: every name of a module or function
    Globals,
}

impl MapKind {
    /// Sensitive as a whole: logging or returning it gives away what it
    /// holds (credential headers, cookies, every configured secret).
    pub(crate) fn is_sensitive(self) -> bool {
        !matches!(self, MapKind::RequestQuery | MapKind::RequestBody)
    }

    /// Does the message name it in the plural ("all request headers are")?
    pub(crate) fn plural(self) -> bool {
        matches!(self, MapKind::RequestHeaders | MapKind::Cookies | MapKind::Globals)
    }

    /// How a message names it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            MapKind::Environ => "the whole environment (`os.environ`)",
            MapKind::Config => "the whole app config",
            MapKind::RequestHeaders => "all request headers (`Authorization` and cookies included)",
            MapKind::WsgiEnviron => "the whole WSGI environment (`request.environ`, credential headers included)",
            MapKind::Cookies => "all request cookies (the session cookie included)",
            MapKind::Session => "the whole session",
            MapKind::RequestQuery => "the query string",
            MapKind::RequestBody => "the request body",
            MapKind::Globals => "every global name (`globals()`)",
        }
    }
}

/// A whole sensitive object, or a rendering of it (`dict(request.headers)`,
/// `json.dumps(app.config)`, `f"{os.environ}"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectTaint {
    pub kind: MapKind,
    /// Where it is read.
    pub at: (usize, usize),
}

/// Personal data: a field of a person's record (`user.ssn`) or a whole
/// model (`vars(user)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PiiTaint {
    /// The field (`ssn`), or the model expression for a whole model.
    pub field: String,
    pub whole_model: bool,
    /// Where the field is read or declared.
    pub at: (usize, usize),
}

/// What a value carries that must not leak: a secret, a whole sensitive
/// object, an exception's details, personal data. A value can carry
/// several (`f"{token} failed: {e}"`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Labels {
    pub secret: Option<Taint>,
    pub object: Option<ObjectTaint>,
    /// An exception's text (`str(e)`, `traceback.format_exc()`): where each
    /// is made.
    pub exception: Vec<(usize, usize)>,
    pub pii: Vec<PiiTaint>,
    /// While summarising a function: which of its parameters (bit i for
    /// parameter i) flow into this value.
    pub params: u32,
}

impl Labels {
    fn join(mut self, other: Labels) -> Labels {
        self.secret = match (self.secret, other.secret) {
            (Some(a), Some(b)) => Some(if b.origin > a.origin { b } else { a }),
            (a, b) => a.or(b),
        };
        self.object = self.object.or(other.object);
        for e in other.exception {
            if !self.exception.contains(&e) && self.exception.len() < 16 {
                self.exception.push(e);
            }
        }
        for p in other.pii {
            if !self.pii.contains(&p) && self.pii.len() < 16 {
                self.pii.push(p);
            }
        }
        self.params |= other.params;
        self
    }
    fn is_empty(&self) -> bool {
        self.secret.is_none()
            && self.object.is_none()
            && self.exception.is_empty()
            && self.pii.is_empty()
            && self.params == 0
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Val {
    /// Known to carry nothing sensitive: a literal, a length, a hash.
    Clean,
    /// Nothing known.
    Unknown,
    /// Carries a secret, a sensitive object's contents, an exception's
    /// details or personal data.
    Tainted(Box<Labels>),
    /// `os.environ`, `app.config`, `request.headers`: indexing it with a
    /// secret name yields a secret; some are sensitive as a whole.
    Mapping(MapKind, (usize, usize)),
    /// A dict with string keys whose entries are known one by one, so that
    /// `cfg["region"]` stays clean when `cfg["api_key"]` is a secret.
    Record(Vec<(String, Val)>),
    /// An instance of a class of this module: its attributes are what the
    /// class's methods assign to `self`.
    Instance(String),
    /// An exception object (`except X as e`, an error handler's argument):
    /// its text is an exception detail.
    Exception((usize, usize)),
    /// A file opened for writing; `served` when it is under a folder the app
    /// serves (`static/`, `templates/`).
    File { served: bool },
    /// An HTTP client: `requests.Session()`, `httpx.Client()`, `aiohttp.ClientSession()`.
    HttpClient,
    /// Not known, but the result of a call the app made (an API response,
    /// a vault read): its secret-named entries are the app's.
    Fetched,
}

impl Val {
    pub(crate) fn secret(t: Taint) -> Val {
        Val::Tainted(Box::new(Labels { secret: Some(t), ..Labels::default() }))
    }
    pub(crate) fn labels(l: Labels) -> Val {
        if l.is_empty() {
            Val::Unknown
        } else {
            Val::Tainted(Box::new(l))
        }
    }
    /// The secret this value carries.
    pub(crate) fn taint(self) -> Option<Taint> {
        match self.collapse() {
            Val::Tainted(l) => l.secret,
            _ => None,
        }
    }
    /// Everything it carries, a mapping or exception object counting as its
    /// contents.
    pub(crate) fn all_labels(self) -> Labels {
        match self.collapse() {
            Val::Tainted(l) => *l,
            Val::Mapping(kind, at) if kind.is_sensitive() => {
                Labels { object: Some(ObjectTaint { kind, at }), ..Labels::default() }
            }
            Val::Exception(at) => Labels { exception: vec![at], ..Labels::default() },
            _ => Labels::default(),
        }
    }
    /// A record as a whole: everything its entries carry.
    pub(crate) fn collapse(self) -> Val {
        match self {
            Val::Record(fields) => fields.into_iter().map(|(_, v)| v.collapse()).fold(Val::Clean, Val::join),
            v => v,
        }
    }
    /// The entry `key` of a record.
    pub(crate) fn field(&self, key: &str) -> Option<Val> {
        match self {
            Val::Record(fields) => {
                Some(fields.iter().rev().find(|(k, _)| k == key).map_or(Val::Unknown, |(_, v)| v.clone()))
            }
            _ => None,
        }
    }
    fn rank(&self) -> u8 {
        match self {
            Val::Clean => 0,
            Val::Unknown | Val::Instance(_) | Val::File { .. } | Val::HttpClient | Val::Fetched => 1,
            Val::Exception(_) => 2,
            Val::Mapping(..) => 3,
            Val::Tainted(l) => 4 + l.secret.as_ref().map_or(0, |t| 1 + t.origin as u8),
            Val::Record(fields) => fields.iter().map(|(_, v)| v.rank()).max().unwrap_or(0),
        }
    }
    /// Both values at once: a secret in either is a secret, and labels add up.
    pub(crate) fn join(self, other: Val) -> Val {
        match (self, other) {
            (Val::Record(mut a), Val::Record(b)) => {
                for (k, v) in b {
                    match a.iter_mut().find(|(ak, _)| *ak == k) {
                        Some(slot) => slot.1 = std::mem::replace(&mut slot.1, Val::Clean).join(v),
                        None => a.push((k, v)),
                    }
                }
                Val::Record(a)
            }
            (Val::Tainted(a), Val::Tainted(b)) => Val::Tainted(Box::new(a.join(*b))),
            // a tainted value with an object or exception: keep both as labels
            (Val::Tainted(a), b @ (Val::Mapping(..) | Val::Exception(_)))
            | (b @ (Val::Mapping(..) | Val::Exception(_)), Val::Tainted(a)) => {
                Val::Tainted(Box::new(a.join(b.all_labels())))
            }
            (a, b) => {
                if b.rank() > a.rank() {
                    b
                } else {
                    a
                }
            }
        }
    }
}

/// What names are bound to in one frame. Dotted names (`app.config`,
/// `settings.API_KEY`) are also listed under their first segment, so that
/// what a definition reads of a frame (its tokens) is found by lookups,
/// not by a scan of every binding.
#[derive(Debug, Clone, Default)]
pub(crate) struct Env {
    map: HashMap<String, Val>,
    dotted: HashMap<String, Vec<String>>,
    /// While the editor walks one module-level or class-body statement:
    /// every name bound or unbound since (a superset of what it changed).
    journal: Option<Vec<String>>,
}

impl Env {
    pub(crate) fn new() -> Env {
        Env::default()
    }
    pub(crate) fn get(&self, name: &str) -> Option<&Val> {
        self.map.get(name)
    }
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }
    pub(crate) fn insert(&mut self, name: String, v: Val) -> Option<Val> {
        if let Some(j) = &mut self.journal {
            j.push(name.clone());
        }
        if let Some(old) = self.map.get_mut(&name) {
            return Some(std::mem::replace(old, v));
        }
        if let Some((head, _)) = name.split_once('.') {
            self.dotted.entry(head.to_string()).or_default().push(name.clone());
        }
        self.map.insert(name, v)
    }
    pub(crate) fn remove(&mut self, name: &str) -> Option<Val> {
        let old = self.map.remove(name)?;
        if let Some(j) = &mut self.journal {
            j.push(name.to_string());
        }
        if let Some((head, _)) = name.split_once('.') {
            if let Some(names) = self.dotted.get_mut(head) {
                names.retain(|n| n != name);
                if names.is_empty() {
                    self.dotted.remove(head);
                }
            }
        }
        Some(old)
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// The bindings of `head` and of names under it (`head.x.y`).
    pub(crate) fn under<'e>(&'e self, head: &'e str) -> impl Iterator<Item = (&'e String, &'e Val)> + 'e {
        let exact = self.map.get_key_value(head);
        let dotted = self.dotted.get(head).into_iter().flatten().filter_map(|n| self.map.get_key_value(n.as_str()));
        exact.into_iter().chain(dotted)
    }
}

impl<'e> IntoIterator for &'e Env {
    type Item = (&'e String, &'e Val);
    type IntoIter = std::collections::hash_map::Iter<'e, String, Val>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

impl IntoIterator for Env {
    type Item = (String, Val);
    type IntoIter = std::collections::hash_map::IntoIter<String, Val>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Module,
    Class,
    Function,
}

pub(crate) struct Frame {
    pub kind: FrameKind,
    pub env: Env,
    pub route: Option<Route>,
    pub class_name: Option<String>,
    /// The class's base list as written (`(Config)`), for class frames.
    pub class_bases: Option<String>,
    /// The byte range of the function or class (none for the module).
    pub span: Option<(usize, usize)>,
}

/// Everything the rules may read about the file.
pub(crate) struct FileCtx<'a> {
    pub root: Node<'a>,
    /// The module's top-level statements (comments left out).
    pub items: Vec<crate::syntax::TopItem<'a>>,
    pub source: &'a str,
    pub path: &'a str,
    pub index: Index,
    pub names: &'a NameClassifier,
    pub is_test: bool,
    /// This module among the others of its project.
    pub project: crate::project::View<'a>,
}

pub(crate) struct Analyzer<'a, 'f> {
    pub file: &'f FileCtx<'a>,
    /// Module-level names after the whole module ran: what functions see.
    pub globals: Env,
    /// Module functions that return a secret (a record `#0`, `#1`... for
    /// tuples, so that unpacking keeps the parts apart).
    pub summaries: HashMap<String, Val>,
    /// What the methods of each module class assign to `self.<path>`.
    pub class_attrs: HashMap<String, HashMap<String, Val>>,
    /// What methods return (`Class.method`), when it carries a secret.
    pub methods: HashMap<String, Val>,
    /// Module functions that return what some of their parameters hold:
    /// (bit i for parameter i, the parameter names).
    pub passthrough: HashMap<String, (u32, Vec<String>)>,
    /// Secrets passed to module functions at their call sites, by function
    /// and parameter (`#0` for the first positional, else the keyword).
    pub params: HashMap<String, HashMap<String, Taint>>,
    /// How deep the analysis recursion is now (expressions, blocks, targets).
    depth: std::cell::Cell<u32>,
    /// Where the analysis first stopped following a construct nested deeper
    /// than [`MAX_DEPTH`].
    pub cut: std::cell::Cell<Option<usize>>,
    /// Analysis steps since the current top-level statement began.
    pub work: std::cell::Cell<u64>,
    /// While the rules of one statement run: what each call evaluated to.
    pub memo: std::cell::RefCell<HashMap<usize, Val>>,
    pub memo_on: std::cell::Cell<bool>,
}

/// Nesting the analysis follows (expressions, blocks and targets together).
/// Python's own parser stops at 200 nested brackets and 100 indentation
/// levels, so real code stays well inside; deeper input (generated or
/// hostile) is skipped past this depth instead of overflowing the stack on
/// a worker thread or in WebAssembly.
pub(crate) const MAX_DEPTH: u32 = 160;

/// Analysis steps allowed per top-level statement (a large real function
/// takes tens of thousands).
pub(crate) const WORK_BUDGET: u64 = 4_000_000;

/// Holds one level of analysis depth; released on drop.
pub(crate) struct DepthGuard<'g>(&'g std::cell::Cell<u32>);

impl Drop for DepthGuard<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
    }
}

impl<'a, 'f> Analyzer<'a, 'f> {
    /// A fresh analyzer over the same file (for a probing walk).
    fn shallow(&self) -> Analyzer<'a, 'f> {
        Analyzer {
            file: self.file,
            globals: Env::new(),
            summaries: HashMap::default(),
            class_attrs: HashMap::default(),
            methods: HashMap::default(),
            passthrough: HashMap::default(),
            params: HashMap::default(),
            depth: std::cell::Cell::new(0),
            cut: std::cell::Cell::new(None),
            memo: std::cell::RefCell::new(HashMap::default()),
            memo_on: std::cell::Cell::new(false),
            work: std::cell::Cell::new(0),
        }
    }
}

impl Analyzer<'_, '_> {
    /// Enter one level of nesting at `at`, or None (noting the cut) when the
    /// analysis is already [`MAX_DEPTH`] deep.
    pub(crate) fn enter(&self, at: usize) -> Option<DepthGuard<'_>> {
        let d = self.depth.get();
        // a budget of steps per top-level statement: whatever shape of input
        // would make the analysis revisit the same nodes over and over
        let work = self.work.get() + 1;
        self.work.set(work);
        if d >= MAX_DEPTH || work > WORK_BUDGET {
            if self.cut.get().is_none() {
                self.cut.set(Some(at));
            }
            return None;
        }
        self.depth.set(d + 1);
        Some(DepthGuard(&self.depth))
    }
}

/// What an editor keeps between checks of one module: the layout of the
/// text last checked, and per function and method what each pass found
/// (see [`cache`]).
#[derive(Default)]
pub(crate) struct WalkCache {
    layout: Vec<cache::Unit>,
    /// The reporting walk: findings and where it stopped following code.
    report: cache::Pass<(Vec<Diagnostic>, Option<usize>)>,
    /// The two rounds of class summaries: what a method returns, what it
    /// stores on `self`, and where it stopped following code.
    methods: [cache::Pass<MethodFacts>; 2],
    /// The reporting walk's module-level and class-body statements other
    /// than definitions: findings, where it stopped following code, and
    /// what each binds in its frame.
    statements: cache::Pass<StatementFacts>,
    /// Per class-body statement (by text hash): its `self.x = ...`
    /// assignments, which the rules of a method may read in the whole class.
    self_writes: Kept<u64>,
    /// The identifiers of each unit, by its text hash.
    tokens: Tokens,
}

type MethodFacts = ((Val, Vec<(String, Val)>), Option<usize>);
type StatementFacts = ((Vec<Diagnostic>, Option<usize>), Vec<(String, Val)>);

impl WalkCache {
    /// For tests: (units reused, units in the module) of the last check's
    /// reporting walk, of its first round of class summaries, of its
    /// statements that define nothing, and of its second round of class
    /// summaries (reused from the last check or from the first round).
    pub(crate) fn reuse(&self) -> [(usize, usize); 4] {
        [self.report.counts(), self.methods[0].counts(), self.statements.counts(), self.methods[1].counts()]
    }
}

/// What the analysis of a file found.
pub(crate) struct Analysis {
    pub diagnostics: Vec<Diagnostic>,
    /// The first place nested deeper than the analysis follows.
    pub cut: Option<usize>,
}

/// What a function's analysis reads outside it: the part no one name
/// selects (a pass's context: the index's and the project's facts read
/// through chains of names) and, by name, the module's state (module
/// names and what they hold, function and method summaries, class
/// attributes, parameters passed at call sites, the index's facts).
fn dependencies<'a>(an: &'a Analyzer<'_, '_>, index: &'a IndexFacts) -> (cache::Key, cache::Deps) {
    use std::borrow::Cow;
    let mut whole = cache::Key::default();
    let mut named: Vec<(Cow<'_, str>, u8, u64, Vec<usize>)> = Vec::new();
    whole.add(index.0);
    whole.add(an.file.project.project_fingerprint());
    whole.add((an.file.path, an.file.is_test));
    named.extend(index.1.iter().map(|(n, d)| (Cow::Borrowed(n.as_str()), 0, *d, Vec::new())));
    let mut val = |name: Cow<'a, str>, tag: u8, v: &Val| {
        let mut k = cache::Key::default();
        k.val(v);
        named.push((name, tag, k.finish(), k.positions));
    };
    for (n, v) in &an.globals {
        val(Cow::Borrowed(n), 1, v);
    }
    for (n, v) in &an.summaries {
        val(Cow::Borrowed(n), 2, v);
    }
    for (n, v) in &an.methods {
        val(Cow::Borrowed(n), 3, v);
    }
    for (class, attrs) in &an.class_attrs {
        // `Class(...)` is an instance of a class the summaries know, even
        // one that stores nothing
        val(Cow::Borrowed(class), 7, &Val::Clean);
        for (path, v) in attrs {
            val(Cow::Owned(format!("{class}.{path}")), 4, v);
        }
    }
    for (f, passed) in &an.params {
        for (p, t) in passed {
            val(Cow::Owned(format!("{f}.{p}")), 5, &Val::secret(t.clone()));
        }
    }
    for (f, v) in &an.passthrough {
        let mut k = cache::Key::default();
        k.add(v);
        named.push((Cow::Borrowed(f), 6, k.finish(), Vec::new()));
    }
    (whole, cache::Deps::new(named))
}

/// What the index says of the module as a whole (hashed) and by name:
/// the same in every pass of one check.
type IndexFacts = (u64, Vec<(String, u64)>);

fn index_facts(an: &Analyzer<'_, '_>) -> IndexFacts {
    use std::hash::Hasher;
    let mut h = crate::StableHasher::default();
    let mut named = Vec::new();
    an.file.index.cache_facts(&mut h, &mut named);
    (h.finish(), named)
}

/// The identifiers of units, by their text hash.
pub(crate) type Tokens = Kept<std::rc::Rc<cache::Tokens>>;

/// The identifiers of a unit, by its text hash.
fn tokens_of(kept: &mut Tokens, hash: u64, n: Node<'_>) -> std::rc::Rc<cache::Tokens> {
    kept.get(hash, || std::rc::Rc::new(cache::tokens(n)))
}

/// What the rules of a method read in the rest of its class, in one
/// class-body statement, hashed: `self.x = "literal"` and what is set on
/// a session's `headers` or `auth` (KL303 looks for both in the class).
fn self_writes(stmt: Node<'_>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::StableHasher::default();
    stmt.visit(&mut |n| {
        let read = n.is("assignment")
            && n.field("left").is_some_and(|l| {
                let t = l.text();
                t.contains(".headers")
                    || t.ends_with(".auth")
                    || t.starts_with("self.") && n.field("right").and_then(crate::syntax::plain_str).is_some()
            });
        if read {
            n.text().hash(&mut h);
        }
        !matches!(n.kind(), "string" | "comment")
    });
    h.finish()
}

/// Fix edits that insert `import x` outside the unit are made again for
/// the current text (an import may have been added meanwhile).
fn redo_imports(d: &mut Diagnostic, unit: (usize, usize), file: &FileCtx<'_>) {
    for f in &mut d.fixes {
        let mut edits = Vec::with_capacity(f.edits.len());
        for e in std::mem::take(&mut f.edits) {
            let inside = unit.0 <= e.span.start && e.span.end <= unit.1;
            match (inside, cache::is_import(&e.new_text)) {
                (false, Some(module)) => edits.extend(crate::fix::ensure_import(file.root, file.source, module)),
                _ => edits.push(e),
            }
        }
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        f.edits = edits;
    }
}

pub(crate) fn analyze(file: &FileCtx<'_>, dispatch: &Dispatch) -> Analysis {
    analyze_cached(file, dispatch, None)
}

pub(crate) fn analyze_cached(file: &FileCtx<'_>, dispatch: &Dispatch, cache: Option<&mut WalkCache>) -> Analysis {
    let mut an = Analyzer {
        file,
        globals: Env::new(),
        summaries: HashMap::default(),
        params: HashMap::default(),
        class_attrs: HashMap::default(),
        methods: HashMap::default(),
        passthrough: HashMap::default(),
        depth: std::cell::Cell::new(0),
        cut: std::cell::Cell::new(None),
        memo: std::cell::RefCell::new(HashMap::default()),
        memo_on: std::cell::Cell::new(false),
        work: std::cell::Cell::new(0),
    };
    let mut cache = cache;
    let layout: Vec<cache::Unit> = match cache {
        Some(_) => {
            let nodes: Vec<Node<'_>> = file.items.iter().map(|i| i.node).collect();
            let hashes: Vec<u64> = file.items.iter().map(|i| i.hash).collect();
            cache::layout(&nodes, &hashes)
        }
        None => Vec::new(),
    };
    let moves = cache.as_ref().map(|c| cache::Moves::between(&c.layout, &layout)).unwrap_or_default();
    let index = match cache {
        Some(_) => index_facts(&an),
        None => (0, Vec::new()),
    };
    // 1. module-level state, without rules
    let mut w = Walker::new(&an, None);
    w.walk_module();
    let mut globals = w.frames.swap_remove(0).env;
    // `def init(): global API_KEY; API_KEY = os.environ[...]`: what functions
    // store in module globals is what other functions read there
    for item in &file.items {
        let Some(def) = item.function() else { continue };
        if !def.text().contains("global ") {
            continue;
        }
        let probe = Analyzer { globals: globals.clone(), ..an.shallow() };
        let mut w = Walker::new(&probe, None);
        w.collect_returns = true;
        w.walk_function(def);
        for (name, v) in w.global_writes {
            let joined = match globals.remove(&name) {
                Some(old) => old.join(v),
                None => v,
            };
            globals.insert(name, joined);
        }
    }
    an.globals = globals;
    // routes of the items the next steps walk (a class's, when a method of
    // it is walked)
    for item in &file.items {
        let summarised = item.function().is_some() && item.name.is_some_and(|n| file.index.needs_summary(n));
        if summarised {
            file.index.add_routes(item.node);
        }
    }
    // 2. summaries of module functions and classes (twice, for helpers calling helpers)
    (an.class_attrs, an.methods) =
        class_attributes(&an, cache.as_deref_mut().map(|c| (&mut c.methods[0], &moves, &mut c.tokens, &index, None)));
    let classes_hold_nothing = an.class_attrs.values().all(HashMap::is_empty) && an.methods.is_empty();
    for _ in 0..2 {
        let mut found = HashMap::default();
        let mut passthrough = HashMap::default();
        let mut params: HashMap<String, HashMap<String, Taint>> = HashMap::default();
        for item in &file.items {
            let (Some(def), Some(name)) = (item.function(), item.name) else {
                continue;
            };
            if !file.index.needs_summary(name) {
                continue;
            }
            let mut w = Walker::new(&an, None);
            w.collect_returns = true;
            an.work.set(0);
            w.walk_function(def);
            for (f, key, t) in std::mem::take(&mut w.calls) {
                let slot = params.entry(f).or_default();
                if slot.get(&key).is_none_or(|old| old.origin < t.origin) {
                    slot.insert(key, t);
                }
            }
            let returned = w.returns.into_iter().fold(Val::Clean, Val::join);
            let (returned, bits) = strip_params(returned);
            if bits != 0 {
                let names = param_names(def);
                passthrough.insert(name.to_string(), (bits, names));
            }
            let returned = match returned {
                Val::Tainted(mut l) => {
                    if let Some(t) = l.secret.as_mut().filter(|t| !t.what.contains("returned by")) {
                        t.what = format!("{} (returned by `{}()`)", t.what, name);
                    }
                    Val::Tainted(l)
                }
                v => v,
            };
            if returned.clone().taint().is_some() {
                found.insert(name.to_string(), returned);
            }
        }
        // nothing found: a second round would find nothing either
        let done = found.is_empty() && params.is_empty() && passthrough.is_empty();
        an.summaries = found;
        an.params = params;
        an.passthrough = passthrough;
        if done {
            break;
        }
    }
    // again, seeing what the first round and the function summaries found
    // (unless both found nothing: the same walk would find the same)
    let summaries_empty = an.summaries.is_empty() && an.params.is_empty() && an.passthrough.is_empty();
    if !(classes_hold_nothing && summaries_empty) {
        (an.class_attrs, an.methods) = class_attributes(
            &an,
            cache.as_deref_mut().map(|c| {
                let [first, second] = &mut c.methods;
                (second, &moves, &mut c.tokens, &index, Some(&*first))
            }),
        );
    } else if let Some(c) = cache.as_deref_mut() {
        // the round was not needed: nothing of it is kept
        c.methods[1] = cache::Pass::default();
    }
    // 3. the reporting walk
    let mut w = Walker::new(&an, Some(dispatch));
    match cache {
        Some(cache) => {
            w.walk_module_cached(cache, &moves, &index);
            cache.layout = layout;
        }
        None => w.walk_module(),
    }
    Analysis { diagnostics: w.out, cut: an.cut.get() }
}

pub(crate) struct Walker<'w, 'a, 'f> {
    pub an: &'w Analyzer<'a, 'f>,
    pub frames: Vec<Frame>,
    dispatch: Option<&'w Dispatch>,
    pub out: Vec<Diagnostic>,
    collect_returns: bool,
    returns: Vec<Val>,
    /// In the summary pass: secrets passed to module functions.
    calls: Vec<(String, String, Taint)>,
    /// In the summary pass: secrets stored on `self.<path>`.
    attrs: Vec<(String, Val)>,
    /// Names a function declares `global`, and what it assigns them.
    declared_globals: Vec<String>,
    global_writes: Vec<(String, Val)>,
}

impl<'w, 'a, 'f> Walker<'w, 'a, 'f> {
    fn new(an: &'w Analyzer<'a, 'f>, dispatch: Option<&'w Dispatch>) -> Self {
        let module = Frame {
            kind: FrameKind::Module,
            env: Env::new(),
            route: None,
            class_name: None,
            class_bases: None,
            span: None,
        };
        Walker {
            an,
            frames: vec![module],
            dispatch,
            out: Vec::new(),
            collect_returns: false,
            returns: Vec::new(),
            calls: Vec::new(),
            attrs: Vec::new(),
            declared_globals: Vec::new(),
            global_writes: Vec::new(),
        }
    }

    fn top(&mut self) -> &mut Frame {
        let i = self.frames.len() - 1;
        &mut self.frames[i]
    }

    /// Run the rules registered for each node kind in `n`'s subtree.
    fn dispatch_tree(&mut self, n: Node<'a>) {
        if self.collect_returns {
            self.record_calls(n);
        }
        let Some(dispatch) = self.dispatch else {
            return;
        };
        let mut nodes = Vec::new();
        n.visit_with_ancestors(&mut |c, anc| {
            if matches!(c.kind(), "function_definition" | "class_definition" | "decorated_definition") && c != n {
                return false;
            }
            if dispatch.wants(c.kind()) {
                // the rules look a few levels up, never further
                nodes.push((c, anc[anc.len().saturating_sub(4)..].to_vec()));
            }
            true
        });
        // the rules of one statement see one environment: what a call
        // evaluates to is remembered while they run (a chain of a thousand
        // method calls would otherwise be evaluated a thousand times)
        self.an.memo.borrow_mut().clear();
        self.an.memo_on.set(true);
        for (c, ancestors) in nodes {
            let mut cx = Ctx { an: self.an, frames: &self.frames, ancestors: &ancestors, out: &mut self.out };
            dispatch.run(c, &mut cx);
        }
        self.an.memo_on.set(false);
        self.an.memo.borrow_mut().clear();
    }

    /// Note the secrets passed to module functions in `n`.
    fn record_calls(&mut self, n: Node<'a>) {
        let mut calls = Vec::new();
        n.visit(&mut |c| {
            if let Some(call) = crate::syntax::Call::of(c) {
                if call.func.is("identifier") && self.an.file.index.functions.contains_key(call.func.text()) {
                    calls.push(call);
                }
            }
            true
        });
        for call in calls {
            let f = call.func.text().to_string();
            for (i, a) in call.positional().into_iter().enumerate() {
                if let Some(t) = self.val(a).taint() {
                    self.calls.push((f.clone(), format!("#{i}"), t));
                }
            }
            for (k, v) in call.keywords() {
                if let Some(t) = self.val(v).taint() {
                    self.calls.push((f.clone(), k.to_string(), t));
                }
            }
        }
    }

    fn val(&self, n: Node<'a>) -> Val {
        eval::Eval { an: self.an, frames: &self.frames }.val(n)
    }

    /// The reporting walk of a module, reusing what each unchanged
    /// function and method found last time.
    fn walk_module_cached(&mut self, cache: &mut WalkCache, moves: &cache::Moves, index: &IndexFacts) {
        let file = self.an.file;
        let (whole, deps) = dependencies(self.an, index);
        cache.report.begin(&whole, moves);
        cache.statements.begin(&whole, moves);
        for item in &file.items {
            let stmt = item.node;
            match item.def {
                Some(def) if def.is("class_definition") => {
                    self.walk_class_cached(*item, def, cache, moves, &deps);
                }
                Some(_) => {
                    let tokens = tokens_of(&mut cache.tokens, item.hash, stmt);
                    let mut k = cache::Key::default();
                    deps.key(&tokens.hashes, &mut k);
                    // decorators and defaults read the module's names as they are here
                    self.frame_key(&tokens.names, &mut k);
                    if let Some(name) = item.name {
                        self.top().env.insert(name.to_string(), Val::Clean);
                    }
                    self.walk_unit(stmt, (item.hash, k.finish()), k.positions, &mut cache.report, moves, &mut || {
                        file.index.add_routes(stmt);
                    });
                }
                None => {
                    file.index.add_routes(stmt);
                    let tokens = tokens_of(&mut cache.tokens, item.hash, stmt);
                    let mut k = cache::Key::default();
                    k.add("module statement");
                    deps.key(&tokens.hashes, &mut k);
                    self.frame_key(&tokens.names, &mut k);
                    self.walk_statement(stmt, (item.hash, k.finish()), k.positions, &mut cache.statements, moves);
                }
            }
        }
        cache.report.end();
        cache.statements.end();
        cache.tokens.end();
        cache.self_writes.end();
        self.module_hooks();
    }

    /// A class, as [`Walker::walk_stmt`] walks it, with each method a unit.
    fn walk_class_cached(
        &mut self,
        item: crate::syntax::TopItem<'a>,
        class: Node<'a>,
        cache: &mut WalkCache,
        moves: &cache::Moves,
        deps: &cache::Deps,
    ) {
        use std::hash::{Hash, Hasher};
        let file = self.an.file;
        let stmt = item.node;
        let an = self.an;
        an.work.set(0);
        // the depth walk_stmt would hold: the statement, and a decorated one's class
        let Some(_outer) = an.enter(stmt.start()) else { return };
        let _inner = if stmt.is("decorated_definition") {
            for d in stmt.items().into_iter().filter(|d| d.is("decorator")) {
                self.dispatch_tree(d);
            }
            match an.enter(class.start()) {
                Some(g) => Some(g),
                None => return,
            }
        } else {
            None
        };
        if let Some(sup) = class.field("superclasses") {
            self.dispatch_tree(sup);
        }
        let name = class.field("name").map(|n| n.text().to_string());
        if let Some(n) = &name {
            self.top().env.insert(n.clone(), Val::Clean);
        }
        let body = class.field("body");
        let statements = body.map(|b| b.items()).unwrap_or_default();
        // what a method's rules may read of its class besides its own text
        let mut head = crate::StableHasher::default();
        stmt.text()[..body.map_or(stmt.end(), |b| b.start()) - stmt.start()].hash(&mut head);
        for s in &statements {
            let key = crate::syntax::node_hash(*s);
            cache.self_writes.get(key, || self_writes(*s)).hash(&mut head);
        }
        let head = head.finish();
        self.frames.push(Frame {
            kind: FrameKind::Class,
            env: Env::new(),
            route: None,
            class_name: name,
            class_bases: class.field("superclasses").map(|b| b.text().to_string()),
            span: Some((class.start(), class.end())),
        });
        for s in statements {
            self.an.work.set(0);
            let def = if s.is("decorated_definition") { s.field("definition") } else { Some(s) };
            let method = def.is_some_and(|d| d.is("function_definition"));
            if !method && matches!(s.kind(), "class_definition" | "decorated_definition") {
                file.index.add_part_routes(stmt, s);
                self.walk_stmt(s);
                continue;
            }
            let hash = crate::syntax::node_hash(s);
            let tokens = tokens_of(&mut cache.tokens, hash, s);
            let mut k = cache::Key::default();
            k.add(head);
            if !method {
                // an attribute, a docstring, an `if` in the body: what it
                // reads is named in its text, like a method's decorators
                k.add("statement");
                deps.key(&tokens.hashes, &mut k);
                self.frame_key(&tokens.names, &mut k);
                self.walk_statement(s, (hash, k.finish()), k.positions, &mut cache.statements, moves);
                continue;
            }
            deps.key(&tokens.hashes, &mut k);
            // decorators and defaults read the class body's names so far
            self.frame_key(&tokens.names, &mut k);
            let key = (hash, k.finish());
            self.walk_unit(s, key, k.positions, &mut cache.report, moves, &mut || {
                file.index.add_part_routes(stmt, s);
            });
            // a method's name is bound in the class body, walked or reused
            if let Some(n) = def.and_then(|d| d.field("name")) {
                self.top().env.insert(n.text().to_string(), Val::Clean);
            }
        }
        self.frames.pop();
    }

    /// A module-level or class-body statement that defines nothing:
    /// walked, or its findings and bindings reused from the last check.
    fn walk_statement(
        &mut self,
        stmt: Node<'a>,
        key: (u64, u64),
        positions: Vec<usize>,
        pass: &mut cache::Pass<StatementFacts>,
        moves: &cache::Moves,
    ) {
        if let Some((mut found, bound)) = pass.take(key, stmt.start(), &positions, moves) {
            self.replay(stmt, &mut found);
            for (name, v) in &bound {
                self.top().env.insert(name.clone(), v.clone());
            }
            pass.keep(key, stmt.start(), positions, (found, bound));
            return;
        }
        self.top().env.journal = Some(Vec::new());
        let found = self.walk_fresh(stmt);
        let env = &mut self.top().env;
        let mut names = env.journal.take().unwrap_or_default();
        names.sort_unstable();
        names.dedup();
        // a statement that unbound a name is not kept: bindings are
        // replayed as insertions
        let bound: Option<Vec<(String, Val)>> =
            names.into_iter().map(|n| env.get(&n).cloned().map(|v| (n, v))).collect();
        if let Some(bound) = bound {
            pass.keep(key, stmt.start(), positions, (found, bound));
        }
    }

    /// What the frames walked so far (the module, a class body) bind to
    /// the names in `tokens`: what a definition's decorators and parameter
    /// defaults read.
    fn frame_key(&self, tokens: &[String], k: &mut cache::Key) {
        for (i, f) in self.frames.iter().enumerate() {
            let mut read: Vec<(&String, &Val)> = tokens.iter().flat_map(|t| f.env.under(t)).collect();
            // in name order: a map's own order differs from one check to the next
            read.sort_unstable_by(|a, b| a.0.cmp(b.0));
            read.dedup_by(|a, b| a.0 == b.0);
            for (name, v) in read {
                k.add((i, name));
                k.val(v);
            }
        }
    }

    /// Walk one function or method, or reuse what it found last time.
    fn walk_unit(
        &mut self,
        stmt: Node<'a>,
        key: (u64, u64),
        positions: Vec<usize>,
        pass: &mut cache::Pass<(Vec<Diagnostic>, Option<usize>)>,
        moves: &cache::Moves,
        before_walk: &mut dyn FnMut(),
    ) {
        if let Some(mut found) = pass.take(key, stmt.start(), &positions, moves) {
            self.replay(stmt, &mut found);
            pass.keep(key, stmt.start(), positions, found);
            return;
        }
        before_walk();
        let found = self.walk_fresh(stmt);
        pass.keep(key, stmt.start(), positions, found);
    }

    /// Add what a reused unit found: its findings (their import fixes made
    /// again for this text) and where it stopped following code.
    fn replay(&mut self, stmt: Node<'a>, (diagnostics, cut): &mut (Vec<Diagnostic>, Option<usize>)) {
        let unit = (stmt.start(), stmt.end());
        diagnostics.iter_mut().for_each(|d| redo_imports(d, unit, self.an.file));
        self.out.extend(diagnostics.iter().cloned());
        if let (Some(at), None) = (*cut, self.an.cut.get()) {
            self.an.cut.set(Some(at));
        }
    }

    /// Walk a unit: what it found, and where it stopped following code.
    fn walk_fresh(&mut self, stmt: Node<'a>) -> (Vec<Diagnostic>, Option<usize>) {
        let before = self.out.len();
        let cut_before = self.an.cut.get();
        self.an.cut.set(None);
        self.walk_stmt(stmt);
        let cut = self.an.cut.get();
        self.an.cut.set(cut_before.or(cut));
        (self.out[before..].to_vec(), cut)
    }

    /// The module's statements in order. Before any function runs (the
    /// module pass), definitions only bind their names.
    fn walk_module(&mut self) {
        let file = self.an.file;
        let module_pass = self.dispatch.is_none() && !self.collect_returns;
        for item in &file.items {
            match (module_pass, item.def, item.name) {
                (true, Some(_), Some(name)) => {
                    self.top().env.insert(name.to_string(), Val::Clean);
                }
                _ => self.walk_stmt(item.node),
            }
        }
        self.module_hooks();
    }

    /// The module-level rules, once the whole module was walked.
    fn module_hooks(&mut self) {
        if let Some(dispatch) = self.dispatch {
            let mut cx = Ctx { an: self.an, frames: &self.frames, ancestors: &[], out: &mut self.out };
            dispatch.run_module(&mut cx);
        }
    }

    pub(crate) fn walk_block(&mut self, block: Node<'a>) {
        for stmt in block.items() {
            self.walk_stmt(stmt);
        }
    }

    fn walk_stmt(&mut self, stmt: Node<'a>) {
        let an = self.an;
        if self.frames.len() == 1 || (self.frames.len() == 2 && self.frames[1].kind == FrameKind::Class) {
            an.work.set(0);
        }
        let Some(_depth) = an.enter(stmt.start()) else { return };
        match stmt.kind() {
            "decorated_definition" => {
                for d in stmt.items().into_iter().filter(|d| d.is("decorator")) {
                    self.dispatch_tree(d);
                }
                if let Some(def) = stmt.field("definition") {
                    self.walk_stmt(def);
                }
            }
            "function_definition" => {
                if let Some(name) = stmt.field("name") {
                    self.top().env.insert(name.text().to_string(), Val::Clean);
                }
                // functions run later: the module pass only notes the name
                if self.dispatch.is_some() || self.collect_returns {
                    self.walk_function(stmt);
                }
            }
            "class_definition" => {
                if let Some(sup) = stmt.field("superclasses") {
                    self.dispatch_tree(sup);
                }
                let name = stmt.field("name").map(|n| n.text().to_string());
                if let Some(n) = &name {
                    self.top().env.insert(n.clone(), Val::Clean);
                }
                let class_bases = stmt.field("superclasses").map(|b| b.text().to_string());
                self.frames.push(Frame {
                    kind: FrameKind::Class,
                    env: Env::new(),
                    route: None,
                    class_name: name,
                    class_bases,
                    span: Some((stmt.start(), stmt.end())),
                });
                if let Some(body) = stmt.field("body") {
                    self.walk_block(body);
                }
                self.frames.pop();
            }
            "if_statement" => {
                if let Some(c) = stmt.field("condition") {
                    self.dispatch_tree(c);
                }
                let mut branches = vec![];
                let mut has_else = false;
                // `if False:` never runs (nor `if DEBUG:` with `DEBUG = False`)
                let dead = stmt.field("condition").is_some_and(|c| self.statically_false(c));
                if let Some(b) = stmt.field("consequence").filter(|_| !dead) {
                    branches.push(b);
                }
                for alt in stmt.items() {
                    match alt.kind() {
                        "elif_clause" => {
                            if let Some(c) = alt.field("condition") {
                                self.dispatch_tree(c);
                            }
                            if let Some(b) = alt.field("consequence") {
                                branches.push(b);
                            }
                        }
                        "else_clause" => {
                            has_else = true;
                            if let Some(b) = alt.field("body") {
                                branches.push(b);
                            }
                        }
                        _ => {}
                    }
                }
                self.walk_branches(&branches, !has_else);
            }
            "for_statement" => {
                if let Some(r) = stmt.field("right") {
                    self.dispatch_tree(r);
                    // iterating a mapping gives its keys; other iterables pass their labels on
                    let v = match self.val(r) {
                        Val::Mapping(..) => Val::Unknown,
                        other => match eval::rendered(other) {
                            s @ Val::Tainted(_) => s,
                            _ => Val::Unknown,
                        },
                    };
                    if let Some(l) = stmt.field("left") {
                        self.bind_target(l, v, None);
                    }
                }
                let blocks: Vec<_> = [stmt.field("body"), stmt.field("alternative").and_then(|a| a.field("body"))]
                    .into_iter()
                    .flatten()
                    .collect();
                self.walk_branches(&blocks, true);
            }
            "while_statement" => {
                if let Some(c) = stmt.field("condition") {
                    self.dispatch_tree(c);
                }
                let blocks: Vec<_> = [stmt.field("body"), stmt.field("alternative").and_then(|a| a.field("body"))]
                    .into_iter()
                    .flatten()
                    .collect();
                self.walk_branches(&blocks, true);
            }
            "try_statement" | "with_statement" | "match_statement" => self.walk_compound(stmt),
            "expression_statement" => {
                self.dispatch_tree(stmt);
                for e in stmt.items() {
                    self.bind_expr(e);
                }
            }
            "global_statement" => {
                self.declared_globals.extend(stmt.items().iter().map(|n| n.text().to_string()));
            }
            "return_statement" => {
                self.dispatch_tree(stmt);
                let depth = self.frames.iter().filter(|f| f.kind == FrameKind::Function).count();
                if self.collect_returns && depth == 1 {
                    if let Some(v) = stmt.first_item() {
                        let v = v.unparen();
                        // a tuple keeps its parts apart for unpacking
                        let val = if matches!(v.kind(), "expression_list" | "tuple") {
                            Val::Record(
                                v.items()
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, e)| (format!("#{i}"), self.val(e)))
                                    .collect(),
                            )
                        } else {
                            self.val(v)
                        };
                        self.returns.push(val);
                    }
                }
            }
            _ => self.dispatch_tree(stmt),
        }
    }

    /// try/with/match and anything else with blocks: headers, then blocks in order.
    fn walk_compound(&mut self, stmt: Node<'a>) {
        for part in stmt.items() {
            match part.kind() {
                "block" => self.walk_block(part),
                "with_clause" => {
                    self.dispatch_tree(part);
                    for item in part.items() {
                        if let Some(v) = item.field("value") {
                            if v.is("as_pattern") {
                                if let Some(alias) = v.field("alias") {
                                    // `with open(path, "w") as fh`: what the context
                                    // manager is (a file written to, a client)
                                    let value = v.first_item().map_or(Val::Unknown, |c| match self.val(c) {
                                        f @ (Val::File { .. } | Val::HttpClient) => f,
                                        _ => Val::Unknown,
                                    });
                                    let target = alias.first_item().unwrap_or(alias);
                                    self.bind_target(target, value, None);
                                }
                            }
                        }
                    }
                }
                "except_clause" | "except_group_clause" | "else_clause" | "finally_clause" | "case_clause" => {
                    for sub in part.items() {
                        if sub.is("block") {
                            self.walk_block(sub);
                        } else if sub.is("as_pattern") {
                            if let Some(alias) = sub.field("alias") {
                                let target = alias.first_item().unwrap_or(alias);
                                // `except E as e`: an exception, whose text is its details
                                let v = if part.is("except_clause") || part.is("except_group_clause") {
                                    Val::Exception((target.start(), target.end()))
                                } else {
                                    Val::Unknown
                                };
                                self.bind_target(target, v, None);
                            }
                        } else {
                            self.dispatch_tree(sub);
                        }
                    }
                }
                _ => self.dispatch_tree(part),
            }
        }
    }

    /// A condition that is false whenever the code runs: `False`, `0`,
    /// `None`, or a module constant assigned one of them once.
    fn statically_false(&self, c: Node<'a>) -> bool {
        let c = c.unparen();
        let literal = match c.kind() {
            "identifier" => self.an.file.index.literal_of(c.text()).map(str::to_string),
            "false" | "none" | "integer" => Some(c.text().to_string()),
            _ => None,
        };
        literal.is_some_and(|v| v == "False" || v == "None" || v.trim_start_matches(['0', '_']).is_empty())
    }

    /// Walk alternative blocks from the same state; merge what they leave.
    fn walk_branches(&mut self, blocks: &[Node<'a>], may_skip: bool) {
        let base = self.top().env.clone();
        let mut merged: Option<Env> = if may_skip { Some(base.clone()) } else { None };
        for b in blocks {
            self.top().env = base.clone();
            self.walk_block(*b);
            let env = std::mem::take(&mut self.top().env);
            merged = Some(match merged {
                None => env,
                Some(m) => merge(m, env),
            });
        }
        self.top().env = merged.unwrap_or(base);
    }

    pub(crate) fn walk_function(&mut self, def: Node<'a>) {
        let route = self.an.file.index.route(def);
        let mut env = Env::new();
        let name = def.field("name").map(|n| n.text()).unwrap_or("");
        let module_fn = self.frames.len() == 1 && self.an.file.index.functions.get(name) == Some(&def.id());
        // summarising: each parameter is a marker, so that what flows from a
        // parameter to the return is known per call site, not joined over all
        let summarising = module_fn && self.collect_returns;
        let passed = if module_fn && !summarising { self.an.params.get(name) } else { None };
        let auth_callback = self.an.file.index.is_auth_callback(def);
        if let Some(params) = def.field("parameters") {
            for (i, p) in params.items().into_iter().enumerate() {
                self.bind_param(p, &route, auth_callback, &mut env);
                // a secret passed at a call site of this module
                let pname = match p.kind() {
                    "identifier" => Some(p.text()),
                    "default_parameter" | "typed_default_parameter" => p.field("name").map(|n| n.text()),
                    "typed_parameter" => p.first_item().filter(|n| n.is("identifier")).map(|n| n.text()),
                    _ => None,
                };
                if let (Some(pname), true) = (pname, summarising && i < 32) {
                    let marker = Val::labels(Labels { params: 1 << i, ..Labels::default() });
                    let v = env.remove(pname).map_or(marker.clone(), |v| v.join(marker));
                    env.insert(pname.to_string(), v);
                }
                if let (Some(pname), Some(passed)) = (pname, passed) {
                    // a value a caller knows as secret only by its name
                    // (`parsed.password`), given to a parameter named otherwise
                    // (`prefix`), is what the parameter's name says
                    let named_param = self.an.file.names.is_secret_name(pname);
                    let t = passed
                        .get(&format!("#{i}"))
                        .or_else(|| passed.get(pname))
                        .filter(|t| named_param || t.origin != Origin::Named);
                    let weaker = env
                        .get(pname)
                        .is_none_or(|v| v.clone().taint().is_none_or(|old| t.is_some_and(|t| old.origin < t.origin)));
                    if let (Some(t), true) = (t, weaker) {
                        env.insert(pname.to_string(), Val::secret(t.clone()));
                    }
                }
            }
            self.dispatch_tree(params);
        }
        self.frames.push(Frame {
            kind: FrameKind::Function,
            env,
            route,
            class_name: None,
            class_bases: None,
            span: Some((def.start(), def.end())),
        });
        if let Some(body) = def.field("body") {
            self.walk_block(body);
        }
        if let Some(dispatch) = self.dispatch {
            let mut cx = Ctx { an: self.an, frames: &self.frames, ancestors: &[], out: &mut self.out };
            dispatch.run_function(def, &mut cx);
        }
        self.frames.pop();
    }

    fn bind_param(&self, p: Node<'a>, route: &Option<Route>, auth_callback: bool, env: &mut Env) {
        let name = match p.kind() {
            "identifier" => Some(p),
            "default_parameter" | "typed_default_parameter" => p.field("name"),
            "typed_parameter" => p.first_item().filter(|n| n.is("identifier")),
            _ => None,
        };
        let Some(name) = name.filter(|n| n.is("identifier")) else {
            return;
        };
        let text = name.text();
        // an error handler's argument is the exception it handles
        if route.as_ref().is_some_and(|r| r.kind == RouteKind::ErrorHandler) && env.is_empty() && text != "self" {
            env.insert(text.to_string(), Val::Exception((name.start(), name.end())));
            return;
        }
        let from_url =
            route.as_ref().is_some_and(|r| r.kind == RouteKind::View && r.url_params().iter().any(|u| u == text));
        let v = if self.an.file.names.is_secret_name(text) {
            let origin = if from_url || auth_callback { Origin::Request } else { Origin::Named };
            let what = if from_url {
                format!("the `{text}` URL segment")
            } else if auth_callback {
                format!("the caller's `{text}`")
            } else {
                format!("`{text}`")
            };
            let ambiguous = origin == Origin::Named && crate::secrets::is_ambiguous_name(text);
            Val::secret(Taint {
                origin,
                what,
                at: (name.start(), name.end()),
                app_owned: false,
                url_segment: from_url,
                ambiguous,
                name: Some(text.to_string()),
            })
        } else {
            Val::Unknown
        };
        env.insert(text.to_string(), v);
    }

    /// Assignments inside an expression statement.
    fn bind_expr(&mut self, e: Node<'a>) {
        let an = self.an;
        let Some(_depth) = an.enter(e.start()) else { return };
        match e.kind() {
            "assignment" => {
                let Some(left) = e.field("left") else { return };
                let Some(right) = e.field("right") else {
                    return; // annotation only
                };
                // a = b = value
                let value_node = innermost_value(right);
                let v = self.val(value_node);
                if right.is("assignment") {
                    self.bind_expr(right);
                }
                self.bind_target(left, v, Some(value_node));
            }
            "augmented_assignment" => {
                let (Some(left), Some(right)) = (e.field("left"), e.field("right")) else {
                    return;
                };
                let v = self.val(left).join(self.val(right));
                self.bind_target(left, v, None);
            }
            _ => {}
        }
    }

    /// Bind an assignment target. `value` is the assigned expression when
    /// known, for the rule that a secret-named target holding an unknown
    /// value is a secret.
    fn bind_target(&mut self, target: Node<'a>, v: Val, value: Option<Node<'a>>) {
        let an = self.an;
        let Some(_depth) = an.enter(target.start()) else { return };
        match target.kind() {
            "identifier" | "attribute" => {
                let Some(key) = dotted(target) else { return };
                if let Some(path) = key.strip_prefix("self.") {
                    // what a method stores on `self` that others read: secrets,
                    // and the HTTP client and files they send or write through
                    let kept = matches!(v, Val::HttpClient | Val::File { .. }) || v.clone().taint().is_some();
                    if self.collect_returns && kept {
                        self.attrs.push((path.to_string(), v.clone()));
                    }
                }
                let name = target.field("attribute").map_or(target.text(), |a| a.text());
                let v = self.named_value(name, target, v, value);
                if target.is("identifier") && self.declared_globals.contains(&key) {
                    self.global_writes.push((key.clone(), v.clone()));
                }
                self.top().env.insert(key, v);
            }
            "subscript" => {
                // item assignment taints the container, or one record entry
                if let Some(container) = target.field("value").and_then(dotted) {
                    if let Some(path) = container.strip_prefix("self.") {
                        if self.collect_returns && v.clone().taint().is_some() {
                            self.attrs.push((path.to_string(), v.clone()));
                        }
                    }
                    let old = self.top().env.get(&container).cloned();
                    let key = target.field("subscript").and_then(crate::syntax::plain_str);
                    if let (Some(Val::Record(mut fields)), Some(key)) = (old.clone(), key) {
                        fields.retain(|(k, _)| *k != key);
                        fields.push((key, v));
                        self.top().env.insert(container, Val::Record(fields));
                        return;
                    }
                    // a container holding an entry with a secret (or a whole
                    // record of them) carries it: `parser["smtp"] = {...}`
                    let carried = eval::rendered(v.clone());
                    if let (Some(old), Val::Tainted(_)) = (old, &carried) {
                        let joined = old.join(carried);
                        self.top().env.insert(container, joined);
                    }
                }
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple" | "list" => {
                let targets = target.items();
                let values = value
                    .map(|v| v.unparen())
                    .filter(|v| matches!(v.kind(), "expression_list" | "tuple" | "list"))
                    .map(|v| v.items());
                match values {
                    Some(vals) if vals.len() == targets.len() => {
                        for (t, vn) in targets.into_iter().zip(vals) {
                            let vv = self.val(vn);
                            self.bind_target(t, vv, Some(vn));
                        }
                    }
                    _ if matches!(v, Val::Record(_)) && v.field("#0").is_some() => {
                        for (i, t) in targets.into_iter().enumerate() {
                            let part = v.field(&format!("#{i}")).unwrap_or(Val::Unknown);
                            self.bind_target(t, part, None);
                        }
                    }
                    _ => {
                        for t in targets {
                            // a secret known only by its name (`credentials`) says nothing
                            // about parts named otherwise (`username, password = credentials`)
                            // `scheme, _, token = header.partition(" ")`: the scheme
                            // is not the credential
                            let metadata = t.is("identifier")
                                && matches!(
                                    t.text().to_ascii_lowercase().as_str(),
                                    "scheme"
                                        | "auth_type"
                                        | "kind"
                                        | "type"
                                        | "prefix"
                                        | "realm"
                                        | "username"
                                        | "user"
                                        | "login"
                                        | "sep"
                                        | "_"
                                );
                            let part = match &v {
                                Val::Tainted(l) if metadata => {
                                    let mut l = l.clone();
                                    l.secret = None;
                                    Val::labels(*l)
                                }
                                Val::Tainted(l) if l.secret.as_ref().is_some_and(|t| t.origin == Origin::Named) => {
                                    let mut l = l.clone();
                                    l.secret = None;
                                    Val::labels(*l)
                                }
                                other => other.clone(),
                            };
                            self.bind_target(t, part, None);
                        }
                    }
                }
            }
            "list_splat_pattern" => {
                if let Some(t) = target.first_item() {
                    self.bind_target(t, v, None);
                }
            }
            _ => {}
        }
    }

    /// Rule 5 of the taint sources: a secret-named target holding a value
    /// that is not known to be harmless is a secret.
    fn named_value(&self, name: &str, target: Node<'a>, v: Val, value: Option<Node<'a>>) -> Val {
        let from_call = value.is_some_and(|n| n.unparen().is("call") || n.unparen().is("await"));
        if !self.an.file.names.is_secret_name(name) {
            // a value the app fetched (an API response, a vault read): what it
            // holds under a secret name is the app's
            return match v {
                Val::Unknown if from_call && value.is_some_and(|n| !is_constructor_call(n)) => Val::Fetched,
                v => v,
            };
        }
        match v {
            // `token = PersonalToken(user=u)`: an object, not a secret string
            Val::Unknown if value.is_some_and(is_constructor_call) => Val::Unknown,
            Val::Unknown => {
                let module_level =
                    self.frames.len() == 1 || self.frames.last().is_some_and(|f| f.kind == FrameKind::Class);
                let generated = value.is_some_and(|n| eval::is_generator_call(self.an, n));
                Val::secret(Taint {
                    origin: if generated { Origin::Generated } else { Origin::Named },
                    what: format!("`{name}`"),
                    at: (target.start(), target.end()),
                    // the app's own: a module constant, an attribute it keeps, a
                    // key it fetched (`api_key = vault.read("stripe")`); a
                    // token from a call is usually one issued to a user
                    app_owned: module_level
                        || target.text().starts_with("self.")
                        || (from_call && !generated && !crate::secrets::is_issued_name(name)),
                    url_segment: false,
                    ambiguous: !generated && crate::secrets::is_ambiguous_name(name),
                    name: Some(target.text().to_string()),
                })
            }
            Val::Clean => {
                // a literal bound to a secret name: a secret when it looks like one
                match value.and_then(|n| crate::syntax::plain_str(n).map(|s| (n, s))) {
                    Some((n, s)) if crate::secrets::looks_like_credential(&s) => Val::secret(Taint {
                        origin: Origin::Hardcoded,
                        what: format!("the hardcoded `{name}`"),
                        at: (n.start(), n.end()),
                        app_owned: true,
                        url_segment: false,
                        ambiguous: false,
                        name: None,
                    }),
                    _ => Val::Clean,
                }
            }
            other => other,
        }
    }
}

/// What the classes of the module hold: for each class, the secrets (and
/// HTTP clients, files) its methods store on `self`; for each method
/// (`Class.method`), what it returns when that carries a secret.
type ClassFacts = (HashMap<String, HashMap<String, Val>>, HashMap<String, Val>);

/// What a round of class summaries reuses: its pass, where the text
/// moved, the units' identifiers, the index's facts, and in the second
/// round the first round of this check (a method whose inputs did not
/// change between the rounds has the same facts).
type ClassCache<'c> = (
    &'c mut cache::Pass<MethodFacts>,
    &'c cache::Moves,
    &'c mut Tokens,
    &'c IndexFacts,
    Option<&'c cache::Pass<MethodFacts>>,
);

fn class_attributes(an: &Analyzer<'_, '_>, mut cache: Option<ClassCache<'_>>) -> ClassFacts {
    let mut out: HashMap<String, HashMap<String, Val>> = HashMap::default();
    let mut methods: HashMap<String, Val> = HashMap::default();
    let deps = match cache.as_mut() {
        Some((pass, moves, _, index, _)) => {
            let (whole, deps) = dependencies(an, index);
            pass.begin(&whole, moves);
            deps
        }
        None => cache::Deps::default(),
    };
    for item in &an.file.items {
        let (Some(class), Some(name)) = (item.class(), item.name.map(str::to_string)) else { continue };
        let Some(body) = class.field("body") else { continue };
        let mut w = Walker::new(an, None);
        w.collect_returns = true;
        w.frames.push(Frame {
            kind: FrameKind::Class,
            env: Env::new(),
            route: None,
            class_name: Some(name.clone()),
            class_bases: None,
            span: Some((class.start(), class.end())),
        });
        let mut attrs: Vec<(String, Val)> = Vec::new();
        for stmt in body.items() {
            let def = if stmt.is("decorated_definition") { stmt.field("definition") } else { Some(stmt) };
            let Some(def) = def.filter(|d| d.is("function_definition")) else { continue };
            let hash = crate::syntax::node_hash(stmt);
            let (key, positions) = match cache.as_mut() {
                Some((_, _, tokens, _, _)) => {
                    let mut k = cache::Key::default();
                    k.add(&name);
                    // what the method reads: `self.x` and `self.m()` name
                    // their facts (`Class.x`, `Class.m`) in its text, so a
                    // method that reads none of what the first round found
                    // has the same key in both rounds and is walked once
                    deps.key(&tokens_of(tokens, hash, stmt).hashes, &mut k);
                    ((hash, k.finish()), k.positions)
                }
                None => ((hash, 0), Vec::new()),
            };
            let kept = cache.as_mut().and_then(|(pass, moves, _, _, first)| {
                pass.take(key, stmt.start(), &positions, moves).or_else(|| {
                    let same = first.and_then(|f| f.same_check(key, stmt.start(), &positions));
                    pass.reused += usize::from(same.is_some());
                    same
                })
            });
            let ((returned, written), cut) = match kept {
                Some(facts) => {
                    if let (Some(at), None) = (facts.1, an.cut.get()) {
                        an.cut.set(Some(at));
                    }
                    facts
                }
                None => {
                    an.file.index.add_part_routes(item.node, stmt);
                    let cut_before = an.cut.get();
                    an.cut.set(None);
                    w.returns.clear();
                    let from = w.attrs.len();
                    an.work.set(0);
                    w.walk_function(def);
                    let returned = std::mem::take(&mut w.returns).into_iter().fold(Val::Clean, Val::join);
                    let written = w.attrs.drain(from..).collect();
                    let cut = an.cut.get();
                    an.cut.set(cut_before.or(cut));
                    ((returned, written), cut)
                }
            };
            if let Some((pass, _, _, _, _)) = cache.as_mut() {
                pass.keep(key, stmt.start(), positions, ((returned.clone(), written.clone()), cut));
            }
            attrs.extend(written);
            let Some(m) = def.field("name") else { continue };
            if returned.clone().taint().is_none() {
                continue;
            }
            let returned = match returned {
                Val::Tainted(mut l) => {
                    if let Some(t) = l.secret.as_mut().filter(|t| !t.what.contains("returned by")) {
                        t.what = format!("{} (returned by `{}()`)", t.what, m.text());
                    }
                    Val::Tainted(l)
                }
                v => v,
            };
            methods.insert(format!("{name}.{}", m.text()), returned);
        }
        let slot = out.entry(name).or_default();
        for (path, v) in attrs {
            let joined = match slot.remove(&path) {
                Some(old) => old.join(v),
                None => v,
            };
            slot.insert(path, joined);
        }
    }
    if let Some((pass, _, _, _, _)) = cache {
        pass.end();
    }
    (out, methods)
}

/// A summarised value without its parameter markers, and the markers.
fn strip_params(v: Val) -> (Val, u32) {
    match v {
        Val::Tainted(mut l) => {
            let bits = l.params;
            l.params = 0;
            (Val::labels(*l), bits)
        }
        Val::Record(fields) => {
            let mut bits = 0;
            let fields = fields
                .into_iter()
                .map(|(k, v)| {
                    let (v, b) = strip_params(v);
                    bits |= b;
                    (k, v)
                })
                .collect();
            (Val::Record(fields), bits)
        }
        v => (v, 0),
    }
}

/// The names of a function's parameters, in order.
fn param_names(def: Node<'_>) -> Vec<String> {
    let Some(params) = def.field("parameters") else { return vec![] };
    params
        .items()
        .into_iter()
        .map(|p| match p.kind() {
            "identifier" => p.text().to_string(),
            "default_parameter" | "typed_default_parameter" => {
                p.field("name").map_or(String::new(), |n| n.text().to_string())
            }
            "typed_parameter" => p.first_item().map_or(String::new(), |n| n.text().to_string()),
            _ => String::new(),
        })
        .collect()
}

/// `Foo(...)`, `models.Foo(...)`: a class instantiated (by naming convention).
fn is_constructor_call(n: Node<'_>) -> bool {
    let Some(call) = crate::syntax::Call::of(n.unparen()) else { return false };
    let name = dotted(call.func).unwrap_or_default();
    let last = name.rsplit('.').next().unwrap_or(&name);
    last.chars().next().is_some_and(char::is_uppercase)
        && last.chars().any(char::is_lowercase)
        && !matches!(last, "SecretStr" | "SecretBytes" | "Secret")
}

/// The value at the end of `a = b = value`.
fn innermost_value(mut n: Node<'_>) -> Node<'_> {
    while n.is("assignment") {
        match n.field("right") {
            Some(r) => n = r,
            None => break,
        }
    }
    n
}

fn merge(mut a: Env, b: Env) -> Env {
    for (k, v) in b {
        let joined = match a.remove(&k) {
            Some(old) => old.join(v),
            None => v,
        };
        a.insert(k, joined);
    }
    a
}
