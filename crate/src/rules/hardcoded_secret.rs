use super::{Ctx, Rule};
use crate::diagnostic::EnvVar;
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::names::module_ref;
use crate::secrets::{find_vendor_secret, looks_like_credential, mask, NameClassifier, VendorMatch};
use crate::semantic::is_dev_or_test_name;
use crate::syntax::{dotted, plain_str, string_lit, Call, Node};
use crate::taint::FileCtx;

pub(crate) struct HardcodedSecret;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL101",
    name: "hardcoded-secret",
    summary: "A credential is written into the source code.",
    severity: Severity::High,
    cwe: &[798, 540, 312],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Read the secret from the environment or a secret manager at run time, and rotate the exposed one.",
    docs: r#"## What it does
Finds credentials written into Python source: strings in a known vendor key
format (AWS, Stripe, GitHub, GitLab, Slack, Google, OpenAI, Anthropic,
SendGrid, Twilio, Mailgun, npm, PyPI, Hugging Face, JWTs, PEM private keys,
URLs with a password), and credential-looking strings bound to a secret-named
variable, attribute, dict key, keyword argument, parameter default or
`os.getenv` default. Flask's own `SECRET_KEY` counts whatever its value,
except in development and test configuration.

## Why is this bad?
Source code is copied to laptops, CI logs, forks, backups and container
images. A key in it is readable by everyone who can read the code, stays in
the git history after it is deleted, and is found within minutes once pushed
to a public repository. A hardcoded Flask `SECRET_KEY` lets anyone forge
session cookies.

## Example
```python
STRIPE_KEY = "sk_live_..."
app.secret_key = "dev"
```

## Use instead
```python
import os

STRIPE_KEY = os.environ["STRIPE_KEY"]
app.secret_key = os.environ["FLASK_SECRET_KEY"]
```
Then rotate the key that was committed: removing it from the code does not
remove it from the history.

## Fix safety
The fixes replace the literal with `os.environ["NAME"]` or
`os.getenv("NAME")` and add `import os`. Both are unsafe: the application now
needs `NAME` in its environment (`os.environ` raises `KeyError` without it,
`os.getenv` returns `None`). In the editor, "move to .env" also writes the
value to the workspace `.env` and makes sure `.gitignore` lists it.

## References
- [CWE-798: Use of Hard-coded Credentials](https://cwe.mitre.org/data/definitions/798.html)
- [CWE-540: Inclusion of Sensitive Information in Source Code](https://cwe.mitre.org/data/definitions/540.html)
- [CWE-312: Cleartext Storage of Sensitive Information](https://cwe.mitre.org/data/definitions/312.html)
- [Flask: SECRET_KEY](https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY)
"#,
};

impl Rule for HardcodedSecret {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["string", "concatenated_string"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let class = cx.class_name().map(str::to_string);
        let at_top = cx.at_module_level() || class.is_some();
        let Some(found) = secret_literal(node, cx.ancestors, cx.file(), class.as_deref(), at_top) else {
            return;
        };
        let what = match (&found.vendor, &found.binding) {
            (Some(v), _) => v.what.to_string(),
            (None, Some(b)) if b.kind == BindingKind::FlaskKey => "Flask session signing key".to_string(),
            (None, Some(b)) if b.kind == BindingKind::SigningKey => "signing key".to_string(),
            _ => "secret".to_string(),
        };
        let target = found
            .binding
            .as_ref()
            .filter(|b| b.kind != BindingKind::SigningKey)
            .map(|b| format!(" in `{}`", b.name))
            .unwrap_or_default();
        let message = format!("Hardcoded {what} `{}`{target}", mask(&found.value));
        let severity = if found.vendor.as_ref().is_some_and(|v| v.live) { Severity::Critical } else { Severity::High };
        let (fixes, env) = fixes(node, &found, cx);
        let d = cx.report(&META, node, message);
        d.severity = severity;
        d.fixes.extend(fixes);
        d.env = env;
    }
}

/// What kind of target a literal is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BindingKind {
    /// A variable, attribute, dict key, keyword or parameter.
    Name,
    /// Flask's `SECRET_KEY` (`app.secret_key`, `config["SECRET_KEY"]`, a
    /// config module's or class's `SECRET_KEY`): a secret whatever its value.
    FlaskKey,
    /// The key argument of `jwt.encode`, `hmac.new`, `Fernet(...)`.
    SigningKey,
}

/// How a literal is bound to a name.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    /// The target's name (`STRIPE_KEY`, `api_key`), secret-named or not.
    pub name: String,
    pub kind: BindingKind,
    /// The name says it holds a credential.
    pub secret_named: bool,
    /// The literal is the default of `os.getenv(NAME, default)`: this call.
    pub getenv_call: Option<(Span, String)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub value: String,
    pub vendor: Option<VendorMatch>,
    pub binding: Option<Binding>,
}

