//! What an expression holds: the taint sources, propagation and sanitizers
//! of the rule catalogue's shared vocabulary (the tables are in `vocab.rs`).

use super::vocab::{
    is_pii_field, CREDENTIAL_HEADERS, EXCEPTION_DETAIL_ATTRS, EXCEPTION_PUBLIC_ATTRS, EXCEPTION_TEXT_CALLS, GENERATORS,
    GENERATOR_VERBS, KEY_ITERATORS, PASS_THROUGH_FUNCS, PASS_THROUGH_METHODS, RANDOM_SOURCES, SANITIZERS,
    SANITIZER_WORDS, SERVED_FOLDERS,
};
use super::{Analyzer, Frame, FrameKind, Labels, MapKind, ObjectTaint, Origin, PiiTaint, Taint, Val};
use crate::secrets::{find_vendor_secret, is_ambiguous_name, NameClassifier};
use crate::syntax::{dotted, plain_str, string_lit, Call, Node};

pub(crate) struct Eval<'e, 'a, 'f> {
    pub an: &'e Analyzer<'a, 'f>,
    pub frames: &'e [Frame],
}

/// Calls that issue a new credential.
pub(crate) fn is_generator_name(q: &str) -> bool {
    let last = q.rsplit('.').next().unwrap_or(q);
    if matches!(q, "secrets.token_hex" | "secrets.token_urlsafe" | "secrets.token_bytes" | "jwt.encode") {
        return true;
    }
    if GENERATORS.contains(&last) {
        return true;
    }
    let ws = crate::secrets::words_of(last);
    // `SessionToken.issue(user)`, `serializer.dumps(...)`, `Token.create()`:
    // a token class or signer issuing one
    let receiver = q.rsplit_once('.').map_or("", |(r, _)| r).to_ascii_lowercase();
    let issuer = ["token", "jwt", "serializer", "signer", "session"].iter().any(|w| receiver.contains(w));
    if issuer && matches!(last, "issue" | "create" | "generate" | "mint" | "new" | "sign" | "encode" | "dumps") {
        return true;
    }
    let verb = ws.first().is_some_and(|w| GENERATOR_VERBS.contains(&w.as_str()));
    // create_api_key, generate_token, issue_jwt: a verb, then a secret's name
    verb && ws.len() > 1
        && (NameClassifier::default().is_secret_name(&ws[1..].join("_")) || ws[1..].iter().any(|w| w == "jwt"))
}

/// A fresh credential when bound to a secret-named target: the generators
/// above, and random values (`os.urandom(24).hex()`, `uuid4()`,
/// `base64.b64encode(os.urandom(32))`) that are credentials only by the
/// name they are given.
/// `URLSafeTimedSerializer(key).dumps`: a method of a freshly built object,
/// named by the constructor (`URLSafeTimedSerializer.dumps`).
fn method_of_constructed(func: Node<'_>) -> Option<String> {
    let obj = func.field("object")?;
    let ctor = Call::of(obj.unparen())?;
    Some(format!("{}.{}", dotted(ctor.func)?, func.field("attribute")?.text()))
}

pub(crate) fn is_generator_call(an: &Analyzer<'_, '_>, n: Node<'_>) -> bool {
    let mut cur = n.unparen();
    for _ in 0..6 {
        let Some(call) = Call::of(cur) else { return false };
        let q = an
            .file
            .index
            .qualify(call.func)
            .or_else(|| dotted(call.func))
            .or_else(|| method_of_constructed(call.func))
            .unwrap_or_default();
        let last = q.rsplit('.').next().unwrap_or(&q);
        if is_generator_name(&q) || RANDOM_SOURCES.contains(&last) {
            return true;
        }
        // look through `.hex()`, `.decode()`, `str(...)`, `b64encode(...)`
        cur = match (call.method(), call.receiver()) {
            (Some(m), Some(recv)) if PASS_THROUGH_METHODS.contains(&m) => recv.unparen(),
            _ if PASS_THROUGH_FUNCS.contains(&last) => match call.positional().first() {
                Some(a) => a.unparen(),
                None => return false,
            },
            _ => return false,
        };
    }
    false
}

/// What a value becomes when rendered into text or put in a container:
/// secrets and other labels stay; a sensitive object becomes its contents,
/// an exception its details; anything else is unknown.
pub(crate) fn rendered(v: Val) -> Val {
    match v.collapse() {
        v @ (Val::Tainted(_) | Val::Clean) => v,
        v @ (Val::Mapping(..) | Val::Exception(_)) => {
            let l = v.all_labels();
            Val::labels(l)
        }
        _ => Val::Unknown,
    }
}

fn span(n: Node<'_>) -> (usize, usize) {
    (n.start(), n.end())
}

