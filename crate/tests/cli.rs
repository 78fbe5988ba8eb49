//! The `keyleak` binary end to end: formats, exit codes, positions, fixes,
//! configuration, and that no output ever carries a secret value.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn keyleak(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_keyleak"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run keyleak")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8 stderr")
}

/// The secret values in the example app, as the engine finds them.
fn example_secrets() -> Vec<String> {
    let mut out = Vec::new();
    let root = common::repo().join("examples");
    let mut files = common::python_files(&root);
    // and the config file KL102 reports
    files.push((root.join("shop/deploy.yaml"), "shop/deploy.yaml".into()));
    for (path, rel) in files {
        let src = std::fs::read_to_string(path).expect("read");
        for s in keyleak::check(&src, &rel).secret_spans {
            out.push(src[s.start..s.end].to_string());
        }
    }
    assert!(out.len() >= 2, "the example app should hold hardcoded secrets");
    out
}

fn assert_no_secret(what: &str, text: &str) {
    for s in example_secrets() {
        assert!(!text.contains(&s), "{what} prints the secret {}", keyleak::mask(&s));
    }
}

#[test]
fn example_app_text() {
    let o = keyleak(&["check", "examples/shop"], &common::repo());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    for code in
        ["KL101", "KL102", "KL201", "KL203", "KL301", "KL302", "KL303", "KL305", "KL402", "KL403", "KL404", "KL405"]
    {
        assert!(out.contains(code), "no {code} in:\n{out}");
    }
    // the blueprint's prefix is set in another file, and the note says where
    assert!(out.contains("`ops` is mounted at `/internal` in app.py (examples/shop/app.py:12:5)"), "{out}");
    assert!(out.contains("sk_l…3YhD"), "masked key missing:\n{out}");
    assert!(out.contains("14 |     if request.headers.get(\"X-API-Key\") != PARTNER_KEY:"), "no code frame:\n{out}");
    assert!(out.contains("Found 16 leaks in 7 files checked."), "summary:\n{out}");
    assert_no_secret("text output", &out);
}

#[test]
fn no_format_prints_a_secret() {
    let repo = common::repo();
    for format in ["text", "json", "sarif", "github"] {
        let o = keyleak(&["check", "examples", "--format", format], &repo);
        assert_eq!(o.status.code(), Some(1));
        assert_no_secret(format, &stdout(&o));
        assert_no_secret(format, &stderr(&o));
    }
    let o = keyleak(&["check", "examples", "--diff", "--unsafe-fixes"], &repo);
    let diff = stdout(&o);
    assert!(diff.contains("+    STRIPE_SECRET_KEY = os.environ[\"STRIPE_SECRET_KEY\"]"), "{diff}");
    assert!(diff.contains("-    STRIPE_SECRET_KEY = \"sk_l…3YhD\""), "{diff}");
    assert_no_secret("--diff", &diff);
}

#[test]
fn sarif_for_code_scanning() {
    let o = keyleak(&["check", "examples/shop", "--format", "sarif"], &common::repo());
    let doc: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().is_some_and(|s| s.contains("sarif-2.1.0")));
    let run = &doc["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), keyleak::rules().count());
    for r in rules {
        assert!(r["id"].as_str().is_some_and(|id| id.starts_with("KL")));
        assert!(r["help"]["markdown"].as_str().is_some_and(|h| h.contains("## What it does")));
        let tags = r["properties"]["tags"].as_array().expect("tags");
        assert!(tags.iter().any(|t| t.as_str().is_some_and(|t| t.starts_with("external/cwe/cwe-"))));
        assert!(r["properties"]["security-severity"].as_str().is_some_and(|s| s.parse::<f64>().is_ok()));
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 16);
    for res in results {
        let id = res["ruleId"].as_str().expect("ruleId");
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(matches!(res["level"].as_str(), Some("error" | "warning" | "note")));
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("examples/shop/") && !uri.contains('\\'),
            "URI relative to the current directory: {uri}"
        );
        let region = &loc["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().is_some_and(|v| v >= 1), "{k} in {region}");
        }
        assert!(res["partialFingerprints"]["primaryLocationLineHash"].is_string());
    }
}

