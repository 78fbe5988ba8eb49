//! The rule catalogue. One file per rule; each declares its metadata and
//! documentation once, the node kinds it wants, and a `check` that reads the
//! semantic index and the taint facts through [`Ctx`].

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Related, RuleMeta, Span};
use crate::fix::Fix;
use crate::semantic::Route;
use crate::syntax::Node;
use crate::taint::{eval::Eval, Analyzer, FileCtx, Frame, FrameKind, Taint, Val};

mod debug_mode;
pub(crate) mod hardcoded_secret;
mod secret_in_response;
mod secret_logged;
pub(crate) mod support;
mod timing_unsafe_comparison;

pub(crate) trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Node kinds this rule is called for.
    fn kinds(&self) -> &'static [&'static str];
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>);
}

/// Every rule, in code order.
pub(crate) static RULES: &[&dyn Rule] = &[
    &hardcoded_secret::HardcodedSecret,
    &secret_logged::SecretLogged,
    &secret_in_response::SecretInResponse,
    &debug_mode::DebugMode,
    &timing_unsafe_comparison::TimingUnsafeComparison,
];

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

/// Enabled rules by node kind.
pub(crate) struct Dispatch {
    by_kind: HashMap<&'static str, Vec<&'static dyn Rule>>,
}

impl Dispatch {
    /// The rules whose index (in [`all`]) `enabled` accepts.
    pub(crate) fn new(enabled: impl Fn(usize) -> bool) -> Dispatch {
        let mut by_kind: HashMap<&'static str, Vec<&'static dyn Rule>> = HashMap::new();
        for (_, r) in RULES.iter().copied().enumerate().filter(|(i, _)| enabled(*i)) {
            for k in r.kinds() {
                by_kind.entry(k).or_default().push(r);
            }
        }
        Dispatch { by_kind }
    }
    pub(crate) fn wants(&self, kind: &str) -> bool {
        self.by_kind.contains_key(kind)
    }
    pub(crate) fn run<'a>(&self, n: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
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
        self.out.push(Diagnostic {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            // names quoted in a message come from the source, and a key can
            // sit where a name should (`os.environ["sk_live_…"]`)
            message: crate::secrets::scrub(&message),
            span,
            cwe: meta.cwe,
            remediation: meta.remediation,
            url: meta.url(),
            related: vec![],
            fixes: vec![],
            env: None,
        });
        let i = self.out.len() - 1;
        &mut self.out[i]
    }
}

impl Diagnostic {
    /// Note where the secret came from.
    pub(crate) fn source(&mut self, t: &Taint) -> &mut Self {
        let span = Span { start: t.at.0, end: t.at.1 };
        if span != self.span {
            let message = crate::secrets::scrub(&format!("the secret comes from {}", t.what));
            self.related.push(Related { span, message, path: None });
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
