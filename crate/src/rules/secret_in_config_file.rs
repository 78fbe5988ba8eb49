use super::Rule;
use crate::diagnostic::{Diagnostic, FixAvailability, RuleMeta, Severity, Span};
use crate::secrets::{find_vendor_secret, is_placeholder, looks_like_credential, mask, NameClassifier};

pub(crate) struct SecretInConfigFile;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL102",
    name: "secret-in-config-file",
    summary: "A credential is committed in a configuration file (.env, YAML, JSON, TOML, INI).",
    severity: Severity::High,
    cwe: &[312, 538, 540],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Move the value out of the committed file: into a gitignored `.env`, the deployment's secret store or environment variables, and rotate it.",
    docs: r#"## What it does
Finds credentials in the configuration files a Flask project commits:
`.env`, `.env.*` and `.flaskenv` files, YAML, JSON, TOML, INI and CFG files.
A value is reported when it has a known vendor format (Stripe, AWS, GitHub,
SendGrid, a PEM private key, a URL with `user:password@`...) or when its key
is secret-named (`SECRET_KEY`, `password`, `api_key`, `client_secret`) and
the value looks like a credential: not empty, not a placeholder
(`<your-key>`, `changeme`, `xxxx`), not a variable reference (`${VAR}`,
`%(var)s`), not a name, a URL without a password or a number.

Files that git ignores are not checked: a gitignored `.env` is exactly where
local secrets belong. keyleak reads `.gitignore` files outside a git
checkout too. Files under test folders are not checked.

In `.env` and `.flaskenv` files, `FLASK_DEBUG=1` and
`FLASK_ENV=development` are reported as KL301 (debug mode), except in files
named for development, tests or examples.

## Why is this bad?
A committed file is in every clone, every fork, every CI cache and the
repository's history forever. Anyone who can read the code can use the key,
and removing the line later does not remove it from history: the key must
be rotated.

## Example
```ini
# .env.production, committed
STRIPE_SECRET_KEY=sk_live_...
```

## Use instead
```ini
# .env.example, committed: names only
STRIPE_SECRET_KEY=
```
with the real value in a gitignored `.env`, or in the environment of the
deployment.

## References
- [CWE-312: Cleartext Storage of Sensitive Information](https://cwe.mitre.org/data/definitions/312.html)
- [CWE-538: Insertion of Sensitive Information into Externally-Accessible File or Directory](https://cwe.mitre.org/data/definitions/538.html)
- [CWE-540: Inclusion of Sensitive Information in Source Code](https://cwe.mitre.org/data/definitions/540.html)
- [Flask: Configuring from Environment Variables](https://flask.palletsprojects.com/en/stable/config/#configuring-from-environment-variables)
"#,
};

/// Config files are not Python: the rule has no node kinds or hooks and is
/// run by [`check`] on the file's text.
impl Rule for SecretInConfigFile {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DotEnv,
    Yaml,
    Json,
    Toml,
    Ini,
}

fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    if name == ".env" || name == ".flaskenv" || name.starts_with(".env.") {
        return Some(Format::DotEnv);
    }
    match name.rsplit_once('.').map(|(_, e)| e)? {
        "yaml" | "yml" => Some(Format::Yaml),
        "json" => Some(Format::Json),
        "toml" => Some(Format::Toml),
        "ini" | "cfg" => Some(Format::Ini),
        _ => None,
    }
}

/// One `key = value` of a config file: the key, and where its (unquoted)
/// value sits.
#[derive(Debug)]
struct Entry<'t> {
    key: &'t str,
    value: &'t str,
    at: usize,
    /// The whole entry, for findings about the setting itself (KL301).
    line: Span,
}

/// Strip one pair of matching quotes.
fn unquote(v: &str) -> &str {
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) {
            if let Some(end) = v[1..].find(q) {
                return &v[1..1 + end];
            }
        }
    }
    v
}

/// An unquoted value ends at ` #` (a trailing comment).
fn cut_comment<'v>(v: &'v str, markers: &[&str]) -> &'v str {
    let mut end = v.len();
    for m in markers {
        if let Some(i) = v.find(m) {
            end = end.min(i);
        }
    }
    v[..end].trim_end()
}