impl<'a> Eval<'_, 'a, '_> {
    /// Is `name` bound in an enclosing function (shadowing imports)?
    fn is_local(&self, name: &str) -> bool {
        self.frames
            .iter()
            .rev()
            .take_while(|f| f.kind != FrameKind::Module)
            .any(|f| f.kind == FrameKind::Function && f.env.contains_key(name))
    }

    /// A canonical dotted name: imports resolved, `flask.` dropped from the
    /// request-context globals. None for expressions that are not names.
    pub(crate) fn canonical(&self, n: Node<'_>) -> Option<String> {
        let d = dotted(n)?;
        let head = d.split('.').next().unwrap_or(&d);
        if self.is_local(head) {
            return Some(format!("local:{d}"));
        }
        let q = self.an.file.index.qualify(n).unwrap_or(d);
        for ctx in ["flask.", "quart.", "werkzeug.local."] {
            if let Some(rest) = q.strip_prefix(ctx) {
                if rest.starts_with("request")
                    || rest.starts_with("current_app")
                    || rest.starts_with("session")
                    || rest.starts_with('g')
                {
                    return Some(rest.to_string());
                }
            }
        }
        Some(q)
    }

    /// A string key: a literal, or a module constant holding one
    /// (`request.headers.get(API_KEY_HEADER)`).
    fn key_str(&self, n: Node<'_>) -> Option<String> {
        plain_str(n).or_else(|| {
            n.unparen().is("identifier").then(|| self.an.file.index.constant(n.text())).flatten().map(str::to_string)
        })
    }

    /// `self.session.headers` in a method, `client.api_key` for an instance
    /// of a module class: what the class's methods stored there.
    fn instance_attr(&self, dotted: &str) -> Option<Val> {
        let (head, path) = dotted.split_once('.')?;
        let class = if head == "self" {
            self.frames.iter().rev().find(|f| f.kind == FrameKind::Class).and_then(|f| f.class_name.clone())?
        } else {
            match self.lookup(head)? {
                Val::Instance(c) => c,
                _ => return None,
            }
        };
        self.an.class_attrs.get(&class)?.get(path).cloned()
    }

    fn lookup(&self, name: &str) -> Option<Val> {
        let mut in_function = false;
        for f in self.frames.iter().rev() {
            match f.kind {
                FrameKind::Module if in_function => return self.an.globals.get(name).cloned(),
                FrameKind::Class if in_function => continue,
                FrameKind::Function => in_function = true,
                _ => {}
            }
            if let Some(v) = f.env.get(name) {
                return Some(v.clone());
            }
        }
        if in_function {
            return self.an.globals.get(name).cloned();
        }
        None
    }

    pub(crate) fn val(&self, n: Node<'a>) -> Val {
        let n = n.unparen();
        let Some(_depth) = self.an.enter(n.start()) else { return Val::Unknown };
        match n.kind() {
            "identifier" => self.identifier(n),
            "attribute" => self.attribute(n),
            "subscript" => self.subscript(n),
            "call" if self.an.memo_on.get() => {
                if let Some(v) = self.an.memo.borrow().get(&n.id()) {
                    return v.clone();
                }
                let v = self.call(n);
                self.an.memo.borrow_mut().insert(n.id(), v.clone());
                v
            }
            "call" => self.call(n),
            "string" | "concatenated_string" => self.string(n),
            "binary_operator" | "boolean_operator" => self.operator_chain(n),
            "conditional_expression" => {
                let items = n.items();
                let a = items.first().map_or(Val::Clean, |x| self.val(*x));
                let b = items.get(2).map_or(Val::Clean, |x| self.val(*x));
                a.join(b)
            }
            "dictionary" => self.record(n),
            "list" | "tuple" | "set" | "expression_list" => self.union(n.items().into_iter()),
            "list_splat" | "dictionary_splat" | "await" | "keyword_argument" | "named_expression" => {
                let inner = n.field("value").or_else(|| n.items().last().copied());
                inner.map_or(Val::Unknown, |x| self.val(x))
            }
            "list_comprehension" | "set_comprehension" | "generator_expression" | "dictionary_comprehension" => {
                self.comprehension(n)
            }
            "integer"
            | "float"
            | "true"
            | "false"
            | "none"
            | "comparison_operator"
            | "not_operator"
            | "lambda"
            | "unary_operator" => Val::Clean,
            _ => Val::Unknown,
        }
    }

