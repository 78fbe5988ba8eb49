//! Scores the labelled corpus (tests/corpus, the `# expect:` convention of
//! the rule catalogue) and checks every fix offered on it.

mod common;

use std::collections::BTreeMap;

use keyleak::{apply_edits, Checker, Config, Parsed};

/// Every registered rule, from the registry itself.
fn rules() -> Vec<&'static str> {
    keyleak::rules().map(|m| m.code).collect()
}
const MIN: f64 = 0.95;

/// (line, alternatives) of each expected finding.
type Labels = Vec<(usize, Vec<String>)>;

/// (line, alternatives) for every `# expect:` entry.
fn expectations(src: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for (i, line) in src.lines().enumerate() {
        let Some(pos) = line.find("# expect:") else { continue };
        let spec = &line[pos + 9..];
        let spec: String =
            spec.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || "|, ".contains(*c)).collect();
        for alt in spec.split(',').map(str::trim).filter(|a| !a.is_empty()) {
            out.push((i + 1, alt.split('|').map(str::to_string).collect()));
        }
    }
    out
}

/// Config files (which cannot hold comments) below `dir`, with their
/// expectations from the `EXPECT` file beside them (`name:LINE RULE` rows).
fn config_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String, Labels)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let expect = std::fs::read_to_string(d.join("EXPECT")).unwrap_or_default();
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let p = entry.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            if p.is_dir() {
                stack.push(p);
            } else if keyleak::file_kind(&name) == keyleak::FileKind::Config {
                let rows = expect
                    .lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .filter_map(|l| {
                        let (at, rule) = l.trim().split_once(' ')?;
                        let (file, line) = at.rsplit_once(':')?;
                        let line: usize = line.parse().ok()?;
                        (file == name).then(|| (line, rule.split('|').map(str::to_string).collect()))
                    })
                    .collect();
                let rel = p.strip_prefix(dir).expect("prefix").to_string_lossy().replace('\\', "/");
                out.push((p, rel, rows));
            }
        }
    }
    out.sort();
    out
}

/// The default checker and one with KL304 turned on, both with the
/// project index of the whole corpus (as `keyleak check tests/corpus`
/// builds it: blueprints, hooks and limiters live in sibling modules).
fn checkers(root: &std::path::Path) -> (Checker, Checker) {
    let mut project = keyleak::Project::new();
    for (path, rel) in common::python_files(root) {
        let src = std::fs::read_to_string(&path).expect("read");
        project.add_file(&rel, &src);
    }
    let project = std::sync::Arc::new(project);
    let checker = Checker::new(Config::default()).expect("config").with_project(project.clone());
    let config = Config { extend_select: vec!["KL304".into()], ..Config::default() };
    let opted_in = Checker::new(config).expect("config").with_project(project);
    (checker, opted_in)
}