fn entries(text: &str, format: Format) -> Vec<Entry<'_>> {
    // every slice below is of `text`: its offset is where it starts
    let off = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
    let mut out = Vec::new();
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let body = line.trim_start();
        let indented = body.len() < line.len();
        if body.is_empty() || body.starts_with('#') || (format == Format::Ini && body.starts_with(';')) {
            continue;
        }
        let line_span = Span { start: off(body), end: off(body) + body.len() };
        if format == Format::Json {
            json_pairs(body, off(body), line_span, &mut out);
            continue;
        }
        if format == Format::Ini && indented {
            continue; // a continuation line
        }
        let body = match format {
            Format::DotEnv => body.strip_prefix("export ").map_or(body, str::trim_start),
            Format::Yaml => body.strip_prefix("- ").map_or(body, str::trim_start),
            _ => body,
        };
        let sep = match format {
            Format::DotEnv | Format::Toml => body.find('='),
            Format::Yaml => body.find(": ").or_else(|| body.strip_suffix(':').map(str::len)),
            Format::Ini => match (body.find('='), body.find(':')) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            Format::Json => None,
        };
        let Some(sep) = sep else { continue };
        let key = body[..sep].trim().trim_matches(['"', '\'']);
        let value = body[sep + 1..].trim();
        let quoted = value.starts_with('"') || value.starts_with('\'');
        if format == Format::Toml && !quoted {
            continue; // numbers, booleans, arrays, tables
        }
        let value = if quoted {
            unquote(value)
        } else {
            let markers: &[&str] = if format == Format::Ini { &[" #", " ;"] } else { &[" #"] };
            cut_comment(value, markers)
        };
        if format == Format::Yaml && value.starts_with(['|', '>', '&', '*', '{', '[', '!']) {
            continue;
        }
        if key.is_empty() || (key.contains(char::is_whitespace) && format != Format::Ini) {
            continue;
        }
        out.push(Entry { key, value, at: off(value), line: line_span });
    }
    out
}

/// `"key": "value"` pairs on one line of JSON.
fn json_pairs<'t>(line: &'t str, base: usize, span: Span, out: &mut Vec<Entry<'t>>) {
    // (start, end) of each string's content, escapes skipped
    let mut strings = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            if j >= b.len() {
                break;
            }
            strings.push((start, j));
            i = j + 1;
        } else {
            i += 1;
        }
    }
    for w in strings.windows(2) {
        let ((ks, ke), (vs, ve)) = (w[0], w[1]);
        let between = &line[ke + 1..vs - 1];
        if between.trim() == ":" {
            out.push(Entry { key: &line[ks..ke], value: &line[vs..ve], at: base + vs, line: span });
        }
    }
}

/// The suppression directives of a config file's comments: `#` (and `;`
/// in INI files) at the start of a line or after white space.
pub(crate) fn suppressions(text: &str, path: &str) -> crate::suppression::Suppressions {
    let mut out = crate::suppression::Suppressions::default();
    let ini = format_of(path) == Some(Format::Ini);
    for (i, line) in text.lines().enumerate() {
        let starts = |c: char| {
            line.char_indices().find(|&(j, ch)| ch == c && (j == 0 || line[..j].ends_with(char::is_whitespace)))
        };
        let at = [starts('#'), if ini { starts(';') } else { None }].into_iter().flatten().map(|(j, _)| j).min();
        if let Some(j) = at {
            out.add_comment_text(&line[j..], i, line[..j].trim().is_empty());
        }
    }
    out
}

