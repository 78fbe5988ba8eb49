//! The WebAssembly API: the only file that knows JavaScript. Positions cross
//! the boundary as 0-based lines and UTF-16 code units (LSP, VS Code,
//! CodeMirror); errors become JavaScript exceptions with a message.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::{Applicability, Checker, ColumnUnit, Config, LineCol, LineIndex, Report, RuleMeta, Span};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** The `[tool.keyleak]` table of pyproject.toml, as an object. */
export interface Options {
  select?: string[];
  "extend-select"?: string[];
  ignore?: string[];
  severity?: Record<string, Severity>;
  "secret-names"?: string[];
  "non-secret-names"?: string[];
  exclude?: string[];
  "per-file-ignores"?: Record<string, string[]>;
}
export type Severity = "critical" | "high" | "medium" | "low" | "info";
/** 0-based line; character in UTF-16 code units (as in LSP). */
export interface Position { line: number; character: number; }
export interface Range { start: Position; end: Position; }
export interface TextEdit { range: Range; newText: string; }
export interface Fix { title: string; applicability: "safe" | "unsafe" | "display-only"; edits: TextEdit[]; }
export interface Related { range: Range; message: string; }
export interface Diagnostic {
  code: string; name: string; severity: Severity;
  /** One line; never contains a secret value (they are masked: `sk_l…a1b2`). */
  message: string;
  cwe: number[]; url: string; remediation: string; docs: string;
  range: Range; related: Related[]; fixes: Fix[];
}
export interface Report {
  diagnostics: Diagnostic[];
  /** Where secret values sit in the source: mask these before sharing or printing it. */
  secretRanges: Range[];
  syntaxErrors: number;
}
export interface Rule {
  code: string; name: string; summary: string; severity: Severity; cwe: number[];
  fix: "always" | "sometimes" | "none"; defaultEnabled: boolean; remediation: string; docs: string; url: string;
}
"#;

/// Errors cross to JavaScript with any credential in them masked.
fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&crate::secrets::scrub(&e.to_string()))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(err)
}

#[derive(Serialize)]
struct JsPosition {
    line: usize,
    character: usize,
}

#[derive(Serialize)]
struct JsRange {
    start: JsPosition,
    end: JsPosition,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsEdit {
    range: JsRange,
    new_text: String,
}

#[derive(Serialize)]
struct JsFix {
    title: String,
    applicability: Applicability,
    edits: Vec<JsEdit>,
}

#[derive(Serialize)]
struct JsRelated {
    range: JsRange,
    message: String,
}

#[derive(Serialize)]
struct JsDiagnostic {
    code: &'static str,
    name: &'static str,
    severity: crate::Severity,
    message: String,
    cwe: &'static [u16],
    url: String,
    remediation: &'static str,
    docs: &'static str,
    range: JsRange,
    related: Vec<JsRelated>,
    fixes: Vec<JsFix>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsReport {
    diagnostics: Vec<JsDiagnostic>,
    secret_ranges: Vec<JsRange>,
    syntax_errors: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsRule {
    code: &'static str,
    name: &'static str,
    summary: &'static str,
    severity: crate::Severity,
    cwe: &'static [u16],
    fix: crate::FixAvailability,
    default_enabled: bool,
    remediation: &'static str,
    docs: &'static str,
    url: String,
}

fn range(lines: &LineIndex<'_>, span: Span) -> JsRange {
    let a = lines.position(span.start, ColumnUnit::Utf16);
    let b = lines.position(span.end, ColumnUnit::Utf16);
    JsRange {
        start: JsPosition { line: a.line, character: a.column },
        end: JsPosition { line: b.line, character: b.column },
    }
}

fn report_to_js(source: &str, report: &Report) -> Result<JsValue, JsError> {
    let lines = LineIndex::new(source);
    let diagnostics = report
        .diagnostics
        .iter()
        .map(|d| {
            let meta = crate::rule(d.code);
            JsDiagnostic {
                code: d.code,
                name: d.name,
                severity: d.severity,
                message: d.message.clone(),
                cwe: d.cwe,
                url: d.url.clone(),
                remediation: d.remediation,
                docs: meta.map_or("", |m| m.docs),
                range: range(&lines, d.span),
                related: d
                    .related
                    .iter()
                    .map(|r| JsRelated { range: range(&lines, r.span), message: r.message.clone() })
                    .collect(),
                fixes: d
                    .fixes
                    .iter()
                    .map(|f| JsFix {
                        title: f.title.clone(),
                        applicability: f.applicability,
                        edits: f
                            .edits
                            .iter()
                            .map(|e| JsEdit { range: range(&lines, e.span), new_text: e.new_text.clone() })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let secret_ranges = report.secret_spans.iter().map(|s| range(&lines, *s)).collect();
    to_js(&JsReport { diagnostics, secret_ranges, syntax_errors: report.syntax_errors })
}

fn rule_to_js(m: &RuleMeta) -> JsRule {
    JsRule {
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
        report_to_js(source, &report)
    }

    /// Open a document for incremental editing.
    pub fn open(&self, source: String, path: Option<String>) -> Result<Document, JsError> {
        let doc = crate::Document::new(source, path.as_deref().unwrap_or("main.py")).map_err(err)?;
        Ok(Document { doc, checker: self.checker.clone() })
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

/// An open document: keeps its syntax tree and re-parses only what an edit
/// touches (tree-sitter's incremental parsing).
#[wasm_bindgen]
pub struct Document {
    doc: crate::Document,
    checker: Checker,
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
    #[wasm_bindgen(js_name = setText)]
    pub fn set_text(&mut self, text: String) -> Result<(), JsError> {
        self.doc.set_text(text).map_err(err)
    }

    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(&mut self) -> Result<JsValue, JsError> {
        let report = self.doc.check(&self.checker);
        report_to_js(self.doc.text(), &report)
    }
}
