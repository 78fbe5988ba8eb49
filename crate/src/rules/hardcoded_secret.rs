use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{ensure_import, Applicability, Edit, Fix};
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
        let Some(found) = secret_literal(node, cx.ancestors, cx.file(), class.as_deref()) else {
            return;
        };
        let what = match (&found.vendor, &found.binding) {
            (Some(v), _) => v.what.to_string(),
            (None, Some(b)) if NameClassifier::is_flask_secret_key(&b.name) => "Flask session signing key".to_string(),
            _ => "secret".to_string(),
        };
        let target = found.binding.as_ref().map(|b| format!(" in `{}`", b.name)).unwrap_or_default();
        let message = format!("Hardcoded {what} `{}`{target}", mask(&found.value));
        let severity = if found.vendor.as_ref().is_some_and(|v| v.live) { Severity::Critical } else { Severity::High };
        let fixes = fixes(node, &found, cx.file());
        let d = cx.report(&META, node, message);
        d.severity = severity;
        d.fixes.extend(fixes);
    }
}

/// How a literal is bound to a name.
#[derive(Debug, Clone)]
pub(crate) struct Binding {
    pub name: String,
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
) -> Option<Found> {
    if ancestors.last().is_some_and(|p| p.is("concatenated_string")) {
        return None;
    }
    let lit = string_lit(node)?;
    let binding = binding(node, ancestors, file.names);
    if let Some(v) = find_vendor_secret(&lit.value) {
        let loopback_url = v.what == "password in a URL"
            && (is_loopback_url(&lit.value) || file.is_test || class.is_some_and(is_dev_or_test_name));
        if !loopback_url {
            return Some(Found {
                value: lit.value[v.start..v.end].to_string(),
                vendor: Some(v),
                binding,
            });
        }
    }
    if lit.is_fstring || file.is_test {
        return None;
    }
    let b = binding?;
    let value = lit.value.clone();
    let is_flask_key = NameClassifier::is_flask_secret_key(&b.name) && b.getenv_call.is_none();
    if is_flask_key {
        let templated = value.contains("${") || value.contains("{{") || value.contains("%(");
        if value.trim().is_empty() || templated || class.is_some_and(is_dev_or_test_name) {
            return None;
        }
        return Some(Found { value, vendor: None, binding: Some(b) });
    }
    if looks_like_credential(&value) {
        return Some(Found { value, vendor: None, binding: Some(b) });
    }
    None
}

fn is_loopback_url(v: &str) -> bool {
    let host = v.split('@').nth(1).unwrap_or("");
    ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].iter().any(|h| host.starts_with(h))
}

/// The secret name a literal is bound to, when it is.
fn binding<'a>(node: Node<'a>, ancestors: &[Node<'a>], names: &NameClassifier) -> Option<Binding> {
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
    let grandparent = up.checked_sub(2).map(|i| ancestors[i]);
    let named = |name: String| names.is_secret_name(&name).then_some(Binding { name, getenv_call: None });
    match parent.kind() {
        "assignment" if parent.field("right") == Some(node) => {
            let left = parent.field("left")?;
            match left.kind() {
                "identifier" => named(left.text().to_string()),
                "attribute" => named(left.field("attribute")?.text().to_string()),
                "subscript" => named(plain_str(left.field("subscript")?)?),
                _ => None,
            }
        }
        "keyword_argument" => named(parent.field("name")?.text().to_string()),
        "pair" if parent.field("value") == Some(node) => named(plain_str(parent.field("key")?)?),
        "default_parameter" | "typed_default_parameter" => named(parent.field("name")?.text().to_string()),
        "comparison_operator" => {
            let other = parent.items().into_iter().find(|c| *c != node)?;
            let name = match other.kind() {
                "identifier" => other.text().to_string(),
                "attribute" => other.field("attribute")?.text().to_string(),
                _ => return None,
            };
            named(name)
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
                return named(var.clone()).map(|b| Binding {
                    getenv_call: Some((Span { start: call_node.start(), end: call_node.end() }, var)),
                    ..b
                });
            }
            let key_arg = match last {
                "encode" | "decode" if callee.starts_with("jwt.") => 1,
                "new" if callee.starts_with("hmac.") => 0,
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
            (i == key_arg).then(|| Binding { name: "secret_key".into(), getenv_call: None })
        }
        _ => None,
    }
}

