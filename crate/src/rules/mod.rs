//! The rule catalogue. One file per rule; each declares its metadata and
//! documentation once, the node kinds it wants, and a `check` that reads the
//! semantic index and the taint facts through [`Ctx`].

use crate::HashMap;

use crate::diagnostic::{Diagnostic, Related, RuleMeta, Span};
use crate::fix::Fix;
use crate::semantic::Route;
use crate::syntax::Node;
use crate::taint::{eval::Eval, Analyzer, FileCtx, Frame, FrameKind, Taint, Val};

mod cacheable_credential_response;
pub(crate) mod cleartext_transport;
mod debug_mode;
mod exception_details_in_response;
pub(crate) mod hardcoded_secret;
mod https_not_enforced;
mod insecure_credential_cookie;
pub(crate) mod key_in_query_parameter;
pub(crate) mod missing_rate_limit;
mod permissive_cors;
mod pii_in_response;
mod secret_in_client_storage;
pub(crate) mod secret_in_config_file;
mod secret_in_exception_message;
mod secret_in_response;
mod secret_in_url;
pub(crate) mod secret_logged;
mod secret_written_to_file;
mod sensitive_object_in_response;
pub(crate) mod sensitive_object_logged;
pub(crate) mod support;
mod timing_unsafe_comparison;
mod unauthenticated_admin_route;

/// The rule codes: the typed registry. `RULES` holds one rule per code, in
/// this order (a test checks it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(dead_code)] // every code is named by the registry test; only some by `supersedes`
pub(crate) enum Code {
    KL101,
    KL102,
    KL201,
    KL202,
    KL203,
    KL204,
    KL205,
    KL206,
    KL207,
    KL208,
    KL209,
    KL210,
    KL301,
    KL302,
    KL303,
    KL304,
    KL305,
    KL401,
    KL402,
    KL403,
    KL404,
    KL405,
}

impl Code {
    #[cfg(test)]
    pub(crate) const ALL: &'static [Code] = &[
        Code::KL101,
        Code::KL102,
        Code::KL201,
        Code::KL202,
        Code::KL203,
        Code::KL204,
        Code::KL205,
        Code::KL206,
        Code::KL207,
        Code::KL208,
        Code::KL209,
        Code::KL210,
        Code::KL301,
        Code::KL302,
        Code::KL303,
        Code::KL304,
        Code::KL305,
        Code::KL401,
        Code::KL402,
        Code::KL403,
        Code::KL404,
        Code::KL405,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::KL101 => "KL101",
            Code::KL102 => "KL102",
            Code::KL201 => "KL201",
            Code::KL202 => "KL202",
            Code::KL203 => "KL203",
            Code::KL204 => "KL204",
            Code::KL205 => "KL205",
            Code::KL206 => "KL206",
            Code::KL207 => "KL207",
            Code::KL208 => "KL208",
            Code::KL209 => "KL209",
            Code::KL210 => "KL210",
            Code::KL301 => "KL301",
            Code::KL302 => "KL302",
            Code::KL303 => "KL303",
            Code::KL304 => "KL304",
            Code::KL305 => "KL305",
            Code::KL401 => "KL401",
            Code::KL402 => "KL402",
            Code::KL403 => "KL403",
            Code::KL404 => "KL404",
            Code::KL405 => "KL405",
        }
    }
}

/// Where a rule is called besides the node kinds it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hook {
    /// After each function's body (methods too), its frame still open:
    /// `cx.route()` is the function's route.
    Function,
    /// Once per module, after the walk.
    Module,
}

pub(crate) trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Node kinds this rule is called for.
    fn kinds(&self) -> &'static [&'static str] {
        &[]
    }
    fn check<'a>(&self, _node: Node<'a>, _cx: &mut Ctx<'_, 'a, '_>) {}
    /// The hooks this rule implements.
    fn hooks(&self) -> &'static [Hook] {
        &[]
    }
    /// Called after a function's body (for [`Hook::Function`]).
    fn check_function<'a>(&self, _def: Node<'a>, _cx: &mut Ctx<'_, 'a, '_>) {}
    /// Called once after the module (for [`Hook::Module`]).
    fn check_module<'a>(&self, _cx: &mut Ctx<'_, 'a, '_>) {}
    /// Rules whose finding on the same expression this rule's finding
    /// replaces (one problem, one finding: KL204 over KL203...).
    fn supersedes(&self) -> &'static [Code] {
        &[]
    }
}