    /// `[f(x) for x in xs if ...]`: the element and the iterated values.
    /// Iterating a mapping yields its keys; a filter (`if k in ALLOWED`)
    /// means the result is not the whole object any more.
    fn comprehension(&self, n: Node<'a>) -> Val {
        let mut v = n.field("body").map_or(Val::Clean, |b| self.val(b));
        // an allow-list (`if k in PUBLIC`, `if k.startswith("FEATURE_")`)
        // keeps a few entries; a deny-list (`if not k.startswith("_")`)
        // keeps nearly all
        let filtered = n.items().iter().filter(|c| c.is("if_clause")).any(|c| {
            let cond = c.first_item().map_or("", |e| e.text()).trim_start();
            !(cond.starts_with("not ") || cond.contains(" not in ") || cond.contains("!="))
        });
        for c in n.items() {
            if !c.is("for_in_clause") {
                continue;
            }
            let Some(r) = c.field("right") else { continue };
            // `for c in obj.__table__.columns` with `getattr(obj, c.name)`: a whole model
            if r.text().ends_with("__table__.columns") || r.text().ends_with("__mapper__.columns") {
                v = v.join(Val::labels(Labels {
                    pii: vec![PiiTaint { field: r.text().to_string(), whole_model: true, at: span(n) }],
                    ..Labels::default()
                }));
                continue;
            }
            let it = match self.val(r) {
                // iterating a mapping itself gives its keys
                Val::Mapping(..) => Val::Clean,
                other => rendered(other),
            };
            v = v.join(it);
        }
        let mut v = rendered(v);
        if filtered {
            if let Val::Tainted(l) = &mut v {
                l.object = None;
                l.pii.retain(|p| !p.whole_model);
            }
            if let Val::Tainted(l) = &v {
                if l.secret.is_none() && l.exception.is_empty() && l.pii.is_empty() {
                    return Val::Unknown;
                }
            }
        }
        v
    }

    /// `{"a": x, "b": y}` entry by entry when every key is a string. An
    /// entry whose key names personal data carries it from that entry.
    fn record(&self, n: Node<'a>) -> Val {
        let mut fields = Vec::new();
        for p in n.items() {
            let key = if p.is("pair") { p.field("key").and_then(plain_str) } else { None };
            match (key, p.field("value")) {
                (Some(k), Some(v)) => {
                    let val = self.pii_entry(&k, self.val(v), p);
                    fields.push((k, val));
                }
                _ => {
                    let values =
                        n.items()
                            .into_iter()
                            .filter_map(|p| if p.is("pair") { p.field("value") } else { p.first_item() });
                    return self.union(values);
                }
            }
        }
        Val::Record(fields)
    }

    /// The value of an entry or keyword named `key`: a PII name makes it
    /// personal data from `at` (its own reads inside `at` fold into it),
    /// unless the value is known harmless (a literal, a mask, a length).
    pub(crate) fn pii_entry(&self, key: &str, v: Val, at: Node<'a>) -> Val {
        if !is_pii_field(key) || matches!(v, Val::Clean) {
            return v;
        }
        let mut l = v.all_labels();
        l.pii.retain(|p| !(at.start() <= p.at.0 && p.at.1 <= at.end()));
        l.pii.push(PiiTaint { field: key.to_string(), whole_model: false, at: span(at) });
        Val::labels(l)
    }

    fn union(&self, items: impl Iterator<Item = Node<'a>>) -> Val {
        let mut acc = Val::Clean;
        for i in items {
            acc = acc.join(self.val(i));
        }
        rendered(acc)
    }

    /// `a + b + c`, `x or y or {}`: a chain of operators, left-nested in the
    /// tree, walked with a loop (a 3,000-term concatenation is valid Python).
    fn operator_chain(&self, n: Node<'a>) -> Val {
        let mut operands = Vec::new();
        let mut cur = n;
        let mut boolean = false;
        loop {
            let node = cur.unparen();
            if !matches!(node.kind(), "binary_operator" | "boolean_operator") {
                operands.push(node);
                break;
            }
            boolean |= node.is("boolean_operator");
            if let Some(r) = node.field("right") {
                operands.push(r);
            }
            match node.field("left") {
                Some(l) => cur = l,
                None => break,
            }
        }
        let mut acc = Val::Clean;
        let mut all_clean = true;
        for o in operands.into_iter().rev() {
            let v = self.val(o);
            all_clean &= matches!(v, Val::Clean);
            acc = acc.join(v);
        }
        if boolean {
            // `request.get_json() or {}` is still the request's body
            acc
        } else if all_clean {
            Val::Clean
        } else {
            rendered(acc)
        }
    }

    fn named(&self, name: &str, n: Node<'a>, app_owned: bool) -> Val {
        Val::secret(Taint {
            origin: Origin::Named,
            what: format!("`{name}`"),
            at: span(n),
            app_owned,
            url_segment: false,
            ambiguous: is_ambiguous_name(name),
            name: Some(name.to_string()),
        })
    }

