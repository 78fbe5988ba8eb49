//! One pass over a module that records what names mean: imports and aliases
//! (so `from flask import jsonify as j` is still `flask.jsonify`), Flask apps
//! and blueprints, routes (decorators, `add_url_rule`, class-based views,
//! error handlers) and the auth guards on them.

use crate::{HashMap, HashSet};
use std::cell::RefCell;

use crate::syntax::{dotted, plain_str, Call, Node};

pub(crate) mod project;

/// How a function is reached from the web.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RouteKind {
    /// `@app.route`, `@bp.get`, `add_url_rule`, a view-class method.
    View,
    /// `@app.errorhandler`, `register_error_handler`.
    ErrorHandler,
    /// `@app.after_request`: sees and shapes every response.
    AfterRequest,
}

#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub kind: RouteKind,
    /// The URL rule as written, with the blueprint prefix when known.
    pub url: Option<String>,
    /// Decorators that wrap what Flask registered: those below the route
    /// decorator (one above it wraps a function Flask never calls), and a
    /// view class's `decorators` / `method_decorators`.
    pub decorators: Vec<String>,
    /// The app or blueprint the route hangs off, as written.
    pub router: Option<String>,
    /// The URL rule as written, without any prefix.
    pub rule: Option<String>,
}

/// Decorators that require a logged-in user or a valid credential.
pub(crate) fn is_guard_decorator(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    let ws = crate::secrets::words_of(last);
    let has = |w: &str| ws.iter().any(|x| x == w);
    has("login") && has("required")
        || [
            "auth",
            "authenticated",
            "authorize",
            "authorized",
            "token",
            "jwt",
            "roles",
            "role",
            "permission",
            "permissions",
            "admin",
            "apikey",
            "key",
            "signature",
            "verified",
            "protected",
            "secured",
        ]
        .iter()
        .any(|w| {
            has(w)
                && (has("required")
                    || has("requires")
                    || has("require")
                    || has("only")
                    || has("accepted")
                    || has("verified")
                    || ws.len() == 1 && *w != "token" && *w != "key")
        })
        || matches!(
            last,
            "requires_auth"
                | "auth_required"
                | "login_required"
                | "jwt_required"
                | "roles_required"
                | "roles_accepted"
                | "permission_required"
                | "admin_required"
                | "token_required"
                | "api_key_required"
        )
}

impl Route {
    /// A view Flask calls for a URL (not an error handler, a hook, or the
    /// wrapper inside a decorator).
    pub(crate) fn is_view(&self) -> bool {
        self.kind == RouteKind::View && !self.decorators.iter().any(|d| d == "wraps" || d.ends_with(".wraps"))
    }

    /// Names of `<converter:name>` variables in the URL rule.
    pub(crate) fn url_params(&self) -> Vec<String> {
        let Some(url) = &self.url else { return vec![] };
        url.split('<')
            .skip(1)
            .filter_map(|s| s.split('>').next())
            .map(|v| v.rsplit(':').next().unwrap_or(v).trim().to_string())
            .collect()
    }
}

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Local name -> qualified name, from imports.
    imports: HashMap<String, String>,
    /// Names bound to `Flask(...)`.
    apps: HashSet<String>,
    /// Names bound to blueprints (Flask, flask-smorest, flask-restx namespaces), with their URL prefix.
    blueprints: HashMap<String, Option<String>>,
    /// Names bound to `logging.getLogger(...)` and similar.
    loggers: HashSet<String>,
    /// Route functions by node id.
    // Routes are added per item, also while the analysis runs (an editor
    // adds them only for the items it re-walks): interior mutability.
    routes: RefCell<HashMap<usize, Route>>,
    routed: RefCell<HashSet<usize>>,
    /// Flask-HTTPAuth `verify_token` / `verify_password` callbacks: their
    /// parameters are the caller's credentials.
    auth_callbacks: RefCell<HashSet<usize>>,
    /// What the module shares with its project (hooks, limiters, constants...).
    pub summary: project::Summary,
    /// Module-level `NAME = "literal"` constants (assigned once).
    constants: HashMap<String, Option<String>>,
    /// Module-level functions by name.
    pub functions: HashMap<String, usize>,
    /// Module functions called somewhere in the module, and module functions
    /// that call one: only those need a data-flow summary.
    called: HashSet<String>,
    calls_helpers: HashSet<String>,
    /// `add_url_rule` / `register_error_handler` / `add_resource` targets by
    /// function or class name: kind, URL rule, router.
    registrations: HashMap<String, (RouteKind, Option<String>, String)>,
    /// Ambiguous secret names the module uses as objects (`token.user`).
    objects: HashSet<String>,
    /// Environment variables the module reads (not as a literal's fallback).
    pub env_reads: HashSet<String>,
    /// `a = b` between names (`log = LOGGER`, `run = app.run`).
    aliases: HashMap<String, String>,
    /// Module-level names assigned one literal (`DEBUG = True`), once.
    literals: HashMap<String, Option<String>>,
}