/// Every rule, in code order.
pub(crate) static RULES: &[&dyn Rule] = &[
    &hardcoded_secret::HardcodedSecret,
    &secret_in_config_file::SecretInConfigFile,
    &secret_logged::SecretLogged,
    &sensitive_object_logged::SensitiveObjectLogged,
    &secret_in_response::SecretInResponse,
    &sensitive_object_in_response::SensitiveObjectInResponse,
    &secret_in_url::SecretInUrl,
    &secret_in_exception_message::SecretInExceptionMessage,
    &exception_details_in_response::ExceptionDetailsInResponse,
    &secret_in_client_storage::SecretInClientStorage,
    &secret_written_to_file::SecretWrittenToFile,
    &pii_in_response::PiiInResponse,
    &debug_mode::DebugMode,
    &permissive_cors::PermissiveCors,
    &cleartext_transport::CleartextTransport,
    &https_not_enforced::HttpsNotEnforced,
    &insecure_credential_cookie::InsecureCredentialCookie,
    &key_in_query_parameter::KeyInQueryParameter,
    &timing_unsafe_comparison::TimingUnsafeComparison,
    &unauthenticated_admin_route::UnauthenticatedAdminRoute,
    &missing_rate_limit::MissingRateLimit,
    &cacheable_credential_response::CacheableCredentialResponse,
];

/// Drop the findings a more specific rule replaces: where two rules
/// describe the same expression (overlapping spans), the superseding one
/// reports.
pub(crate) fn apply_precedence(diagnostics: &mut Vec<Diagnostic>) {
    let mut drop = vec![false; diagnostics.len()];
    for (i, d) in diagnostics.iter().enumerate() {
        let Some(rule) = RULES.iter().find(|r| r.meta().code == d.code) else { continue };
        for (j, other) in diagnostics.iter().enumerate() {
            let overlaps = other.span.start < d.span.end && d.span.start < other.span.end || other.span == d.span;
            if i != j && overlaps && rule.supersedes().iter().any(|c| c.as_str() == other.code) {
                drop[j] = true;
            }
        }
    }
    let mut k = 0;
    diagnostics.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Public metadata of every rule.
pub fn all() -> impl Iterator<Item = &'static RuleMeta> {
    RULES.iter().map(|r| r.meta())
}

/// The rule a code or name (any case) names.
pub fn by_code(code: &str) -> Option<&'static RuleMeta> {
    let upper = code.trim().to_ascii_uppercase();
    let name = code.trim().to_ascii_lowercase().replace('_', "-");
    all().find(|m| m.code == upper || m.name == name)
}

/// Enabled rules by node kind and hook.
pub(crate) struct Dispatch {
    by_kind: HashMap<&'static str, Vec<&'static dyn Rule>>,
    functions: Vec<&'static dyn Rule>,
    modules: Vec<&'static dyn Rule>,
}

impl Dispatch {
    /// The rules whose index (in [`all`]) `enabled` accepts.
    pub(crate) fn new(enabled: impl Fn(usize) -> bool) -> Dispatch {
        let mut by_kind: HashMap<&'static str, Vec<&'static dyn Rule>> = HashMap::default();
        let (mut functions, mut modules) = (Vec::new(), Vec::new());
        for (_, r) in RULES.iter().copied().enumerate().filter(|(i, _)| enabled(*i)) {
            for k in r.kinds() {
                by_kind.entry(k).or_default().push(r);
            }
            if r.hooks().contains(&Hook::Function) {
                functions.push(r);
            }
            if r.hooks().contains(&Hook::Module) {
                modules.push(r);
            }
        }
        Dispatch { by_kind, functions, modules }
    }
    pub(crate) fn run_function<'a>(&self, def: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        for r in &self.functions {
            r.check_function(def, cx);
        }
    }
    pub(crate) fn run_module<'a>(&self, cx: &mut Ctx<'_, 'a, '_>) {
        for r in &self.modules {
            r.check_module(cx);
        }
    }
    pub(crate) fn wants(&self, kind: &str) -> bool {
        self.by_kind.contains_key(kind)
    }
    pub(crate) fn run<'a>(&self, n: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        #[cfg(test)]
        tests::DISPATCHED.with(|d| d.borrow_mut().insert(n.kind()));
        if let Some(rules) = self.by_kind.get(n.kind()) {
            for r in rules {
                r.check(n, cx);
            }
        }
    }
}

/// What a rule sees: the file, the scopes around the node and their
/// environments, and where findings go.
pub(crate) struct Ctx<'w, 'a, 'f> {
    pub an: &'w Analyzer<'a, 'f>,
    pub frames: &'w [Frame],
    /// The node's nearest ancestors (outermost first, the parent last).
    pub ancestors: &'w [Node<'a>],
    pub out: &'w mut Vec<Diagnostic>,
}