    fn identifier(&self, n: Node<'a>) -> Val {
        let name = n.text();
        if let Some(v) = self.lookup(name) {
            // an exception is placed where it is used (for the fix that replaces it)
            return match v {
                Val::Exception(_) => Val::Exception(span(n)),
                v => v,
            };
        }
        if let Some(module) = self.an.file.index.import_of(name) {
            // `from config import API_KEY`: an app secret by name; a library
            // import (`from secrets import token_hex`) is a function.
            let local_module = !module.contains('.') || module.starts_with('.') || !is_library(module);
            let class_like =
                name.chars().next().is_some_and(char::is_uppercase) && name.chars().any(char::is_lowercase);
            if self.an.file.names.is_secret_name(name)
                && local_module
                && !class_like
                && module.rsplit('.').next() == Some(name)
            {
                return self.named(name, n, true);
            }
            if matches!(module, "flask.session" | "quart.session") {
                return Val::Mapping(MapKind::Session, span(n));
            }
            return Val::Clean;
        }
        // a class (`SqlGatewaySecret`) is not a value
        let class_like = name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().any(char::is_lowercase)
            && !name.contains('_');
        if self.an.file.names.is_secret_name(name) && !class_like {
            let constant = name.chars().all(|c| !c.is_lowercase());
            return self.named(name, n, constant);
        }
        Val::Unknown
    }

    fn attribute(&self, n: Node<'a>) -> Val {
        let (Some(obj), Some(attr)) = (n.field("object"), n.field("attribute")) else {
            return Val::Unknown;
        };
        let attr_name = attr.text();
        if let Some(c) = self.canonical(n) {
            let mapping = match c.as_str() {
                "request.headers" => Some(MapKind::RequestHeaders),
                "request.environ" => Some(MapKind::WsgiEnviron),
                "request.args" | "request.values" => Some(MapKind::RequestQuery),
                "request.form" | "request.json" | "request.files" => Some(MapKind::RequestBody),
                "request.cookies" => Some(MapKind::Cookies),
                "os.environ" => Some(MapKind::Environ),
                _ => None,
            };
            if let Some(kind) = mapping {
                return Val::Mapping(kind, span(n));
            }
            if c == "request.authorization" {
                return Val::secret(Taint {
                    origin: Origin::Request,
                    what: "the caller's credentials (`request.authorization`)".into(),
                    at: span(n),
                    app_owned: false,
                    url_segment: false,
                    ambiguous: false,
                    name: None,
                });
            }
            if let Some(d) = dotted(n) {
                if let Some(v) = self.lookup(&d) {
                    return v;
                }
                if let Some(v) = self.instance_attr(&d) {
                    return v;
                }
            }
        }
        if attr_name == "config"
            && (self.an.file.index.is_app(obj) || self.canonical(obj).is_some_and(|c| c == "current_app"))
        {
            return Val::Mapping(MapKind::Config, span(n));
        }
        if attr_name == "__dict__" {
            return Val::labels(Labels {
                pii: vec![PiiTaint { field: obj.text().chars().take(40).collect(), whole_model: true, at: span(n) }],
                ..Labels::default()
            });
        }
        let base = self.val(obj);
        let secret_attr = self.an.file.names.is_secret_name(attr_name);
        match base {
            Val::Exception(_) => {
                return if EXCEPTION_DETAIL_ATTRS.contains(&attr_name) {
                    Val::labels(Labels { exception: vec![span(n)], ..Labels::default() })
                } else if EXCEPTION_PUBLIC_ATTRS.contains(&attr_name) {
                    Val::Clean
                } else {
                    Val::Unknown
                };
            }
            Val::Tainted(l) if l.secret.is_some() => {
                let metadata = matches!(
                    attr_name,
                    "username" | "user" | "type" | "scheme" | "realm" | "name" | "id" | "parameters"
                ) || attr_name.starts_with("__");
                // `secret.secret_name`, `auth.username`: an object that holds a
                // credential has other attributes; only secret-named ones are it
                let object = l.secret.as_ref().is_some_and(|t| matches!(t.origin, Origin::Named | Origin::Request));
                if (metadata || object) && !secret_attr {
                    return Val::Unknown;
                }
                return Val::Tainted(l);
            }
            Val::Mapping(kind, _) if secret_attr => return self.index_mapping(kind, attr_name, n),
            _ => {}
        }
        let pii = (is_pii_field(attr_name) && obj.text() != "self").then(|| PiiTaint {
            field: attr_name.to_string(),
            whole_model: false,
            at: span(n),
        });
        let secret = if secret_attr {
            let (origin, own) = if is_settings_like(obj) {
                (Origin::Config, true)
            } else {
                (Origin::Named, obj.text() == "self" || obj.text() == "cls")
            };
            Some(Taint {
                origin,
                what: format!("`{}`", n.text()),
                at: span(n),
                app_owned: own,
                url_segment: false,
                ambiguous: origin == Origin::Named && is_ambiguous_name(attr_name),
                name: (origin == Origin::Named).then(|| n.text().to_string()),
            })
        } else {
            None
        };
        Val::labels(Labels { secret, pii: pii.into_iter().collect(), ..Labels::default() })
    }

