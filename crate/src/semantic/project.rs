//! What a module tells the rest of its project: blueprint registrations
//! and their URL prefixes, `before_request`/`after_request` hooks, rate
//! limiters, module constants and configuration classes, and what its
//! functions do (reject a request, set `no-store`, enforce https).
//!
//! Facts are gathered per top-level item ([`Shared::of`], position-free so
//! an editor can keep them), merged into one [`Summary`] per module, and
//! the CLI's pre-pass collects every module's summary into a
//! [`crate::Project`] that checks of single files consult.

use std::hash::{Hash, Hasher};

use crate::syntax::{dotted, plain_str, string_lit, Call, Node};

/// Where a fact is: a byte offset (relative to its item in item facts,
/// absolute in a module summary) and its 1-based line and column. Never
/// part of a comparison or hash, so that moving code keeps caches valid.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct At {
    pub byte: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}
impl Hash for At {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}
impl PartialEq for At {
    fn eq(&self, _: &At) -> bool {
        true
    }
}
impl Eq for At {}

impl At {
    fn rel(n: Node<'_>, item: Node<'_>) -> At {
        At { byte: n.start() - item.start(), end: n.end() - item.start(), line: 0, column: 0 }
    }
}

/// A value known from the source: enough of a literal to judge options
/// (`{"origins": "*", "supports_credentials": True}`).
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) enum Const {
    Str(String),
    Bool(bool),
    Int(i64),
    None,
    List(Vec<Const>),
    Dict(Vec<(String, Const)>),
    /// A name or attribute (`os.environ`), or a call of one.
    Ref(String),
    Other,
}

