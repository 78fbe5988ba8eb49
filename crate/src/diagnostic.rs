//! Findings and rule metadata: what every host renders.

use serde::{Deserialize, Serialize};

use crate::fix::Fix;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify_next::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Whether a rule offers a fix (besides the engine's ignore fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify_next::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    Always,
    Sometimes,
    None,
}

/// A rule's metadata and documentation: the single source for `keyleak
/// explain`, SARIF rule help and every host's rule panel.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    /// One line: what the rule reports.
    pub summary: &'static str,
    pub severity: Severity,
    pub cwe: &'static [u16],
    pub fix: FixAvailability,
    /// Reported unless the user opts out; KL304 is opt-in.
    pub default_enabled: bool,
    /// One or two sentences: what to do instead.
    pub remediation: &'static str,
    /// Markdown: What it does / Why is this bad? / Example / Use instead /
    /// Fix safety / References.
    pub docs: &'static str,
}

impl RuleMeta {
    pub fn url(&self) -> String {
        format!("https://keyleak.dev/rules/{}", self.code)
    }
}

/// A byte range in the checked source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub span: Span,
    pub message: String,
    /// Another file of the project this location is in (its path relative
    /// to the project root); none for the checked file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where the location starts in that other file (1-based line and
    /// column in characters); none for the checked file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<crate::LineCol>,
}

/// One finding. `message` never contains a secret value.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub cwe: &'static [u16],
    pub remediation: &'static str,
    pub url: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
    /// For a hardcoded secret: the environment variable its fixes read it
    /// from, and where its value sits (for an editor's "move to .env").
    #[serde(skip)]
    pub env: Option<EnvVar>,
}

/// The environment variable a fix moves a hardcoded secret to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub name: String,
    /// Where the secret's value sits in the source.
    pub value: Span,
    /// The code itself names the variable (`os.getenv("K", "fallback")`).
    pub given: bool,
}
