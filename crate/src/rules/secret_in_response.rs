use super::{Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::sinks::response_sink;
use crate::semantic::RouteKind;
use crate::syntax::Node;
use crate::taint::{Origin, Taint};

pub(crate) struct SecretInResponse;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL203",
    name: "secret-in-response",
    summary: "A route sends the app's own secret, or echoes the caller's credential, in its response.",
    severity: Severity::High,
    cwe: &[200, 213],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Return only what the client needs: a flag (`configured: true`), a masked suffix, or nothing.",
    docs: r#"## What it does
Inside Flask routes (view functions, `add_url_rule` views, `MethodView` and
`Resource` methods, error handlers, `after_request` hooks) it finds responses
that carry the application's own secrets (hardcoded keys, environment and
app-config secrets, settings attributes, module-level secret constants) or
that echo the caller's credential (the `Authorization` header,
`request.authorization`, `?api_key=`). It looks at returned values, `jsonify`,
`make_response`, `Response`, `render_template` context, response headers and
`abort()` descriptions.

Issuing a token to a client that just authenticated (a login route returning
`create_access_token(...)`) is not reported: that is what the route is for.

## Why is this bad?
A response goes to whoever asked: browsers, proxies, caches, browser
extensions, logs of every hop. A key in a response is a key given away; a
caller's credential echoed back ends up in caches and error trackers, and
turns a cross-site scripting bug into a credential theft.

## Example
```python
@app.route("/debug/config")
def config():
    return jsonify(stripe_key=os.environ["STRIPE_KEY"])
```

## Use instead
```python
@app.route("/debug/config")
def config():
    return jsonify(stripe_configured=bool(os.environ.get("STRIPE_KEY")))
```

## References
- [CWE-200: Exposure of Sensitive Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/200.html)
- [CWE-213: Exposure of Sensitive Information Due to Incompatible Policies](https://cwe.mitre.org/data/definitions/213.html)
"#,
};

fn message(t: &Taint) -> String {
    match t.origin {
        Origin::Request => format!("The response echoes {} back to the caller", t.what),
        _ => format!("{} is sent to the client in the response", t.subject()),
    }
}

impl Rule for SecretInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "return_statement", "assignment"]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        // a test's live server is not deployed
        if cx.file().is_test {
            return;
        }
        let Some(route) = cx.route() else { return };
        let after_request = route.kind == RouteKind::AfterRequest;
        let Some(sink) = response_sink(node, cx, after_request) else { return };
        let leak = |cx: &Ctx<'_, 'a, '_>, n: Node<'a>| cx.taint(n).filter(Taint::is_leakable);
        if !node.is("return_statement") {
            if let Some(t) = sink.values.iter().find_map(|a| leak(cx, *a)) {
                cx.report(&META, sink.at, message(&t)).source(&t);
            }
            return;
        }
        // a returned tuple: each leaking part
        for p in sink.values {
            if let Some(t) = leak(cx, p) {
                cx.report(&META, p, message(&t)).source(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "import os\nfrom flask import Flask, jsonify, request, render_template, abort, make_response\nfrom flask_jwt_extended import create_access_token\napp = Flask(__name__)\nAPI_KEY = os.environ['API_KEY']\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x/<token>')\ndef view(token):\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    return jsonify(key=API_KEY)\n",
            "    return {'key': API_KEY}\n",
            "    return {'key': os.getenv('STRIPE_SECRET_KEY')}, 200\n",
            "    return jsonify(auth=request.headers.get('Authorization'))\n",
            "    resp = make_response('ok')\n    resp.headers['X-Key'] = API_KEY\n    return resp\n",
            "    return render_template('debug.html', secret=app.config['SECRET_KEY'])\n",
            "    abort(401, description=f'expected {API_KEY}')\n",
            "    cfg = {'region': 'eu', 'key': API_KEY}\n    return jsonify(cfg)\n",
            "    return f'your key is {request.args.get(\"api_key\")}'\n",
            // a key the app fetched, under a key's name
            "    api_key = vault.read('stripe')\n    return jsonify(key=api_key)\n",
        ] {
            flagged("KL203", &route(body));
        }
        // a module global set by another function through `global`
        flagged(
            "KL203",
            &format!("{PRE}STRIPE = None\ndef init():\n    global STRIPE\n    STRIPE = os.environ['STRIPE_SECRET_KEY']\n@app.route('/k')\ndef k():\n    return jsonify(k=STRIPE)\n"),
        );
    }

    #[test]
    fn passes() {
        for body in [
            "    return jsonify(access_token=create_access_token(identity='u'))\n",
            "    return render_template('reset.html', token=token)\n",
            "    return jsonify(configured=bool(API_KEY))\n",
            "    return jsonify(suffix=API_KEY[-4:])\n",
            "    return jsonify(status='ok')\n",
            "    return jsonify(key=current_user.api_key)\n",
            // a token issued to the caller is what a login route is for
            "    token = SessionToken.issue(user)\n    return jsonify(token=token)\n",
            "    resp = make_response('ok')\n    resp.headers['X-Api-Key-Header'] = 'X-API-Key'\n    return resp\n",
        ] {
            not_flagged("KL203", &route(body));
        }
        // not a route: nothing is sent anywhere
        not_flagged("KL203", &format!("{PRE}def helper():\n    return {{'key': API_KEY}}\n"));
    }
}