/// `STRIPE_SECRET`, `app.secret_key` -> `SECRET_KEY`, `X-API-Key` -> `X_API_KEY`.
pub(crate) fn env_name(name: &str) -> String {
    crate::secrets::words_of(name).join("_").to_ascii_uppercase()
}

fn fixes(node: Node<'_>, found: &Found, file: &FileCtx<'_>) -> Vec<Fix> {
    let Some(lit) = string_lit(node) else {
        return vec![];
    };
    if lit.is_fstring {
        return vec![];
    }
    let import = ensure_import(file.root, file.source, "os");
    let with_import = |mut edits: Vec<Edit>| {
        edits.extend(import.clone());
        edits
    };
    let span = Span { start: node.start(), end: node.end() };
    // a key inside a longer string ("Bearer ghp_..."): keep the rest of the
    // text and interpolate the key with an f-string
    if let Some(v) = found.vendor.as_ref().filter(|v| v.end - v.start != lit.value.len()) {
        if !lit.contiguous || lit.is_bytes || !node.is("string") {
            return vec![];
        }
        let text = node.text();
        let open_len = lit.content_start - node.start();
        let delim = &text[..open_len];
        let quote = delim.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        if delim.len() != quote.len() + delim.chars().take_while(|c| c.is_ascii_alphabetic()).count()
            || delim.contains(['b', 'B', 'f', 'F'])
        {
            return vec![];
        }
        let inner = if quote.starts_with('"') { '\'' } else { '"' };
        let esc = |s: &str| s.replace('{', "{{").replace('}', "}}");
        let (pre, post) = (&lit.value[..v.start], &lit.value[v.end..]);
        let make = |call: &str| format!("f{delim}{}{{{call}}}{}{quote}", esc(pre), esc(post));
        let environ = make(&format!("os.environ[{inner}{}{inner}]", v.env_name));
        let getenv = make(&format!("os.getenv({inner}{}{inner})", v.env_name));
        return vec![
            Fix::new(
                format!("Read the key from `os.environ[\"{}\"]`", v.env_name),
                Applicability::Unsafe,
                with_import(vec![Edit::replace(span, environ)]),
            ),
            Fix::new(
                format!("Read the key with `os.getenv(\"{}\")`", v.env_name),
                Applicability::Unsafe,
                with_import(vec![Edit::replace(span, getenv)]),
            ),
        ];
    }
    let name = match (&found.binding, &found.vendor) {
        (Some(b), _) if b.name != "secret_key" || found.vendor.is_none() => env_name(&b.name),
        (_, Some(v)) => v.env_name.to_string(),
        (Some(b), None) => env_name(&b.name),
        (None, None) => return vec![],
    };
    if let Some((call_span, var)) = found.binding.as_ref().and_then(|b| b.getenv_call.clone()) {
        let var_lit = format!("{var:?}");
        let default_start = node.prev_sibling().map_or(node.start(), |p| p.end());
        return vec![
            Fix::new(
                format!("Require `{var}` from the environment (no hardcoded fallback)"),
                Applicability::Unsafe,
                with_import(vec![Edit::replace(call_span, format!("os.environ[{var_lit}]"))]),
            ),
            Fix::new(
                format!("Drop the hardcoded fallback of `{var}`"),
                Applicability::Unsafe,
                vec![Edit::replace(Span { start: default_start, end: span.end }, "")],
            ),
        ];
    }
    let suffix = if lit.is_bytes { ".encode()" } else { "" };
    vec![
        Fix::new(
            format!("Read it from `os.environ[\"{name}\"]`"),
            Applicability::Unsafe,
            with_import(vec![Edit::replace(span, format!("os.environ[\"{name}\"]{suffix}"))]),
        ),
        Fix::new(
            format!("Read it with `os.getenv(\"{name}\")`"),
            Applicability::Unsafe,
            with_import(vec![Edit::replace(
                span,
                format!("os.getenv(\"{name}\"){}", if lit.is_bytes { ".encode()" } else { "" }),
            )]),
        ),
    ]
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
            "import os\nx = 1\nh = hmac.new(os.environ[\"SECRET_KEY\"].encode(), msg)\n",
        );
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
