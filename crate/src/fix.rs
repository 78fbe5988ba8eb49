//! Fixes: sorted, non-overlapping edits with a title and an applicability.

use serde::Serialize;

use crate::diagnostic::Span;
use crate::syntax::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify_next::Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown and applied only when a person picks it (ignore comments).
    DisplayOnly,
    /// Changes behaviour the user must accept (`--unsafe-fixes`).
    Unsafe,
    /// Keeps behaviour; `--fix` applies it.
    Safe,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

impl Edit {
    pub(crate) fn replace(span: Span, new_text: impl Into<String>) -> Edit {
        Edit { span, new_text: new_text.into() }
    }
    pub(crate) fn insert(at: usize, new_text: impl Into<String>) -> Edit {
        Edit { span: Span { start: at, end: at }, new_text: new_text.into() }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Edits of the checked file.
    pub edits: Vec<Edit>,
    /// Edits of other files of the workspace (an editor's "move to .env").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_edits: Vec<FileEdit>,
}

/// Edits of another file, by its path relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEdit {
    pub path: String,
    /// The file does not exist yet: create it with the edits' text.
    pub create: bool,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub(crate) fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        edits.dedup();
        Fix { title: title.into(), applicability, edits, file_edits: vec![] }
    }
}

/// Apply sorted, non-overlapping edits. Returns None when edits overlap or
/// fall outside the text or inside a character.
pub fn apply_edits(source: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut pos = 0;
    for e in sorted {
        let Span { start, end } = e.span;
        if start < pos
            || end < start
            || end > source.len()
            || !source.is_char_boundary(start)
            || !source.is_char_boundary(end)
        {
            return None;
        }
        out.push_str(&source[pos..start]);
        out.push_str(&e.new_text);
        pos = end;
    }
    out.push_str(&source[pos..]);
    Some(out)
}

/// An edit that adds `import {module}` at module level, unless the module is
/// already imported: before the first ordinary import, else after the module
/// docstring and `__future__` imports, else at the top (after a shebang or
/// encoding line).
pub(crate) fn ensure_import(root: Node<'_>, source: &str, module: &str) -> Option<Edit> {
    let mut after: usize = 0;
    let mut first_import: Option<usize> = None;
    for (i, stmt) in root.items().into_iter().enumerate() {
        match stmt.kind() {
            "import_statement" => {
                let imported = stmt.items().iter().any(|n| n.is("dotted_name") && n.text() == module);
                if imported {
                    return None;
                }
                first_import.get_or_insert(stmt.start());
            }
            "future_import_statement" => after = line_end(source, stmt.end()),
            "import_from_statement" => {
                first_import.get_or_insert(stmt.start());
            }
            "expression_statement" if i == 0 && stmt.first_item().is_some_and(|e| e.is("string")) => {
                after = line_end(source, stmt.end());
            }
            _ => {}
        }
    }
    // a nested `import os` (inside a function) does not bind module-wide
    if let Some(at) = first_import.filter(|&at| at >= after) {
        return Some(Edit::insert(at, format!("import {module}\n")));
    }
    if after == 0 {
        // keep a shebang / encoding comment first
        let mut at = 0;
        for line in source.split_inclusive('\n') {
            let t = line.trim_start();
            if t.starts_with("#!") || (t.starts_with('#') && t.contains("coding")) {
                at += line.len();
            } else {
                break;
            }
        }
        return Some(Edit::insert(at, format!("import {module}\n")));
    }
    if after >= source.len() && !source.ends_with('\n') {
        return Some(Edit::insert(source.len(), format!("\nimport {module}\n")));
    }
    Some(Edit::insert(after, format!("import {module}\n")))
}

/// The byte after the newline that ends the line containing `at - 1`.
fn line_end(source: &str, at: usize) -> usize {
    source[at..].find('\n').map_or(source.len(), |i| at + i + 1)
}