impl Const {
    pub(crate) fn of(n: Node<'_>) -> Const {
        Const::of_depth(n, 0)
    }
    fn of_depth(n: Node<'_>, depth: u8) -> Const {
        let n = n.unparen();
        if depth > 6 {
            return Const::Other;
        }
        match n.kind() {
            "true" => Const::Bool(true),
            "false" => Const::Bool(false),
            "none" => Const::None,
            "integer" => n.text().replace('_', "").parse().map_or(Const::Other, Const::Int),
            "string" | "concatenated_string" => match string_lit(n) {
                Some(s) if !s.is_fstring => Const::Str(s.value),
                _ => Const::Other,
            },
            "list" | "tuple" | "set" => {
                Const::List(n.items().into_iter().map(|c| Const::of_depth(c, depth + 1)).collect())
            }
            "dictionary" => Const::Dict(
                n.items()
                    .into_iter()
                    .filter(|p| p.is("pair"))
                    .filter_map(|p| Some((plain_str(p.field("key")?)?, Const::of_depth(p.field("value")?, depth + 1))))
                    .collect(),
            ),
            "call" => match Call::of(n) {
                // dict(origins="*", supports_credentials=True)
                Some(c) if c.func.text() == "dict" => Const::Dict(
                    c.keywords().into_iter().map(|(k, v)| (k.to_string(), Const::of_depth(v, depth + 1))).collect(),
                ),
                Some(c) => dotted(c.func).map_or(Const::Other, |d| Const::Ref(format!("{d}()"))),
                None => Const::Other,
            },
            "identifier" | "attribute" => dotted(n).map_or(Const::Other, Const::Ref),
            _ => Const::Other,
        }
    }
    pub(crate) fn get(&self, key: &str) -> Option<&Const> {
        match self {
            Const::Dict(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub(crate) fn is_true(&self) -> bool {
        matches!(self, Const::Bool(true)) || matches!(self, Const::Int(i) if *i != 0)
    }
    pub(crate) fn is_false(&self) -> bool {
        matches!(self, Const::Bool(false) | Const::None) || matches!(self, Const::Int(0))
    }
}

/// What a function body does, from its code (comments and docstrings left out).
#[derive(Debug, Clone, Copy, Default, Hash, PartialEq, Eq)]
pub(crate) struct Traits {
    /// Aborts with 401/403, returns a 401/403 response, or redirects to a login page.
    pub rejects: bool,
    /// A decorator: a nested wrapper that rejects.
    pub guard_wrapper: bool,
    /// Sets `Cache-Control: no-store`.
    pub no_store: bool,
    /// Sends a `Strict-Transport-Security` header that is not `max-age=0`.
    pub hsts: bool,
    /// Redirects plain-http requests to https.
    pub https_redirect: bool,
    /// Applies Talisman / SSLify (or an HSTS hook) to an app.
    pub enforces_https: bool,
    /// Verifies a credential (`check_password_hash`, `compare_digest`, ...).
    pub verifies: bool,
}

/// Calls that verify a credential: password hashes, OTPs, constant-time compares.
pub(crate) fn is_verify_call(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    let recv = name.rsplit_once('.').map_or("", |(r, _)| r).to_ascii_lowercase();
    matches!(
        last,
        "check_password_hash"
            | "check_password"
            | "verify_password"
            | "compare_digest"
            | "checkpw"
            | "check_pw"
            | "verify_hash"
            | "verify_and_update"
            | "check_secret"
            | "verify_secret"
            | "check_token"
            | "verify_pin"
            | "check_pin"
    ) || (last == "verify"
        && ["otp", "totp", "hotp", "pwd", "password", "passlib", "hasher", "ph", "argon", "bcrypt", "crypt", "context"]
            .iter()
            .any(|w| recv.contains(w)))
}

impl Traits {
    pub(crate) fn of(def: Node<'_>) -> Traits {
        def.field("body").map(Traits::of_body).unwrap_or_default()
    }

    /// What a block of code does.
    pub(crate) fn of_body(body: Node<'_>) -> Traits {
        let mut t = Traits::default();
        // most code does none of this: a text scan is far cheaper than a walk
        if !TRAIT_WORDS.iter().any(|w| body.text().contains(w)) {
            return t;
        }
        let (mut redirect, mut secure_check, mut nested_def, mut hsts_off) = (false, false, false, false);
        body.visit(&mut |n| {
            match n.kind() {
                "comment" => return false,
                "expression_statement" if n.items().len() == 1 && n.first_item().is_some_and(|s| s.is("string")) => {
                    return false
                }
                "function_definition" => nested_def = true,
                "integer" if matches!(n.text(), "401" | "403") => {
                    // `return jsonify(...), 401`, `abort(403)`, `Response(status=401)`
                    t.rejects = true;
                }
                "attribute" => {
                    let a = n.field("attribute").map(|a| a.text()).unwrap_or("");
                    if matches!(a, "UNAUTHORIZED" | "FORBIDDEN") {
                        t.rejects = true;
                    }
                    if matches!(a, "is_secure") {
                        secure_check = true;
                    }
                }
                // resp.cache_control.no_store = True
                "assignment"
                    if n.field("left").is_some_and(|l| l.text().ends_with("cache_control.no_store"))
                        && n.field("right").is_some_and(|r| r.is("true")) =>
                {
                    t.no_store = true;
                }
                "string" => {
                    let v = plain_str(n).unwrap_or_default().to_ascii_lowercase();
                    if v.contains("no-store") {
                        t.no_store = true;
                    }
                    if v == "strict-transport-security" {
                        t.hsts = true;
                    }
                    if v.contains("max-age=0") {
                        hsts_off = true;
                    }
                    if v.starts_with("https") || v == "http://" {
                        secure_check = true;
                    }
                }
                "call" => {
                    if let Some(call) = Call::of(n) {
                        let name = dotted(call.func).unwrap_or_default();
                        let last = name.rsplit('.').next().unwrap_or(&name);
                        if matches!(last, "Unauthorized" | "Forbidden" | "unauthorized" | "Unauthenticated")
                            || (last == "abort"
                                && call.positional().first().is_some_and(|a| a.text().contains("UNAUTH")))
                        {
                            t.rejects = true;
                        }
                        if last == "redirect" {
                            redirect = true;
                            let a = call.args.iter().map(|a| a.text().to_ascii_lowercase()).collect::<String>();
                            if a.contains("login") || a.contains("signin") || a.contains("sign_in") {
                                t.rejects = true;
                            }
                        }
                        if is_verify_call(&name) {
                            t.verifies = true;
                        }
                        let talisman_init = last == "init_app" && name.to_ascii_lowercase().contains("talisman");
                        if (matches!(last, "Talisman" | "SSLify") || talisman_init) && enforcing_talisman(&call) {
                            t.enforces_https = true;
                        }
                    }
                }
                _ => {}
            }
            true
        });
        t.hsts &= !hsts_off;
        t.https_redirect = redirect && secure_check;
        t.enforces_https |= t.hsts || t.https_redirect;
        t.guard_wrapper = nested_def && t.rejects;
        t
    }
}

/// Text any trait needs (status codes, `abort`/`redirect`, header names,
/// verify calls, Talisman/SSLify), checked before walking a body.
const TRAIT_WORDS: &[&str] = &[
    "401",
    "403",
    "UNAUTH",
    "FORBID",
    "orbidden",
    "nauthori",
    "nauthenticated",
    "is_secure",
    "no_store",
    "no-store",
    "NO-STORE",
    "No-Store",
    "ransport-",
    "RANSPORT-",
    "redirect",
    "verify",
    "check_p",
    "compare_digest",
    "checkpw",
    "check_secret",
    "check_token",
    "alisman",
    "SSLify",
    "max-age",
];

/// Text the item facts need, checked before walking an item.
/// Words one of which the text of every app-wide fact holds (the method
/// or class it names), besides `limit(`: see [`may_hold_app_facts`].
const SHARED_WORDS: &[&str] = &[
    "register_blueprint",
    "before_request",
    "after_request",
    "before_app_request",
    "after_app_request",
    "exempt",
    "init_app",
    "Limiter",
    "RATELIMIT",
];

/// Can `text` hold a fact that [`Shared::of`] collects beyond a module's
/// names (registrations, hooks, limiters)? A necessary condition, checked
/// on text before anything is parsed: false means there is none.
pub(crate) fn may_hold_app_facts(text: &str) -> bool {
    SHARED_WORDS.iter().any(|w| text.contains(w)) || curried_limit(text)
}

/// Does `text` call what a `limit(...)` call returns (`limiter.limit("5/minute")(bp)`,
/// `shared_limit (...)(bp)`)? A query's `.limit(10).all()` does not. The
/// scan skips simple strings and nested brackets; whatever it cannot read
/// for sure (a comment, an escape, a triple quote) counts as yes.
fn curried_limit(text: &str) -> bool {
    let b = text.as_bytes();
    let space = |j: &mut usize| {
        while *j < b.len() && matches!(b[*j], b' ' | b'\t' | b'\\' | b'\r' | b'\n') {
            *j += 1;
        }
    };
    text.match_indices("limit").any(|(i, w)| {
        let mut j = i + w.len();
        space(&mut j);
        if b.get(j) != Some(&b'(') {
            return false;
        }
        let mut depth = 0usize;
        while j < b.len() {
            match b[j] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        j += 1;
                        break;
                    }
                }
                q @ (b'\'' | b'"') => {
                    if b.get(j + 1) == Some(&q) && b.get(j + 2) == Some(&q) {
                        return true;
                    }
                    j += 1;
                    while b.get(j) != Some(&q) {
                        match b.get(j) {
                            None | Some(b'\\' | b'\n') => return true,
                            _ => j += 1,
                        }
                    }
                }
                b'#' => return true,
                _ => {}
            }
            j += 1;
        }
        if depth != 0 {
            return true;
        }
        space(&mut j);
        matches!(b.get(j), Some(b'(' | b'#'))
    })
}