#[derive(Default, Debug)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn corpus_precision_and_recall() {
    let root = common::repo().join("tests/corpus");
    let (checker, opted_in) = checkers(&root);
    let rules = rules();
    let rules = rules.as_slice();
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    let python = common::python_files(&root);
    assert!(python.len() >= 30, "corpus went missing: {} files", python.len());
    let configs = config_files(&root);
    assert!(configs.len() >= 5, "config corpus went missing: {} files", configs.len());
    let files =
        python.into_iter().map(|(p, r)| (p, r, None)).chain(configs.into_iter().map(|(p, r, e)| (p, r, Some(e))));
    for (path, rel, labels) in files {
        let src = std::fs::read_to_string(&path).expect("read");
        let lines = keyleak::LineIndex::new(&src);
        // labels naming a rule that does not exist yet are not scored, and a
        // finding on such a line counts neither way
        let labels = labels.unwrap_or_else(|| expectations(&src));
        let (exp, pending): (Vec<_>, Vec<_>) =
            labels.into_iter().partition(|(_, alts)| alts.iter().all(|a| rules.contains(&a.as_str())));
        let mut matched = vec![false; exp.len()];
        // KL304 is off by default: its folder turns it on
        let checker = if rel.starts_with("kl304/") { &opted_in } else { &checker };
        let report = checker.check(&src, &rel);
        for d in report.diagnostics.iter().filter(|d| rules.contains(&d.code)) {
            let start = lines.line_of(d.span.start) + 1;
            let end = lines.line_of(d.span.end.max(d.span.start + 1) - 1) + 1;
            let hit = exp
                .iter()
                .enumerate()
                .find(|(i, (l, alts))| !matched[*i] && (start..=end).contains(l) && alts.iter().any(|a| a == d.code));
            match hit {
                Some((i, _)) => {
                    matched[i] = true;
                    scores.entry(d.code.to_string()).or_default().tp += 1;
                }
                None => {
                    let dup = exp.iter().enumerate().any(|(i, (l, alts))| {
                        matched[i] && (start..=end).contains(l) && alts.iter().any(|a| a == d.code)
                    });
                    let pending =
                        pending.iter().any(|(l, alts)| (start..=end).contains(l) && alts.iter().any(|a| a == d.code));
                    if !dup && !pending {
                        scores.entry(d.code.to_string()).or_default().fp += 1;
                        misses.push(format!("FP {rel}:{start} {} {}", d.code, d.message));
                    }
                }
            }
        }
        for (i, (l, alts)) in exp.iter().enumerate() {
            if !matched[i] {
                let code = alts.iter().find(|a| rules.contains(&a.as_str())).expect("rule");
                scores.entry(code.clone()).or_default().fn_ += 1;
                misses.push(format!("FN {rel}:{l} {}", alts.join("|")));
            }
        }
    }
    let mut table = String::new();
    let mut failing = Vec::new();
    for rule in rules {
        let s = scores.get(*rule).unwrap_or_else(|| panic!("{rule} has no labelled cases"));
        let p = s.tp as f64 / (s.tp + s.fp).max(1) as f64;
        let r = s.tp as f64 / (s.tp + s.fn_).max(1) as f64;
        table.push_str(&format!("{rule} tp={:3} fp={:3} fn={:3} precision={p:.2} recall={r:.2}\n", s.tp, s.fp, s.fn_));
        assert!(s.tp >= 15, "{rule}: only {} labelled positives; the corpus needs at least 15", s.tp);
        if p < MIN || r < MIN {
            failing.push(*rule);
        }
    }
    println!("{table}{}", misses.join("\n"));
    assert!(failing.is_empty(), "below {MIN} for {failing:?}:\n{table}{}", misses.join("\n"));
}

/// Every fix offered anywhere in the corpus leaves code that parses with no
/// new syntax errors, and removes the finding it fixes.
#[test]
fn corpus_fixes_parse_and_resolve() {
    let root = common::repo().join("tests/corpus");
    let (checker, _) = checkers(&root);
    let mut checked = 0;
    for (path, rel) in common::python_files(&root) {
        let src = std::fs::read_to_string(&path).expect("read");
        let errors = Parsed::parse(src.clone()).expect("parse").error_count();
        let report = checker.check(&src, &rel);
        let count =
            |text: &str, code: &str| checker.check(text, &rel).diagnostics.iter().filter(|d| d.code == code).count();
        for d in &report.diagnostics {
            // the declared fix availability is what the rule does
            let meta = keyleak::rule(d.code).expect("registered");
            let fixable = d.fixes.iter().any(|f| f.applicability != keyleak::Applicability::DisplayOnly);
            match meta.fix {
                keyleak::FixAvailability::Always => {
                    assert!(fixable, "{rel}: {} declares a fix for every finding", d.code)
                }
                keyleak::FixAvailability::None => assert!(!fixable, "{rel}: {} declares no fix but offers one", d.code),
                keyleak::FixAvailability::Sometimes => {}
            }
            assert!(d.fixes.iter().any(|f| f.title.starts_with("Ignore")), "{rel}: {} lacks the ignore fixes", d.code);
            let before = count(&src, d.code);
            for f in &d.fixes {
                let fixed = apply_edits(&src, &f.edits)
                    .unwrap_or_else(|| panic!("{rel}: {} `{}` has overlapping edits", d.code, f.title));
                let after_errors = Parsed::parse(fixed.clone()).expect("parse").error_count();
                assert!(after_errors <= errors, "{rel}: {} `{}` breaks the syntax", d.code, f.title);
                assert!(count(&fixed, d.code) < before, "{rel}: {} `{}` does not resolve its finding", d.code, f.title);
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} fixes checked");
}
