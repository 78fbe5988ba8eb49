//! The WebAssembly API: the only file that knows JavaScript. Positions cross
//! the boundary as 0-based lines and UTF-16 code units (LSP, VS Code,
//! CodeMirror); errors become JavaScript exceptions with a message.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Checker, ColumnUnit, Config, LineCol, LineIndex, Report, RuleMeta, Span};

// The TypeScript types of `keyleak.d.ts` are generated from these Rust
// types (tsify); only the alias below is written by hand.
#[wasm_bindgen(typescript_custom_section)]
const TS_ALIASES: &str = r#"
/** The `[tool.keyleak]` table of pyproject.toml, as an object. */
export type Options = Config;
"#;

/// Errors cross to JavaScript with any credential in them masked.
fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&crate::secrets::scrub(&e.to_string()))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(err)
}

/// The shapes that cross to JavaScript. Positions are 0-based lines and
/// UTF-16 code units, as in LSP.
mod js {
    use serde::Serialize;
    use tsify_next::Tsify;

    use crate::{Applicability, FixAvailability, Severity};

    /// 0-based line; character in UTF-16 code units (as in LSP).
    #[derive(Serialize, Tsify)]
    pub struct Position {
        pub line: usize,
        pub character: usize,
    }

    /// A sibling file of the project, for `setWorkspace`.
    #[derive(serde::Deserialize, Tsify)]
    pub struct WorkspaceFile {
        pub path: String,
        pub text: String,
    }

    #[derive(Serialize, Tsify)]
    pub struct Range {
        pub start: Position,
        pub end: Position,
    }

    #[derive(Serialize, Tsify)]
    #[serde(rename_all = "camelCase")]
    pub struct TextEdit {
        pub range: Range,
        pub new_text: String,
    }

    /// Edits of another file of the workspace, by its path relative to the
    /// workspace root (`.env`, `.gitignore`).
    #[derive(Serialize, Tsify)]
    pub struct FileEdit {
        pub path: String,
        /// The file does not exist yet.
        pub create: bool,
        pub edits: Vec<TextEdit>,
    }

    #[derive(Serialize, Tsify)]
    #[serde(rename_all = "camelCase")]
    pub struct Fix {
        pub title: String,
        pub applicability: Applicability,
        /// Edits of the checked document.
        pub edits: Vec<TextEdit>,
        /// Edits of other files ("move to .env"); absent for most fixes.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        #[tsify(optional)]
        pub file_edits: Vec<FileEdit>,
    }

    #[derive(Serialize, Tsify)]
    pub struct Related {
        pub range: Range,
        pub message: String,
        /// Another file of the project, relative to its root; absent for
        /// this document.
        #[serde(skip_serializing_if = "Option::is_none")]
        #[tsify(optional)]
        pub path: Option<String>,
    }

    #[derive(Serialize, Tsify)]
    pub struct Diagnostic {
        pub code: &'static str,
        pub name: &'static str,
        pub severity: Severity,
        /// One line; never contains a secret value (they are masked: `sk_l…a1b2`).
        pub message: String,
        pub cwe: &'static [u16],
        pub url: String,
        pub remediation: &'static str,
        pub range: Range,
        pub related: Vec<Related>,
        pub fixes: Vec<Fix>,
    }

    /// Something the check could not do in full (never a finding).
    #[derive(Serialize, Tsify)]
    pub struct Note {
        pub range: Range,
        pub message: String,
    }

    #[derive(Serialize, Tsify)]
    #[serde(rename_all = "camelCase")]
    pub struct Report {
        pub diagnostics: Vec<Diagnostic>,
        /// Where credential-looking values sit in the source: mask these
        /// before sharing or printing it.
        pub secret_ranges: Vec<Range>,
        pub syntax_errors: usize,
        pub notes: Vec<Note>,
    }

    #[derive(Serialize, Tsify)]
    #[serde(rename_all = "camelCase")]
    pub struct Rule {
        pub code: &'static str,
        pub name: &'static str,
        pub summary: &'static str,
        pub severity: Severity,
        pub cwe: &'static [u16],
        pub fix: FixAvailability,
        pub default_enabled: bool,
        pub remediation: &'static str,
        pub docs: &'static str,
        pub url: String,
    }
}

fn range(lines: &LineIndex<'_>, span: Span) -> js::Range {
    let a = lines.position(span.start, ColumnUnit::Utf16);
    let b = lines.position(span.end, ColumnUnit::Utf16);
    js::Range {
        start: js::Position { line: a.line, character: a.column },
        end: js::Position { line: b.line, character: b.column },
    }
}

fn text_edits(lines: &LineIndex<'_>, edits: &[crate::Edit]) -> Vec<js::TextEdit> {
    edits.iter().map(|e| js::TextEdit { range: range(lines, e.span), new_text: e.new_text.clone() }).collect()
}