/// What one top-level item declares, position-free, so that an editor can
/// keep it for items an edit did not touch.
#[derive(Debug, Clone, Default, Hash, PartialEq, Eq)]
pub(crate) struct ItemFacts {
    /// alias -> qualified name
    imports: Vec<(String, String)>,
    /// (target, callee as written, url_prefix, first argument) of `x = Something(...)`
    bindings: Vec<(String, String, Option<String>, Option<String>)>,
    /// `NAME = "literal"` (or another value) at module level
    constant: Option<(String, Option<String>)>,
    /// the function this item defines at module level
    def: Option<String>,
    /// names called as plain identifiers
    callees: Vec<String>,
    /// (receiver, method, view function, url) of add_url_rule / register_error_handler
    registrations: Vec<(String, String, String, Option<String>)>,
    /// what other modules of the project may need
    pub shared: project::Shared,
    /// ambiguous secret names used as objects (`token.user`): `token`
    objects: Vec<String>,
    /// environment variables read (not as the fallback of a literal)
    env_reads: Vec<String>,
    /// `a = b` of names
    aliases: Vec<(String, String)>,
    /// `NAME = True` / `NAME = 0` at module level: the literal's text
    literal: Option<(String, String)>,
}

/// `os.environ["K"]`, `os.getenv("K")`, `environ.get("K")`: the name `K`,
/// unless a literal is its fallback (`os.getenv("K", "x")`,
/// `os.environ.get("K") or "x"`): then the literal is that variable's value.
fn env_read(n: Node<'_>, parent: Option<Node<'_>>) -> Option<String> {
    let name = match n.kind() {
        "subscript" => {
            let d = dotted(n.field("value")?)?;
            if !(d == "environ" || d.ends_with(".environ")) {
                return None;
            }
            plain_str(n.field("subscript")?)?
        }
        "call" => {
            let call = Call::of(n)?;
            let d = dotted(call.func)?;
            let reads = d == "getenv"
                || d.ends_with(".getenv")
                || ["environ.get", "environ.setdefault", "environ.pop"]
                    .iter()
                    .any(|m| d == *m || d.ends_with(&format!(".{m}")));
            if !reads {
                return None;
            }
            let pos = call.positional();
            if pos.get(1).is_some_and(|d| plain_str(*d).is_some()) || call.keyword("default").is_some() {
                return None;
            }
            plain_str(*pos.first()?)?
        }
        _ => return None,
    };
    let fallback =
        parent.is_some_and(|p| p.is("boolean_operator") && p.field("right").is_some_and(|r| plain_str(r).is_some()));
    (!fallback).then_some(name)
}

impl ItemFacts {
    pub(crate) fn of(item: Node<'_>) -> ItemFacts {
        let mut f = ItemFacts::head(item);
        f.visit(item, None);
        f.shared = project::Shared::of(item);
        f
    }

    /// Append what `other` (a part of this item, visited after what this
    /// holds) found.
    pub(crate) fn extend(&mut self, other: &ItemFacts) {
        self.imports.extend(other.imports.iter().cloned());
        self.bindings.extend(other.bindings.iter().cloned());
        self.callees.extend(other.callees.iter().cloned());
        self.registrations.extend(other.registrations.iter().cloned());
        self.objects.extend(other.objects.iter().cloned());
        self.env_reads.extend(other.env_reads.iter().cloned());
        self.aliases.extend(other.aliases.iter().cloned());
    }

    /// The facts of a top-level item that only its own form gives: the
    /// function it defines, the constant or literal it assigns.
    pub(crate) fn head(item: Node<'_>) -> ItemFacts {
        let mut f = ItemFacts::default();
        let def = if item.is("decorated_definition") { item.field("definition") } else { Some(item) };
        f.def = def.filter(|d| d.is("function_definition")).and_then(|d| d.field("name")).map(|n| n.text().to_string());
        let assign = item.first_item().filter(|a| item.is("expression_statement") && a.is("assignment"));
        if let Some((left, right)) = assign.and_then(|a| Some((a.field("left")?, a.field("right")?))) {
            if left.is("identifier") {
                f.constant = Some((left.text().to_string(), plain_str(right)));
                if matches!(right.kind(), "true" | "false" | "none" | "integer") {
                    f.literal = Some((left.text().to_string(), right.text().to_string()));
                }
            }
        }
        f
    }

