use crate::{HashMap, HashSet};

use super::{Ctx, Hook, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::sinks::response_sink;
use crate::semantic::RouteKind;
use crate::syntax::{dotted, plain_str, Call, Node};
use crate::taint::vocab::is_pii_field;
use crate::taint::Val;

pub(crate) struct PiiInResponse;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL210",
    name: "pii-in-response",
    summary: "A route returns personal data (SSN, date of birth, card number, tax id, password hash) or a whole model.",
    severity: Severity::High,
    cwe: &[359],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Return the fields the client needs, listed by name; mask or drop personal data.",
    docs: r#"## What it does
Finds personal data sent by a route: a field named for it (`ssn`, `dob` /
`date_of_birth`, `card_number` / `pan` / `cvv`, `tax_id`, `national_id`,
`passport_number`, `password` / `password_hash`, bank account numbers) in
a returned dict, `jsonify(...)`, a list comprehension, a `render_template`
keyword, a flask-restx model used with `marshal_with`, or a marshmallow
schema a route dumps; and whole models: `vars(obj)`, `obj.__dict__`,
`{c.name: getattr(obj, c.name) for c in obj.__table__.columns}`. It is
reported at the field.

Masked and partial forms (`ssn_last4`, `card[-4:]`, `mask_card(...)`),
booleans (`has_tax_id`), `load_only` fields and input-only schemas are
not reported. An admin guard does not make it right: the data still
leaves the server.

## Why is this bad?
Responses are cached, logged by proxies, stored in browsers and copied
into front-end state and analytics. Personal data there is exposed far
beyond the one screen that needed it, and serialising a whole model sends
every column, the password hash and internal flags included, including
columns added after the endpoint was written.

## Example
```python
@app.get("/api/users/<int:uid>")
def user(uid):
    u = User.query.get_or_404(uid)
    return jsonify(vars(u))
```

## Use instead
```python
@app.get("/api/users/<int:uid>")
def user(uid):
    u = User.query.get_or_404(uid)
    return jsonify(id=u.id, name=u.display_name)
```

## References
- [CWE-359: Exposure of Private Personal Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/359.html)
- [OWASP API3:2023 Broken Object Property Level Authorization](https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/)
"#,
};

fn message(field: &str, whole: bool) -> String {
    if whole {
        format!("A whole model (`{field}`) is sent in the response: every field, personal data and hashes included")
    } else {
        format!("Personal data (`{field}`) is sent to the client in the response")
    }
}