    /// `session.headers` of the app's own HTTP client: the credentials the
    /// app sends upstream are its own.
    fn client_headers(&self, n: Node<'a>) -> bool {
        n.is("attribute")
            && n.field("attribute").is_some_and(|a| matches!(a.text(), "headers" | "auth"))
            && n.field("object").is_some_and(|o| matches!(self.val(o), Val::HttpClient))
    }

    /// A secret from indexing a mapping with `key`, or nothing.
    fn index_mapping(&self, kind: MapKind, key: &str, at: Node<'a>) -> Val {
        let names = self.an.file.names;
        let lower = key.to_ascii_lowercase();
        let taint = |origin, what: String| {
            Val::secret(Taint {
                origin,
                what,
                at: span(at),
                app_owned: origin == Origin::Config,
                url_segment: false,
                ambiguous: false,
                name: None,
            })
        };
        match kind {
            MapKind::Environ if names.is_secret_name(key) => {
                taint(Origin::Config, format!("`{key}` from the environment"))
            }
            MapKind::Config if names.is_secret_name(key) => {
                taint(Origin::Config, format!("`{key}` from the app config"))
            }
            MapKind::RequestHeaders | MapKind::WsgiEnviron
                if CREDENTIAL_HEADERS.contains(&lower.as_str())
                    || lower.contains("signature")
                    || names.is_secret_name(key) =>
            {
                taint(Origin::Request, format!("the caller's `{key}` header"))
            }
            MapKind::RequestQuery if names.is_secret_name(key) || lower.contains("signature") => {
                taint(Origin::Request, format!("the `{key}` query parameter"))
            }
            MapKind::RequestBody | MapKind::Cookies if names.is_secret_name(key) || lower.contains("signature") => {
                taint(Origin::Request, format!("the request's `{key}` field"))
            }
            MapKind::Session if names.is_secret_name(key) => taint(Origin::Named, format!("`{key}` from the session")),
            _ if is_pii_field(key) => Val::labels(Labels {
                pii: vec![PiiTaint { field: key.to_string(), whole_model: false, at: span(at) }],
                ..Labels::default()
            }),
            _ => Val::Unknown,
        }
    }

    fn subscript(&self, n: Node<'a>) -> Val {
        let Some(value) = n.field("value") else {
            return Val::Unknown;
        };
        let index = n.field("subscript");
        if let Some(ix) = index {
            if ix.is("slice") {
                return if is_short_slice(ix) { Val::Clean } else { rendered(self.val(value)) };
            }
        }
        let key = index.and_then(|k| self.key_str(k));
        let base = self.val(value);
        // a tuple's part: `sys.exc_info()[1]`, `pair[0]`
        if let (Some(ix), Val::Record(_)) = (index, &base) {
            if ix.is("integer") {
                if let Some(v) = base.field(&format!("#{}", ix.text())) {
                    return v;
                }
            }
        }
        if let Some(mut v) = key.as_deref().and_then(|k| base.field(k)) {
            if let Val::Tainted(l) = &mut v {
                if let Some(t) = l.secret.as_mut().filter(|_| self.client_headers(value)) {
                    t.app_owned = true;
                }
            }
            return v;
        }
        match (base.collapse(), key) {
            (Val::Mapping(kind, _), Some(k)) => self.index_mapping(kind, &k, n),
            // `credentials["username"]`: a part named otherwise is not the credential
            (Val::Tainted(l), Some(k))
                if l.secret.as_ref().is_some_and(|t| matches!(t.origin, Origin::Named | Origin::Request))
                    && !self.an.file.names.is_secret_name(&k)
                    && !k.to_ascii_lowercase().contains("signature") =>
            {
                Val::Unknown
            }
            (v @ Val::Tainted(_), _) => v,
            (Val::Exception(_), _) => Val::Unknown,
            (base, Some(k)) if self.an.file.names.is_secret_name(&k) => {
                let own = is_settings_like(value) || matches!(base, Val::Fetched) || self.client_headers(value);
                Val::secret(Taint {
                    origin: if own { Origin::Config } else { Origin::Named },
                    what: format!("`{}`", n.text().chars().take(60).collect::<String>()),
                    at: span(n),
                    app_owned: own,
                    url_segment: false,
                    ambiguous: false,
                    name: None,
                })
            }
            (_, Some(k)) if is_pii_field(&k) => Val::labels(Labels {
                pii: vec![PiiTaint { field: k, whole_model: false, at: span(n) }],
                ..Labels::default()
            }),
            _ => Val::Unknown,
        }
    }