    /// What the nodes of `root`'s subtree say, in document order, without
    /// the subtree of `skip` (a class body, whose statements are visited
    /// one by one and kept apart).
    pub(crate) fn visit(&mut self, root: Node<'_>, skip: Option<Node<'_>>) {
        let f = self;
        root.visit_with_ancestors(&mut |n, anc| {
            if skip == Some(n) {
                return false;
            }
            if let Some(name) = env_read(n, anc.last().copied()) {
                f.env_reads.push(name);
            }
            match n.kind() {
                "import_statement" => import_facts(n, &mut f.imports),
                "import_from_statement" => from_import_facts(n, &mut f.imports),
                "assignment" => {
                    if let (Some(left), Some(right)) = (n.field("left"), n.field("right")) {
                        if let (Some(name), Some(call)) = (dotted(left), Call::of(right.unparen())) {
                            if let Some(callee) = dotted(call.func) {
                                let prefix =
                                    call.keyword("url_prefix").or_else(|| call.keyword("path")).and_then(plain_str);
                                let first = call.positional().first().copied().and_then(dotted);
                                f.bindings.push((name, callee, prefix, first));
                            }
                        }
                        // `log = LOGGER`, `run = app.run`: another name for the same object
                        if let (Some(name), Some(target)) = (dotted(left), dotted(right)) {
                            f.aliases.push((name, target));
                        }
                    }
                }
                "attribute" => {
                    let attr = n.field("attribute").map(|a| a.text()).unwrap_or("");
                    if let Some(obj) = n.field("object").and_then(dotted) {
                        let last = obj.rsplit('.').next().unwrap_or(&obj);
                        if crate::secrets::is_ambiguous_name(last) && !STR_METHODS.contains(&attr) {
                            f.objects.push(obj);
                        }
                    }
                }
                "call" => {
                    let Some(call) = Call::of(n) else { return true };
                    match (call.method(), call.receiver()) {
                        (Some(m @ ("add_url_rule" | "register_error_handler" | "add_resource")), Some(obj)) => {
                            let (view, url) = if m == "add_resource" {
                                let pos = call.positional();
                                (pos.first().copied(), pos.get(1).copied().and_then(plain_str))
                            } else if m == "add_url_rule" {
                                let pos = call.positional();
                                let view = call.keyword("view_func").or_else(|| pos.get(2).copied());
                                let url = pos
                                    .first()
                                    .copied()
                                    .and_then(plain_str)
                                    .or_else(|| call.keyword("rule").and_then(plain_str));
                                (view, url)
                            } else {
                                (call.positional().get(1).copied(), None)
                            };
                            // `view_func=EditView.as_view("edit")`: the class
                            let view = view.map(|v| match Call::of(v) {
                                Some(c) if c.method() == Some("as_view") => c.receiver().unwrap_or(v),
                                _ => v,
                            });
                            if let (Some(receiver), Some(view)) = (dotted(obj), view.and_then(dotted)) {
                                f.registrations.push((receiver, m.to_string(), view, url));
                            }
                        }
                        _ if call.func.is("identifier") => f.callees.push(call.func.text().to_string()),
                        _ => {}
                    }
                }
                _ => {}
            }
            true
        });
    }
}