/// What one config file reports: KL102 for committed credentials, and
/// (when `debug` is on) KL301 for `FLASK_DEBUG=1` in dotenv files.
pub(crate) fn check(text: &str, path: &str, names: &NameClassifier, kl102: bool, debug: bool) -> Vec<Diagnostic> {
    let Some(format) = format_of(path) else { return vec![] };
    let mut out = Vec::new();
    if crate::semantic::is_test_path(path) {
        return out;
    }
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let dev_file = crate::semantic::is_dev_or_test_name(file.trim_start_matches('.'))
        || ["local", "template", "dist"].iter().any(|w| crate::secrets::words_of(file).iter().any(|x| x == w));
    for e in entries(text, format) {
        if kl102 {
            if let Some(d) = secret_finding(&e, names) {
                out.push(d);
            }
        }
        if debug && format == Format::DotEnv && !dev_file {
            let v = e.value.trim().to_ascii_lowercase();
            let on = match e.key {
                "FLASK_DEBUG" => matches!(v.as_str(), "1" | "true" | "yes" | "on"),
                "FLASK_ENV" => v == "development",
                _ => false,
            };
            if on {
                out.push(diagnostic(
                    &super::debug_mode::META,
                    e.line,
                    format!("`{}` in a committed file turns on debug mode for `flask run`: the Werkzeug debugger and the app's secrets on every error page", e.key),
                ));
            }
        }
    }
    out
}