/// Is this string literal a hardcoded credential (with the rule's
/// exemptions for tests and development configuration)?
///
/// `ancestors` are the node's ancestors, the parent last.
pub(crate) fn secret_literal(
    node: Node<'_>,
    ancestors: &[Node<'_>],
    file: &FileCtx<'_>,
    class: Option<&str>,
    at_top: bool,
) -> Option<Found> {
    if ancestors.last().is_some_and(|p| p.is("concatenated_string")) {
        return None;
    }
    let lit = string_lit(node)?;
    let binding = binding(node, ancestors, file.names, at_top);
    if let Some(v) = find_vendor_secret(&lit.value) {
        let loopback_url = v.what == "password in a URL"
            && (is_loopback_url(&lit.value) || file.is_test || class.is_some_and(is_dev_or_test_name));
        if !loopback_url {
            return Some(Found { value: lit.value[v.start..v.end].to_string(), vendor: Some(v), binding });
        }
    }
    if lit.is_fstring || file.is_test {
        return None;
    }
    let b = binding?;
    let value = lit.value.clone();
    if b.kind == BindingKind::FlaskKey && b.getenv_call.is_none() {
        let templated = value.contains("${") || value.contains("{{") || value.contains("%(");
        if value.trim().is_empty() || templated || class.is_some_and(is_dev_or_test_name) {
            return None;
        }
        return Some(Found { value, vendor: None, binding: Some(b) });
    }
    let secret_target = b.secret_named || b.kind == BindingKind::SigningKey;
    if secret_target && looks_like_credential(&value) {
        return Some(Found { value, vendor: None, binding: Some(b) });
    }
    None
}

fn is_loopback_url(v: &str) -> bool {
    let host = v.split('@').nth(1).unwrap_or("");
    ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].iter().any(|h| host.starts_with(h))
}

