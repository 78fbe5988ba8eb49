use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::names::module_ref;
use crate::secrets::looks_like_credential;
use crate::syntax::{plain_str, Call, Node};
use crate::taint::{Origin, Taint};

pub(crate) struct TimingUnsafeComparison;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL402",
    name: "timing-unsafe-comparison",
    summary: "A request-supplied credential is compared with a secret using == or !=.",
    severity: Severity::Medium,
    cwe: &[208],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation:
        "Compare credentials with `hmac.compare_digest(a, b)`, which takes the same time wherever the inputs differ.",
    docs: r#"## What it does
Finds `==` and `!=` between a credential that comes from the request (an
`Authorization` or `X-API-Key` header, `request.authorization.password`, a
secret-named query, form or JSON field, a secret-named URL segment, a
signature header) and a secret (a key from the environment or the app config,
a hardcoded key, a secret-named value, an HMAC computed with a secret).

## Why is this bad?
`==` on strings stops at the first byte that differs, so a wrong guess that
shares a longer prefix with the key takes measurably longer to reject. An
attacker who can time many requests recovers the key one byte at a time.

## Example
```python
if request.headers.get("X-API-Key") != app.config["API_KEY"]:
    abort(401)
```

## Use instead
```python
import hmac

if not hmac.compare_digest(request.headers.get("X-API-Key", ""), app.config["API_KEY"]):
    abort(401)
```

## Fix safety
The fix rewrites `a == b` to `hmac.compare_digest(a, b)` and `a != b` to
`not hmac.compare_digest(a, b)`, adding `import hmac` (or using the name
`hmac` is already imported under; no fix is offered where a local name
shadows it). A `.get("X-API-Key")` without a default gets `""`, since
`compare_digest` raises `TypeError` on `None` where `==` returned `False`.
The fix is unsafe: `compare_digest` raises `TypeError` where `==` returned
`False`, on a `str` with non-ASCII characters and on a `str` compared with
`bytes`.

## References
- [CWE-208: Observable Timing Discrepancy](https://cwe.mitre.org/data/definitions/208.html)
- [Python: hmac.compare_digest](https://docs.python.org/3/library/hmac.html#hmac.compare_digest)
"#,
};

impl Rule for TimingUnsafeComparison {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["comparison_operator"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let children = node.all_children();
        let [left, op, right] = children.as_slice() else {
            return;
        };
        let negated = match op.kind() {
            "==" => false,
            "!=" => true,
            _ => return,
        };
        let side = |n: Node<'a>| -> Option<Taint> {
            if let Some(t) = cx.taint(n) {
                return Some(t);
            }
            // a literal compared with the caller's credential is a hardcoded secret
            let s = plain_str(n)?;
            looks_like_credential(&s).then(|| Taint {
                origin: Origin::Hardcoded,
                what: "a hardcoded secret".into(),
                at: (n.start(), n.end()),
                app_owned: true,
                url_segment: false,
                ambiguous: false,
                name: None,
            })
        };
        let (Some(a), Some(b)) = (side(*left), side(*right)) else {
            return;
        };
        let (req, secret) = match (a.origin == Origin::Request, b.origin == Origin::Request) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ => return,
        };
        let message = format!("`{}` compares {} with {} in variable time", op.text(), req.what, secret.what);
        let fix = fix(*left, *right, negated, cx);
        cx.report(&META, node, message).source(&secret).fix(fix);
    }
}

/// `a != b` becomes `not hmac.compare_digest(a, b)`, by edits around the
/// operands (which are never copied: one may be a secret literal). A
/// `.get("X-API-Key")` without a default gets `""`, since `compare_digest`
/// raises on `None` where `!=` returned `True`.
fn fix<'a>(left: Node<'a>, right: Node<'a>, negated: bool, cx: &Ctx<'_, 'a, '_>) -> Option<Fix> {
    let (hmac, import) = module_ref(cx, "hmac")?;
    let tight = cx.parent().is_some_and(|p| {
        matches!(
            p.kind(),
            "comparison_operator" | "binary_operator" | "unary_operator" | "attribute" | "subscript" | "call"
        )
    });
    let (open, close) = match (negated, tight) {
        (false, _) => (format!("{hmac}.compare_digest("), ")"),
        (true, false) => (format!("not {hmac}.compare_digest("), ")"),
        (true, true) => (format!("(not {hmac}.compare_digest("), "))"),
    };
    let mut edits = vec![
        Edit::insert(left.start(), open),
        Edit::replace(Span { start: left.end(), end: right.start() }, ", "),
        Edit::insert(right.end(), close),
    ];
    for side in [left, right] {
        edits.extend(default_to_empty(side));
    }
    edits.extend(import);
    Some(Fix::new("Compare with `hmac.compare_digest`", Applicability::Unsafe, edits))
}

