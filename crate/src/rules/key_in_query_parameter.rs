use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::syntax::{plain_str, Call, Node};
use crate::taint::{MapKind, Val};

pub(crate) struct KeyInQueryParameter;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL401",
    name: "key-in-query-parameter",
    summary: "The app reads a credential from the query string, so clients must put keys in URLs.",
    severity: Severity::Medium,
    cwe: &[598, 522],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation:
        "Take credentials from a header (`Authorization`, `X-API-Key`) or the request body, not `request.args`.",
    docs: r#"## What it does
Finds reads of a credential-named parameter (`api_key`, `apikey`, `token`,
`access_token`, `secret`, `client_secret`, `password`...) from the query
string: `request.args.get(...)`, `request.args[...]`, `request.values`
(which includes the query string), also through an alias (`args =
request.args`), in decorators, `before_request` hooks and helpers. It is
reported at the read.

The same names read from headers, the form, the JSON body or cookies, and
non-credential parameters (`page`, `cursor`, `sort_key`, `key_name`,
`token_type`, OAuth's `code`, `state` and `client_id`) are not reported.

## Why is this bad?
An API that accepts its key in the query string makes every client put
the key in the URL, and URLs are recorded everywhere: access logs of every
proxy and server, browser history, `Referer` headers sent to other sites,
monitoring tools. Even clients that would send a header are pushed
towards the leaky way by the API's design.

## Example
```python
api_key = request.args.get("api_key")
```

## Use instead
```python
api_key = request.headers.get("X-API-Key")
```

## Fix safety
For `request.args.get("api_key")` (or `request.values`) the fix reads
`request.headers.get("X-API-Key")` instead (`X-<Name>` for other names).
It is unsafe: every client must now send the key in that header.

## References
- [CWE-598: Use of GET Request Method With Sensitive Query Strings](https://cwe.mitre.org/data/definitions/598.html)
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
"#,
};

/// The header name a query parameter's credential should come in.
pub(crate) fn header_name(key: &str) -> String {
    let words = crate::secrets::words_of(key);
    if words.iter().any(|w| w == "key" || w == "apikey") {
        return "X-API-Key".into();
    }
    let title: Vec<String> = words
        .iter()
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect();
    format!("X-{}", title.join("-"))
}

impl Rule for KeyInQueryParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "subscript"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let (container, key_node) = if node.is("call") {
            let Some(call) = Call::of(node) else { return };
            if !matches!(call.method(), Some("get" | "getlist" | "pop" | "__getitem__")) {
                return;
            }
            match (call.receiver(), call.positional().first().copied()) {
                (Some(r), Some(k)) => (r, k),
                _ => return,
            }
        } else {
            match (node.field("value"), node.field("subscript")) {
                (Some(v), Some(k)) => (v, k),
                _ => return,
            }
        };
        if !matches!(cx.val(container), Val::Mapping(MapKind::RequestQuery, _)) {
            return;
        }
        let Some(key) = plain_str(key_node) else { return };
        if !cx.file().names.is_secret_name(&key) {
            return;
        }
        if used_as_cookie_name(cx) || signed_link_token(node, cx) {
            return;
        }
        let message = format!("The credential `{key}` is read from the query string: clients must put it in URLs");
        let fix = to_header(node, container, key_node, &key);
        cx.report(&META, node, message).fix(fix);
    }
}

/// `if token := request.args.get("token"): resp.set_cookie(token, "done")`:
/// a value the function uses as a cookie's name is a name, not a credential.
fn used_as_cookie_name<'a>(cx: &Ctx<'_, 'a, '_>) -> bool {
    let bound = cx.ancestors.iter().rev().find_map(|a| match a.kind() {
        "named_expression" => a.field("name"),
        "assignment" => a.field("left").filter(|l| l.is("identifier")),
        _ => None,
    });
    let Some(name) = bound.map(|n| n.text()) else { return false };
    let function = cx.frames.iter().rev().find(|f| f.kind == crate::taint::FrameKind::Function).and_then(|f| f.span);
    function.is_some_and(|(a, b)| {
        let body = &cx.file().source[a..b];
        body.contains(&format!("set_cookie({name},")) || body.contains(&format!("set_cookie({name} ,"))
    })
}

