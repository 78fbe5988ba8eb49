//! GitHub Actions workflow commands: one annotation per finding.

use std::fmt::Write;

use super::FileResult;
use crate::{ColumnUnit, Severity};

/// Escape a workflow-command message.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escape a workflow-command property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn github(files: &[FileResult]) -> String {
    let mut out = String::new();
    for f in files {
        for d in f.diagnostics() {
            let a = f.position(d.span.start, ColumnUnit::Chars);
            let b = f.position(d.span.end, ColumnUnit::Chars);
            let level = match d.severity {
                Severity::Critical | Severity::High => "error",
                Severity::Medium => "warning",
                Severity::Low | Severity::Info => "notice",
            };
            let title = format!("{} {} ({})", d.code, d.name, d.severity.as_str());
            let _ = writeln!(
                out,
                "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&f.path),
                a.line,
                a.column,
                b.line,
                b.column,
                property(&title),
                data(&f.scrub(&d.message))
            );
        }
    }
    out
}
