//! The fuzz targets' bodies (`fuzz/`, run by `make fuzz` with cargo-fuzz),
//! here so that `make test` runs the same properties on seeded inputs
//! without libFuzzer. Each panics on a broken property.

use crate::{apply_edits, Checker, ColumnUnit, Config, Document, LineCol, Parsed};

fn checker() -> &'static Checker {
    static C: std::sync::OnceLock<Checker> = std::sync::OnceLock::new();
    C.get_or_init(|| Checker::new(Config::default()).expect("the default configuration is valid"))
}

/// Check any bytes as a file: every span inside the text on character
/// boundaries, every fix applicable, no secret value in any message.
pub fn check_any(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let report = checker().check(&source, "app.py");
    let secrets: Vec<&str> = report
        .secret_spans
        .iter()
        .filter(|s| s.end <= source.len() && source.is_char_boundary(s.start) && source.is_char_boundary(s.end))
        .map(|s| &source[s.start..s.end])
        .filter(|s| s.chars().count() >= 10)
        .collect();
    for d in &report.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= source.len(), "span out of the text");
        assert!(
            source.is_char_boundary(d.span.start) && source.is_char_boundary(d.span.end),
            "span inside a character"
        );
        for f in &d.fixes {
            assert!(apply_edits(&source, &f.edits).is_some(), "{} fix `{}` does not apply", d.code, f.title);
        }
        for s in &secrets {
            assert!(!d.message.contains(s), "{} message carries a secret", d.code);
        }
    }
}

/// An editor session from bytes: the first part is the source, the rest a
/// sequence of edits `[start line, start col, end line, end col, len,
/// text...]` in UTF-16 coordinates, each followed by a check. Where the
/// incremental tree equals a fresh parse, the cached report must equal a
/// fresh check.
pub fn edit_document(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0xff).unwrap_or(data.len());
    let source = String::from_utf8_lossy(&data[..split]).into_owned();
    let Ok(mut doc) = Document::new(source, "app.py") else { return };
    let mut ops = data.get(split + 1..).unwrap_or_default();
    let _ = doc.check(checker());
    while ops.len() >= 5 {
        let lines = doc.text().matches('\n').count() + 1;
        let at = |b: u8, modulo: usize| usize::from(b) % modulo.max(1);
        let start = LineCol { line: at(ops[0], lines + 1), column: usize::from(ops[1]) };
        let end = LineCol { line: at(ops[2], lines + 1), column: usize::from(ops[3]) };
        let len = usize::from(ops[4]).min(ops.len() - 5);
        let text = String::from_utf8_lossy(&ops[5..5 + len]).into_owned();
        ops = &ops[5 + len..];
        if doc.edit(start, end, ColumnUnit::Utf16, &text).is_err() {
            continue;
        }
        let cached = doc.check(checker());
        let Ok(fresh_tree) = Parsed::parse(doc.text().to_string()) else { continue };
        if fresh_tree.sexp() != doc.parsed().sexp() {
            continue;
        }
        let fresh = checker().check_parsed(&fresh_tree, "app.py");
        let (a, b) = (serde_json::to_string(&cached), serde_json::to_string(&fresh));
        assert!(a.is_ok() && a.ok() == b.ok(), "the document check differs from a fresh check");
    }
}
