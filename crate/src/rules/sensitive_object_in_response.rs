use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::sensitive_object_logged::object_subject;
use crate::rules::support::sinks::response_sink;
use crate::semantic::RouteKind;
use crate::syntax::Node;

pub(crate) struct SensitiveObjectInResponse;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL204",
    name: "sensitive-object-in-response",
    summary:
        "A route returns a whole object full of secrets: request headers, the environment, the app config, globals().",
    severity: Severity::High,
    cwe: &[200, 215],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Return the few values the client needs, chosen by name; never the whole object.",
    docs: r#"## What it does
Inside Flask routes (view functions, `MethodView` and flask-restful/restx
`Resource` methods, error handlers) it finds responses that carry a whole
object full of credentials: `os.environ`, `app.config` /
`current_app.config`, `request.headers`, `request.environ`,
`request.cookies`, `session`, `globals()` / `locals()`. Copies and
renderings count (`dict(...)`, `json.dumps(...)`, a comprehension over
`.items()`), in a returned value, `jsonify`, `make_response`, `Response`,
a `render_template` context or a response header.

Names only (`sorted(app.config)`), counts, and comprehensions filtered
through an allow-list are not reported. A single secret entry is KL203.

## Why is this bad?
A "debug" or "status" endpoint that returns the config or the environment
hands every secret of the deployment to whoever calls it: `SECRET_KEY`
(forge any session), database passwords, third-party API keys. Echoing the
request headers back turns any cross-site scripting bug into theft of the
session cookie and the `Authorization` header.

## Example
```python
@app.route("/debug/config")
def config():
    return jsonify(dict(app.config))
```

## Use instead
```python
@app.route("/debug/config")
def config():
    return jsonify({k: app.config[k] for k in ("ENV", "VERSION")})
```

## References
- [CWE-200: Exposure of Sensitive Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/200.html)
- [CWE-215: Insertion of Sensitive Information Into Debugging Code](https://cwe.mitre.org/data/definitions/215.html)
"#,
};

impl Rule for SensitiveObjectInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "return_statement", "assignment"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL203]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some(route) = cx.route() else { return };
        let after_request = route.kind == RouteKind::AfterRequest;
        let Some(sink) = response_sink(node, cx, after_request) else { return };
        let whole = !node.is("return_statement");
        let parts =
            if whole { vec![(sink.at, sink.values)] } else { sink.values.into_iter().map(|v| (v, vec![v])).collect() };
        for (at, values) in parts {
            if let Some(o) = values.iter().find_map(|v| cx.val(*v).all_labels().object) {
                let message = format!("{} sent to the client in the response", object_subject(&o));
                cx.report(&META, at, message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "import json, os\nfrom flask import Flask, jsonify, request, render_template, make_response, current_app\napp = Flask(__name__)\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    return jsonify(dict(app.config))\n",
            "    return dict(request.headers)\n",
            "    return {'env': dict(os.environ)}, 200\n",
            "    return render_template('debug.html', config=current_app.config)\n",
            "    data = {k: v for k, v in request.headers.items()}\n    return jsonify(data)\n",
            "    return json.dumps(dict(request.environ), default=str)\n",
            "    return jsonify(globals=str(globals()))\n",
            "    resp = make_response('ok')\n    resp.headers['X-Debug'] = str(request.cookies)\n    return resp\n",
        ] {
            flagged("KL204", &route(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "    return jsonify(sorted(app.config))\n",
            "    return jsonify(count=len(os.environ))\n",
            "    return jsonify({k: app.config[k] for k in ('ENV', 'VERSION')})\n",
            "    return jsonify(ua=request.headers.get('User-Agent'))\n",
            "    return jsonify(request.get_json())\n",
        ] {
            not_flagged("KL204", &route(body));
        }
        not_flagged("KL204", &format!("{PRE}def helper():\n    return dict(os.environ)\n"));
    }

    #[test]
    fn one_finding_not_two() {
        let d = crate::rules::testing::check_path(&route("    return jsonify(dict(request.headers))\n"), "app.py");
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["KL204"]);
    }
}
