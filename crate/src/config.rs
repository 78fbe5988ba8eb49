//! `[tool.keyleak]` in `pyproject.toml`, or a `keyleak.toml`: which rules
//! run, their severities, extra secret and non-secret names, excluded paths
//! and per-file ignores. The wasm hosts pass the same table as an object.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{RuleMeta, Severity};

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Config {
    /// Rule codes or prefixes to run instead of the defaults (`["KL1", "KL201"]`).
    pub select: Option<Vec<String>>,
    /// Codes or prefixes added to the selection (`["KL304"]`).
    pub extend_select: Vec<String>,
    /// Codes or prefixes never reported.
    pub ignore: Vec<String>,
    /// Severity per code: `{ KL201 = "high" }`.
    pub severity: BTreeMap<String, Severity>,
    /// Identifiers to treat as secret names in addition to the built-in words.
    pub secret_names: Vec<String>,
    /// Identifiers that are never secrets here.
    pub non_secret_names: Vec<String>,
    /// Glob patterns of paths not to check.
    pub exclude: Vec<String>,
    /// Glob pattern -> codes ignored in matching files.
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The parser's message, with any credential in it masked.
    #[error("invalid configuration: {0}")]
    Toml(String),
    /// The selector as written, masked if it is a credential.
    #[error("invalid configuration: `{0}` is not a keyleak rule code or prefix (expected e.g. KL201 or KL2)")]
    UnknownSelector(String),
}

/// `KL`, `KL2`, `KL201`, or a rule name.
fn valid_selector(s: &str) -> bool {
    if crate::rules::by_code(s).is_some() {
        return true;
    }
    let Some(digits) = s.strip_prefix("KL") else {
        return false;
    };
    digits.len() <= 3 && digits.chars().all(|c| c.is_ascii_digit())
}

fn matches(selector: &str, meta: &RuleMeta) -> bool {
    meta.code.starts_with(selector) || meta.name == selector
}

impl Config {
    /// Parse a `keyleak.toml` (the table at top level) or a `pyproject.toml`
    /// (the `[tool.keyleak]` table; `None` when it has none).
    pub fn from_toml(text: &str, pyproject: bool) -> Result<Option<Config>, ConfigError> {
        let value: toml::Table =
            toml::from_str(text).map_err(|e| ConfigError::Toml(crate::secrets::scrub(e.message())))?;
        let table = if pyproject {
            match value.get("tool").and_then(|t| t.get("keyleak")) {
                Some(t) => t.clone(),
                None => return Ok(None),
            }
        } else {
            toml::Value::Table(value)
        };
        let config: Config =
            table.try_into().map_err(|e: toml::de::Error| ConfigError::Toml(crate::secrets::scrub(e.message())))?;
        config.validate()?;
        Ok(Some(config))
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let selectors = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.severity.keys())
            .chain(self.per_file_ignores.values().flatten());
        for s in selectors {
            if !valid_selector(s) {
                return Err(ConfigError::UnknownSelector(
                    crate::secrets::scrub(&format!("`{s}`")).trim_matches('`').to_string(),
                ));
            }
        }
        Ok(())
    }

    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let selected = match &self.select {
            Some(sel) => sel.iter().any(|s| matches(s, meta)),
            None => meta.default_enabled,
        } || self.extend_select.iter().any(|s| matches(s, meta));
        selected && !self.ignore.iter().any(|s| matches(s, meta))
    }

    pub fn severity_of(&self, code: &str, default: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(default)
    }

    /// Is `path` (relative, `/`-separated) excluded?
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.iter().any(|g| glob_match(g, path))
    }

    /// Codes ignored for `path` by `per-file-ignores`.
    pub fn ignored_in(&self, path: &str) -> Vec<&str> {
        self.per_file_ignores
            .iter()
            .filter(|(g, _)| glob_match(g, path))
            .flat_map(|(_, codes)| codes.iter().map(String::as_str))
            .collect()
    }
}

/// Minimal gitignore-style glob: `*` (within a segment), `**` (any depth),
/// `?`. A pattern without `/` matches the file name or any directory name.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let path = path.trim_start_matches("./");
    let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
    if !pattern.contains('/') {
        return path.split('/').any(|seg| match_segment(pattern.as_bytes(), seg.as_bytes()));
    }
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    match_parts(&p, &s) || prefix_match(&p, &s)
}

/// A directory pattern matches everything below it.
fn prefix_match(p: &[&str], s: &[&str]) -> bool {
    (1..s.len()).any(|k| match_parts(p, &s[..k]))
}

fn match_parts(p: &[&str], s: &[&str]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(&"**"), _) => match_parts(&p[1..], s) || (!s.is_empty() && match_parts(p, &s[1..])),
        (Some(ps), Some(ss)) => match_segment(ps.as_bytes(), ss.as_bytes()) && match_parts(&p[1..], &s[1..]),
        _ => false,
    }
}

fn match_segment(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => match_segment(&p[1..], s) || (!s.is_empty() && match_segment(p, &s[1..])),
        (Some(b'?'), Some(_)) => match_segment(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => match_segment(&p[1..], &s[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.py", "app/views.py"));
        assert!(glob_match("tests/**", "tests/a/b.py"));
        assert!(glob_match("tests", "tests/a/b.py"));
        assert!(glob_match("app/*/x.py", "app/y/x.py"));
        assert!(glob_match("**/migrations/*.py", "a/b/migrations/0001.py"));
        assert!(!glob_match("app/*.py", "app/y/x.py"));
        assert!(!glob_match("*.txt", "app.py"));
    }

    #[test]
    fn parses_pyproject() {
        let c = Config::from_toml("[tool.keyleak]\nignore = [\"KL201\"]\nextend-select = [\"KL3\"]\nsecret-names = [\"license\"]\n[tool.keyleak.severity]\nKL101 = \"critical\"\n", true)
            .expect("valid")
            .expect("table");
        assert_eq!(c.ignore, vec!["KL201"]);
        assert_eq!(c.severity.get("KL101"), Some(&Severity::Critical));
        assert!(Config::from_toml("[tool.black]\n", true).expect("valid").is_none());
    }

    #[test]
    fn rejects_bad_input() {
        let e = Config::from_toml("ignore = [\"E501\"]\n", false).expect_err("bad code");
        assert!(e.to_string().contains("E501"), "{e}");
        let e = Config::from_toml("ignored = []\n", false).expect_err("bad key");
        assert!(e.to_string().contains("ignored"), "{e}");
        assert!(Config::from_toml("ignore = [", false).is_err());
    }

    #[test]
    fn errors_do_not_print_secrets() {
        let e = Config::from_toml("ignore = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"\n", false).expect_err("bad type");
        assert!(!e.to_string().contains("4eC39HqLyjWDarjtT1zdp7dc"), "{e}");
        let e = Config::from_toml("ignore = [\"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"]\n", false).expect_err("bad code");
        assert!(e.to_string().contains("sk_l…p7dc"), "{e}");
    }

    #[test]
    fn selection() {
        let kl201 = crate::rules::by_code("KL201").expect("rule");
        let c = Config { ignore: vec!["KL2".into()], ..Config::default() };
        assert!(!c.is_enabled(kl201));
        let c = Config { select: Some(vec!["KL1".into()]), ..Config::default() };
        assert!(!c.is_enabled(kl201));
        assert!(Config::default().is_enabled(kl201));
    }
}