pub(crate) fn import_facts(n: Node<'_>, out: &mut Vec<(String, String)>) {
    for item in n.items() {
        match item.kind() {
            "dotted_name" => {
                let full = item.text();
                let first = full.split('.').next().unwrap_or(full);
                out.push((first.to_string(), first.to_string()));
            }
            "aliased_import" => {
                if let (Some(name), Some(alias)) = (item.field("name"), item.field("alias")) {
                    out.push((alias.text().to_string(), name.text().to_string()));
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn from_import_facts(n: Node<'_>, out: &mut Vec<(String, String)>) {
    let Some(module) = n.field("module_name") else { return };
    let module = module.text();
    for item in n.items().into_iter().skip(1) {
        let (name, alias) = match item.kind() {
            "dotted_name" => (item.text(), item.text()),
            "aliased_import" => match (item.field("name"), item.field("alias")) {
                (Some(a), Some(b)) => (a.text(), b.text()),
                _ => continue,
            },
            _ => continue,
        };
        out.push((alias.to_string(), format!("{module}.{name}")));
    }
}

/// Where a class-based view is routed: URL with prefix, router, rule.
type RouteAt = (Option<String>, Option<String>, Option<String>);
type ClassRoute<'a> = (Node<'a>, Option<RouteAt>, Vec<String>);

const ROUTE_METHODS: &[&str] = &["route", "get", "post", "put", "patch", "delete"];
const VIEW_METHODS: &[&str] = &["get", "post", "put", "patch", "delete", "head", "options", "dispatch_request"];

impl Index {
    /// Merge what the module's top-level items declare. Routes are added
    /// separately, per item, with [`Index::add_routes`].
    /// `facts` are every top-level item's, with where the item starts.
    pub(crate) fn from_facts(
        items: &[crate::syntax::TopItem<'_>],
        facts: &[(usize, &ItemFacts)],
        lines: &crate::LineIndex<'_>,
    ) -> Index {
        let mut ix = Index::default();
        for (start, f) in facts {
            let mut shared = f.shared.clone();
            shared.place(*start, lines);
            ix.summary.shared.extend(shared);
        }
        let facts: Vec<&ItemFacts> = facts.iter().map(|(_, f)| *f).collect();
        for f in &facts {
            for (alias, q) in &f.imports {
                ix.imports.insert(alias.clone(), q.clone());
            }
        }
        for item in items {
            if let (Some(d), Some(name)) = (item.function(), item.name) {
                ix.functions.insert(name.to_string(), d.id());
            }
        }
        for f in &facts {
            for (name, callee, prefix, first) in &f.bindings {
                ix.add_binding(name, callee, prefix, first);
            }
            for (name, target) in &f.aliases {
                ix.aliases.insert(name.clone(), target.clone());
            }
            if let Some((name, value)) = &f.literal {
                ix.literals.entry(name.clone()).and_modify(|v| *v = None).or_insert(Some(value.clone()));
            }
            if let Some((name, value)) = &f.constant {
                // a name assigned twice is not a constant
                ix.constants.entry(name.clone()).and_modify(|v| *v = None).or_insert(value.clone());
            }
            for callee in &f.callees {
                if ix.functions.contains_key(callee) {
                    ix.called.insert(callee.clone());
                    if let Some(def) = &f.def {
                        ix.calls_helpers.insert(def.clone());
                    }
                }
            }
            ix.objects.extend(f.objects.iter().cloned());
            ix.env_reads.extend(f.env_reads.iter().cloned());
        }
        for f in &facts {
            for (receiver, method, view, url) in &f.registrations {
                if !ix.is_router_dotted(receiver) {
                    continue;
                }
                let kind = if method == "register_error_handler" { RouteKind::ErrorHandler } else { RouteKind::View };
                ix.registrations.entry(view.clone()).or_insert((kind, url.clone(), receiver.clone()));
            }
        }
        for (alias, q) in &ix.imports {
            ix.summary.imports.push((alias.clone(), q.clone()));
        }
        ix.summary.imports.sort();
        let mut bps: Vec<_> = ix.blueprints.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        bps.sort();
        ix.summary.blueprints = bps;
        let mut apps: Vec<_> = ix.apps.iter().cloned().collect();
        apps.sort();
        ix.summary.apps = apps;
        ix.summary.api_of.sort();
        ix
    }

    /// Routes, auth callbacks and view classes declared in one top-level
    /// item (once per item).
    /// The routes [`Index::add_routes`] gives one statement of a class
    /// item's body (`part`) and the class itself, without reading the
    /// other statements (an editor walks one method of a large class).
    pub(crate) fn add_part_routes(&self, item: Node<'_>, part: Node<'_>) {
        if self.routed.borrow().contains(&item.id()) {
            return;
        }
        self.add_routes(part);
        // the class's own routes come last, as add_routes(item) adds them
        let mut class_routes = Vec::new();
        if item.is("decorated_definition") {
            self.add_decorated(item, &mut class_routes);
        }
        let class = if item.is("decorated_definition") { item.field("definition") } else { Some(item) };
        if let Some(c) = class.filter(|c| c.is("class_definition") && self.is_view_class(*c)) {
            class_routes.push((c, None, vec![]));
        }
        for (class, at, decorators) in class_routes {
            self.add_view_class(class, at, decorators);
        }
    }

    pub(crate) fn add_routes(&self, item: Node<'_>) {
        if !self.routed.borrow_mut().insert(item.id()) {
            return;
        }
        let mut later = Vec::new();
        item.visit(&mut |n| {
            if matches!(n.kind(), "decorated_definition" | "class_definition") {
                later.push(n);
            }
            true
        });
        let mut class_routes = Vec::new();
        for n in later {
            match n.kind() {
                "decorated_definition" => self.add_decorated(n, &mut class_routes),
                "class_definition" if self.is_view_class(n) => class_routes.push((n, None, vec![])),
                _ => {}
            }
        }
        for (class, at, decorators) in class_routes {
            self.add_view_class(class, at, decorators);
        }
        // `app.add_url_rule("/x", view_func=f)` anywhere registers this top-level f
        let def = if item.is("decorated_definition") { item.field("definition") } else { Some(item) };
        if let Some(d) = def.filter(|d| d.is("function_definition")) {
            if let Some((kind, rule, router)) = d.field("name").and_then(|n| self.registrations.get(n.text())).cloned()
            {
                let url = rule.as_ref().map(|u| format!("{}{u}", self.prefix_of(&router).unwrap_or("")));
                // `add_url_rule` registers the decorated function: all its decorators apply
                let decorators = item
                    .items()
                    .into_iter()
                    .filter(|c| item.is("decorated_definition") && c.is("decorator"))
                    .filter_map(|c| c.first_item())
                    .filter_map(|e| dotted(Call::of(e).map_or(e, |c| c.func)))
                    .collect();
                let route = Route { kind, url, decorators, router: Some(router), rule };
                self.routes.borrow_mut().entry(d.id()).or_insert(route);
            }
        }
    }

    fn add_binding(&mut self, name: &str, callee: &str, prefix: &Option<String>, first: &Option<String>) {
        let q = self.qualify_dotted(callee).unwrap_or_else(|| callee.to_string());
        let last = q.rsplit('.').next().unwrap_or(&q);
        match last {
            "Flask" | "APIFlask" | "Quart" => {
                self.apps.insert(name.to_string());
            }
            "Blueprint" | "APIBlueprint" | "Namespace" | "Api" => {
                // `api = Api(bp)`: routes on the Api are the blueprint's
                if let (Some(bp), "Api") = (first, last) {
                    self.summary.api_of.push((name.to_string(), bp.clone()));
                }
                self.blueprints.insert(name.to_string(), prefix.clone());
            }
            "getLogger" | "get_logger" | "getChild" => {
                self.loggers.insert(name.to_string());
            }
            _ => {}
        }
    }

    /// The qualified name of a callee, falling back to its dotted text.
    fn qualify_callee(&self, n: Node<'_>) -> Option<String> {
        self.qualify(n).or_else(|| dotted(n))
    }

    /// `j` -> `flask.jsonify` for `from flask import jsonify as j`;
    /// `fl.request.headers` -> `flask.request.headers`. None for names that
    /// are not imported.
    pub(crate) fn qualify(&self, n: Node<'_>) -> Option<String> {
        self.qualify_dotted(&dotted(n)?)
    }

    fn qualify_dotted(&self, d: &str) -> Option<String> {
        let (head, rest) = d.split_once('.').map_or((d, None), |(h, r)| (h, Some(r)));
        let q = self.imports.get(head)?;
        Some(match rest {
            Some(r) => format!("{q}.{r}"),
            None => q.clone(),
        })
    }

    /// The local name of `import module as alias` (or plain `import module`)
    /// at module level.
    pub(crate) fn alias_of_module(&self, module: &str) -> Option<String> {
        let mut names: Vec<&String> =
            self.imports.iter().filter(|(_, q)| q.as_str() == module).map(|(a, _)| a).collect();
        names.sort();
        names.into_iter().next().cloned()
    }

    /// Is `name` bound at module level by anything (an import of something
    /// else, an assignment, a definition)?
    pub(crate) fn binds_at_module_level(&self, name: &str) -> bool {
        self.imports.contains_key(name) || self.constants.contains_key(name) || self.functions.contains_key(name)
    }

    /// A module-level logger a fix can write to (`log = logging.getLogger(...)`).
    pub(crate) fn logger_name(&self) -> Option<&str> {
        let mut names: Vec<&String> = self.loggers.iter().filter(|n| !n.contains('.')).collect();
        names.sort();
        names.first().map(|s| s.as_str())
    }

    /// The qualified module an imported name comes from, e.g. `flask`.
    pub(crate) fn import_of(&self, name: &str) -> Option<&str> {
        self.imports.get(name).map(String::as_str)
    }

    /// A Flask application object: bound to `Flask(...)`, `current_app`, or
    /// conventionally named when it comes from elsewhere (`from app import app`).
    pub(crate) fn is_app(&self, n: Node<'_>) -> bool {
        // `create_app().run(...)`: an app factory's result
        if let Some(call) = Call::of(n.unparen()) {
            return dotted(call.func).is_some_and(|f| {
                let last = f.rsplit('.').next().unwrap_or(&f).to_ascii_lowercase();
                last.ends_with("_app") || last == "app" || last == "flask"
            });
        }
        dotted(n).is_some_and(|d| self.is_app_dotted(&d))
    }

    /// `is_app` for a dotted name as written (an alias's target).
    pub(crate) fn is_app_name(&self, d: &str) -> bool {
        self.is_app_dotted(d)
    }

    fn is_app_dotted(&self, d: &str) -> bool {
        if self.apps.contains(d) {
            return true;
        }
        if let Some(q) = self.qualify_dotted(d) {
            if q == "flask.current_app" || q.ends_with(".app") || q.ends_with(".application") {
                return true;
            }
        }
        let last = d.rsplit('.').next().unwrap_or(d);
        matches!(last, "app" | "application" | "flask_app" | "server" | "_app") || last.ends_with("_app")
    }

    fn is_blueprint(&self, d: &str) -> bool {
        if self.blueprints.contains_key(d) {
            return true;
        }
        let last = d.rsplit('.').next().unwrap_or(d);
        matches!(last, "bp" | "blueprint" | "api" | "ns" | "namespace" | "blp" | "router")
            || last.ends_with("_bp")
            || last.ends_with("_blueprint")
            || last.ends_with("_api")
            || last.ends_with("_ns")
    }

    /// Something routes hang off: an app or a blueprint.
    fn is_router(&self, obj: Node<'_>) -> bool {
        self.is_app(obj) || dotted(obj).is_some_and(|d| self.is_blueprint(&d))
    }

    fn is_router_dotted(&self, d: &str) -> bool {
        self.is_app_dotted(d) || self.is_blueprint(d)
    }

    pub(crate) fn is_logger(&self, n: Node<'_>) -> bool {
        let Some(d) = dotted(n) else { return false };
        self.is_logger_dotted(&d, 0)
    }

    fn is_logger_dotted(&self, d: &str, hops: u8) -> bool {
        if self.loggers.contains(d) {
            return true;
        }
        // `foo = LOGGER`, `audit = logging.getLogger("audit")` elsewhere
        if let Some(target) = self.aliases.get(d).filter(|_| hops < 4) {
            if self.is_logger_dotted(target, hops + 1) {
                return true;
            }
        }
        let d = d.to_string();
        if self.qualify_dotted(&d).is_some_and(|q| q == "logging" || q.starts_with("logging.")) {
            return true;
        }
        let last = d.rsplit('.').next().unwrap_or(&d).to_ascii_lowercase();
        let last = last.trim_start_matches('_');
        matches!(last, "log" | "logger" | "logging" | "lgr" | "audit")
            || last.ends_with("logger")
            || last.ends_with("_log")
    }

    fn prefix_of(&self, router: &str) -> Option<&str> {
        self.blueprints.get(router).and_then(|p| p.as_deref())
    }

    fn add_decorated<'a>(&self, n: Node<'a>, class_routes: &mut Vec<ClassRoute<'a>>) {
        let Some(def) = n.field("definition") else {
            return;
        };
        let mut decorators = Vec::new();
        let mut route: Option<(RouteKind, Option<String>)> = None;
        let (mut router_of, mut rule_of) = (None, None);
        for dec in n.items().into_iter().filter(|c| c.is("decorator")) {
            let Some(expr) = dec.first_item() else {
                continue;
            };
            let (callee, call) = match Call::of(expr) {
                Some(c) => (c.func, Some(c)),
                None => (expr, None),
            };
            if let Some(name) = dotted(callee) {
                if name.ends_with(".verify_token") || name.ends_with(".verify_password") {
                    self.auth_callbacks.borrow_mut().insert(def.id());
                }
                // `@functools.wraps(view) def wrapper(...)`: the wrapper runs as the view
                if (name == "wraps" || name.ends_with(".wraps")) && call.is_some() && route.is_none() {
                    route = Some((RouteKind::View, None));
                }
                decorators.push(name);
            }
            if !callee.is("attribute") {
                continue;
            }
            let (Some(obj), Some(method)) = (callee.field("object"), callee.field("attribute")) else {
                continue;
            };
            let method = method.text();
            if !self.is_router(obj) {
                continue;
            }
            let router = dotted(obj).unwrap_or_default();
            let rule = call
                .as_ref()
                .and_then(|c| c.positional().first().copied().or_else(|| c.keyword("rule")))
                .and_then(plain_str);
            let url = rule.as_ref().map(|u| format!("{}{u}", self.prefix_of(&router).unwrap_or("")));
            if ROUTE_METHODS.contains(&method) && (call.is_some() || method != "get") {
                route = Some((RouteKind::View, url));
                // a decorator above the route decorator wraps what Flask
                // never calls: only those below it apply
                decorators.clear();
                router_of = Some(router);
                rule_of = rule;
            } else if matches!(method, "errorhandler" | "app_errorhandler") {
                route = Some((RouteKind::ErrorHandler, None));
            } else if matches!(method, "after_request" | "after_app_request") {
                route = Some((RouteKind::AfterRequest, None));
            }
        }
        if def.is("class_definition") {
            if route.is_some() || self.is_view_class(def) {
                class_routes.push((def, route.map(|r| (r.1, router_of, rule_of)), decorators));
            }
            return;
        }
        if let Some((kind, url)) = route {
            let decorators = decorators.into_iter().filter(|d| !d.ends_with(".route")).collect();
            self.routes
                .borrow_mut()
                .insert(def.id(), Route { kind, url, decorators, router: router_of, rule: rule_of });
        }
    }

    /// `class X(MethodView)`, `class X(Resource)`, `class X(flask.views.View)`.
    fn is_view_class(&self, class: Node<'_>) -> bool {
        let Some(bases) = class.field("superclasses") else {
            return false;
        };
        bases.items().into_iter().any(|b| {
            let q = self.qualify_callee(b).unwrap_or_default();
            let last = q.rsplit('.').next().unwrap_or(&q);
            matches!(last, "MethodView" | "View" | "Resource")
        })
    }

    fn add_view_class(&self, class: Node<'_>, at: Option<RouteAt>, mut class_decorators: Vec<String>) {
        let Some(body) = class.field("body") else {
            return;
        };
        // `add_url_rule("/x", view_func=X.as_view("x"))`, `api.add_resource(X, "/x")`
        let registered = class.field("name").and_then(|n| self.registrations.get(n.text())).cloned();
        let (url, router, rule) = match (at, registered) {
            (Some((url, router, rule)), _) => (url, router, rule),
            (None, Some((_, rule, router))) => {
                let url = rule.as_ref().map(|u| format!("{}{u}", self.prefix_of(&router).unwrap_or("")));
                (url, Some(router), rule)
            }
            (None, None) => (None, None, None),
        };
        // `decorators = [login_required]`, `method_decorators = [jwt_required()]`
        for st in body.items() {
            let Some(a) = st.first_item().filter(|a| st.is("expression_statement") && a.is("assignment")) else {
                continue;
            };
            let is_decorators = a.field("left").is_some_and(|l| matches!(l.text(), "decorators" | "method_decorators"));
            if let (true, Some(r)) = (is_decorators, a.field("right")) {
                r.visit(&mut |e| {
                    if matches!(e.kind(), "identifier" | "attribute" | "call") {
                        if let Some(d) = dotted(Call::of(e).map_or(e, |c| c.func)) {
                            class_decorators.push(d);
                        }
                        return false;
                    }
                    true
                });
            }
        }
        for item in body.items() {
            let (def, mut decorators) = match item.kind() {
                "function_definition" => (item, vec![]),
                "decorated_definition" => match item.field("definition") {
                    Some(d) => (
                        d,
                        item.items()
                            .into_iter()
                            .filter(|c| c.is("decorator"))
                            .filter_map(|c| c.first_item())
                            .filter_map(|e| dotted(Call::of(e).map_or(e, |c| c.func)))
                            .collect(),
                    ),
                    None => continue,
                },
                _ => continue,
            };
            let Some(name) = def.field("name") else {
                continue;
            };
            if VIEW_METHODS.contains(&name.text()) {
                decorators.extend(class_decorators.iter().cloned());
                let route = Route {
                    kind: RouteKind::View,
                    url: url.clone(),
                    decorators,
                    router: router.clone(),
                    rule: rule.clone(),
                };
                self.routes.borrow_mut().insert(def.id(), route);
            }
        }
    }

    /// The index for an editor's cache: what no one name selects, hashed
    /// into `whole`, and per module-level name (dotted, as the index keys
    /// it) a hash of what the index says of it. A function's results
    /// depend on the whole part and on the names it mentions.
    pub(crate) fn cache_facts(&self, whole: &mut impl std::hash::Hasher, named: &mut Vec<(String, u64)>) {
        use std::hash::{Hash, Hasher};
        fn sorted<T: Ord + Clone>(it: impl Iterator<Item = T>) -> Vec<T> {
            let mut v: Vec<T> = it.collect();
            v.sort();
            v
        }
        // what fixes read of the whole module: how to name a standard
        // module there, a logger to write to, the names a fix may use
        for m in ["os", "hmac", "logging"] {
            self.alias_of_module(m).hash(whole);
        }
        (self.logger_name(), self.import_of("current_app"), self.import_of("Flask")).hash(whole);
        sorted(self.env_reads.iter()).hash(whole);
        sorted(self.registrations.iter().map(|(k, (kind, url, r))| (k, format!("{kind:?}"), url, r))).hash(whole);
        for m in ["os", "hmac", "logging"] {
            self.binds_at_module_level(m).hash(whole);
        }
        let sh = &self.summary.shared;
        (&sh.registrations, &sh.hooks, &sh.limiters, &sh.limiter_uses, sh.ratelimit_default).hash(whole);
        let mut add = |name: &str, what: u8, x: &dyn Fn(&mut crate::StableHasher)| {
            let mut h = crate::StableHasher::default();
            what.hash(&mut h);
            x(&mut h);
            named.push((name.to_string(), h.finish()));
        };
        // imports, apps, loggers and aliases by the name a unit uses: typing
        // in an import or a logger's line re-checks the units that use it
        for (local, q) in &self.imports {
            add(local, 9, &|h| q.hash(h));
        }
        for a in &self.apps {
            add(a, 10, &|_| {});
        }
        for l in &self.loggers {
            add(l, 11, &|_| {});
        }
        for name in self.aliases.keys() {
            // what the chain of names leads to, as the unit's name reads it
            add(name, 12, &|h| {
                let mut cur = name.as_str();
                for _ in 0..6 {
                    let Some(next) = self.aliases.get(cur) else { break };
                    let head = next.split('.').next().unwrap_or(next);
                    (
                        next,
                        self.imports.get(head),
                        self.apps.contains(next.as_str()),
                        self.loggers.contains(next.as_str()),
                    )
                        .hash(h);
                    if next == cur {
                        break;
                    }
                    cur = next;
                }
            });
        }
        for (local, _) in &self.summary.imports {
            add(local, 13, &|h| self.summary.import(local).hash(h));
        }
        for a in &self.summary.apps {
            add(a, 14, &|_| {});
        }
        for (api, bp) in &self.summary.api_of {
            // the unit names the api; what it reads is the blueprint's
            add(api, 15, &|h| {
                let ctor: Vec<_> = self.summary.blueprints.iter().filter(|(b, _)| b == bp).collect();
                (bp, self.blueprints.get(bp), ctor).hash(h)
            });
        }
        for (k, v) in &self.blueprints {
            add(k, 0, &|h| v.hash(h));
        }
        for (k, v) in &self.constants {
            add(k, 1, &|h| v.hash(h));
        }
        for (k, v) in &self.literals {
            add(k, 2, &|h| v.hash(h));
        }
        for k in self.functions.keys() {
            add(k, 3, &|h| (self.called.contains(k), self.calls_helpers.contains(k)).hash(h));
        }
        for k in &self.objects {
            add(k, 4, &|_| {});
        }
        for (name, traits, _) in &sh.functions {
            add(name, 5, &|h| traits.hash(h));
        }
        for (name, c, _) in &sh.constants {
            add(name, 6, &|h| c.hash(h));
        }
        for c in &sh.classes {
            add(&c.name, 7, &|h| (&c.bases, &c.attrs).hash(h));
        }
        for (k, v) in &self.summary.blueprints {
            add(k, 8, &|h| v.hash(h));
        }
    }

    /// The literal a module-level name holds (`DEBUG = True` -> `True`),
    /// when it is assigned exactly once.
    pub(crate) fn literal_of(&self, name: &str) -> Option<&str> {
        self.literals.get(name).and_then(|v| v.as_deref())
    }

    /// What a name is another name for (`run` -> `app.run`), followed a few
    /// steps.
    pub(crate) fn resolve_alias(&self, name: &str) -> Option<&str> {
        let mut cur = self.aliases.get(name)?;
        for _ in 0..4 {
            match self.aliases.get(cur.as_str()) {
                Some(next) if next != cur => cur = next,
                _ => break,
            }
        }
        Some(cur.as_str())
    }

    /// Does the module use `name` as an object, `name.attribute` with an
    /// attribute that strings do not have (`token.user`, `self.token.name`)?
    pub(crate) fn used_as_object(&self, name: &str) -> bool {
        self.objects.contains(name)
    }

    /// Does the data flow need a summary of this module function? Only
    /// when the module calls it, or it calls another module function.
    pub(crate) fn needs_summary(&self, function: &str) -> bool {
        self.called.contains(function) || self.calls_helpers.contains(function)
    }

    pub(crate) fn constant(&self, name: &str) -> Option<&str> {
        self.constants.get(name).and_then(|v| v.as_deref())
    }

    pub(crate) fn is_auth_callback(&self, def: Node<'_>) -> bool {
        self.auth_callbacks.borrow().contains(&def.id())
    }

    pub(crate) fn route(&self, def: Node<'_>) -> Option<Route> {
        self.routes.borrow().get(&def.id()).cloned()
    }
}

/// Methods of `str`/`bytes`: using them says nothing about objects.
pub(crate) const STR_METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "encode",
    "decode",
    "lower",
    "upper",
    "replace",
    "startswith",
    "endswith",
    "format",
    "removeprefix",
    "removesuffix",
    "partition",
    "rpartition",
    "join",
    "find",
    "index",
    "count",
    "isdigit",
    "isalnum",
    "title",
    "casefold",
    "zfill",
    "splitlines",
    "hex",
];

/// A class or file named for development or tests (`DevelopmentConfig`,
/// `TestingConfig`, `config_dev.py`).
pub(crate) fn is_dev_or_test_name(name: &str) -> bool {
    crate::secrets::words_of(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "dev"
                | "develop"
                | "development"
                | "test"
                | "tests"
                | "testing"
                | "local"
                | "debug"
                | "ci"
                | "unittest"
                | "pytest"
                | "conftest"
                | "sandbox"
                | "example"
                | "examples"
                | "sample"
        )
    })
}

/// A test file by path: `tests/...`, `test_x.py`, `x_test.py`, `conftest.py`.
pub(crate) fn is_test_path(path: &str) -> bool {
    let norm = path.replace('\\', "/");
    let file = norm.rsplit('/').next().unwrap_or(&norm);
    if file.starts_with("test_") || file.ends_with("_test.py") || file == "conftest.py" || file == "tests.py" {
        return true;
    }
    norm.split('/').rev().skip(1).any(|d| matches!(d, "tests" | "test" | "testing"))
}
