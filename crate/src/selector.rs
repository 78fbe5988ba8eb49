//! Rule selectors: the one resolver behind `select`, `extend-select`,
//! `ignore`, severity overrides, per-file ignores, suppression comments and
//! the CLI flags. A selector is a code (`KL201`), a prefix (`KL2`, `KL`) or a
//! rule name (`secret-logged`), in any letter case. A selector that names no
//! rule is an error that suggests the closest one: a typo must never turn a
//! rule off in silence.

use crate::diagnostic::RuleMeta;

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{selector}` is not a keyleak rule code, prefix or name{}", suggestion_text(.suggestion))]
pub struct UnknownSelector {
    /// The selector as written, masked if it looks like a credential.
    pub selector: String,
    /// The closest rule code or name, when one is close.
    pub suggestion: Option<&'static str>,
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => " (expected e.g. KL201, KL2 or secret-logged; `keyleak rules` lists them)".to_string(),
    }
}

/// Rule indexes (positions in [`crate::rules::all`]) a selector names.
pub(crate) fn resolve(selector: &str) -> Result<Vec<usize>, UnknownSelector> {
    let s = selector.trim();
    let upper = s.to_ascii_uppercase();
    let name = s.to_ascii_lowercase().replace('_', "-");
    let metas: Vec<&'static RuleMeta> = crate::rules::all().collect();
    let is_code_like = upper.starts_with("KL") && upper[2..].chars().all(|c| c.is_ascii_digit()) && upper.len() <= 5;
    let hits: Vec<usize> = metas
        .iter()
        .enumerate()
        .filter(|(_, m)| (is_code_like && m.code.starts_with(&upper)) || m.name == name)
        .map(|(i, _)| i)
        .collect();
    if hits.is_empty() {
        return Err(UnknownSelector { selector: masked(s), suggestion: closest(s, &metas) });
    }
    Ok(hits)
}

/// Does `selector` name the rule with this code? Unknown selectors name
/// nothing (suppression comments are not errors).
pub(crate) fn names(selector: &str, code: &str) -> bool {
    let index = crate::rules::all().position(|m| m.code == code);
    match (resolve(selector), index) {
        (Ok(hits), Some(i)) => hits.contains(&i),
        _ => false,
    }
}

fn masked(s: &str) -> String {
    crate::secrets::scrub(&format!("`{s}`")).trim_matches('`').to_string()
}

fn closest(s: &str, metas: &[&'static RuleMeta]) -> Option<&'static str> {
    let upper = s.to_ascii_uppercase();
    let lower = s.to_ascii_lowercase().replace('_', "-");
    let mut best: Option<(usize, &'static str)> = None;
    for m in metas {
        for (cand, probe) in [(m.code, upper.as_str()), (m.name, lower.as_str())] {
            let d = distance(probe, cand);
            // close enough to be a typo: a third of the candidate at most
            if d <= (cand.len() / 3).max(1) && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, cand));
            }
        }
    }
    // `KL9`, `KL20X`: a code-shaped selector is closest to a code sharing its prefix
    if best.is_none() && upper.starts_with("KL") {
        let digits: String = upper[2..].chars().take_while(char::is_ascii_digit).collect();
        for len in (1..=digits.len()).rev() {
            if let Some(m) = metas.iter().find(|m| m.code[2..].starts_with(&digits[..len])) {
                return Some(m.code);
            }
        }
        return metas.first().map(|m| m.code);
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance (selectors are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<&'static str> {
        let metas: Vec<_> = crate::rules::all().collect();
        resolve(s).expect("valid").into_iter().map(|i| metas[i].code).collect()
    }

    #[test]
    fn codes_prefixes_and_names_in_any_case() {
        assert_eq!(codes("KL201"), vec!["KL201"]);
        assert_eq!(codes("kl201"), vec!["KL201"]);
        assert_eq!(codes(" secret-logged "), vec!["KL201"]);
        assert_eq!(codes("SECRET_LOGGED"), vec!["KL201"]);
        assert!(codes("KL2").contains(&"KL203"));
        assert_eq!(codes("KL").len(), crate::rules::all().count());
    }

    #[test]
    fn unknown_selectors_suggest_the_closest() {
        let e = resolve("KL999").expect_err("unknown");
        assert!(e.suggestion.is_some(), "{e}");
        let e = resolve("KL9").expect_err("unknown");
        assert!(e.to_string().contains("did you mean"), "{e}");
        let e = resolve("secret-loged").expect_err("typo");
        assert_eq!(e.suggestion, Some("secret-logged"));
        let e = resolve("E501").expect_err("not ours");
        assert!(e.to_string().contains("E501"), "{e}");
        assert!(resolve("").is_err());
        assert!(resolve("KL2019").is_err());
    }

    #[test]
    fn errors_mask_credentials() {
        let e = resolve("sk_live_4eC39HqLyjWDarjtT1zdp7dc").expect_err("not a rule");
        assert!(!e.to_string().contains("4eC39HqLyjWDarjtT1zdp7dc"), "{e}");
    }

    #[test]
    fn names_matches_like_resolve() {
        assert!(names("KL2", "KL201"));
        assert!(names("secret-logged", "KL201"));
        assert!(!names("KL1", "KL201"));
        assert!(!names("KL999", "KL201"));
    }
}