/// `Talisman(app, ...)` enforces https unless both the redirect and HSTS
/// are switched off.
pub(crate) fn enforcing_talisman(call: &Call<'_>) -> bool {
    let off = |k: &str| call.keyword(k).is_some_and(|v| v.is("false"));
    !(off("force_https") && off("strict_transport_security"))
}

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct BlueprintReg {
    /// The app (or parent blueprint) as written.
    pub app: String,
    /// The blueprint as written.
    pub bp: String,
    pub prefix: Option<String>,
    pub at: At,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct HookFact {
    /// The app or blueprint as written.
    pub router: String,
    pub after: bool,
    /// The hook's body, when defined here with the decorator.
    pub traits: Traits,
    /// `bp.before_request(check)`: the function registered, by name.
    pub func: Option<String>,
    pub at: At,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct LimiterFact {
    pub var: String,
    pub defaults: bool,
    pub app: Option<String>,
    pub at: At,
}

#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub(crate) enum LimiterOp {
    Exempt,
    Limit,
    InitApp,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct LimiterUse {
    pub limiter: String,
    pub op: LimiterOp,
    pub target: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct ClassFacts {
    pub name: String,
    pub bases: Vec<String>,
    pub attrs: Vec<(String, Const)>,
    pub at: At,
}

/// The facts of one top-level item that other modules may need.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub(crate) struct Shared {
    pub registrations: Vec<BlueprintReg>,
    pub hooks: Vec<HookFact>,
    /// Module-level functions by name.
    pub functions: Vec<(String, Traits, At)>,
    pub limiters: Vec<LimiterFact>,
    pub limiter_uses: Vec<LimiterUse>,
    /// `RATELIMIT_DEFAULT` configured somewhere.
    pub ratelimit_default: bool,
    pub constants: Vec<(String, Const, At)>,
    pub classes: Vec<ClassFacts>,
}

fn hook_kind(method: &str) -> Option<bool> {
    match method {
        "before_request" | "before_app_request" => Some(false),
        "after_request" | "after_app_request" => Some(true),
        _ => None,
    }
}

impl Shared {
    pub(crate) fn of(item: Node<'_>) -> Shared {
        let mut s = Shared::head(item);
        if may_hold_app_facts(item.text()) {
            s.app_facts(item, item, None);
        }
        s
    }

    /// What a top-level item defines: its function, class or constant.
    pub(crate) fn head(item: Node<'_>) -> Shared {
        let mut s = Shared::default();
        let def = if item.is("decorated_definition") { item.field("definition") } else { Some(item) };
        if let Some(d) = def {
            match d.kind() {
                "function_definition" => {
                    if let Some(name) = d.field("name") {
                        s.functions.push((name.text().to_string(), Traits::of(d), At::rel(name, item)));
                    }
                }
                "class_definition" => s.classes.push(class_facts(d, item)),
                _ => {}
            }
        }
        if let Some(a) = item.first_item().filter(|a| item.is("expression_statement") && a.is("assignment")) {
            if let (Some(l), Some(r)) = (a.field("left"), a.field("right")) {
                if l.is("identifier") {
                    s.constants.push((l.text().to_string(), Const::of(r), At::rel(l, item)));
                }
            }
        }
        s
    }

    /// The app-wide facts (registrations, hooks, limiters) in `root`'s
    /// subtree without `skip`'s, positions relative to `item`.
    pub(crate) fn app_facts(&mut self, root: Node<'_>, item: Node<'_>, skip: Option<Node<'_>>) {
        let s = self;
        root.visit_with_ancestors(&mut |n, anc| {
            if skip == Some(n) {
                return false;
            }
            match n.kind() {
                "decorated_definition" => {
                    let Some(def) = n.field("definition").filter(|d| d.is("function_definition")) else { return true };
                    for dec in n.items().into_iter().filter(|c| c.is("decorator")) {
                        let Some(e) = dec.first_item() else { continue };
                        let e = Call::of(e).map_or(e, |c| c.func);
                        let (Some(obj), Some(m)) = (e.field("object"), e.field("attribute")) else { continue };
                        if let (Some(after), Some(router)) = (hook_kind(m.text()), dotted(obj)) {
                            s.hooks.push(HookFact {
                                router,
                                after,
                                traits: Traits::of(def),
                                func: None,
                                at: At::rel(def.field("name").unwrap_or(def), item),
                            });
                        }
                    }
                }
                "call" => {
                    let Some(call) = Call::of(n) else { return true };
                    let name = dotted(call.func).unwrap_or_default();
                    let last = name.rsplit('.').next().unwrap_or(&name);
                    let recv = call.receiver().and_then(dotted);
                    let first = call.positional().first().copied();
                    match (call.method(), recv) {
                        (Some("register_blueprint"), Some(app)) => {
                            let prefix = call.keyword("url_prefix").and_then(plain_str);
                            for bp in loop_targets(first, anc) {
                                s.registrations.push(BlueprintReg {
                                    app: app.clone(),
                                    bp,
                                    prefix: prefix.clone(),
                                    at: At::rel(n, item),
                                });
                            }
                        }
                        (Some(m), Some(router)) if hook_kind(m).is_some() && first.is_some() => {
                            if let Some(func) = first.and_then(dotted) {
                                s.hooks.push(HookFact {
                                    router,
                                    after: hook_kind(m) == Some(true),
                                    traits: Traits::default(),
                                    func: Some(func),
                                    at: At::rel(n, item),
                                });
                            }
                        }
                        (Some("exempt"), Some(limiter)) => {
                            if let Some(target) = first.and_then(dotted) {
                                s.limiter_uses.push(LimiterUse { limiter, op: LimiterOp::Exempt, target });
                            }
                        }
                        (Some("init_app"), Some(limiter)) => {
                            if let Some(target) = first.and_then(dotted) {
                                s.limiter_uses.push(LimiterUse { limiter, op: LimiterOp::InitApp, target });
                            }
                        }
                        _ => {}
                    }
                    // limiter.limit("5/minute")(bp)
                    if let Some(inner) = Call::of(call.func) {
                        if let (Some("limit" | "shared_limit"), Some(limiter), Some(target)) =
                            (inner.method(), inner.receiver().and_then(dotted), first.and_then(dotted))
                        {
                            s.limiter_uses.push(LimiterUse { limiter, op: LimiterOp::Limit, target });
                        }
                    }
                    if last == "Limiter" {
                        if let Some(var) =
                            anc.last().filter(|p| p.is("assignment")).and_then(|p| p.field("left")).and_then(dotted)
                        {
                            let defaults =
                                call.keyword("default_limits").or_else(|| call.keyword("application_limits"));
                            let defaults = defaults.is_some_and(|d| {
                                !matches!(Const::of(d), Const::List(ref v) if v.is_empty()) && !d.is("none")
                            });
                            let app = call.keyword("app").or_else(|| {
                                first.filter(|f| dotted(*f).is_some_and(|d| d == "app" || d.ends_with("_app")))
                            });
                            s.limiters.push(LimiterFact {
                                var,
                                defaults,
                                app: app.and_then(dotted),
                                at: At::rel(n, item),
                            });
                        }
                    }
                    if call.keywords().iter().any(|(k, _)| k.starts_with("RATELIMIT_DEFAULT")) {
                        s.ratelimit_default = true;
                    }
                }
                "identifier" if n.text().starts_with("RATELIMIT_DEFAULT") => s.ratelimit_default = true,
                "string" if plain_str(n).is_some_and(|v| v.starts_with("RATELIMIT_DEFAULT")) => {
                    s.ratelimit_default = true
                }
                _ => {}
            }
            true
        });
    }

    /// Append the app-wide facts of a part of the item that starts `by`
    /// bytes into it (positions relative to the part).
    pub(crate) fn extend_shifted(&mut self, part: &Shared, by: usize) {
        let at = |a: At| At { byte: a.byte + by, end: a.end + by, ..a };
        self.registrations.extend(part.registrations.iter().map(|r| BlueprintReg { at: at(r.at), ..r.clone() }));
        self.hooks.extend(part.hooks.iter().map(|h| HookFact { at: at(h.at), ..h.clone() }));
        self.limiters.extend(part.limiters.iter().map(|l| LimiterFact { at: at(l.at), ..l.clone() }));
        self.limiter_uses.extend(part.limiter_uses.iter().cloned());
        self.ratelimit_default |= part.ratelimit_default;
    }

    /// Make positions absolute: the item starts at `start`.
    pub(crate) fn place(&mut self, start: usize, lines: &crate::LineIndex<'_>) {
        let fix = |a: &mut At| {
            a.byte += start;
            a.end += start;
            let p = lines.position(a.byte, crate::ColumnUnit::Chars);
            a.line = p.line + 1;
            a.column = p.column + 1;
        };
        self.registrations.iter_mut().for_each(|r| fix(&mut r.at));
        self.hooks.iter_mut().for_each(|h| fix(&mut h.at));
        self.functions.iter_mut().for_each(|f| fix(&mut f.2));
        self.limiters.iter_mut().for_each(|l| fix(&mut l.at));
        self.constants.iter_mut().for_each(|c| fix(&mut c.2));
        self.classes.iter_mut().for_each(|c| fix(&mut c.at));
    }

    pub(crate) fn extend(&mut self, other: Shared) {
        self.registrations.extend(other.registrations);
        self.hooks.extend(other.hooks);
        self.functions.extend(other.functions);
        self.limiters.extend(other.limiters);
        self.limiter_uses.extend(other.limiter_uses);
        self.ratelimit_default |= other.ratelimit_default;
        self.constants.extend(other.constants);
        self.classes.extend(other.classes);
    }
}

/// `app.register_blueprint(bp)` inside `for bp in (a_bp, b_bp):` registers
/// each of them.
fn loop_targets(arg: Option<Node<'_>>, ancestors: &[Node<'_>]) -> Vec<String> {
    let Some(arg) = arg else { return vec![] };
    let Some(name) = dotted(arg) else { return vec![] };
    for a in ancestors.iter().rev() {
        if a.is("for_statement") && a.field("left").is_some_and(|l| l.text() == name) {
            if let Some(right) = a.field("right").map(|r| r.unparen()) {
                if matches!(right.kind(), "tuple" | "list" | "set" | "expression_list") {
                    return right.items().into_iter().filter_map(dotted).collect();
                }
            }
            return vec![];
        }
    }
    vec![name]
}

fn class_facts(class: Node<'_>, item: Node<'_>) -> ClassFacts {
    let name = class.field("name").map(|n| n.text().to_string()).unwrap_or_default();
    let bases =
        class.field("superclasses").map(|b| b.items().into_iter().filter_map(dotted).collect()).unwrap_or_default();
    let mut attrs = Vec::new();
    if let Some(body) = class.field("body") {
        for st in body.items() {
            let Some(a) = st.first_item().filter(|a| st.is("expression_statement") && a.is("assignment")) else {
                continue;
            };
            if let (Some(l), Some(r)) = (a.field("left"), a.field("right")) {
                if l.is("identifier") {
                    attrs.push((l.text().to_string(), Const::of(r)));
                }
            }
        }
    }
    ClassFacts { name, bases, attrs, at: At::rel(class.field("name").unwrap_or(class), item) }
}

/// One module's shared facts, with what is needed to resolve its names.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub(crate) struct Summary {
    pub shared: Shared,
    /// alias -> qualified name as imported (relative imports keep their dots).
    pub imports: Vec<(String, String)>,
    /// Blueprint variables and the `url_prefix` of their constructor.
    pub blueprints: Vec<(String, Option<String>)>,
    /// Names bound to `Flask(...)`.
    pub apps: Vec<String>,
    /// `api = Api(bp)`: the blueprint an Api or namespace hangs off.
    pub api_of: Vec<(String, String)>,
}

impl Summary {
    pub(crate) fn function(&self, name: &str) -> Option<&(String, Traits, At)> {
        self.shared.functions.iter().find(|f| f.0 == name)
    }
    pub(crate) fn constant(&self, name: &str) -> Option<&(String, Const, At)> {
        self.shared.constants.iter().rev().find(|c| c.0 == name)
    }
    pub(crate) fn class(&self, name: &str) -> Option<&ClassFacts> {
        self.shared.classes.iter().find(|c| c.name == name)
    }
    pub(crate) fn import(&self, alias: &str) -> Option<&str> {
        self.imports.iter().rev().find(|(a, _)| a == alias).map(|(_, q)| q.as_str())
    }
}