fn fix_to_js(lines: &LineIndex<'_>, f: &crate::Fix, files: &[(&str, &str)]) -> js::Fix {
    js::Fix {
        title: f.title.clone(),
        applicability: f.applicability,
        edits: text_edits(lines, &f.edits),
        file_edits: f
            .file_edits
            .iter()
            .map(|fe| {
                // positions in the other file, from its own text
                let text = files.iter().find(|(p, _)| *p == fe.path).map_or("", |(_, t)| *t);
                js::FileEdit {
                    path: fe.path.clone(),
                    create: fe.create,
                    edits: text_edits(&LineIndex::new(text), &fe.edits),
                }
            })
            .collect(),
    }
}

fn report_to_js(lines: &LineIndex<'_>, report: &Report) -> Result<JsValue, JsError> {
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            // the rule's documentation comes once, from `Engine.rules()`
            js::Diagnostic {
                code: d.code,
                name: d.name,
                severity: d.severity,
                message: d.message.clone(),
                cwe: d.cwe,
                url: d.url.clone(),
                remediation: d.remediation,
                range: range(lines, d.span),
                related: d
                    .related
                    .iter()
                    .map(|r| js::Related {
                        // in another file: where it starts there
                        range: match r.position {
                            Some(p) => {
                                let at = js::Position {
                                    line: p.line.saturating_sub(1),
                                    character: p.column.saturating_sub(1),
                                };
                                js::Range { start: js::Position { ..at }, end: at }
                            }
                            None => range(lines, r.span),
                        },
                        message: r.message.clone(),
                        path: r.path.clone(),
                    })
                    .collect(),
                fixes: d.fixes.iter().map(|f| fix_to_js(lines, f, &[])).collect(),
            }
        })
        .collect();
    let secret_ranges = report.secret_spans.iter().map(|s| range(lines, *s)).collect();
    let notes =
        report.notes.iter().map(|n| js::Note { range: range(lines, n.span), message: n.message.clone() }).collect();
    to_js(&js::Report { diagnostics, secret_ranges, syntax_errors: report.syntax_errors, notes })
}

fn rule_to_js(m: &RuleMeta) -> js::Rule {
    js::Rule {
        code: m.code,
        name: m.name,
        summary: m.summary,
        severity: m.severity,
        cwe: m.cwe,
        fix: m.fix,
        default_enabled: m.default_enabled,
        remediation: m.remediation,
        docs: m.docs,
        url: m.url(),
    }
}

/// Mask a secret value for display: `sk_l…a1b2` (nothing of values under
/// 10 characters, at most 4 + 4 characters of long ones).
#[wasm_bindgen]
pub fn mask(value: &str) -> String {
    crate::mask(value)
}

/// Python source with every credential-looking token masked (vendor keys,
/// passwords, tokens in strings and comments, PEM blocks), whether or not a
/// rule reports it. Lines stay where they are. For sharing or showing code.
#[wasm_bindgen]
pub fn redact(source: &str) -> String {
    crate::redact(source)
}

/// A configured engine.
#[wasm_bindgen]
pub struct Engine {
    checker: Checker,
}

#[wasm_bindgen]
impl Engine {
    /// `new Engine({ ignore: ["KL301"] })`; throws on an unknown option or rule code.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Options | undefined")] options: JsValue,
    ) -> Result<Engine, JsError> {
        let config: Config = if options.is_undefined() || options.is_null() {
            Config::default()
        } else {
            // through serde_json: serde-wasm-bindgen reads only the fields it
            // knows from an object, which would let a misspelt option pass
            let value: serde_json::Value =
                serde_wasm_bindgen::from_value(options).map_err(|e| err(format!("invalid options: {e}")))?;
            serde_json::from_value(value).map_err(|e| err(format!("invalid options: {e}")))?
        };
        Ok(Engine { checker: Checker::new(config).map_err(err)? })
    }

    /// Check Python source; `path` decides what counts as a test or config module.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(&self, source: &str, path: Option<String>) -> Result<JsValue, JsError> {
        let report = self.checker.check(source, path.as_deref().unwrap_or("main.py"));
        report_to_js(&LineIndex::new(source), &report)
    }

    /// Supply the sibling files of the project (`[{ path, text }]`, paths
    /// relative to the project root), so that checks see facts other files
    /// hold: blueprint prefixes, `before_request` guards, rate limits,
    /// configuration classes. An empty list goes back to single-file checks.
    /// Documents opened later use it; open ones get it with their own
    /// `setWorkspace`.
    #[wasm_bindgen(js_name = setWorkspace)]
    pub fn set_workspace(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WorkspaceFile[]")] files: JsValue,
    ) -> Result<(), JsError> {
        self.checker = with_workspace(&self.checker, files)?;
        Ok(())
    }

    /// Open a document for incremental editing.
    pub fn open(&self, source: String, path: Option<String>) -> Result<Document, JsError> {
        let doc = crate::Document::new(source, path.as_deref().unwrap_or("main.py")).map_err(err)?;
        Ok(Document { doc, checker: self.checker.clone(), last: None })
    }

    /// Every rule's metadata and documentation.
    #[wasm_bindgen(unchecked_return_type = "Rule[]")]
    pub fn rules(&self) -> Result<JsValue, JsError> {
        to_js(&crate::rules().map(rule_to_js).collect::<Vec<_>>())
    }

    pub fn version() -> String {
        crate::version().to_string()
    }
}

