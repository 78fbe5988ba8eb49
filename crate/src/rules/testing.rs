//! Helpers for the inline rule tests. Every fix seen by these helpers is
//! checked: it parses with no new syntax errors and removes its finding, so
//! applying it again changes nothing.

use crate::diagnostic::Diagnostic;
use crate::fix::{apply_edits, Applicability};
use crate::{Checker, Config, Parsed};

pub(crate) fn check_path(src: &str, path: &str) -> Vec<Diagnostic> {
    let checker = Checker::new(Config::default()).expect("default config");
    let diags = checker.check(src, path).diagnostics;
    for d in &diags {
        fix_invariants(&checker, src, path, d);
    }
    diags
}

pub(crate) fn fix_invariants(checker: &Checker, src: &str, path: &str, d: &Diagnostic) {
    let before_errors = Parsed::parse(src.to_string()).expect("parse").error_count();
    let count = |text: &str| checker.check(text, path).diagnostics.iter().filter(|x| x.code == d.code).count();
    let before = count(src);
    for f in &d.fixes {
        let fixed = apply_edits(src, &f.edits).unwrap_or_else(|| panic!("{}: overlapping edits in {:?}", d.code, f));
        let errors = Parsed::parse(fixed.clone()).expect("parse").error_count();
        assert!(errors <= before_errors, "{} fix `{}` breaks the syntax:\n{fixed}", d.code, f.title);
        assert!(count(&fixed) < before, "{} fix `{}` does not resolve the finding:\n{fixed}", d.code, f.title);
    }
}

#[track_caller]
pub(crate) fn flagged(code: &str, src: &str) {
    let diags = check_path(src, "app.py");
    assert!(
        diags.iter().any(|d| d.code == code),
        "expected {code} in:\n{src}\ngot: {:?}",
        diags.iter().map(|d| (d.code, &d.message)).collect::<Vec<_>>()
    );
}

#[track_caller]
pub(crate) fn not_flagged(code: &str, src: &str) {
    let diags = check_path(src, "app.py");
    let hits: Vec<_> = diags.iter().filter(|d| d.code == code).map(|d| &d.message).collect();
    assert!(hits.is_empty(), "unexpected {code} in:\n{src}\ngot: {hits:?}");
}

/// The first non-ignore fix of the first `code` finding turns `before` into `after`.
#[track_caller]
pub(crate) fn assert_fix(code: &str, before: &str, after: &str) {
    let diags = check_path(before, "app.py");
    let d = diags.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in:\n{before}"));
    let fix = d
        .fixes
        .iter()
        .find(|f| f.applicability != Applicability::DisplayOnly)
        .unwrap_or_else(|| panic!("{code} has no fix"));
    let fixed = apply_edits(before, &fix.edits).expect("edits apply");
    assert_eq!(fixed, after, "fix `{}`", fix.title);
}
