//! What an expression holds: the taint sources, propagation and sanitizers
//! of the rule catalogue's shared vocabulary.

use super::{Analyzer, Frame, FrameKind, MapKind, Origin, Taint, Val};
use crate::secrets::{find_vendor_secret, is_ambiguous_name, NameClassifier};
use crate::syntax::{dotted, plain_str, string_lit, Call, Node};

pub(crate) struct Eval<'e, 'a, 'f> {
    pub an: &'e Analyzer<'a, 'f>,
    pub frames: &'e [Frame],
}

/// Headers that carry the caller's credential.
const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "x-auth-token",
    "x-access-token",
    "x-api-token",
    "api-key",
    "private-token",
    "cookie",
    "http_authorization",
    "http_x_api_key",
    "http_cookie",
];

/// Calls whose result says something about a secret without being it.
const SANITIZERS: &[&str] = &[
    "bool",
    "len",
    "hash",
    "id",
    "type",
    "isinstance",
    "callable",
    "hexdigest",
    "digest",
    "compare_digest",
    "check_password_hash",
    "generate_password_hash",
    "hashpw",
    "checkpw",
    "verify",
    "startswith",
    "endswith",
    "count",
    "index",
    "find",
    "isdigit",
    "isalnum",
    "SecretStr",
    "SecretBytes",
    "Secret",
    "urlparse",
];

/// Method calls that return (part of) their receiver's value.
const PASS_THROUGH_METHODS: &[&str] = &[
    "encode",
    "decode",
    "strip",
    "lstrip",
    "rstrip",
    "lower",
    "upper",
    "title",
    "casefold",
    "swapcase",
    "replace",
    "removeprefix",
    "removesuffix",
    "split",
    "rsplit",
    "partition",
    "rpartition",
    "splitlines",
    "zfill",
    "ljust",
    "rjust",
    "center",
    "expandtabs",
    "format",
    "format_map",
    "copy",
    "items",
    "values",
    "get_secret_value",
    "pop",
    "join",
    "to_dict",
    "dict",
    "model_dump",
    "as_dict",
    "b64encode",
    "urlsafe_b64encode",
];

/// Functions that return (a form of) their arguments.
const PASS_THROUGH_FUNCS: &[&str] = &[
    "str",
    "repr",
    "bytes",
    "format",
    "dict",
    "list",
    "tuple",
    "set",
    "frozenset",
    "sorted",
    "reversed",
    "dumps",
    "b64encode",
    "urlsafe_b64encode",
    "b32encode",
    "b16encode",
    "hexlify",
    "quote",
    "quote_plus",
    "urlencode",
    "escape",
    "Markup",
    "OrderedDict",
    "deepcopy",
    "copy",
    "cast",
    "getattr",
];

/// Calls that issue a new credential.
pub(crate) fn is_generator_name(q: &str) -> bool {
    let last = q.rsplit('.').next().unwrap_or(q);
    if matches!(q, "secrets.token_hex" | "secrets.token_urlsafe" | "secrets.token_bytes" | "jwt.encode") {
        return true;
    }
    if matches!(last, "create_access_token" | "create_refresh_token" | "token_hex" | "token_urlsafe" | "token_bytes") {
        return true;
    }
    let ws = crate::secrets::words_of(last);
    let verb = ws.first().is_some_and(|w| {
        matches!(w.as_str(), "create" | "generate" | "make" | "issue" | "new" | "mint" | "gen" | "encode")
    });
    // create_api_key, generate_token, issue_jwt: a verb, then a secret's name
    verb && ws.len() > 1
        && (NameClassifier::default().is_secret_name(&ws[1..].join("_")) || ws[1..].iter().any(|w| w == "jwt"))
}