#[test]
fn columns_after_non_ascii_text() {
    let dir = common::temp_dir("non-ascii");
    // é is 1 char / 1 UTF-16 unit / 2 bytes; 😀 is 1 char / 2 units / 4 bytes
    let src = "import os\nmsg = \"é😀\"; print(os.environ[\"API_KEY\"])\n";
    std::fs::write(dir.join("app.py"), src).expect("write");
    let line = src.lines().nth(1).expect("line 2");
    let byte = line.find("os.environ").expect("arg");
    let chars = line[..byte].chars().count() + 1;
    let utf16 = line[..byte].encode_utf16().count() + 1;
    assert_eq!((chars, utf16), (19, 20));

    let text = stdout(&keyleak(&["check", "app.py"], &dir));
    assert!(text.contains(&format!("app.py:2:{chars}: KL201")), "{text}");
    let caret_line = text.lines().find(|l| l.contains('^')).expect("carets");
    let frame_line = text.lines().find(|l| l.contains("print(")).expect("frame");
    // a terminal shows 😀 two columns wide: the carets sit one column
    // further right than the character count says
    let at = frame_line.find("os.environ").expect("arg");
    let display_col = frame_line[..at].chars().map(|c| if c == '😀' { 2 } else { 1 }).sum::<usize>();
    let caret_col = caret_line.chars().position(|c| c == '^').expect("^");
    assert_eq!(caret_col, display_col, "carets under the argument:\n{frame_line}\n{caret_line}");

    let json: Value =
        serde_json::from_slice(&keyleak(&["check", "app.py", "--format", "json"], &dir).stdout).expect("json");
    assert_eq!(json[0]["location"]["row"], 2);
    assert_eq!(json[0]["location"]["column"], chars);

    let sarif: Value =
        serde_json::from_slice(&keyleak(&["check", "app.py", "--format", "sarif"], &dir).stdout).expect("sarif");
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(region["startColumn"], utf16);

    let gh = stdout(&keyleak(&["check", "app.py", "--format", "github"], &dir));
    assert!(gh.starts_with(&format!("::warning file=app.py,line=2,col={chars},")), "{gh}");
}