/// The secret name a literal is bound to, when it is.
fn binding<'a>(node: Node<'a>, ancestors: &[Node<'a>], names: &NameClassifier, at_module: bool) -> Option<Binding> {
    // `os.environ.get("K") or "literal"`, `"literal" if debug else env`: the
    // fallback is bound to the same target
    let mut node = node;
    let mut up = ancestors.len();
    while let Some(p) = up.checked_sub(1).map(|i| ancestors[i]).filter(|p| {
        matches!(p.kind(), "boolean_operator" | "parenthesized_expression")
            || (p.is("conditional_expression") && p.items().get(1) != Some(&node))
    }) {
        node = p;
        up -= 1;
    }
    let parent = *ancestors.get(up.checked_sub(1)?)?;
    // `KEYS = ["sk_live_…", "sk_live_…"]`: each element is bound to `KEYS_1`, `KEYS_2`
    if matches!(parent.kind(), "list" | "tuple" | "set" | "expression_list") {
        let i = parent.items().iter().position(|c| *c == node)?;
        let outer = binding(parent, &ancestors[..up - 1], names, at_module)?;
        return Some(Binding { name: format!("{}_{}", outer.name, i + 1), ..outer });
    }
    let grandparent = up.checked_sub(2).map(|i| ancestors[i]);
    let named = |name: String, kind: BindingKind| {
        let secret_named = names.is_secret_name(&name);
        Some(Binding { name, kind, secret_named, getenv_call: None })
    };
    let plain = |name: String| named(name, BindingKind::Name);
    match parent.kind() {
        "assignment" if parent.field("right") == Some(node) => {
            let left = parent.field("left")?;
            match left.kind() {
                // `SECRET_KEY = "…"` at module level (a config module) or in a
                // class body is Flask's; a local variable of that name is not
                "identifier" if at_module && NameClassifier::is_flask_secret_key(left.text()) => {
                    named(left.text().to_string(), BindingKind::FlaskKey)
                }
                "identifier" => plain(left.text().to_string()),
                "attribute" => {
                    let attr = left.field("attribute")?.text();
                    let kind = if attr == "secret_key" { BindingKind::FlaskKey } else { BindingKind::Name };
                    named(attr.to_string(), kind)
                }
                "subscript" => {
                    let key = plain_str(left.field("subscript")?)?;
                    let kind = if key == "SECRET_KEY" { BindingKind::FlaskKey } else { BindingKind::Name };
                    named(key, kind)
                }
                _ => None,
            }
        }
        "keyword_argument" => {
            let name = parent.field("name")?.text();
            let kind = if name == "SECRET_KEY" { BindingKind::FlaskKey } else { BindingKind::Name };
            named(name.to_string(), kind)
        }
        "pair" if parent.field("value") == Some(node) => {
            let key = plain_str(parent.field("key")?)?;
            let kind = if key == "SECRET_KEY" { BindingKind::FlaskKey } else { BindingKind::Name };
            named(key, kind)
        }
        "default_parameter" | "typed_default_parameter" => plain(parent.field("name")?.text().to_string()),
        "comparison_operator" => {
            let other = parent.items().into_iter().find(|c| *c != node)?;
            let name = match other.kind() {
                "identifier" => other.text().to_string(),
                "attribute" => other.field("attribute")?.text().to_string(),
                _ => return None,
            };
            plain(name)
        }
        "argument_list" => {
            let call = Call::of(grandparent?)?;
            let pos = call.positional();
            let i = pos.iter().position(|p| *p == node)?;
            let callee = dotted(call.func)?;
            let last = callee.rsplit('.').next().unwrap_or(&callee);
            if matches!(
                callee.as_str(),
                "os.getenv" | "os.environ.get" | "os.environ.setdefault" | "getenv" | "environ.get"
            ) && i == 1
            {
                let var = plain_str(*pos.first()?)?;
                let call_node = grandparent?;
                return plain(var.clone()).map(|b| Binding {
                    getenv_call: Some((Span { start: call_node.start(), end: call_node.end() }, var)),
                    ..b
                });
            }
            let key_arg = match last {
                "encode" | "decode" if callee.starts_with("jwt.") => 1,
                "new" | "digest" if callee.starts_with("hmac.") => 0,
                "Fernet"
                | "URLSafeTimedSerializer"
                | "URLSafeSerializer"
                | "TimedSerializer"
                | "Serializer"
                | "Signer"
                | "TimestampSigner"
                | "TimedJSONWebSignatureSerializer" => 0,
                _ => return None,
            };
            (i == key_arg).then(|| Binding {
                name: "signing_key".into(),
                kind: BindingKind::SigningKey,
                secret_named: true,
                getenv_call: None,
            })
        }
        _ => None,
    }
}

/// `STRIPE_SECRET`, `app.secret_key` -> `SECRET_KEY`, `X-API-Key` -> `X_API_KEY`.
pub(crate) fn env_name(name: &str) -> String {
    crate::secrets::words_of(name).join("_").to_ascii_uppercase()
}