/// `serializer.loads(request.args["token"], salt="reset", max_age=3600)`:
/// a signed, expiring token from an emailed link (password reset, email
/// confirmation, a download) must travel in the URL; it is not an API key.
fn signed_link_token<'a>(read: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    fn verifies(call: &Call<'_>) -> bool {
        let signed = call.keyword("max_age").is_some() || call.keyword("salt").is_some();
        let by_signer = call.receiver().is_some_and(|r| {
            let t = r.text().to_ascii_lowercase();
            t.contains("serializer") || t.contains("signer")
        });
        matches!(call.method(), Some("loads" | "unsign")) && (signed || by_signer)
    }
    let direct = match cx.ancestors {
        [.., call, args] if args.is("argument_list") => Call::of(*call),
        _ => None,
    };
    if direct.is_some_and(|c| verifies(&c) && c.positional().first().is_some_and(|a| a.id() == read.id())) {
        return true;
    }
    let bound = cx.ancestors.iter().rev().find_map(|a| match a.kind() {
        "named_expression" => a.field("name"),
        "assignment" => a.field("left").filter(|l| l.is("identifier")),
        _ => None,
    });
    let Some(name) = bound.map(|n| n.text()) else { return false };
    let frame = cx.frames.iter().rev().find(|f| f.kind == crate::taint::FrameKind::Function).and_then(|f| f.span);
    let Some(function) = frame.and_then(|(a, b)| cx.file().root.covering(a, b)) else { return false };
    let mut found = false;
    function.visit(&mut |n| {
        if let Some(c) = Call::of(n) {
            if verifies(&c) && c.positional().first().is_some_and(|a| a.is("identifier") && a.text() == name) {
                found = true;
            }
        }
        !found
    });
    found
}

/// `request.args.get("api_key")` -> `request.headers.get("X-API-Key")`.
fn to_header<'a>(node: Node<'a>, container: Node<'a>, key_node: Node<'a>, key: &str) -> Option<Fix> {
    let text = container.text();
    let base = text.strip_suffix(".args").or_else(|| text.strip_suffix(".values"))?;
    if !node.is("call") {
        return None;
    }
    let header = header_name(key);
    Some(Fix::new(
        format!("Read it from the `{header}` header instead"),
        Applicability::Unsafe,
        vec![
            Edit::replace(Span { start: container.start(), end: container.end() }, format!("{base}.headers")),
            Edit::replace(Span { start: key_node.start(), end: key_node.end() }, format!("\"{header}\"")),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "from flask import Flask, request\napp = Flask(__name__)\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    key = request.args.get('api_key')\n",
            "    key = request.args['apiKey']\n",
            "    key = request.values.get('token', '')\n",
            "    args = request.args\n    key = args.get('client_secret')\n",
            "    key = request.args.get('password', type=str)\n",
            "    supplied = request.args.get('api_key') or request.headers.get('X-API-Key')\n",
            "    token = request.args.get('token')\n    data = json.loads(token)\n",
        ] {
            flagged("KL401", &route(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "    page = request.args.get('page')\n",
            "    key = request.headers.get('X-API-Key')\n",
            "    key = request.form.get('api_key')\n",
            "    code = request.args.get('code')\n",
            "    state = request.args.get('state')\n",
            "    kind = request.args.get('token_type')\n",
            "    name = request.args.get('key_name')\n",
            "    if token := request.args.get('token'):\n        resp.set_cookie(token, 'done')\n",
            "    email = ts.loads(request.args['token'], salt='confirm', max_age=3600)\n",
            "    token = request.args.get('token')\n    uid = serializer.loads(token)\n",
        ] {
            not_flagged("KL401", &route(body));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL401",
            &route("    key = request.args.get('api_key')\n"),
            &route("    key = request.headers.get(\"X-API-Key\")\n"),
        );
    }
}