/// The checker with a project built from `[{ path, text }]`.
fn with_workspace(checker: &Checker, files: JsValue) -> Result<Checker, JsError> {
    let files: Vec<js::WorkspaceFile> =
        serde_wasm_bindgen::from_value(files).map_err(|e| err(format!("invalid workspace: {e}")))?;
    let project = crate::Project::from_files(files.iter().map(|f| (f.path.as_str(), f.text.as_str())));
    Ok(checker.with_project(std::sync::Arc::new(project)))
}

/// An open document: keeps its syntax tree and re-parses only what an edit
/// touches (tree-sitter's incremental parsing).
#[wasm_bindgen]
pub struct Document {
    doc: crate::Document,
    checker: Checker,
    /// The last report, for fixes made on demand.
    last: Option<Report>,
}

#[wasm_bindgen]
impl Document {
    pub fn text(&self) -> String {
        self.doc.text().to_string()
    }

    /// Replace the range (0-based lines, UTF-16 characters) with `text`.
    pub fn edit(
        &mut self,
        start_line: usize,
        start_character: usize,
        end_line: usize,
        end_character: usize,
        text: &str,
    ) -> Result<(), JsError> {
        let start = LineCol { line: start_line, column: start_character };
        let end = LineCol { line: end_line, column: end_character };
        self.doc.edit(start, end, ColumnUnit::Utf16, text).map_err(err)
    }

    /// Replace the whole text (a fresh parse).
    /// Supply the sibling files of the project (see `Engine.setWorkspace`).
    #[wasm_bindgen(js_name = setWorkspace)]
    pub fn set_workspace(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WorkspaceFile[]")] files: JsValue,
    ) -> Result<(), JsError> {
        self.checker = with_workspace(&self.checker, files)?;
        self.last = None;
        Ok(())
    }

    /// Use the workspace an engine was given (`Engine.setWorkspace`),
    /// without reading the files again.
    #[wasm_bindgen(js_name = shareWorkspace)]
    pub fn share_workspace(&mut self, engine: &Engine) {
        self.checker = self.checker.with_project_of(&engine.checker);
        self.last = None;
    }

    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: String) -> Result<(), JsError> {
        self.doc.set_text(text).map_err(err)
    }

    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(&mut self) -> Result<JsValue, JsError> {
        let report = self.doc.check(&self.checker);
        let js = report_to_js(&self.doc.parsed().lines(), &report);
        self.last = Some(report);
        js
    }

    /// "Move the secret to .env" for the hardcoded secret (KL101) at this
    /// position of the last check: edits of this document (read it from
    /// `os.environ`), of `.env` (`NAME=value`, never a name twice) and of
    /// `.gitignore` (list `.env`). Pass the current text of `.env` and
    /// `.gitignore` at the workspace root, or `undefined` when they do not
    /// exist. Undefined when there is no such finding there.
    #[wasm_bindgen(js_name = moveToEnv, unchecked_return_type = "Fix | undefined")]
    pub fn move_to_env(
        &self,
        line: usize,
        character: usize,
        env_text: Option<String>,
        gitignore_text: Option<String>,
    ) -> Result<JsValue, JsError> {
        let Some(report) = &self.last else { return Ok(JsValue::UNDEFINED) };
        let source = self.doc.text();
        let lines = LineIndex::new(source);
        let at = lines.offset(LineCol { line, column: character }, ColumnUnit::Utf16);
        let Some(d) = crate::envfile::finding_at(&report.diagnostics, Span { start: at, end: at }) else {
            return Ok(JsValue::UNDEFINED);
        };
        let Some(fix) = crate::move_to_env(d, source, env_text.as_deref(), gitignore_text.as_deref()) else {
            return Ok(JsValue::UNDEFINED);
        };
        let files =
            [(".env", env_text.as_deref().unwrap_or("")), (".gitignore", gitignore_text.as_deref().unwrap_or(""))];
        to_js(&fix_to_js(&lines, &fix, &files))
    }
}
