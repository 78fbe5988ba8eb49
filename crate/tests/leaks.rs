//! A security tool must not leak what it finds. Every output keyleak makes
//! (each format, `--diff`, warnings and error messages) is searched for
//! every secret of a file full of them, near findings and inside them: no
//! secret, and no 8-character piece of one, may appear.

mod common;

use std::path::Path;
use std::process::Command;

/// Secrets of many kinds, each next to or inside a finding.
const SECRETS: &[&str] = &[
    "sk_live_51HqLyjK2eZvKYlo2C8nR3xPq9Z",
    "ghp_R8x2Lm9QwE4tY7uI0pAs3dF6gH1jK5lZ2xC4",
    "AKIAZ7QRSTUVWXYZ2345",
    "xoxb-2048-1234567890-Zx9kLm2pQ7wE4rT6yU8iO0pA",
    "Tr0ub4dor&3xQzW9",
    "S3cr3tPassw0rdDB",
    "dEf6GhI9jKl2MnO5pQr8",
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "Qw8eRt5yUi3oP1aSd6Fg",
    "abcD3fGh1jKlMn0pQrStUv",
];

fn leaky_app() -> String {
    let [stripe, ghp, aws, slack, pw, dbpw, split, pem, jwt, fallback, bearer] = SECRETS else { unreachable!() };
    format!(
        r#""""Payments service. Old key for reference: {stripe}"""
import hmac
import logging
import os

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)
STRIPE_KEY = "{stripe}"  # expect: KL101
GITHUB = Github("{ghp}")
KEY = ("sk_live_Ab3"
       "{split}")
# rotated: {aws} (do not use)
PEM = """-----BEGIN RSA PRIVATE KEY-----
{pem}
-----END RSA PRIVATE KEY-----"""
DB_URL = "postgres://svc:{dbpw}@db.internal/app"
TOKEN = os.getenv("API_TOKEN", "{fallback}")


@app.route("/pay")
def pay():
    r = requests.get("https://api.example.com", auth=("svc", "{pw}"))  # password: {pw}
    log.info("stripe key %s slack {slack}", STRIPE_KEY)
    log.info(f"jwt {jwt} and {{TOKEN}}")
    if request.headers.get("X-API-Key") != "{stripe}":
        return jsonify(error="no"), 401
    headers = {{"Authorization": "Bearer {bearer}"}}
    print(os.environ["API_KEY"], headers)
    return jsonify(key=STRIPE_KEY)
"#
    )
}

/// The 8-character pieces of a secret, its public vendor prefix left out
/// (`sk_live_` is in the rule documentation, and says nothing of a key).
fn pieces(secret: &str) -> Vec<String> {
    let body = ["sk_live_", "ghp_", "xoxb-"].iter().find_map(|p| secret.strip_prefix(p)).unwrap_or(secret);
    let chars: Vec<char> = body.chars().collect();
    chars.windows(8.min(chars.len())).map(|w| w.iter().collect()).collect()
}

fn assert_clean(what: &str, text: &str) {
    for s in SECRETS {
        for p in pieces(s) {
            assert!(!text.contains(&p), "{what} prints `{p}`, a piece of a secret ({}):\n{text}", keyleak::mask(s));
        }
    }
}

fn run(args: &[&str], cwd: &Path) -> (String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_keyleak"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn no_output_prints_a_secret() {
    let dir = common::temp_dir("leaks");
    std::fs::write(dir.join("app.py"), leaky_app()).expect("write");
    let mut printed = 0;
    for args in [
        &["check", "app.py"][..],
        &["check", "app.py", "--format", "json"],
        &["check", "app.py", "--format", "sarif"],
        &["check", "app.py", "--format", "github"],
        &["check", "app.py", "--diff"],
        &["check", "app.py", "--diff", "--unsafe-fixes"],
    ] {
        let (out, err) = run(args, &dir);
        assert!(out.len() > 200, "{args:?} printed almost nothing:\n{out}\n{err}");
        assert_clean(&format!("`keyleak {}` (stdout)", args.join(" ")), &out);
        assert_clean(&format!("`keyleak {}` (stderr)", args.join(" ")), &err);
        printed += out.len();
    }
    assert!(printed > 5000);
    // stdin, with a stdin file name
    let mut child = Command::new(env!("CARGO_BIN_EXE_keyleak"))
        .args(["check", "-", "--stdin-filename", "views.py"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), leaky_app().as_bytes()).expect("write");
    let o = child.wait_with_output().expect("wait");
    assert_clean("stdin", &String::from_utf8_lossy(&o.stdout));
}

/// Config files (KL102): each format, the values in findings and the
/// credential-looking ones beside them.
#[test]
fn config_file_findings_print_no_secret() {
    let [stripe, ghp, aws, slack, pw, dbpw, ..] = SECRETS else { unreachable!() };
    let dir = common::temp_dir("leaks-config");
    let files = [
        (
            ".env.production",
            format!(
                "STRIPE_SECRET_KEY={stripe}\nDATABASE_URL=postgresql://shop:{dbpw}@db.internal/shop\n# old: {ghp}\n"
            ),
        ),
        ("settings.yaml", format!("db:\n  password: \"{pw}\"\nslack:\n  token: {slack}\n")),
        ("settings.json", format!("{{\n  \"aws_access_key_id\": \"{aws}\"\n}}\n")),
    ];
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).expect("write");
    }
    for format in ["text", "json", "sarif", "github"] {
        // named one by one: the temporary folder sits in the gitignored target/
        let mut args = vec!["check", "--isolated", "--format", format];
        args.extend(files.iter().map(|(n, _)| *n));
        let (out, err) = run(&args, &dir);
        for (name, _) in &files {
            assert!(out.contains(name.trim_start_matches('.')), "{format}: no finding in {name}:\n{out}\n{err}");
        }
        assert!(out.contains("KL102"), "{format}: no KL102 finding:\n{out}");
        assert_clean(&format!("`keyleak check --format {format}` on config files (stdout)"), &out);
        assert_clean(&format!("`keyleak check --format {format}` on config files (stderr)"), &err);
    }
}

#[test]
fn error_messages_never_echo_a_secret() {
    let dir = common::temp_dir("leaky-errors");
    std::fs::write(dir.join("app.py"), "x = 1\n").expect("write");
    for bad in [
        format!("select = [\"{}\"]\n", SECRETS[0]),
        format!("ignore = \"{}\"\n", SECRETS[1]),
        format!("{} = 1\n", SECRETS[10]),
        format!("secret-names = [\"a\"]\nexclude = {}\n", SECRETS[4]),
    ] {
        std::fs::write(dir.join("keyleak.toml"), &bad).expect("write");
        let (out, err) = run(&["check", "app.py"], &dir);
        assert!(err.contains("keyleak: error"), "no error for {bad:?}: {err}");
        assert_clean("a configuration error", &(out + &err));
    }
    std::fs::remove_file(dir.join("keyleak.toml")).expect("rm");
    let (out, err) = run(&["check", "app.py", "--select", SECRETS[0]], &dir);
    assert_clean("a --select error", &(out + &err));
    let (out, err) = run(&["explain", SECRETS[1]], &dir);
    assert_clean("an explain error", &(out + &err));
}
