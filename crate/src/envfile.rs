//! "Move the secret to .env": the editor fix for a hardcoded secret. One
//! fix that reads the secret from the environment in the code, writes
//! `NAME=value` to the workspace's `.env` (creating it, never writing a name
//! twice) and makes sure `.gitignore` lists `.env`. Hosts give the current
//! text of those two files; the engine decides every edit, so no host
//! re-implements the format.
//!
//! This is the one fix whose edits carry a secret value (into `.env`): it
//! is made on demand for an editor, never part of a report, JSON or SARIF.

use crate::diagnostic::{Diagnostic, Span};
use crate::fix::{Applicability, Edit, FileEdit, Fix};

/// The fix for `d` (a KL101 finding in `source`), given the current `.env`
/// and `.gitignore` texts (None when the file does not exist). None when the
/// finding has no environment-variable fix.
pub fn move_to_env(d: &Diagnostic, source: &str, env_text: Option<&str>, gitignore: Option<&str>) -> Option<Fix> {
    let env = d.env.as_ref()?;
    let value = unescape(source.get(env.value.start..env.value.end)?);
    // the code edit of the environment fix (os.environ["NAME"] and import os)
    let code_fix = d.fixes.iter().find(|f| f.applicability == Applicability::Unsafe && f.title.contains("environ"))?;
    let existing = env_text.map(parse_env).unwrap_or_default();
    let mut name = env.name.clone();
    let mut k = 1;
    loop {
        match existing.iter().find(|(n, _)| *n == name) {
            Some((_, v)) if *v == value => break, // already there: reuse it
            Some(_) => {
                k += 1;
                name = format!("{}_{k}", env.name);
            }
            None => break,
        }
    }
    let rename = |t: &str| {
        if name == env.name {
            return t.to_string();
        }
        t.replace(&format!("\"{}\"", env.name), &format!("\"{name}\""))
            .replace(&format!("'{}'", env.name), &format!("'{name}'"))
    };
    let edits: Vec<Edit> =
        code_fix.edits.iter().map(|e| Edit { span: e.span, new_text: rename(&e.new_text) }).collect();
    let mut file_edits = Vec::new();
    if !existing.iter().any(|(n, _)| *n == name) {
        let text = env_text.unwrap_or("");
        let sep = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        file_edits.push(FileEdit {
            path: ".env".into(),
            create: env_text.is_none(),
            edits: vec![Edit::insert(text.len(), format!("{sep}{name}={}\n", quote(&value)))],
        });
    }
    if !gitignore.is_some_and(ignores_env) {
        let text = gitignore.unwrap_or("");
        let sep = if text.is_empty() || text.ends_with('\n') { "" } else { "\n" };
        file_edits.push(FileEdit {
            path: ".gitignore".into(),
            create: gitignore.is_none(),
            edits: vec![Edit::insert(text.len(), format!("{sep}.env\n"))],
        });
    }
    let mut fix = Fix::new(format!("Move the secret to .env as `{name}`"), Applicability::Unsafe, edits);
    fix.file_edits = file_edits;
    Some(fix)
}

/// `NAME=value` lines of a `.env` file (values unquoted).
fn parse_env(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("export ").unwrap_or(l);
            if l.starts_with('#') {
                return None;
            }
            let (n, v) = l.split_once('=')?;
            let v = v.trim();
            let v = if v.len() >= 2
                && (v.starts_with('"') && v.ends_with('"') || v.starts_with('\'') && v.ends_with('\''))
            {
                let inner = &v[1..v.len() - 1];
                if v.starts_with('"') {
                    inner.replace("\\\"", "\"").replace("\\\\", "\\")
                } else {
                    inner.to_string()
                }
            } else {
                v.split(" #").next().unwrap_or(v).trim().to_string()
            };
            Some((n.trim().to_string(), v))
        })
        .collect()
}

/// Does `.gitignore` keep `.env` out of git?
fn ignores_env(text: &str) -> bool {
    text.lines().map(str::trim).any(|l| matches!(l, ".env" | "/.env" | ".env*" | "/.env*" | "*.env" | ".env.*"))
}

/// A value as a `.env` line writes it: bare when safe, else double-quoted.
fn quote(value: &str) -> String {
    if !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "_-./:+=@,".contains(c)) {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
    }
}

/// The common escapes of a Python string literal's content.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(q @ ('\\' | '\'' | '"')) => out.push(q),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The KL101 finding that covers `at` (hosts locate a finding by position).
#[cfg_attr(not(feature = "wasm"), allow(dead_code))]
pub(crate) fn finding_at(diagnostics: &[Diagnostic], at: Span) -> Option<&Diagnostic> {
    diagnostics.iter().find(|d| d.code == "KL101" && d.span.start <= at.start && at.start <= d.span.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply_edits;

    fn fix_for(src: &str, env: Option<&str>, gi: Option<&str>) -> Fix {
        let report = crate::check(src, "app.py");
        let d = report.diagnostics.iter().find(|d| d.code == "KL101").expect("KL101");
        move_to_env(d, src, env, gi).expect("fix")
    }

    #[test]
    fn writes_env_and_gitignore_once() {
        let src = "import os\nSTRIPE_KEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\n";
        let f = fix_for(src, None, None);
        assert_eq!(apply_edits(src, &f.edits).expect("apply"), "import os\nSTRIPE_KEY = os.environ[\"STRIPE_KEY\"]\n");
        assert_eq!(f.file_edits.len(), 2);
        assert_eq!(f.file_edits[0].path, ".env");
        assert!(f.file_edits[0].create);
        assert_eq!(f.file_edits[0].edits[0].new_text, "STRIPE_KEY=sk_live_51HqLyjK2eZvKYlo2C8nR3xPq\n");
        assert_eq!(f.file_edits[1].edits[0].new_text, ".env\n");
        // already in .env with this value, .gitignore already lists it: only the code changes
        let f = fix_for(src, Some("A=1\nSTRIPE_KEY=sk_live_51HqLyjK2eZvKYlo2C8nR3xPq\n"), Some("node_modules\n.env\n"));
        assert!(f.file_edits.is_empty(), "{:?}", f.file_edits);
        // the name is taken by another value: a new name, in the code too
        let f = fix_for(src, Some("STRIPE_KEY=sk_live_other"), Some("*.pyc"));
        assert_eq!(
            apply_edits(src, &f.edits).expect("apply"),
            "import os\nSTRIPE_KEY = os.environ[\"STRIPE_KEY_2\"]\n"
        );
        assert_eq!(f.file_edits[0].edits[0].new_text, "\nSTRIPE_KEY_2=sk_live_51HqLyjK2eZvKYlo2C8nR3xPq\n");
        assert_eq!(f.file_edits[1].edits[0].new_text, "\n.env\n");
    }

    #[test]
    fn quotes_values_that_need_it() {
        assert_eq!(quote("a b#c"), "\"a b#c\"");
        assert_eq!(quote("Tr0ub4dor&3"), "\"Tr0ub4dor&3\"");
        assert_eq!(
            parse_env("export A=\"x y\"\nB=z # note\n# C=d\n"),
            vec![("A".into(), "x y".into()), ("B".into(), "z".into())]
        );
    }
}
