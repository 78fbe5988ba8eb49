//! Output formats of the CLI: text (code frames), JSON, SARIF 2.1.0 and
//! GitHub workflow annotations. Every string that could carry source text
//! goes through [`FileResult::scrub`] first: no format prints a secret.

mod github;
mod json;
mod sarif;
mod text;

pub use github::github;
pub use json::json;
pub use sarif::sarif;
pub use text::{text, Style};

use crate::{mask, ColumnUnit, Diagnostic, LineIndex, Report, Span};

/// One checked file, ready to render.
pub struct FileResult {
    /// Path as shown to the user (relative to the current directory, `/`-separated).
    pub path: String,
    pub source: String,
    pub report: Report,
}

/// 1-based line and column of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl FileResult {
    pub fn position(&self, offset: usize, unit: ColumnUnit) -> Position {
        let p = LineIndex::new(&self.source).position(offset, unit);
        Position { line: p.line + 1, column: p.column + 1 }
    }

    /// The secret values of this file.
    fn secrets(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .report
            .secret_spans
            .iter()
            .filter(|s| {
                s.end <= self.source.len()
                    && self.source.is_char_boundary(s.start)
                    && self.source.is_char_boundary(s.end)
            })
            .map(|s| &self.source[s.start..s.end])
            .filter(|s| s.len() >= 4)
            .collect();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v
    }

    /// Replace any secret value of this file that occurs in `text` with its
    /// masked form. Messages are masked when made; this is the second belt
    /// for text derived from source (fix edits, diffs).
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in self.secrets() {
            if out.contains(s) {
                out = out.replace(s, &mask(s));
            }
        }
        out
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.report.diagnostics
    }
}

/// The part of `line` (starting at byte `line_start`) with secret spans
/// masked, and the display columns (0-based, in characters) of `hl`.
pub(crate) fn masked_line(line: &str, line_start: usize, secrets: &[Span], hl: Span) -> (String, usize, usize) {
    let line_end = line_start + line.len();
    let mut out = String::new();
    let mut col = 0usize;
    let (mut hl_start, mut hl_end) = (None, None);
    let mut i = 0;
    while i <= line.len() {
        let at = line_start + i;
        if hl_start.is_none() && at >= hl.start {
            hl_start = Some(col);
        }
        if hl_end.is_none() && at >= hl.end {
            hl_end = Some(col);
        }
        if i == line.len() {
            break;
        }
        if let Some(s) = secrets.iter().find(|s| s.start <= at && at < s.end) {
            let end = s.end.min(line_end);
            let piece = &line[i..end - line_start];
            let m = mask(piece);
            col += m.chars().count();
            out.push_str(&m);
            if hl.start > at && hl.start < end {
                hl_start = hl_start.or(Some(col));
            }
            i = end - line_start;
            continue;
        }
        let c = line[i..].chars().next().unwrap_or(' ');
        out.push(if c == '\t' { ' ' } else { c });
        col += 1;
        i += c.len_utf8();
    }
    let start = hl_start.unwrap_or(col);
    let end = hl_end.unwrap_or(col).max(start + 1);
    (out, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_printed_lines_and_keeps_carets_aligned() {
        let line = "KEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'  # é";
        let s = line.find("sk_").expect("key");
        let e = s + "sk_live_51HqLyjK2eZvKYlo2C8nR3xPq".len();
        let (text, a, b) = masked_line(
            line,
            100,
            &[Span { start: 100 + s, end: 100 + e }],
            Span { start: 100 + s - 1, end: 100 + e + 1 },
        );
        assert_eq!(text, "KEY = 'sk_l…3xPq'  # é");
        assert_eq!((a, b), (6, 17));
        assert!(!text.contains("51HqLyjK2eZvKYlo"));
    }
}