fn secret_finding(e: &Entry<'_>, names: &NameClassifier) -> Option<Diagnostic> {
    // uwsgi's `env = NAME=value`: the inner assignment is the entry
    if let Some((k, v)) = e.value.split_once('=') {
        if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !v.starts_with('=') {
            let inner = Entry { key: k, value: v, at: e.at + k.len() + 1, line: e.line };
            return secret_finding(&inner, names);
        }
    }
    let value = e.value;
    if value.trim().is_empty() {
        return None;
    }
    let key_words = crate::secrets::words_of(e.key);
    if let Some(m) = find_vendor_secret(value) {
        let found = &value[m.start..m.end];
        if is_placeholder(found) {
            return None;
        }
        let span = Span { start: e.at + m.start, end: e.at + m.end };
        let mut d =
            diagnostic(&META, span, format!("{} `{}` committed in `{}`", capitalised(m.what), mask(found), e.key));
        if m.live {
            d.severity = Severity::Critical;
        }
        return Some(d);
    }
    if is_placeholder(value) {
        return None;
    }
    // `-----BEGIN PRIVATE KEY-----\n...` escaped into one JSON or YAML line
    let pem = value.starts_with("-----BEGIN") && value.contains("PRIVATE KEY");
    let named = names.is_secret_name(e.key) && !key_words.iter().any(|w| w == "id");
    if pem || (named && looks_like_credential(value)) {
        let span = Span { start: e.at, end: e.at + value.len() };
        let what = if pem { "Private key" } else { "Secret" };
        return Some(diagnostic(&META, span, format!("{what} `{}` committed in `{}`", mask(value), e.key)));
    }
    None
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn diagnostic(meta: &'static RuleMeta, span: Span, message: String) -> Diagnostic {
    Diagnostic::new(meta, span, &message)
}

#[cfg(test)]
mod tests {
    use crate::{Checker, Config};

    fn codes(text: &str, path: &str) -> Vec<(&'static str, usize)> {
        let report = Checker::new(Config::default()).expect("config").check(text, path);
        let lines = crate::LineIndex::new(text);
        report.diagnostics.iter().map(|d| (d.code, lines.line_of(d.span.start) + 1)).collect()
    }

    const STRIPE: &str = "sk_live_jLLb74Dg3iS9ZGX0wWbVjrWJ";

    #[test]
    fn flags() {
        let env = format!("FLASK_APP=app\nSTRIPE_SECRET_KEY={STRIPE}\nexport DB_PASSWORD=\"vRW2wjxQIyyLwKdpolV8\"\n");
        assert_eq!(codes(&env, ".env.production"), [("KL102", 2), ("KL102", 3)]);
        let yaml = "db:\n  host: db.internal\n  password: \"Te2u6FUKBf3Ya5Ue7l\"\nredis:\n  url: redis://:fKL2NMJBwjVCBfo17b@cache:6379/0\n";
        assert_eq!(codes(yaml, "config/settings.yaml"), [("KL102", 3), ("KL102", 5)]);
        let json = format!("{{\n  \"name\": \"shop\",\n  \"stripe\": {{\"secret_key\": \"{STRIPE}\"}},\n  \"api_token\": \"f4Hs8nQe1uLx6ZvBkTy0oRj3\"\n}}\n");
        assert_eq!(codes(&json, "settings.json"), [("KL102", 3), ("KL102", 4)]);
        let toml = "[tool.app]\nname = \"x\"\nsecret_key = 'a060b02d6278209b718a146affecc205'\n";
        assert_eq!(codes(toml, "pyproject.toml"), [("KL102", 3)]);
        let ini = "[mail]\nuser = shop\npassword = Te2u6FUKBf3Ya5Ue7l ; prod\n";
        assert_eq!(codes(ini, "app.ini"), [("KL102", 3)]);
        assert_eq!(codes("FLASK_DEBUG=1\n", ".flaskenv"), [("KL301", 1)]);
        assert_eq!(codes("FLASK_ENV=development\n", ".env"), [("KL301", 1)]);
    }

    #[test]
    fn passes() {
        let env = "FLASK_DEBUG=0\nAPI_URL=https://api.example/v2\nSTRIPE_PUBLISHABLE_KEY=pk_live_TdSuSv7i0fPl7R7IvbosrvuW\nSECRET_KEY=\nJWT_SECRET=${JWT_SECRET}\nAPI_KEY=<your-key>\nPASSWORD=changeme\nMAIL_USERNAME=apikey\nJWT_ALGORITHM=HS256\nPASSWORD_RESET_URL=https://shop.example/reset\nMAX_TOKENS=4096\n";
        assert_eq!(codes(env, ".env.production"), []);
        // example, development and test files: placeholders; debug is fine there
        assert_eq!(codes("FLASK_DEBUG=1\n", ".env.development"), []);
        assert_eq!(codes("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", ".env.example"), []);
        assert_eq!(codes(&format!("KEY={STRIPE}\n"), "tests/fixtures/.env"), []);
        // suppressions, and secret-scanner markers
        assert_eq!(codes(&format!("KEY={STRIPE}  # pragma: allowlist secret\n"), ".env"), []);
        assert_eq!(codes(&format!("# keyleak: ignore[KL102]\nKEY={STRIPE}\n"), ".env"), []);
        // the same directives as in Python: noqa, prefixes and names, file-wide
        assert_eq!(codes(&format!("KEY={STRIPE}  # noqa: KL102\n"), ".env"), []);
        assert_eq!(codes(&format!("key: {STRIPE}  # keyleak: ignore[KL1]\n"), "c.yaml"), []);
        assert_eq!(
            codes(&format!("[s]\n; keyleak: ignore[secret-in-config-file]\npassword = {STRIPE}\n"), "a.ini"),
            []
        );
        assert_eq!(codes(&format!("# keyleak: ignore-file[KL102]\nA=1\nKEY={STRIPE}\n"), ".env"), []);
        // an ignore for another rule does not hide this one
        assert_eq!(codes(&format!("KEY={STRIPE}  # keyleak: ignore[KL201]\n"), ".env"), [("KL102", 1)]);
        assert_eq!(codes("oauth:\n  client_id: Iv1.8a61f9b3a2c4d5e6\n  token_type: bearer\n", "c.yaml"), []);
        assert_eq!(codes("{\"token_type\": \"Bearer\", \"max_tokens\": \"4096\"}\n", "c.json"), []);
        assert_eq!(codes("[loggers]\nkeys = root,sqlalchemy\n", "alembic.ini"), []);
        assert_eq!(codes("port = 5432\npassword = \"postgres\"\n", "c.toml"), []);
    }

    #[test]
    fn values_are_masked_in_messages() {
        let report = crate::check(&format!("STRIPE_SECRET_KEY={STRIPE}\n"), ".env.prod");
        let d = &report.diagnostics[0];
        assert!(!d.message.contains(&STRIPE[8..]), "{}", d.message);
        assert!(report.secret_spans.iter().any(|s| s.start <= d.span.start && d.span.end <= s.end));
    }
}