#[test]
fn exit_codes_and_errors() {
    let dir = common::temp_dir("exit");
    std::fs::write(dir.join("clean.py"), "import os\nKEY = os.environ['API_KEY']\n").expect("write");
    let o = keyleak(&["check", "clean.py"], &dir);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("No leaks found in 1 file checked."));

    let o = keyleak(&["check", "missing.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.py: no such file or directory"), "{}", stderr(&o));

    let o = keyleak(&["check", "--format", "xml"], &dir);
    assert_eq!(o.status.code(), Some(2));

    let o = keyleak(&["check", "clean.py", "--select", "E501"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`E501` is not a keyleak rule"), "{}", stderr(&o));

    std::fs::write(dir.join("keyleak.toml"), "ignored = [\"KL201\"]\n").expect("write");
    let o = keyleak(&["check", "clean.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("keyleak.toml") && err.contains("ignored"), "{err}");

    // a key pasted into the config is not echoed back in the error
    std::fs::write(dir.join("keyleak.toml"), "ignore = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"\n").expect("write");
    let o = keyleak(&["check", "clean.py"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("4eC39HqLyjWDarjtT1zdp7dc") && stderr(&o).contains("sk_l…p7dc"), "{}", stderr(&o));

    let o = keyleak(&["explain", "KL999"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown rule `KL999`"));
}

#[test]
fn config_and_suppressions() {
    let dir = common::temp_dir("config");
    let src = "import logging, os\nKEY = os.environ['API_KEY']\nlogging.info(KEY)\nlogging.info(KEY)  # keyleak: ignore[KL201]\n# keyleak: ignore\nlogging.info(KEY)\nlogging.info(KEY)  # noqa: KL201\nlogging.info(KEY)  # noqa: E501\n";
    std::fs::write(dir.join("app.py"), src).expect("write");
    let json = |args: &[&str]| -> Vec<Value> {
        let o = keyleak(args, &dir);
        serde_json::from_slice::<Value>(&o.stdout).expect("json").as_array().expect("array").clone()
    };
    let rows: Vec<u64> = json(&["check", "app.py", "--format", "json"])
        .iter()
        .map(|d| d["location"]["row"].as_u64().expect("row"))
        .collect();
    assert_eq!(rows, vec![3, 8]);

    std::fs::write(dir.join("pyproject.toml"), "[tool.keyleak]\nignore = [\"KL201\"]\n").expect("write");
    assert!(json(&["check", "app.py", "--format", "json"]).is_empty());
    assert_eq!(json(&["check", "app.py", "--format", "json", "--isolated"]).len(), 2);
    std::fs::write(
        dir.join("pyproject.toml"),
        "[tool.keyleak.severity]\nKL201 = \"high\"\n[tool.keyleak.per-file-ignores]\n\"legacy/*.py\" = [\"KL201\"]\n",
    )
    .expect("write");
    let d = json(&["check", "app.py", "--format", "json"]);
    assert_eq!(d[0]["severity"], "high");
    std::fs::create_dir_all(dir.join("legacy")).expect("mkdir");
    std::fs::write(dir.join("legacy/old.py"), src).expect("write");
    let files: Vec<String> = json(&["check", ".", "--format", "json"])
        .iter()
        .map(|d| d["filename"].as_str().expect("name").to_string())
        .collect();
    assert!(files.iter().all(|f| f == "app.py"), "{files:?}");
}

#[test]
fn respects_gitignore() {
    let dir = common::temp_dir("gitignore");
    let leak = "import logging, os\nlogging.info(os.environ['API_KEY'])\n";
    std::fs::write(dir.join(".gitignore"), "generated/\n").expect("write");
    std::fs::create_dir_all(dir.join("generated")).expect("mkdir");
    std::fs::write(dir.join("generated/out.py"), leak).expect("write");
    std::fs::write(dir.join("app.py"), leak).expect("write");
    let out = stdout(&keyleak(&["check"], &dir));
    assert!(out.contains("app.py:2") && !out.contains("generated"), "{out}");
    // named explicitly, it is checked
    assert!(stdout(&keyleak(&["check", "generated/out.py"], &dir)).contains("out.py:2"));
}

#[test]
fn fixes_write_and_converge() {
    let dir = common::temp_dir("fix");
    common::copy_dir(&common::repo().join("examples/shop"), &dir.join("shop"));
    let before = std::fs::read_to_string(dir.join("shop/payments.py")).expect("read");

    // --diff writes nothing
    let o = keyleak(&["check", "shop", "--diff"], &dir);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("str(self.api_key)[:4]"));
    assert_eq!(std::fs::read_to_string(dir.join("shop/payments.py")).expect("read"), before);

    // --fix applies safe fixes only
    let o = keyleak(&["check", "shop", "--fix"], &dir);
    assert_eq!(o.status.code(), Some(1), "unsafe findings remain");
    assert!(stdout(&o).contains("Fixed 2 files."), "{}", stdout(&o));
    let after = std::fs::read_to_string(dir.join("shop/payments.py")).expect("read");
    assert!(
        after.contains("log.debug(\"charging %s with key %s\", amount, str(self.api_key)[:4] + \"...\")"),
        "{after}"
    );
    assert!(
        std::fs::read_to_string(dir.join("shop/config.py")).expect("read").contains("sk_live_"),
        "unsafe fix applied without --unsafe-fixes"
    );

    // --unsafe-fixes too; then nothing is left to fix, and every file parses
    let o = keyleak(&["check", "shop", "--fix", "--unsafe-fixes"], &dir);
    let left = stdout(&o);
    assert!(!left.contains("KL101") && !left.contains("KL301") && !left.contains("KL402"), "{left}");
    let o = keyleak(&["check", "shop", "--diff", "--unsafe-fixes"], &dir);
    assert_eq!(o.status.code(), Some(0), "fixing twice changes nothing:\n{}", stdout(&o));
    assert!(stdout(&o).is_empty());
    for (path, _) in common::python_files(&dir) {
        let src = std::fs::read_to_string(&path).expect("read");
        assert_eq!(keyleak::Parsed::parse(src).expect("parse").error_count(), 0, "{}", path.display());
    }
    let config = std::fs::read_to_string(dir.join("shop/config.py")).expect("read");
    assert!(config.starts_with("import os\n") && config.matches("import os").count() == 1, "{config}");
}

#[test]
fn stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyleak"))
        .args(["check", "-", "--stdin-filename", "views.py", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n")
        .expect("write");
    let o = child.wait_with_output().expect("wait");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v[0]["code"], "KL301");
    assert_eq!(v[0]["filename"], "views.py");
}

#[test]
fn rules_and_explain() {
    let repo = common::repo();
    let o = keyleak(&["rules", "--format", "json"], &repo);
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v.as_array().expect("array").len(), keyleak::rules().count());
    let table = stdout(&keyleak(&["rules"], &repo));
    assert!(table.contains("KL402  timing-unsafe-comparison"), "{table}");
    let o = keyleak(&["explain", "KL101"], &repo);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for section in
        ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety", "## References"]
    {
        assert!(text.contains(section), "{section} missing");
    }
    assert!(stdout(&keyleak(&["explain", "secret-logged"], &repo)).starts_with("KL201 secret-logged"));
}

/// docs/rules.md is generated from the rules' own docs; it must be current.
#[test]
fn rules_reference_is_current() {
    let repo = common::repo();
    let generated = stdout(&keyleak(&["rules", "--format", "markdown"], &repo));
    let committed = std::fs::read_to_string(repo.join("docs/rules.md")).unwrap_or_default();
    assert!(generated == committed, "docs/rules.md is stale: run `make docs`");
}

/// The benchmarks' floor reads and parses what a check would, reports
/// nothing, and refuses to pretend it fixes anything.
#[test]
fn parse_only_is_the_floor_and_fixes_nothing() {
    let root = common::repo();
    let checked = keyleak(&["check", "examples", "--format", "json", "--exit-zero", "-q"], &root);
    let found: Value = serde_json::from_str(&stdout(&checked)).expect("json");
    assert!(found.as_array().is_some_and(|a| !a.is_empty()), "the example app has findings");
    let floor = keyleak(&["check", "examples", "--format", "json", "--parse-only", "-q"], &root);
    assert_eq!(floor.status.code(), Some(0), "{}", stderr(&floor));
    assert_eq!(stdout(&floor).trim(), "[]", "the floor checks nothing");
    let fix = keyleak(&["check", "examples", "--parse-only", "--fix"], &root);
    assert_eq!(fix.status.code(), Some(2));
    assert!(stderr(&fix).contains("--parse-only checks nothing"), "{}", stderr(&fix));
}