impl<'a> Ctx<'_, 'a, '_> {
    pub(crate) fn file(&self) -> &FileCtx<'a> {
        self.an.file
    }
    fn eval(&self) -> Eval<'_, 'a, '_> {
        Eval { an: self.an, frames: self.frames }
    }
    pub(crate) fn val(&self, n: Node<'a>) -> Val {
        self.eval().val(n)
    }
    pub(crate) fn taint(&self, n: Node<'a>) -> Option<Taint> {
        self.val(n).taint()
    }
    /// Canonical dotted name (`flask.jsonify`, `request.headers`, `os.getenv`).
    pub(crate) fn canonical(&self, n: Node<'a>) -> Option<String> {
        self.eval().canonical(n)
    }
    /// The route of the innermost enclosing function, if it is one.
    pub(crate) fn route(&self) -> Option<&Route> {
        self.frames.iter().rev().find(|f| f.kind == FrameKind::Function).and_then(|f| f.route.as_ref())
    }
    /// The node's parent, when it is within the statement being checked.
    pub(crate) fn parent(&self) -> Option<Node<'a>> {
        self.ancestors.last().copied()
    }
    /// The base list of the class whose body directly holds the node.
    pub(crate) fn class_bases(&self) -> Option<&str> {
        self.frames.last().filter(|f| f.kind == FrameKind::Class).and_then(|f| f.class_bases.as_deref())
    }
    /// The class whose body directly holds the node.
    pub(crate) fn class_name(&self) -> Option<&str> {
        self.frames.last().filter(|f| f.kind == FrameKind::Class).and_then(|f| f.class_name.as_deref())
    }
    pub(crate) fn at_module_level(&self) -> bool {
        self.frames.len() == 1
    }
    pub(crate) fn report(&mut self, meta: &'static RuleMeta, n: Node<'a>, message: String) -> &mut Diagnostic {
        self.report_span(meta, Span { start: n.start(), end: n.end() }, message)
    }
    pub(crate) fn report_span(&mut self, meta: &'static RuleMeta, span: Span, message: String) -> &mut Diagnostic {
        self.out.push(Diagnostic::new(meta, span, &message));
        let i = self.out.len() - 1;
        &mut self.out[i]
    }
}

impl Diagnostic {
    /// A finding of `meta`'s rule, with no related locations or fixes yet.
    pub(crate) fn new(meta: &'static RuleMeta, span: Span, message: &str) -> Diagnostic {
        Diagnostic {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            // names quoted in a message come from the source, and a key can
            // sit where a name should (`os.environ["sk_live_…"]`)
            message: crate::secrets::scrub(message),
            span,
            cwe: meta.cwe,
            remediation: meta.remediation,
            url: meta.url(),
            related: vec![],
            fixes: vec![],
            env: None,
        }
    }
    /// Note where the secret came from.
    pub(crate) fn source(&mut self, t: &Taint) -> &mut Self {
        let span = Span { start: t.at.0, end: t.at.1 };
        if span != self.span {
            let message = crate::secrets::scrub(&format!("the secret comes from {}", t.what));
            self.related.push(Related { span, message, path: None, position: None });
        }
        self
    }
    pub(crate) fn fix(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fixes.extend(fix);
        self
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        pub(super) static DISPATCHED: std::cell::RefCell<std::collections::HashSet<&'static str>> = Default::default();
    }

    #[test]
    fn the_typed_registry_matches_the_rules() {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let metas: Vec<&str> = all().map(|m| m.code).collect();
        assert_eq!(codes, metas, "Code::ALL and RULES must list the same rules in the same order");
        let mut sorted = metas.clone();
        sorted.sort();
        assert_eq!(sorted, metas, "rules in code order");
    }

    /// Every node kind a rule asks for is a named kind of the grammar (a
    /// typo would silently never be dispatched), and the walk dispatches it.
    #[test]
    fn every_requested_kind_is_dispatched() {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        for r in RULES {
            for k in r.kinds() {
                let id = lang.id_for_node_kind(k, true);
                assert!(id != 0, "{}: `{k}` is not a node kind of tree-sitter-python", r.meta().code);
            }
        }
        // one sample of each kind any rule asks for, in module, function,
        // method, class, branch, loop, try and with positions
        let src = "import os\nK = os.environ['K']\nclass C:\n    D = 'x'\n    def m(self):\n        if a == b:\n            return {'k': K}\n        for x in y:\n            log.info(x)\n        try:\n            raise E(f'{K}')\n        except E as e:\n            s[k] = e\n        with open(p, 'w') as f:\n            f.write(K)\ndef g():\n    y = a + s[0]\n    return ('sk' 'x')\n";
        let parsed = crate::Parsed::parse(src.to_string()).expect("parse");
        let mut present = crate::HashSet::default();
        parsed.root().visit(&mut |n| {
            present.insert(n.kind());
            true
        });
        DISPATCHED.with(|d| d.borrow_mut().clear());
        let _ = crate::check(src, "app.py");
        let dispatched = DISPATCHED.with(|d| d.borrow().clone());
        let d = Dispatch::new(|_| true);
        for k in d.by_kind.keys() {
            assert!(present.contains(k), "the sample lacks `{k}`: add it so the walk is seen dispatching it");
            assert!(dispatched.contains(k), "the walk never dispatched `{k}`, which a rule asks for");
        }
    }
}