impl Rule for PiiInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call", "return_statement", "assignment"]
    }
    fn hooks(&self) -> &'static [Hook] {
        &[Hook::Module]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        let Some(route) = cx.route() else { return };
        let after_request = route.kind == RouteKind::AfterRequest;
        let Some(sink) = response_sink(node, cx, after_request) else { return };
        let mut seen = HashSet::default();
        for v in &sink.values {
            // `jsonify(ssn=user.ssn)`, `render_template(..., dob=p.dob)`
            if v.is("keyword_argument") {
                let name = v.field("name").map(|n| n.text()).unwrap_or("");
                let value = v.field("value").map(|x| cx.val(x));
                let secret = value.clone().and_then(|x| x.taint()).is_some_and(|t| t.is_leakable());
                if is_pii_field(name) && !secret && value.is_some_and(|x| !matches!(x, Val::Clean)) {
                    if seen.insert((v.start(), v.end())) {
                        cx.report(&META, *v, message(name, false));
                    }
                    continue;
                }
            }
            let labels = cx.val(*v).all_labels();
            // the caller's password echoed back, a configured secret: KL203's
            let secret_field = labels.secret.as_ref().is_some_and(crate::taint::Taint::is_leakable);
            for p in labels.pii {
                if secret_field && !p.whole_model {
                    continue;
                }
                if seen.insert(p.at) {
                    let span = crate::diagnostic::Span { start: p.at.0, end: p.at.1 };
                    cx.report_span(&META, span, message(&p.field, p.whole_model));
                }
            }
        }
    }

    /// flask-restx models used with `marshal_with`, and marshmallow schemas
    /// a route dumps: their personal-data fields, where they are declared.
    fn check_module<'a>(&self, cx: &mut Ctx<'_, 'a, '_>) {
        let file = cx.file();
        if file.is_test {
            return;
        }
        let items = file.items.clone();
        let mut models: HashMap<&'a str, Node<'a>> = HashMap::default();
        let mut schemas: HashMap<&'a str, Node<'a>> = HashMap::default();
        let mut schema_instances: HashMap<&'a str, &'a str> = HashMap::default();
        for item in &items {
            if let Some(class) = item.class() {
                let bases = class.field("superclasses").map(|b| b.text()).unwrap_or("");
                if bases.contains("Schema") && !bases.contains("AutoSchema") {
                    if let Some(name) = item.name {
                        schemas.insert(name, class);
                    }
                }
                continue;
            }
            // x = ns.model("Name", {...}) / x = api.model(...) / x = XSchema()
            let Some(assign) = item.node.first_item().filter(|a| a.is("assignment")) else { continue };
            let (Some(left), Some(right)) = (assign.field("left"), assign.field("right")) else { continue };
            let Some(call) = Call::of(right.unparen()) else { continue };
            if !left.is("identifier") {
                continue;
            }
            if call.method() == Some("model")
                || dotted(call.func).is_some_and(|f| f == "Model" || f.ends_with(".Model"))
            {
                if let Some(d) = call.positional().get(1).copied().filter(|d| d.is("dictionary")) {
                    models.insert(left.text(), d);
                }
            } else if call.func.is("identifier") {
                schema_instances.insert(left.text(), call.func.text());
            }
        }
        if models.is_empty() && schemas.is_empty() {
            return;
        }
        // the routes of the whole module, only when a model or schema is there
        // to be dumped (an editor re-checks without walking every item)
        for item in &items {
            file.index.add_routes(item.node);
        }
        // which models and schemas routes send
        let mut used_models: Vec<&'a str> = Vec::new();
        let mut used_schemas: Vec<&'a str> = Vec::new();
        for item in &items {
            item.node.visit(&mut |n| {
                if n.is("decorator") {
                    if let Some(call) = n.first_item().and_then(Call::of) {
                        if matches!(call.method(), Some("marshal_with" | "marshal_list_with")) {
                            if let Some(m) = call.positional().first() {
                                used_models.push(m.text());
                            }
                        }
                    }
                    return false;
                }
                if let Some(call) = Call::of(n) {
                    if dotted(call.func).is_some_and(|f| f == "marshal" || f.ends_with(".marshal")) {
                        if let Some(m) = call.positional().get(1) {
                            used_models.push(m.text());
                        }
                    }
                    if matches!(call.method(), Some("dump" | "dumps" | "jsonify")) {
                        let recv = call.receiver().map(|r| r.unparen());
                        let class = match recv.and_then(Call::of) {
                            Some(c) => Some(c.func.text()),
                            None => recv.and_then(|r| schema_instances.get(r.text()).copied()),
                        };
                        if let Some(c) = class {
                            used_schemas.push(c);
                        }
                    }
                }
                true
            });
        }
        let mut seen = HashSet::default();
        while let Some(m) = used_models.pop() {
            let Some(dict) = models.get(m).copied() else { continue };
            for pair in dict.items().into_iter().filter(|p| p.is("pair")) {
                let key = pair.field("key").and_then(plain_str);
                let value = pair.field("value");
                // nested models are sent too
                if let Some(nested) = value.and_then(Call::of).and_then(|c| c.positional().first().copied()) {
                    if models.contains_key(nested.text()) && !used_models.contains(&nested.text()) {
                        used_models.push(nested.text());
                    }
                }
                if let Some(k) = key.filter(|k| is_pii_field(k)) {
                    if seen.insert((pair.start(), pair.end())) {
                        cx.report(&META, pair, message(&k, false));
                    }
                }
            }
        }
        while let Some(s) = used_schemas.pop() {
            let Some(class) = schemas.get(s).copied() else { continue };
            let Some(body) = class.field("body") else { continue };
            for stmt in body.items() {
                let Some(assign) = stmt.first_item().filter(|a| a.is("assignment")) else { continue };
                let (Some(left), Some(right)) = (assign.field("left"), assign.field("right")) else { continue };
                let Some(call) = Call::of(right.unparen()) else { continue };
                // fields.Nested(OtherSchema)
                if let Some(nested) = call.positional().first().filter(|a| schemas.contains_key(a.text())) {
                    if !used_schemas.contains(&nested.text()) {
                        used_schemas.push(nested.text());
                    }
                }
                let load_only = call.keyword("load_only").is_some_and(|v| v.is("true"));
                if left.is("identifier")
                    && is_pii_field(left.text())
                    && !load_only
                    && seen.insert((stmt.start(), stmt.end()))
                {
                    cx.report(&META, stmt, message(left.text(), false));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "from flask import Flask, jsonify, render_template\nfrom flask_restx import Namespace, Resource, fields\nfrom marshmallow import Schema, fields as mf\napp = Flask(__name__)\nns = Namespace('x')\n";

    fn route(body: &str) -> String {
        format!("{PRE}@app.route('/x')\ndef view():\n    u = load()\n{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "    return jsonify(id=u.id, ssn=u.ssn)\n",
            "    return {'id': u.id, 'date_of_birth': u.dob}\n",
            "    return jsonify(vars(u))\n",
            "    return jsonify(u.__dict__)\n",
            "    return jsonify([{'id': c.id, 'card_number': c.number} for c in u.cards])\n",
            "    return render_template('p.html', ssn=u.ssn)\n",
            "    return jsonify({c.name: getattr(u, c.name) for c in u.__table__.columns})\n",
            "    data = {'tax_id': u.tax_id}\n    return jsonify(data)\n",
        ] {
            flagged("KL210", &route(body));
        }
        flagged(
            "KL210",
            &format!("{PRE}m = ns.model('U', {{'id': fields.Integer, 'ssn': fields.String}})\n@ns.route('/u')\nclass U(Resource):\n    @ns.marshal_with(m)\n    def get(self):\n        return load()\n"),
        );
        flagged(
            "KL210",
            &format!("{PRE}class US(Schema):\n    id = mf.Int()\n    dob = mf.Date()\nus = US()\n@app.route('/u')\ndef u():\n    return us.dump(load())\n"),
        );
    }

    #[test]
    fn passes() {
        for body in [
            "    return jsonify(id=u.id, ssn_last4=u.ssn[-4:])\n",
            "    return jsonify(id=u.id, email=u.email, name=u.display_name)\n",
            "    return jsonify(has_tax_id=bool(u.tax_id))\n",
            "    return render_template('p.html', user=u)\n",
            "    return jsonify(card=mask_card(u.card_number))\n",
        ] {
            not_flagged("KL210", &route(body));
        }
        // a schema only loaded, a model never marshalled
        not_flagged(
            "KL210",
            &format!("{PRE}class S(Schema):\n    dob = mf.Date(load_only=True)\ns = S()\n@app.route('/u', methods=['POST'])\ndef u():\n    data = s.load(request.json)\n    return jsonify(id=1)\n"),
        );
        not_flagged("KL210", &format!("{PRE}m = ns.model('U', {{'ssn': fields.String}})\n"));
        not_flagged("KL210", &format!("{PRE}def helper(u):\n    return {{'ssn': u.ssn}}\n"));
    }
}
