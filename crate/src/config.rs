//! `[tool.keyleak]` in `pyproject.toml`, or a `keyleak.toml`: which rules
//! run, their severities, extra secret and non-secret names, excluded paths
//! and per-file ignores. The wasm hosts pass the same table as an object.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{RuleMeta, Severity};

/// The `[tool.keyleak]` table; in JavaScript, the `Options` of an `Engine`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify_next::Tsify))]
#[serde(rename_all = "kebab-case", deny_unknown_fields, default)]
pub struct Config {
    /// Rule codes or prefixes to run instead of the defaults (`["KL1", "KL201"]`).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub select: Option<Vec<String>>,
    /// Codes or prefixes added to the selection (`["KL304"]`).
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub extend_select: Vec<String>,
    /// Codes or prefixes never reported.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub ignore: Vec<String>,
    /// Severity per code: `{ KL201 = "high" }`.
    #[cfg_attr(feature = "wasm", tsify(optional, type = "Record<string, Severity>"))]
    pub severity: BTreeMap<String, Severity>,
    /// Identifiers to treat as secret names in addition to the built-in words.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub secret_names: Vec<String>,
    /// Identifiers that are never secrets here.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub non_secret_names: Vec<String>,
    /// Glob patterns of paths not to check.
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub exclude: Vec<String>,
    /// Glob pattern -> codes ignored in matching files.
    #[cfg_attr(feature = "wasm", tsify(optional, type = "Record<string, string[]>"))]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The parser's message, with any credential in it masked, and where.
    #[error("invalid configuration{}: {message}", at.map(|(l, c)| format!(" at line {l}, column {c}")).unwrap_or_default())]
    Toml {
        message: String,
        /// 1-based line and column, when the parser knows them.
        at: Option<(usize, usize)>,
    },
    /// A selector that names no rule, and the key it was given under.
    #[error("invalid configuration: in `{key}`: {error}")]
    UnknownSelector { key: String, error: crate::selector::UnknownSelector },
}

/// Directories never walked into (explicitly named files are still
/// checked): virtual environments, installed packages, build output and
/// tool caches, as Ruff does.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// The configuration resolved against the rule registry: per rule (by its
/// index in [`crate::rules()`]) whether it runs and at which severity.
#[derive(Debug, Clone)]
pub(crate) struct RuleSettings {
    pub enabled: Vec<bool>,
    pub severity: Vec<Option<Severity>>,
    /// (glob, rule indexes) of `per-file-ignores`.
    pub per_file: Vec<(String, Vec<usize>)>,
}

fn resolve_all<'a>(key: &str, sels: impl IntoIterator<Item = &'a String>) -> Result<Vec<usize>, ConfigError> {
    let mut out = Vec::new();
    for s in sels {
        let hits = crate::selector::resolve(s)
            .map_err(|error| ConfigError::UnknownSelector { key: key.to_string(), error })?;
        out.extend(hits);
    }
    Ok(out)
}

