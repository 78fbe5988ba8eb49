use super::{Ctx, Hook, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::rules::support::routes::{checked_view, full_url, is_guarded, segment_words};
use crate::syntax::Node;

pub(crate) struct UnauthenticatedAdminRoute;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL403",
    name: "unauthenticated-admin-route",
    summary: "An admin, internal, debug or configuration route that no authentication guards.",
    severity: Severity::High,
    cwe: &[306, 284],
    fix: FixAvailability::None,
    default_enabled: true,
    remediation: "Require authentication: a guard decorator (`@login_required`, `@roles_required(\"admin\")`), a `before_request` hook on the blueprint that rejects anonymous requests, or an explicit check that aborts with 401/403.",
    docs: r#"## What it does
Reports a route whose URL, with its blueprint prefix, has an administrative
segment (`admin`, `internal`, `debug`, `config`, `env`, `keys`, `secrets`,
`manage`) when no authentication applies to it. A route counts as guarded
when:

- a decorator below the route decorator requires authentication: named for
  it (`login_required`, `jwt_required`, `roles_required`,
  `token_auth.login_required`, `admin_required`...) or a decorator of the
  project whose wrapper aborts with 401/403 or redirects to a login page;
  a view class's `decorators` / `method_decorators` count too;
- a `before_request` hook of its blueprint or of the app the blueprint is
  registered on rejects requests (aborts, returns 401/403, redirects to
  login);
- the function itself starts with a check that aborts or returns 401/403.

The prefix is the one `register_blueprint(..., url_prefix=...)` gives,
also in another module of the project (the CLI reads every file first),
else the `Blueprint(...)` constructor's. A guard decorator placed *above*
the route decorator does not count: Flask registered the unwrapped
function.

## Why is this bad?
Admin and internal endpoints expose configuration, keys, job queues and
user management. Left open, anyone who finds the URL (they are easy to
guess) can read secrets or act as an operator.

## Example
```python
ops = Blueprint("ops", __name__, url_prefix="/internal")

@ops.get("/config")
def show_config():
    return jsonify(app.config["FEATURE_FLAGS"])
```

## Use instead
```python
@ops.get("/config")
@login_required
@roles_required("admin")
def show_config():
    return jsonify(app.config["FEATURE_FLAGS"])
```

## References
- [CWE-306: Missing Authentication for Critical Function](https://cwe.mitre.org/data/definitions/306.html)
- [CWE-284: Improper Access Control](https://cwe.mitre.org/data/definitions/284.html)
- [Flask-Login: Protecting Views](https://flask-login.readthedocs.io/en/latest/#protecting-views)
"#,
};

const ADMIN_WORDS: &[&str] = &["admin", "internal", "debug", "config", "env", "keys", "secrets", "manage"];

impl Rule for UnauthenticatedAdminRoute {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn hooks(&self) -> &'static [Hook] {
        &[Hook::Function]
    }
    fn check_function<'a>(&self, def: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some((route, name)) = checked_view(def, cx) else { return };
        let (Some(url), prefix_from) = full_url(&route, cx) else { return };
        let words = segment_words(&url);
        let Some(word) = ADMIN_WORDS.iter().find(|w| words.iter().any(|x| x == *w)) else { return };
        // a route that checks a presented credential itself (a login page,
        // a key check) is how callers authenticate, not an open admin page
        if is_guarded(&route, def, cx) || crate::rules::missing_rate_limit::verifies(def, cx).is_some() {
            return;
        }
        let message = format!(
            "`{url}` is an {} route that no authentication guards: no login decorator, no rejecting `before_request` hook, no check in the view",
            if *word == "admin" || *word == "manage" { "admin" } else { "internal" }
        );
        let d = cx.report(&META, name, message);
        d.related.extend(prefix_from);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{flagged, not_flagged};

    const PRE: &str = "from flask import Flask, Blueprint, abort, jsonify\nfrom flask_login import login_required, current_user\napp = Flask(__name__)\nbp = Blueprint('ops', __name__, url_prefix='/internal')\n";

    #[test]
    fn flags() {
        for body in [
            "@app.get('/admin/users')\ndef users():\n    return jsonify([])\n",
            "@bp.get('/metrics')\ndef metrics():\n    return jsonify({})\n",
            "@app.route('/debug/env')\ndef env():\n    return jsonify({})\n",
            "@app.post('/_internal/warmup')\ndef warmup():\n    return ''\n",
            // a guard above the route decorator wraps a function Flask never calls
            "@login_required\n@app.get('/admin')\ndef admin():\n    return ''\n",
            // a hook that checks nothing
            "@bp.before_request\ndef timer():\n    g.t = 1\n@bp.get('/queues')\ndef queues():\n    return ''\n",
        ] {
            flagged("KL403", &format!("{PRE}{body}"));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "@app.get('/admin/users')\n@login_required\ndef users():\n    return jsonify([])\n",
            "@bp.before_request\ndef guard():\n    if not current_user.is_authenticated:\n        abort(401)\n@bp.get('/metrics')\ndef metrics():\n    return ''\n",
            "@app.get('/admin/x')\ndef x():\n    if not current_user.is_admin:\n        abort(403)\n    return ''\n",
            "@app.get('/sports/badminton')\ndef badminton():\n    return ''\n",
            "@app.get('/help/keyboard-shortcuts')\ndef keyboard():\n    return ''\n",
            "@app.get('/files/<path:config>')\ndef files(config):\n    return ''\n",
            "@app.get('/healthz')\ndef healthz():\n    return ''\n",
            // an authorization helper that raises
            "@app.get('/admin/members')\ndef members():\n    try:\n        check_access('group_edit', ctx)\n    except NotAuthorized:\n        return abort(403)\n    return ''\n",
            "from fastapi import APIRouter\nrouter = APIRouter()\n@router.get('/keys')\ndef keys():\n    return []\n",
            // the login page of the admin area is open by design
            "@app.post('/admin/login')\ndef admin_login():\n    if not check_password_hash(u.pw, request.form['pw']):\n        abort(401)\n    return ''\n",
            "def staff_only(view):\n    def wrapper(*a):\n        if not current_user.is_staff:\n            abort(403)\n        return view(*a)\n    return wrapper\n@app.get('/manage')\n@staff_only\ndef manage():\n    return ''\n",
        ] {
            not_flagged("KL403", &format!("{PRE}{body}"));
        }
    }
}