/// `x.get("K")` (one argument, no default): insert `, ""`.
fn default_to_empty(n: Node<'_>) -> Option<Edit> {
    let call = Call::of(n.unparen())?;
    if call.method() != Some("get") || call.args.len() != 1 || call.positional().len() != 1 {
        return None;
    }
    let args = n.unparen().field("arguments")?;
    let close = args.end().checked_sub(1).filter(|_| args.text().ends_with(')'))?;
    Some(Edit::insert(close, ", \"\""))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str =
        "import os\nfrom flask import Flask, request, abort\napp = Flask(__name__)\nAPI_KEY = os.environ['API_KEY']\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    if request.headers.get('X-API-Key') != API_KEY:\n        abort(401)\n",
            "    token = request.headers.get('Authorization', '')\n    if token == os.environ['ADMIN_TOKEN']:\n        return 'ok'\n",
            "    auth = request.authorization\n    if auth.password == app.config['ADMIN_PASSWORD']:\n        return 'ok'\n",
            "    if request.args.get('api_key') == API_KEY:\n        return 'ok'\n",
            "    data = request.get_json()\n    if data['api_key'] == API_KEY:\n        return 'ok'\n",
            "    if request.headers['X-Auth-Token'] == 'Zx9kLm2pQ7wE4rT6':\n        return 'ok'\n",
            "    sig = request.headers.get('X-Hub-Signature')\n    expected = hmac.new(API_KEY.encode(), request.data, 'sha256').hexdigest()\n    if sig != expected:\n        abort(403)\n",
        ] {
            flagged("KL402", &route(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "    if not hmac.compare_digest(request.headers.get('X-API-Key', ''), API_KEY):\n        abort(401)\n",
            "    token = request.headers.get('Authorization')\n    if token is None:\n        abort(401)\n",
            "    token = request.headers.get('Authorization')\n    if token == '':\n        abort(401)\n",
            "    scheme = request.headers.get('Authorization', '').split(' ')[0]\n    if scheme.lower() != 'bearer':\n        abort(401)\n",
            "    if app.config['API_KEY'] == API_KEY:\n        return 'same'\n",
            "    if request.args.get('user_id') == '42':\n        return 'ok'\n",
            "    auth = request.authorization\n    if auth.username == 'admin':\n        return 'ok'\n",
            "    if request.form['password'] != request.form['password_confirm']:\n        abort(400)\n",
        ] {
            not_flagged("KL402", &route(body));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL402",
            &route("    if request.headers.get('X-API-Key') != API_KEY:\n        abort(401)\n"),
            &route("    if not hmac.compare_digest(request.headers.get('X-API-Key', \"\"), API_KEY):\n        abort(401)\n")
                .replacen("import os\n", "import hmac\nimport os\n", 1),
        );
        // an alias is used, a literal is never copied into the edits
        assert_fix(
            "KL402",
            &route("    if request.headers['X-Auth-Token'] == 'Zx9kLm2pQ7wE4rT6':\n        return 'ok'\n")
                .replacen("import os\n", "import os\nimport hmac as _hmac\n", 1),
            &route("    if _hmac.compare_digest(request.headers['X-Auth-Token'], 'Zx9kLm2pQ7wE4rT6'):\n        return 'ok'\n")
                .replacen("import os\n", "import os\nimport hmac as _hmac\n", 1),
        );
    }

    #[test]
    fn no_fix_through_a_shadowed_name() {
        let src = route(
            "    hmac = load_signer()\n    if request.headers.get('X-API-Key') != API_KEY:\n        abort(401)\n",
        );
        let diags = crate::rules::testing::check_path(&src, "app.py");
        let d = diags.iter().find(|d| d.code == "KL402").expect("KL402");
        assert!(d.fixes.iter().all(|f| f.title.starts_with("Ignore")), "{:?}", d.fixes);
    }
}
