//! Human output: one code frame per finding, like rustc and ruff. Source
//! lines are printed with every secret masked.

use std::fmt::Write;

use super::{masked_line, FileResult};
use crate::{Applicability, ColumnUnit, LineIndex, Severity};

#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Critical | Severity::High => "1;31",
            Severity::Medium => "1;33",
            Severity::Low | Severity::Info => "1;36",
        };
        self.paint(code, sev.as_str())
    }
}

pub fn text(files: &[FileResult], style: Style) -> String {
    let mut out = String::new();
    for f in files {
        let lines = LineIndex::new(&f.source);
        for d in f.diagnostics() {
            let start = f.position(d.span.start, ColumnUnit::Chars);
            let line0 = start.line - 1;
            let _ = writeln!(
                out,
                "{}: {} [{}] {}",
                style.paint("1", &format!("{}:{}:{}", f.path, start.line, start.column)),
                style.paint("1", d.code),
                style.severity(d.severity),
                f.scrub(&d.message)
            );
            let (shown, a, b) = masked_line(&f.source, line0, &f.report.secret_spans, d.span);
            let width = start.line.to_string().len();
            let gutter = " ".repeat(width);
            let multi = lines.line_of(d.span.end.saturating_sub(1).max(d.span.start)) > line0;
            let _ = writeln!(out, "{gutter} {}", style.paint("34", "|"));
            let _ = writeln!(
                out,
                "{} {} {}",
                style.paint("34", &start.line.to_string()),
                style.paint("34", "|"),
                shown.trim_end()
            );
            let carets = "^".repeat(b.saturating_sub(a).max(1));
            let more = if multi { " ..." } else { "" };
            let _ = writeln!(
                out,
                "{gutter} {} {}{}{}",
                style.paint("34", "|"),
                " ".repeat(a),
                style.paint("1;31", &carets),
                more
            );
            for r in &d.related {
                let (path, line, column) = match (&r.path, r.position) {
                    (Some(path), Some(p)) => (path.as_str(), p.line, p.column),
                    _ => {
                        let p = f.position(r.span.start, ColumnUnit::Chars);
                        (f.path.as_str(), p.line, p.column)
                    }
                };
                let _ = writeln!(out, "{gutter} = note: {} ({path}:{line}:{column})", f.scrub(&r.message));
            }
            let _ = writeln!(out, "{gutter} = help: {}", d.remediation);
            if let Some(fix) = d.fixes.iter().find(|x| x.applicability != Applicability::DisplayOnly) {
                let how = match fix.applicability {
                    Applicability::Safe => "fix",
                    _ => "unsafe fix",
                };
                let _ = writeln!(out, "{gutter} = {how}: {}", f.scrub(&fix.title));
            }
            let _ = writeln!(out, "{gutter} = docs: {} ({})", d.url, d.name);
            out.push('\n');
        }
    }
    out
}