/// A fresh credential when bound to a secret-named target: the generators
/// above, and random values (`os.urandom`, `uuid4()`) that are only
/// credentials by the name they are given.
pub(crate) fn is_generator_call(an: &Analyzer<'_, '_>, n: Node<'_>) -> bool {
    let Some(call) = Call::of(n.unparen()) else { return false };
    let q = an.file.index.qualify(call.func).or_else(|| dotted(call.func)).unwrap_or_default();
    let last = q.rsplit('.').next().unwrap_or(&q);
    is_generator_name(&q) || matches!(last, "urandom" | "uuid4" | "uuid1" | "getrandbits" | "randbytes")
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
                // the element expression and the iterated values
                let mut v = n.field("body").map_or(Val::Clean, |b| self.val(b));
                for c in n.items() {
                    if c.is("for_in_clause") {
                        if let Some(r) = c.field("right") {
                            v = v.join(secret_or(self.val(r)));
                        }
                    }
                }
                secret_or(v)
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

    /// `a + b + c`, `x or y or {}`: a chain of operators, left-nested in the
    /// tree, walked with a loop (a 3,000-term concatenation is valid Python).
    fn operator_chain(&self, n: Node<'a>) -> Val {
        let mut operands = Vec::new();
        let mut cur = n;
        let mut boolean = false;
        let mut all_clean = true;
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
            secret_or(acc)
        }
    }

    /// `{"a": x, "b": y}` entry by entry when every key is a string.
    fn record(&self, n: Node<'a>) -> Val {
        let mut fields = Vec::new();
        for p in n.items() {
            let key = if p.is("pair") { p.field("key").and_then(plain_str) } else { None };
            match (key, p.field("value")) {
                (Some(k), Some(v)) => fields.push((k, self.val(v))),
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

    fn union(&self, items: impl Iterator<Item = Node<'a>>) -> Val {
        let mut acc = Val::Clean;
        for i in items {
            acc = acc.join(self.val(i));
        }
        secret_or(acc)
    }

    fn identifier(&self, n: Node<'a>) -> Val {
        let name = n.text();
        if let Some(v) = self.lookup(name) {
            return v;
        }
        if let Some(module) = self.an.file.index.import_of(name) {
            // `from config import API_KEY`: an app secret by name; a library
            // import (`from secrets import token_hex`) is a function.
            let local_module = !module.contains('.') || module.starts_with('.') || !is_library(module);
            if self.an.file.names.is_secret_name(name) && local_module && module.rsplit('.').next() == Some(name) {
                return Val::Secret(Taint {
                    origin: Origin::Named,
                    what: format!("`{name}`"),
                    at: (n.start(), n.end()),
                    app_owned: true,
                    url_segment: false,
                    ambiguous: is_ambiguous_name(name),
                    name: Some(name.to_string()),
                });
            }
            return Val::Clean;
        }
        if self.an.file.names.is_secret_name(name) {
            let constant = name.chars().all(|c| !c.is_lowercase());
            return Val::Secret(Taint {
                origin: Origin::Named,
                what: format!("`{name}`"),
                at: (n.start(), n.end()),
                app_owned: constant,
                url_segment: false,
                ambiguous: is_ambiguous_name(name),
                name: Some(name.to_string()),
            });
        }
        Val::Unknown
    }

    fn attribute(&self, n: Node<'a>) -> Val {
        let (Some(obj), Some(attr)) = (n.field("object"), n.field("attribute")) else {
            return Val::Unknown;
        };
        let attr_name = attr.text();
        if let Some(c) = self.canonical(n) {
            match c.as_str() {
                "request.headers" | "request.environ" => return Val::Mapping(MapKind::RequestHeaders),
                "request.args" | "request.values" => return Val::Mapping(MapKind::RequestQuery),
                "request.form" | "request.json" | "request.cookies" | "request.files" => {
                    return Val::Mapping(MapKind::RequestBody)
                }
                "request.authorization" => {
                    return Val::Secret(Taint {
                        origin: Origin::Request,
                        what: "the caller's credentials (`request.authorization`)".into(),
                        at: (n.start(), n.end()),
                        app_owned: false,
                        url_segment: false,
                        ambiguous: false,
                        name: None,
                    })
                }
                "os.environ" => return Val::Mapping(MapKind::Environ),
                _ => {}
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
            return Val::Mapping(MapKind::Config);
        }
        let base = self.val(obj);
        let secret_attr = self.an.file.names.is_secret_name(attr_name);
        match base {
            Val::Secret(t) => {
                if matches!(attr_name, "username" | "user" | "type" | "scheme" | "realm" | "name" | "id" | "parameters")
                    && !secret_attr
                {
                    return Val::Unknown;
                }
                return Val::Secret(t);
            }
            Val::Mapping(kind) if secret_attr => return self.index_mapping(kind, attr_name, n),
            _ => {}
        }
        if secret_attr {
            if is_settings_like(obj) {
                return Val::Secret(Taint {
                    origin: Origin::Config,
                    what: format!("`{}`", n.text()),
                    at: (n.start(), n.end()),
                    app_owned: true,
                    url_segment: false,
                    ambiguous: false,
                    name: None,
                });
            }
            let own = obj.text() == "self" || obj.text() == "cls";
            return Val::Secret(Taint {
                origin: Origin::Named,
                what: format!("`{}`", n.text()),
                at: (n.start(), n.end()),
                app_owned: own,
                url_segment: false,
                ambiguous: is_ambiguous_name(attr_name),
                name: Some(n.text().to_string()),
            });
        }
        Val::Unknown
    }

    /// A secret from indexing a mapping with `key`, or nothing.
    fn index_mapping(&self, kind: MapKind, key: &str, at: Node<'a>) -> Val {
        let names = self.an.file.names;
        let lower = key.to_ascii_lowercase();
        let span = (at.start(), at.end());
        let taint = |origin, what: String| {
            Val::Secret(Taint {
                origin,
                what,
                at: span,
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
            MapKind::RequestHeaders
                if CREDENTIAL_HEADERS.contains(&lower.as_str())
                    || lower.contains("signature")
                    || names.is_secret_name(key) =>
            {
                taint(Origin::Request, format!("the caller's `{key}` header"))
            }
            MapKind::RequestQuery if names.is_secret_name(key) || lower.contains("signature") => {
                taint(Origin::Request, format!("the `{key}` query parameter"))
            }
            MapKind::RequestBody if names.is_secret_name(key) || lower.contains("signature") => {
                taint(Origin::Request, format!("the request's `{key}` field"))
            }
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
                return if is_short_slice(ix) { Val::Clean } else { secret_or(self.val(value)) };
            }
        }
        let key = index.and_then(|k| self.key_str(k));
        let base = self.val(value);
        if let Some(v) = key.as_deref().and_then(|k| base.field(k)) {
            return v;
        }
        match (base.collapse(), key) {
            (Val::Mapping(kind), Some(k)) => self.index_mapping(kind, &k, n),
            (Val::Secret(t), _) => Val::Secret(t),
            (_, Some(k)) if self.an.file.names.is_secret_name(&k) => {
                let own = is_settings_like(value);
                Val::Secret(Taint {
                    origin: if own { Origin::Config } else { Origin::Named },
                    what: format!("`{}`", n.text().chars().take(60).collect::<String>()),
                    at: (n.start(), n.end()),
                    app_owned: own,
                    url_segment: false,
                    ambiguous: false,
                    name: None,
                })
            }
            _ => Val::Unknown,
        }
    }

    fn call(&self, n: Node<'a>) -> Val {
        let Some(call) = Call::of(n) else {
            return Val::Unknown;
        };
        let q = self.canonical(call.func).unwrap_or_default();
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
            return Val::Mapping(MapKind::RequestBody);
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
            return Val::Secret(Taint {
                origin: Origin::Generated,
                what: format!("a fresh credential from `{}()`", short(&q)),
                at: (n.start(), n.end()),
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
            || [
                "mask",
                "redact",
                "fingerprint",
                "hash",
                "obfuscate",
                "censor",
                "anonymi",
                "scrub",
                "sanitize",
                "truncate",
            ]
            .iter()
            .any(|w| lower.contains(w))
            || q.starts_with("hashlib.")
            || q.starts_with("hmac.")
        {
            return Val::Clean;
        }
        // methods
        if let (Some(method), Some(recv)) = (call.method(), call.receiver()) {
            let base = self.val(recv);
            let entry =
                key_arg().filter(|_| matches!(method, "get" | "pop" | "setdefault")).and_then(|k| base.field(&k));
            if let Some(v) = entry {
                return v;
            }
            let base = base.collapse();
            if matches!(method, "get" | "pop" | "setdefault" | "getlist" | "__getitem__") {
                match (&base, key_arg()) {
                    (Val::Mapping(kind), Some(k)) => return self.index_mapping(*kind, &k, n),
                    (Val::Secret(_), _) => return base,
                    (_, Some(k)) if self.an.file.names.is_secret_name(&k) => {
                        let own = is_settings_like(recv);
                        return Val::Secret(Taint {
                            origin: if own { Origin::Config } else { Origin::Named },
                            what: format!("`{k}`"),
                            at: (n.start(), n.end()),
                            app_owned: own,
                            url_segment: false,
                            ambiguous: false,
                            name: None,
                        });
                    }
                    _ => return Val::Unknown,
                }
            }
            if PASS_THROUGH_METHODS.contains(&method) {
                let mut v = secret_or(base);
                if matches!(method, "format" | "format_map" | "join" | "replace") {
                    v = v.join(self.union(call.args.iter().copied()));
                }
                return secret_or(v);
            }
        }
        // a module function that returns a secret
        if call.func.is("identifier") && !self.is_local(call.func.text()) {
            if let Some(v) = self.an.summaries.get(call.func.text()) {
                return v.clone();
            }
            if self.an.class_attrs.contains_key(call.func.text()) {
                return Val::Instance(call.func.text().to_string());
            }
        }
        if last == "dict" && call.positional().is_empty() {
            return Val::Record(call.keywords().into_iter().map(|(k, v)| (k.to_string(), self.val(v))).collect());
        }
        if PASS_THROUGH_FUNCS.contains(&last.as_str()) {
            return self.union(call.args.iter().copied());
        }
        Val::Unknown
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
                if let Some(v @ Val::Secret(Taint { origin: Origin::Digest, .. })) =
                    call.receiver().map(|r| self.val(r))
                {
                    return Some(v);
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
        Some(Val::Secret(Taint {
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
                        acc = acc.clone().join(secret_or(self.val(e)));
                    }
                    return false;
                }
                true
            });
            if matches!(acc, Val::Secret(_)) {
                return acc;
            }
        }
        if let Some(m) = find_vendor_secret(&lit.value) {
            return Val::Secret(Taint {
                origin: Origin::Hardcoded,
                what: format!("a hardcoded {}", m.what),
                at: (n.start(), n.end()),
                app_owned: true,
                url_segment: false,
                ambiguous: false,
                name: None,
            });
        }
        Val::Clean
    }
}

/// Keep secrets; anything else built from parts is unknown or clean.
fn secret_or(v: Val) -> Val {
    match v.collapse() {
        v @ (Val::Secret(_) | Val::Clean) => v,
        _ => Val::Unknown,
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
