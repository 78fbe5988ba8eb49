use super::{Ctx, Hook, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::routes::{checked_view, sets_no_store};
use crate::rules::support::sinks::maker;
use crate::syntax::{Call, Node};
use crate::taint::{Origin, Taint};

pub(crate) struct CacheableCredentialResponse;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL405",
    name: "cacheable-credential-response",
    summary: "A response that carries a freshly issued credential is not marked `Cache-Control: no-store`.",
    severity: Severity::Low,
    cwe: &[524, 525, 213],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Send `Cache-Control: no-store` with every response that carries a new token or key: `resp.headers[\"Cache-Control\"] = \"no-store\"`, or an `after_request` hook on the blueprint that issues them.",
    docs: r#"## What it does
Reports a route that returns a freshly issued credential (an access or
refresh token from `create_access_token`, `jwt.encode`, a serializer's
`dumps`, `secrets.token_*`, `os.urandom`, `uuid4()` under a secret's name,
a module helper returning one) when its response is not marked
`Cache-Control: no-store`. The header counts when the view sets it
(`resp.headers["Cache-Control"] = "no-store"`, `resp.cache_control.no_store
= True`, a headers dict in the returned tuple) or when an `after_request`
hook of its blueprint or app sets it, also from another module.
`no-cache`, `private` and `max-age=0` do not stop a cache from storing the
response.

## Why is this bad?
Browsers, proxies and CDNs may store a response that does not forbid it.
A token kept in a shared cache or in the browser's disk cache can be read
by the next user of the machine or proxy. OAuth 2.0 (RFC 6749, section 5.1)
requires `no-store` on token responses.

## Example
```python
@api.post("/tokens")
@login_required
def create_token():
    return jsonify(access_token=create_access_token(identity=current_user.id))
```

## Use instead
```python
@api.post("/tokens")
@login_required
def create_token():
    resp = jsonify(access_token=create_access_token(identity=current_user.id))
    resp.headers["Cache-Control"] = "no-store"
    return resp
```

## References
- [CWE-524: Use of Cache Containing Sensitive Information](https://cwe.mitre.org/data/definitions/524.html)
- [CWE-525: Use of Web Browser Cache Containing Sensitive Information](https://cwe.mitre.org/data/definitions/525.html)
- [CWE-213: Exposure of Sensitive Information Due to Incompatible Policies](https://cwe.mitre.org/data/definitions/213.html)
- [RFC 6749, section 5.1: Successful Response](https://www.rfc-editor.org/rfc/rfc6749#section-5.1)
"#,
};

/// A fresh credential in what `n` sends: a response maker's arguments,
/// or the returned value's parts.
fn fresh<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>, depth: u8) -> Option<Taint> {
    let n = n.unparen();
    if depth > 4 {
        return None;
    }
    if let Some(call) = Call::of(n) {
        if maker(&call, cx).is_some() {
            return call.args.iter().find_map(|a| {
                let v = if a.is("keyword_argument") { a.field("value")? } else { *a };
                fresh(v, cx, depth + 1)
            });
        }
    }
    if matches!(n.kind(), "expression_list" | "tuple") {
        return n.items().into_iter().find_map(|p| fresh(p, cx, depth + 1));
    }
    cx.taint(n).filter(|t| t.origin == Origin::Generated)
}

impl Rule for CacheableCredentialResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn hooks(&self) -> &'static [Hook] {
        &[Hook::Function]
    }
    fn check_function<'a>(&self, def: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some((route, name)) = checked_view(def, cx) else { return };
        let Some(body) = def.field("body") else { return };
        // what the view sends: returned values and responses it builds
        let mut sent = None;
        body.visit(&mut |n| {
            if sent.is_some() || matches!(n.kind(), "function_definition" | "class_definition" | "lambda") {
                return false;
            }
            let t = match n.kind() {
                "return_statement" => n.first_item().and_then(|v| fresh(v, cx, 0)),
                "call" => Call::of(n).filter(|c| maker(c, cx).is_some()).and_then(|_| fresh(n, cx, 0)),
                _ => None,
            };
            if t.is_some() {
                sent = t;
                return false;
            }
            true
        });
        let Some(t) = sent else { return };
        if sets_no_store(&route, def, cx) {
            return;
        }
        let message = format!(
            "`{}` returns a freshly issued credential without `Cache-Control: no-store`: browsers and proxies may keep a copy",
            name.text()
        );
        let at = crate::diagnostic::Span { start: t.at.0, end: t.at.1 };
        cx.report(&META, name, message).related.push(crate::diagnostic::Related {
            span: at,
            message: "the credential is issued here".into(),
            path: None,
            position: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "import secrets\nfrom flask import Flask, Blueprint, jsonify, make_response\nfrom flask_jwt_extended import create_access_token\napp = Flask(__name__)\n";

    #[test]
    fn flags() {
        for body in [
            "@app.post('/t')\ndef t():\n    return jsonify(access_token=create_access_token(identity='u'))\n",
            "@app.post('/k')\ndef k():\n    api_key = secrets.token_urlsafe(32)\n    return {'api_key': api_key}, 201\n",
            "@app.post('/k')\ndef k():\n    token = create_access_token(identity='u')\n    resp = jsonify(token=token)\n    resp.headers['Cache-Control'] = 'no-cache'\n    return resp\n",
        ] {
            flagged("KL405", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "@app.post('/t')\ndef t():\n    resp = jsonify(access_token=create_access_token(identity='u'))\n    resp.headers['Cache-Control'] = 'no-store'\n    return resp\n",
            "@app.post('/t')\ndef t():\n    return jsonify(token=secrets.token_hex(8)), 201, {'Cache-Control': 'no-store'}\n",
            "@app.post('/k')\ndef k():\n    key = secrets.token_urlsafe(32)\n    send(key)\n    return jsonify(prefix=key[:6])\n",
            "@app.after_request\ndef ns(r):\n    r.headers['Cache-Control'] = 'no-store'\n    return r\n@app.post('/t')\ndef t():\n    return jsonify(access_token=create_access_token(identity='u'))\n",
            "def helper():\n    return jsonify(access_token=create_access_token(identity='u'))\n",
            // a hook from another module, named for what it does
            "from .http import no_store\nbp = Blueprint('a', __name__)\nbp.after_request(no_store)\n@bp.post('/t')\ndef t():\n    return jsonify(access_token=create_access_token(identity='u'))\n",
        ] {
            not_flagged("KL405", &format!("{PRE}{body}"));
        }
    }
}
