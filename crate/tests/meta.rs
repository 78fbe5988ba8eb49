//! Every rule is complete: registered, documented in the house sections,
//! tested inline, with a fixture that triggers it.

mod common;

#[test]
fn every_rule_is_complete() {
    let repo = common::repo();
    let rule_files: Vec<String> = std::fs::read_dir(repo.join("crate/src/rules"))
        .expect("rules dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rs") && n != "mod.rs" && n != "testing.rs")
        .collect();
    let metas: Vec<_> = keyleak::rules().collect();
    assert_eq!(
        rule_files.len(),
        metas.len(),
        "a rule file is not registered in RULES (or the reverse): {rule_files:?}"
    );
    let mut codes: Vec<&str> = metas.iter().map(|m| m.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), metas.len(), "duplicate codes");
    for m in metas {
        let file = format!("{}.rs", m.name.replace('-', "_"));
        assert!(rule_files.contains(&file), "{}: expected src/rules/{file}", m.code);
        let src = std::fs::read_to_string(repo.join("crate/src/rules").join(&file)).expect("read");
        assert!(
            src.contains("#[cfg(test)]") && src.contains("fn flags()") && src.contains("fn passes()"),
            "{}: inline pass/fail tests missing",
            m.code
        );
        let mut sections =
            vec!["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"];
        if m.fix != keyleak::FixAvailability::None {
            sections.push("## Fix safety");
            assert!(src.contains("fn fixes()"), "{}: a rule with fixes needs (before, after) fix tests", m.code);
        }
        for s in sections {
            assert!(m.docs.contains(s), "{}: docs lack `{s}`", m.code);
        }
        assert!(m.docs.contains("cwe.mitre.org"), "{}: docs should link the CWE", m.code);
        // `KLxxx.py`, or a config file (`KLxxx.yaml`) for the config-file rules
        let fixture = std::fs::read_dir(repo.join("crate/tests/fixtures"))
            .expect("fixtures dir")
            .map(|e| e.expect("entry").path())
            .find(|p| p.file_stem().is_some_and(|s| s == m.code) && p.extension().is_some_and(|e| e != "txt"))
            .unwrap_or_else(|| panic!("{}: fixture crate/tests/fixtures/{}.py missing", m.code, m.code));
        let src = std::fs::read_to_string(&fixture).expect("read fixture");
        let name = fixture.file_name().expect("name").to_string_lossy().into_owned();
        // a rule off by default is checked with it turned on
        let config = keyleak::Config { extend_select: vec![m.code.to_string()], ..keyleak::Config::default() };
        let report = keyleak::Checker::new(config).expect("config").check(&src, &name);
        assert!(report.diagnostics.iter().any(|d| d.code == m.code), "{}: its fixture does not trigger it", m.code);
    }
}
