//! Suppression comments and the engine-made "ignore" fixes.
//!
//! `# keyleak: ignore[KL201]` (or bare `# keyleak: ignore`) on the line or on
//! its own line just above; `# keyleak: ignore-file[KL101]` anywhere;
//! `# noqa: KL201`; and, for hardcoded secrets only, the secret scanners'
//! `# nosec`, `# pragma: allowlist secret` and `gitleaks:allow`.

use crate::diagnostic::Diagnostic;
use crate::fix::{Applicability, Edit, Fix};
use crate::position::LineIndex;
use crate::syntax::Node;

/// Codes a directive names; empty means all.
type Codes = Vec<String>;

#[derive(Default, Clone)]
pub(crate) struct Suppressions {
    /// (0-based line, codes)
    lines: Vec<(usize, Codes)>,
    file: Vec<Codes>,
}

const SCANNER_MARKERS: &[&str] = &["nosec", "pragma: allowlist secret", "gitleaks:allow"];
const SCANNER_CODES: &[&str] = &["KL101", "KL102"];

fn parse_codes(rest: &str) -> Option<Codes> {
    let rest = rest.trim_start();
    if let Some(inner) = rest.strip_prefix('[') {
        let inner = inner.split(']').next()?;
        return Some(inner.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect());
    }
    Some(vec![])
}

impl Suppressions {
    pub(crate) fn add_comment(&mut self, n: Node<'_>, index: &LineIndex<'_>) {
        let line = index.line_of(n.start());
        let own_line = index.line_text(line).trim_start().starts_with('#');
        self.add_comment_text(n.text(), line, own_line);
    }

    /// The directives of one comment's text on 0-based `line`; a comment on
    /// a line of its own also covers the next line. Config files, which
    /// are not parsed as Python, add their comments through this too.
    pub(crate) fn add_comment_text(&mut self, text: &str, line: usize, own_line: bool) {
        let mut add_line = |codes: Codes| {
            self.lines.push((line, codes.clone()));
            if own_line {
                self.lines.push((line + 1, codes));
            }
        };
        if let Some(pos) = text.find("keyleak:") {
            let rest = text[pos + 8..].trim_start();
            if let Some(r) = rest.strip_prefix("ignore-file") {
                if let Some(codes) = parse_codes(r) {
                    self.file.push(codes);
                }
            } else if let Some(r) = rest.strip_prefix("ignore") {
                if let Some(codes) = parse_codes(r) {
                    add_line(codes);
                }
            }
        }
        if let Some(pos) = text.find("noqa:") {
            let codes: Codes = text[pos + 5..]
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| c.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("KL")))
                .map(|c| c.trim_end_matches(|ch: char| !ch.is_ascii_alphanumeric()).to_string())
                .collect();
            if !codes.is_empty() {
                self.lines.push((line, codes));
            }
        }
        if SCANNER_MARKERS.iter().any(|m| text.contains(m)) {
            self.lines.push((line, SCANNER_CODES.iter().map(|c| c.to_string()).collect()));
        }
    }

    /// Add another set's directives, its lines moved by `lines` (an item's
    /// directives are kept relative to the item's first line).
    pub(crate) fn extend_shifted(&mut self, other: &Suppressions, lines: isize) {
        self.lines.extend(other.lines.iter().map(|(l, c)| ((*l as isize + lines).max(0) as usize, c.clone())));
        self.file.extend(other.file.iter().cloned());
    }

    pub(crate) fn is_suppressed(&self, d: &Diagnostic, index: &LineIndex<'_>) -> bool {
        let covers = |codes: &Codes| codes.is_empty() || codes.iter().any(|c| crate::selector::names(c, d.code));
        if self.file.iter().any(covers) {
            return true;
        }
        let first = index.line_of(d.span.start);
        let last = index.line_of(d.span.end.max(d.span.start + 1) - 1).max(first);
        self.lines.iter().any(|(l, codes)| (first..=last).contains(l) && covers(codes))
    }
}

/// "Ignore KL201 on this line" and "Ignore KL201 in this file".
pub(crate) fn ignore_fixes(d: &Diagnostic, root: Node<'_>, source: &str, index: &LineIndex<'_>) -> [Fix; 2] {
    let line = index.line_of(d.span.start);
    let line_start = index.line_start(line);
    let text = index.line_text(line);
    let eol = line_start + text.len();
    // a comment at the end of the line must not land inside a string or after a `\`
    let inside_token = root
        .covering(eol.saturating_sub(1), eol)
        .is_some_and(|n| matches!(n.kind(), "string" | "string_content" | "concatenated_string") && n.end() > eol);
    let line_edit = if let Some(pos) = text.find("# keyleak: ignore[") {
        let close = text[pos..].find(']').map(|c| pos + c);
        match close {
            Some(c) => Edit::insert(line_start + c, format!(", {}", d.code)),
            None => Edit::insert(eol, format!("  # keyleak: ignore[{}]", d.code)),
        }
    } else if inside_token || text.trim_end().ends_with('\\') {
        let indent: String = text.chars().take_while(|c| c.is_whitespace()).collect();
        Edit::insert(line_start, format!("{indent}# keyleak: ignore[{}]\n", d.code))
    } else {
        Edit::insert(eol, format!("  # keyleak: ignore[{}]", d.code))
    };
    // after a shebang / encoding line
    let mut top = 0;
    for l in source.split_inclusive('\n') {
        let t = l.trim_start();
        if t.starts_with("#!") || (t.starts_with('#') && t.contains("coding")) {
            top += l.len();
        } else {
            break;
        }
    }
    [
        Fix::new(format!("Ignore {} on this line", d.code), Applicability::DisplayOnly, vec![line_edit]),
        Fix::new(
            format!("Ignore {} in this file", d.code),
            Applicability::DisplayOnly,
            vec![Edit::insert(top, format!("# keyleak: ignore-file[{}]\n", d.code))],
        ),
    ]
}