/// The environment variable a fix reads the secret from: derived from the
/// binding (`STRIPE_SECRET` -> `STRIPE_SECRET`, `app.secret_key` ->
/// `SECRET_KEY`, the second element of `KEYS` -> `KEYS_2`), else from the
/// vendor (`STRIPE_SECRET_KEY`). Names are made unique per file afterwards
/// ([`unique_env_names`]).
fn fix_env_name(found: &Found) -> Option<String> {
    match (&found.binding, &found.vendor) {
        (Some(b), _) if b.kind != BindingKind::SigningKey => Some(env_name(&b.name)),
        (_, Some(v)) => Some(v.env_name.to_string()),
        (Some(b), None) => Some(env_name(&b.name)),
        (None, None) => None,
    }
}

/// Replace the literal with a read from the environment. Every edit only
/// inserts or replaces around the secret: source text is never copied into
/// a fix (it would carry the secret into JSON and SARIF).
fn fixes(node: Node<'_>, found: &Found, cx: &Ctx<'_, '_, '_>) -> (Vec<Fix>, Option<EnvVar>) {
    let Some(lit) = string_lit(node) else {
        return (vec![], None);
    };
    if lit.is_fstring {
        return (vec![], None);
    }
    let Some((os, import)) = module_ref(cx, "os") else {
        return (vec![], None);
    };
    let with_import = |mut edits: Vec<Edit>| {
        edits.extend(import.clone());
        edits
    };
    let span = Span { start: node.start(), end: node.end() };
    let value_span = |start: usize, end: usize| {
        if lit.contiguous {
            Span { start: lit.content_start + start, end: lit.content_start + end }
        } else {
            span
        }
    };
    // a key inside a longer string ("Bearer ghp_..."): an f-string that
    // keeps the rest of the text and interpolates the key
    if let Some(v) = found.vendor.as_ref().filter(|v| v.end - v.start != lit.value.len()) {
        if !lit.contiguous || lit.is_bytes || !node.is("string") {
            return (vec![], None);
        }
        let text = node.text();
        let open_len = lit.content_start - node.start();
        let prefix: String = text.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let quote = &text[prefix.len()..open_len];
        if prefix.contains(['b', 'B', 'f', 'F']) || !matches!(quote, "'" | "\"" | "'''" | "\"\"\"") {
            return (vec![], None);
        }
        let inner = if quote.starts_with('"') { '\'' } else { '"' };
        let key = value_span(v.start, v.end);
        let make = |call: String| {
            let mut edits = vec![Edit::insert(node.start(), "f"), Edit::replace(key, format!("{{{call}}}"))];
            // the rest of the text keeps its braces literal
            for (i, c) in lit.value.char_indices() {
                if (c == '{' || c == '}') && !(v.start..v.end).contains(&i) {
                    edits.push(Edit::insert(lit.content_start + i, c.to_string()));
                }
            }
            with_import(edits)
        };
        let name = v.env_name.to_string();
        let env = EnvVar { name: name.clone(), value: key, given: false };
        return (
            vec![
                Fix::new(
                    format!("Read the key from `{os}.environ[\"{name}\"]`"),
                    Applicability::Unsafe,
                    make(format!("{os}.environ[{inner}{name}{inner}]")),
                ),
                Fix::new(
                    format!("Read the key with `{os}.getenv(\"{name}\")`"),
                    Applicability::Unsafe,
                    make(format!("{os}.getenv({inner}{name}{inner})")),
                ),
            ],
            Some(env),
        );
    }
    if let Some((call_span, var)) = found.binding.as_ref().and_then(|b| b.getenv_call.clone()) {
        let var_lit = format!("{var:?}");
        let default_start = node.prev_sibling().map_or(node.start(), |p| p.end());
        let env = EnvVar { name: var.clone(), value: value_span(0, lit.value.len()), given: true };
        return (
            vec![
                Fix::new(
                    format!("Require `{var}` from the environment (no hardcoded fallback)"),
                    Applicability::Unsafe,
                    with_import(vec![Edit::replace(call_span, format!("{os}.environ[{var_lit}]"))]),
                ),
                Fix::new(
                    format!("Drop the hardcoded fallback of `{var}`"),
                    Applicability::Unsafe,
                    vec![Edit::replace(Span { start: default_start, end: span.end }, "")],
                ),
            ],
            Some(env),
        );
    }
    let Some(name) = fix_env_name(found) else {
        return (vec![], None);
    };
    let suffix = if lit.is_bytes { ".encode()" } else { "" };
    let env = EnvVar { name: name.clone(), value: value_span(0, lit.value.len()), given: false };
    (
        vec![
            Fix::new(
                format!("Read it from `{os}.environ[\"{name}\"]`"),
                Applicability::Unsafe,
                with_import(vec![Edit::replace(span, format!("{os}.environ[\"{name}\"]{suffix}"))]),
            ),
            Fix::new(
                format!("Read it with `{os}.getenv(\"{name}\")`"),
                Applicability::Unsafe,
                with_import(vec![Edit::replace(span, format!("{os}.getenv(\"{name}\"){suffix}"))]),
            ),
        ],
        Some(env),
    )
}