fn toml_error(text: &str, e: &toml::de::Error) -> ConfigError {
    let at = e.span().map(|s| {
        let before = &text[..s.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    ConfigError::Toml { message: crate::secrets::scrub(e.message()), at }
}

impl Config {
    /// Parse a `keyleak.toml` (the table at top level) or a `pyproject.toml`
    /// (the `[tool.keyleak]` table; `None` when it has none).
    pub fn from_toml(text: &str, pyproject: bool) -> Result<Option<Config>, ConfigError> {
        let value: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let table = if pyproject {
            match value.get("tool").and_then(|t| t.get("keyleak")) {
                Some(t) => t.clone(),
                None => return Ok(None),
            }
        } else {
            toml::Value::Table(value)
        };
        // the table was re-serialised: positions refer to the file only
        // for syntax errors; name the offending key instead
        let config: Config = table.try_into().map_err(|e: toml::de::Error| ConfigError::Toml {
            message: crate::secrets::scrub(e.message()),
            at: None,
        })?;
        config.validate()?;
        Ok(Some(config))
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        self.resolve().map(|_| ())
    }

    /// Resolve every selector; the first that names no rule is an error.
    pub(crate) fn resolve(&self) -> Result<RuleSettings, ConfigError> {
        let metas: Vec<&RuleMeta> = crate::rules::all().collect();
        let select = match &self.select {
            Some(sel) => Some(resolve_all("select", sel)?),
            None => None,
        };
        let extend = resolve_all("extend-select", &self.extend_select)?;
        let ignore = resolve_all("ignore", &self.ignore)?;
        let mut enabled: Vec<bool> = metas
            .iter()
            .enumerate()
            .map(|(i, m)| select.as_ref().map_or(m.default_enabled, |s| s.contains(&i)) || extend.contains(&i))
            .collect();
        for i in ignore {
            enabled[i] = false;
        }
        let mut severity = vec![None; metas.len()];
        // prefixes first, then more specific selectors win
        let mut by_len: Vec<(&String, &Severity)> = self.severity.iter().collect();
        by_len.sort_by_key(|(k, _)| k.len());
        for (sel, sev) in by_len {
            for i in resolve_all("severity", [sel])? {
                severity[i] = Some(*sev);
            }
        }
        let mut per_file = Vec::new();
        for (glob, sels) in &self.per_file_ignores {
            per_file.push((glob.clone(), resolve_all("per-file-ignores", sels)?));
        }
        Ok(RuleSettings { enabled, severity, per_file })
    }

    /// Is `path` (relative to the project root, `/`-separated) excluded by
    /// the `exclude` globs?
    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.iter().any(|g| glob_match(g, path))
    }
}

impl RuleSettings {
    /// Rule indexes ignored for `path` by `per-file-ignores`.
    pub(crate) fn ignored_in(&self, path: &str) -> Vec<usize> {
        self.per_file.iter().filter(|(g, _)| glob_match(g, path)).flat_map(|(_, r)| r.iter().copied()).collect()
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

/// Segments against segments, `**` matching any number of them. The
/// classic wildcard loop (back up to the last `**` on a mismatch) is linear
/// for any pattern, where recursion was exponential in the number of stars.
fn match_parts(p: &[&str], s: &[&str]) -> bool {
    wildcard(p, s, |x| *x == "**", |a, b| match_segment(a.as_bytes(), b.as_bytes()))
}

fn match_segment(p: &[u8], s: &[u8]) -> bool {
    // `?` is one character of a segment; `*` any run of them
    wildcard(p, s, |c| *c == b'*', |a, b| *a == b'?' || a == b)
}

fn wildcard<P, S>(p: &[P], s: &[S], is_star: impl Fn(&P) -> bool, one: impl Fn(&P, &S) -> bool) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut back: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && is_star(&p[pi]) {
            back = Some((pi, si));
            pi += 1;
        } else if pi < p.len() && one(&p[pi], &s[si]) {
            pi += 1;
            si += 1;
        } else if let Some((bp, bs)) = back {
            pi = bp + 1;
            si = bs + 1;
            back = Some((bp, bs + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && is_star(&p[pi]) {
        pi += 1;
    }
    pi == p.len()
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
        assert!(glob_match("a?c.py", "abc.py"));
        assert!(glob_match("**/x/**/y.py", "a/x/b/c/y.py"));
        assert!(!glob_match("**/x/**/y.py", "a/x/b/c/z.py"));
    }

    #[test]
    fn hostile_globs_stay_fast() {
        let t = std::time::Instant::now();
        let pattern = "*a".repeat(40) + "b";
        assert!(!glob_match(&pattern, &"a".repeat(200)));
        let deep = "**/".repeat(40) + "z.py";
        assert!(!glob_match(&deep, "d/".repeat(200).trim_end_matches('/')));
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
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
        assert!(!e.to_string().contains("4eC39HqLyjWDarjtT1zdp7dc"), "{e}");
    }

    fn index(code: &str) -> usize {
        crate::rules::all().position(|m| m.code == code).expect("rule")
    }

    #[test]
    fn selection() {
        let kl201 = index("KL201");
        let on = |c: Config| c.resolve().expect("valid").enabled[kl201];
        assert!(!on(Config { ignore: vec!["KL2".into()], ..Config::default() }));
        assert!(!on(Config { select: Some(vec!["KL1".into()]), ..Config::default() }));
        assert!(on(Config::default()));
        assert!(on(Config { select: Some(vec!["kl201".into()]), ..Config::default() }));
        assert!(!on(Config { ignore: vec!["secret-logged".into()], ..Config::default() }));
    }

    #[test]
    fn typos_are_errors_naming_the_key() {
        for (c, key) in [
            (Config { select: Some(vec!["KL999".into()]), ..Config::default() }, "select"),
            (Config { ignore: vec!["KL9".into()], ..Config::default() }, "ignore"),
            (Config { extend_select: vec!["secret-loged".into()], ..Config::default() }, "extend-select"),
            (Config { severity: [("KL7".to_string(), Severity::High)].into(), ..Config::default() }, "severity"),
        ] {
            let e = c.validate().expect_err("typo");
            assert!(e.to_string().contains(&format!("`{key}`")), "{e}");
            assert!(e.to_string().contains("did you mean"), "{e}");
        }
    }

    #[test]
    fn severity_by_prefix_and_name() {
        let c = Config {
            severity: [("KL2".to_string(), Severity::Low), ("secret-logged".to_string(), Severity::High)].into(),
            ..Config::default()
        };
        let s = c.resolve().expect("valid");
        assert_eq!(s.severity[index("KL201")], Some(Severity::High));
        assert_eq!(s.severity[index("KL203")], Some(Severity::Low));
        assert_eq!(s.severity[index("KL101")], None);
    }

    #[test]
    fn toml_errors_say_where() {
        let e = Config::from_toml("select = [\"KL201\"]\nignore = [\n", false).expect_err("syntax");
        assert!(e.to_string().contains("line 3") || e.to_string().contains("line 2"), "{e}");
    }
}