    fn call(&self, n: Node<'a>) -> Val {
        let Some(call) = Call::of(n) else {
            return Val::Unknown;
        };
        let q = self.canonical(call.func).or_else(|| method_of_constructed(call.func)).unwrap_or_default();
        let last = q.rsplit('.').next().unwrap_or(&q).to_string();
        let key_arg = || call.positional().first().copied().and_then(|k| self.key_str(k));

        // environment reads
        if matches!(q.as_str(), "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "os.environ.pop") {
            if let Some(k) = key_arg() {
                return self.index_mapping(MapKind::Environ, &k, n);
            }
            return Val::Unknown;
        }
        if q == "request.get_json" {
            return Val::Mapping(MapKind::RequestBody, span(n));
        }
        // the namespace, or a whole object's attributes
        if matches!(q.as_str(), "globals" | "locals" | "vars") && call.args.is_empty() {
            return Val::Mapping(MapKind::Globals, span(n));
        }
        if q == "vars" && call.args.len() == 1 {
            return Val::labels(Labels {
                pii: vec![PiiTaint {
                    field: call.args[0].text().chars().take(40).collect(),
                    whole_model: true,
                    at: span(n),
                }],
                ..Labels::default()
            });
        }
        // an exception's text
        if EXCEPTION_TEXT_CALLS.contains(&q.as_str()) {
            return Val::labels(Labels { exception: vec![span(n)], ..Labels::default() });
        }
        if q == "sys.exc_info" {
            return Val::Record(vec![
                ("#0".into(), Val::Unknown),
                ("#1".into(), Val::Exception(span(n))),
                ("#2".into(), Val::Unknown),
            ]);
        }
        // a file opened for writing, an HTTP client
        if let Some(file) = self.file_open(&call, &q) {
            return file;
        }
        if super::vocab::HTTP_CLIENTS.contains(&last.as_str())
            && super::vocab::HTTP_MODULES.iter().any(|m| q.starts_with(&format!("{m}.")))
        {
            return Val::HttpClient;
        }
        // project helpers that read the request: get_request_param("password"),
        // _request_arg("api_key")
        let helper_words = crate::secrets::words_of(&last);
        if helper_words.iter().any(|w| w == "request")
            && helper_words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "param" | "params" | "arg" | "args" | "field" | "form" | "json" | "value" | "header" | "body"
                )
            })
        {
            if let Some(k) = key_arg() {
                return self.index_mapping(MapKind::RequestBody, &k, n);
            }
        }
        if is_generator_name(&q) {
            return Val::secret(Taint {
                origin: Origin::Generated,
                what: format!("a fresh credential from `{}()`", short(&q)),
                at: span(n),
                app_owned: false,
                url_segment: false,
                ambiguous: false,
                name: None,
            });
        }
        if let Some(v) = self.hmac_digest(&call, &q) {
            return v;
        }
        let lower = last.to_ascii_lowercase();
        if SANITIZERS.contains(&last.as_str())
            || SANITIZER_WORDS.iter().any(|w| lower.contains(w))
            || q.starts_with("hashlib.")
            || q.starts_with("hmac.")
        {
            return Val::Clean;
        }
        // methods
        if let (Some(method), Some(recv)) = (call.method(), call.receiver()) {
            // the receiver is evaluated once: a chain of calls must stay linear
            let base = self.val(recv);
            // `self._headers()`, `client.auth_header()`: what the method returns
            let class = if matches!(recv.text(), "self" | "cls") {
                self.frames.iter().rev().find(|f| f.kind == FrameKind::Class).and_then(|f| f.class_name.clone())
            } else {
                match &base {
                    Val::Instance(c) => Some(c.clone()),
                    _ => None,
                }
            };
            if let Some(v) = class.and_then(|c| self.an.methods.get(&format!("{c}.{method}"))) {
                return v.clone();
            }
            let entry =
                key_arg().filter(|_| matches!(method, "get" | "pop" | "setdefault")).and_then(|k| base.field(&k));
            if let Some(v) = entry {
                return v;
            }
            let base = base.collapse();
            if matches!(method, "get" | "pop" | "setdefault" | "getlist" | "__getitem__") {
                match (&base, key_arg()) {
                    (Val::Mapping(kind, _), Some(k)) => return self.index_mapping(*kind, &k, n),
                    // `credentials.get("nonce")`: a part named otherwise is not the credential
                    (Val::Tainted(l), Some(k))
                        if l.secret.as_ref().is_some_and(|t| matches!(t.origin, Origin::Named | Origin::Request))
                            && !self.an.file.names.is_secret_name(&k)
                            && !k.to_ascii_lowercase().contains("signature") =>
                    {
                        return Val::Unknown
                    }
                    (Val::Tainted(l), _) if l.secret.is_some() => return base,
                    (base, Some(k)) if self.an.file.names.is_secret_name(&k) => {
                        let own = is_settings_like(recv) || matches!(base, Val::Fetched) || self.client_headers(recv);
                        return Val::secret(Taint {
                            origin: if own { Origin::Config } else { Origin::Named },
                            what: format!("`{k}`"),
                            at: span(n),
                            app_owned: own,
                            url_segment: false,
                            ambiguous: false,
                            name: None,
                        });
                    }
                    (_, Some(k)) if is_pii_field(&k) => {
                        return Val::labels(Labels {
                            pii: vec![PiiTaint { field: k, whole_model: false, at: span(n) }],
                            ..Labels::default()
                        })
                    }
                    _ => return Val::Unknown,
                }
            }
            // a whole object copied or listed with its values
            if let Val::Mapping(kind, at) = base {
                return match method {
                    "copy" | "to_dict" => Val::Mapping(kind, at),
                    "items" | "values" if kind.is_sensitive() => {
                        Val::labels(Labels { object: Some(ObjectTaint { kind, at }), ..Labels::default() })
                    }
                    _ => Val::Unknown,
                };
            }
            if PASS_THROUGH_METHODS.contains(&method) {
                let mut v = rendered(base);
                if matches!(method, "format" | "format_map" | "join" | "replace") {
                    v = v.join(self.union(call.args.iter().copied()));
                }
                return rendered(v);
            }
        }
        // a module function that returns a secret, or what this call passes it
        if call.func.is("identifier") && !self.is_local(call.func.text()) {
            let intrinsic = self.an.summaries.get(call.func.text()).cloned();
            let passed = self.an.passthrough.get(call.func.text()).map(|(bits, names)| {
                let pos = call.positional();
                let mut acc = Val::Clean;
                for (i, name) in names.iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0) {
                    let arg = pos.get(i).copied().or_else(|| call.keyword(name));
                    if let Some(a) = arg {
                        acc = acc.join(self.val(a));
                    }
                }
                acc
            });
            match (intrinsic, passed) {
                (Some(v), Some(p)) => return v.join(p),
                (Some(v), None) => return v,
                (None, Some(p)) => return rendered(p),
                (None, None) => {}
            }
            if self.an.class_attrs.contains_key(call.func.text()) {
                return Val::Instance(call.func.text().to_string());
            }
        }
        if last == "dict" {
            let kw = Val::Record(call.keywords().into_iter().map(|(k, v)| (k.to_string(), self.val(v))).collect());
            return match call.positional().first().map(|a| self.val(*a)) {
                None => kw,
                // dict(os.environ, PGPASSWORD=pw): the object and the entries
                Some(m @ Val::Mapping(..)) if call.keywords().is_empty() => m,
                Some(first) => rendered(first).join(rendered(kw)),
            };
        }
        // getattr(e, "data", None): an attribute, read like one
        if q == "getattr" {
            if let (Some(obj), Some(attr)) =
                (call.positional().first(), call.positional().get(1).and_then(|a| plain_str(*a)))
            {
                if let Val::Exception(_) = self.val(*obj) {
                    return if EXCEPTION_DETAIL_ATTRS.contains(&attr.as_str()) {
                        Val::labels(Labels { exception: vec![span(n)], ..Labels::default() })
                    } else {
                        Val::Unknown
                    };
                }
            }
        }
        if matches!(last.as_str(), "copy" | "deepcopy") {
            if let Some(m @ Val::Mapping(..)) = call.positional().first().map(|a| self.val(*a)) {
                return m;
            }
        }
        // iterating a mapping sees its keys: sorted(request.headers) is names
        if KEY_ITERATORS.contains(&last.as_str()) && call.args.len() == 1 {
            if let Val::Mapping(..) = self.val(call.args[0]) {
                return Val::Clean;
            }
        }
        if PASS_THROUGH_FUNCS.contains(&last.as_str()) {
            return self.union(call.args.iter().copied());
        }
        Val::Unknown
    }

    /// `open(path, "w")`, `Path(p).open("a")`, `tempfile.NamedTemporaryFile()`:
    /// a file written to, and whether it is under a served folder.
    fn file_open(&self, call: &Call<'a>, q: &str) -> Option<Val> {
        let last = q.rsplit('.').next().unwrap_or(q);
        let (path, mode) = match last {
            "open" if matches!(q, "open" | "io.open" | "codecs.open" | "builtins.open") => {
                let pos = call.positional();
                (pos.first().copied(), pos.get(1).copied().or_else(|| call.keyword("mode")))
            }
            // Path(...).open("w")
            "open" if call.method().is_some() => {
                (call.receiver(), call.positional().first().copied().or_else(|| call.keyword("mode")))
            }
            // owner-only and deleted on close: the secret does not outlive
            // the process unless the file is kept (`delete=False`)
            "NamedTemporaryFile" => {
                let kept = call.keyword("delete").is_some_and(|d| d.text() != "True");
                return Some(if kept { Val::File { served: false } } else { Val::Unknown });
            }
            "TemporaryFile" | "SpooledTemporaryFile" => return Some(Val::Unknown),
            "mkstemp" => return Some(Val::File { served: false }),
            _ => return None,
        };
        let mode = mode.and_then(plain_str)?;
        if !mode.contains(['w', 'a', 'x', '+']) {
            return None;
        }
        let served = path.is_some_and(|p| is_served_path(p.text()));
        Some(Val::File { served })
    }

    /// `hmac.new(secret, msg, ...).hexdigest()`, `hmac.digest(secret, ...)`:
    /// a value to compare in constant time, not a leak.
    fn hmac_digest(&self, call: &Call<'a>, q: &str) -> Option<Val> {
        let keyed = |c: &Call<'a>| {
            c.positional().first().copied().or_else(|| c.keyword("key")).and_then(|k| self.val(k).taint())
        };
        let t = match q {
            "hmac.new" | "hmac.HMAC" | "hmac.digest" => keyed(call),
            _ if matches!(call.method(), Some("hexdigest" | "digest")) => {
                // `mac = hmac.new(...)` earlier: the stored object is the digest
                if let Some(t) =
                    call.receiver().and_then(|r| self.val(r).taint()).filter(|t| t.origin == Origin::Digest)
                {
                    return Some(Val::secret(t));
                }
                let inner = Call::of(call.receiver()?.unparen())?;
                let iq = self.canonical(inner.func)?;
                if matches!(iq.as_str(), "hmac.new" | "hmac.HMAC") {
                    keyed(&inner)
                } else {
                    None
                }
            }
            _ => None,
        }?;
        Some(Val::secret(Taint {
            origin: Origin::Digest,
            what: format!("an HMAC keyed with {}", t.what),
            at: t.at,
            app_owned: true,
            url_segment: false,
            ambiguous: false,
            name: None,
        }))
    }

    fn string(&self, n: Node<'a>) -> Val {
        let Some(lit) = string_lit(n) else {
            return Val::Unknown;
        };
        if lit.is_fstring {
            let mut acc = Val::Clean;
            n.visit(&mut |c| {
                if c.is("interpolation") {
                    if let Some(e) = c.field("expression").or_else(|| c.first_item()) {
                        acc = acc.clone().join(rendered(self.val(e)));
                    }
                    return false;
                }
                true
            });
            if matches!(acc, Val::Tainted(_)) {
                return acc;
            }
        }
        if let Some(m) = find_vendor_secret(&lit.value) {
            return Val::secret(Taint {
                origin: Origin::Hardcoded,
                what: format!("a hardcoded {}", m.what),
                at: span(n),
                app_owned: true,
                url_segment: false,
                ambiguous: false,
                name: None,
            });
        }
        Val::Clean
    }
}