/// One environment variable per distinct secret of a file: the first
/// literal keeps the derived name, a different value that would get the
/// same name gets `NAME_2`, `NAME_3`... The same value keeps one name.
/// A name the code gives a literal (`os.getenv("K", "fallback")`) is that
/// literal's; a name the code reads elsewhere (`os.environ["K"]`) holds
/// another value. So applying the fixes one at a time, in any order, never
/// gives two secrets one name.
pub(crate) fn unique_env_names(diagnostics: &mut [crate::Diagnostic], source: &str, reads: &crate::HashSet<String>) {
    use crate::HashMap;
    let value = |e: &EnvVar| source.get(e.value.start..e.value.end).unwrap_or("").to_string();
    let mut taken: HashMap<String, String> = HashMap::default(); // name -> value
    for r in reads {
        // no literal equals this: a read holds whatever the environment has
        taken.insert(r.clone(), "\0read".to_string());
    }
    for d in diagnostics.iter().filter(|d| d.code == META.code) {
        if let Some(e) = d.env.as_ref().filter(|e| e.given) {
            taken.insert(e.name.clone(), value(e));
        }
    }
    let mut by_value: HashMap<(String, String), String> = HashMap::default(); // (derived, value) -> name
    for d in diagnostics.iter_mut().filter(|d| d.code == META.code) {
        let Some(e) = d.env.as_mut().filter(|e| !e.given) else { continue };
        let v = value(e);
        let derived = e.name.clone();
        let name = match by_value.get(&(derived.clone(), v.clone())) {
            Some(n) => n.clone(),
            None => {
                let mut n = derived.clone();
                let mut k = 1;
                while taken.get(&n).is_some_and(|other| *other != v) {
                    k += 1;
                    n = format!("{derived}_{k}");
                }
                taken.insert(n.clone(), v.clone());
                by_value.insert((derived.clone(), v), n.clone());
                n
            }
        };
        if name != derived {
            for f in &mut d.fixes {
                for q in ['"', '\''] {
                    let (from, to) = (format!("{q}{derived}{q}"), format!("{q}{name}{q}"));
                    f.title = f.title.replace(&from, &to);
                    for edit in &mut f.edits {
                        edit.new_text = edit.new_text.replace(&from, &to);
                    }
                }
            }
            e.name = name;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    #[test]
    fn flags() {
        flagged("KL101", "STRIPE_KEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\n");
        flagged("KL101", "headers = {'Authorization': 'Bearer ghp_R8x2Lm9QwE4tY7uI0pAs3dF6gH1jK5lZ2xC4'}\n");
        flagged("KL101", "API_TOKEN = 'a8f5f167f44f4964e6c998dee827110c'\n");
        flagged("KL101", "app.secret_key = 'dev'\n");
        flagged("KL101", "app.config['SECRET_KEY'] = 'change-nothing-123'\n");
        flagged("KL101", "app.config.update(SECRET_KEY='s0me-k3y')\n");
        flagged("KL101", "class ProductionConfig:\n    SECRET_KEY = 'prod-key'\n");
        flagged("KL101", "client = Client(api_key='Zx9kLm2pQ7wE4rT6')\n");
        flagged("KL101", "KEY = os.getenv('API_KEY', 'Zx9kLm2pQ7wE4rT6')\n");
        flagged("KL101", "def connect(password='Tr0ub4dor&3'):\n    pass\n");
        flagged("KL101", "token = jwt.encode(payload, 'Zx9kLm2pQ7wE4rT6', algorithm='HS256')\n");
        flagged("KL101", "DATABASE_URL = 'postgres://app:Tr0ub4dor3@db.prod.internal/app'\n");
        flagged("KL101", "cfg = {'client_secret': 'Zx9kLm2pQ7wE4rT6'}\n");
    }

    #[test]
    fn passes() {
        not_flagged("KL101", "API_KEY_HEADER = 'X-API-Key'\n");
        not_flagged("KL101", "token_type = 'Bearer'\n");
        not_flagged("KL101", "JWT_ALGORITHM = 'HS256'\n");
        not_flagged("KL101", "API_KEY = os.environ['API_KEY']\n");
        not_flagged("KL101", "API_KEY = 'your-api-key-here'\n");
        not_flagged("KL101", "AWS_KEY = 'AKIAIOSFODNN7EXAMPLE'\n");
        not_flagged("KL101", "password = ''\n");
        not_flagged("KL101", "error = 'Invalid API key provided'\n");
        not_flagged("KL101", "STRIPE_PUBLISHABLE_KEY = 'pk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\n");
        not_flagged("KL101", "class TestingConfig:\n    SECRET_KEY = 'test'\n");
        not_flagged("KL101", "url = f'https://api.example.com/?key={API_KEY}'\n");
        not_flagged("KL101", "DATABASE_URL = 'postgres://app:devpass1@localhost/app'\n");
        not_flagged("KL101", "primary_key = 'id_8f3k2m'\n");
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL101",
            "\"\"\"App.\"\"\"\nfrom __future__ import annotations\nfrom flask import Flask\nSTRIPE_KEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\n",
            "\"\"\"App.\"\"\"\nfrom __future__ import annotations\nimport os\nfrom flask import Flask\nSTRIPE_KEY = os.environ[\"STRIPE_KEY\"]\n",
        );
        assert_fix(
            "KL101",
            "import os\napp.secret_key = 'dev'\n",
            "import os\napp.secret_key = os.environ[\"SECRET_KEY\"]\n",
        );
        assert_fix(
            "KL101",
            "import os\nK = os.getenv('API_KEY', 'Zx9kLm2pQ7wE4rT6')\n",
            "import os\nK = os.environ[\"API_KEY\"]\n",
        );
        assert_fix(
            "KL101",
            "x = 1\nh = hmac.new(b'Zx9kLm2pQ7wE4rT6', msg)\n",
            "import os\nx = 1\nh = hmac.new(os.environ[\"SIGNING_KEY\"].encode(), msg)\n",
        );
    }

    fn fix_texts(src: &str) -> Vec<String> {
        let diags = crate::rules::testing::check_path(src, "app.py");
        diags
            .iter()
            .filter(|d| d.code == "KL101")
            .map(|d| d.fixes[0].edits.iter().map(|e| e.new_text.clone()).collect::<Vec<_>>().join("|"))
            .collect()
    }

    #[test]
    fn env_names_are_unique_per_secret() {
        let src = "import os\nA = stripe.Client('sk_live_51HqLyjK2eZvKYlo2C8nR3xPq')\nB = stripe.Client('sk_live_99ZZyjK2eZvKYlo2C8nR3xQr')\nC = stripe.Client('sk_live_51HqLyjK2eZvKYlo2C8nR3xPq')\n";
        let t = fix_texts(src);
        assert_eq!(
            t,
            [
                "os.environ[\"STRIPE_SECRET_KEY\"]",
                "os.environ[\"STRIPE_SECRET_KEY_2\"]",
                "os.environ[\"STRIPE_SECRET_KEY\"]"
            ]
        );
        // list elements are named after the list
        let t =
            fix_texts("import os\nKEYS = ['sk_live_51HqLyjK2eZvKYlo2C8nR3xPq', 'sk_live_99ZZyjK2eZvKYlo2C8nR3xQr']\n");
        assert_eq!(t, ["os.environ[\"KEYS_1\"]", "os.environ[\"KEYS_2\"]"]);
        // a name the code reads already belongs to its value
        let t =
            fix_texts("import os\nA = os.getenv('API_KEY', 'Zx9kLm2pQ7wE4rT6')\nB = {'api_key': 'Qw8eRt5yUi3oP1aS'}\n");
        assert_eq!(t, ["os.environ[\"API_KEY\"]", "os.environ[\"API_KEY_2\"]"]);
    }

    #[test]
    fn never_through_a_shadowed_os() {
        let t = fix_texts("import os\ndef connect(os, url='x'):\n    return Client(api_key='Zx9kLm2pQ7wE4rT6')\n");
        assert_eq!(t, ["  # keyleak: ignore[KL101]"], "only the ignore fixes where `os` is a parameter");
        let t = fix_texts("import os as _os\nKEY = 'sk_live_51HqLyjK2eZvKYlo2C8nR3xPq'\n");
        assert_eq!(t, ["_os.environ[\"KEY\"]"]);
    }

    #[test]
    fn signing_keys_are_not_flask_keys() {
        // any value counts for Flask's SECRET_KEY, not for a jwt/hmac key
        not_flagged("KL101", "token = jwt.encode(payload, 'dev', algorithm='HS256')\n");
        flagged("KL101", "token = jwt.encode(payload, 'Zx9kLm2pQ7wE4rT6', algorithm='HS256')\n");
        // a local variable named secret_key is an ordinary name
        not_flagged(
            "KL101",
            "def sign(data):\n    secret_key = 'dev'\n    return hmac.new(secret_key.encode(), data).hexdigest()\n",
        );
        flagged("KL101", "SECRET_KEY = 'dev'\n");
        let d = crate::rules::testing::check_path("AWS_ACCESS_KEY_ID = 'AKIAZ7QRSTUVWXYZ2345'\n", "app.py");
        assert!(d[0].message.contains("`AWS_ACCESS_KEY_ID`"), "{}", d[0].message);
    }

    #[test]
    fn keeps_the_text_around_an_embedded_key() {
        assert_fix(
            "KL101",
            "import os\nh = {'Authorization': 'Bearer ghp_R8x2Lm9QwE4tY7uI0pAs3dF6gH1jK5lZ2xC4'}\n",
            "import os\nh = {'Authorization': f'Bearer {os.environ[\"GITHUB_TOKEN\"]}'}\n",
        );
        assert_fix(
            "KL101",
            "import os\nu = \"https://hooks.slack.com/services/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?x={1}\"\n",
            "import os\nu = f\"{os.environ['SLACK_WEBHOOK_URL']}?x={{1}}\"\n",
        );
    }

    #[test]
    fn names_env_after_vendor_when_unbound() {
        assert_fix(
            "KL101",
            "import os\nstripe.api_call('sk_live_51HqLyjK2eZvKYlo2C8nR3xPq')\n",
            "import os\nstripe.api_call(os.environ[\"STRIPE_SECRET_KEY\"])\n",
        );
    }
}