/// `[:4]`, `[-4:]`, `[0:6]`: few enough characters to identify, not use.
fn is_short_slice(slice: Node<'_>) -> bool {
    let parts: Vec<Node<'_>> = slice.items();
    if parts.is_empty() || parts.len() > 2 {
        return false;
    }
    let num = |n: &Node<'_>| -> Option<i64> { n.text().replace(' ', "").parse::<i64>().ok() };
    let text = slice.text().replace(' ', "");
    let nums: Option<Vec<i64>> = parts.iter().map(num).collect();
    let Some(nums) = nums else { return false };
    match (text.starts_with(':'), text.ends_with(':'), nums.as_slice()) {
        (true, false, [e]) => (1..=6).contains(e),
        (false, true, [s]) => (-6..=-1).contains(s),
        (false, false, [s, e]) => (0..=6).contains(s) && e - s <= 6 && e > s,
        _ => false,
    }
}

/// A path under a folder the app serves: `static/`, `templates/`, `app.static_folder`.
pub(crate) fn is_served_path(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    SERVED_FOLDERS.iter().any(|f| lower.contains(f))
        || lower.contains("static_folder")
        || lower.contains("template_folder")
}

/// `settings.X`, `config.X`, `app.config.X`, `Config.X`, `self.config.X`.
fn is_settings_like(obj: Node<'_>) -> bool {
    let Some(d) = dotted(obj) else { return false };
    let last = d.rsplit('.').next().unwrap_or(&d);
    let lower = last.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "settings"
            | "config"
            | "conf"
            | "cfg"
            | "configuration"
            | "env"
            | "environ"
            | "secrets"
            | "credentials"
            | "creds"
            | "vault"
            | "keys"
    ) || lower.ends_with("config")
        || lower.ends_with("settings")
}

/// Top-level packages from PyPI that export secret-sounding names which are
/// functions, not values.
fn is_library(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    matches!(
        top,
        "secrets"
            | "flask"
            | "flask_jwt_extended"
            | "jwt"
            | "itsdangerous"
            | "werkzeug"
            | "hmac"
            | "hashlib"
            | "os"
            | "authlib"
            | "oauthlib"
            | "flask_login"
            | "flask_security"
            | "passlib"
            | "bcrypt"
            | "cryptography"
            | "django"
            | "requests"
            | "httpx"
            | "boto3"
            | "botocore"
            | "google"
            | "stripe"
    )
}

fn short(q: &str) -> &str {
    q.strip_prefix("local:").unwrap_or(q)
}
