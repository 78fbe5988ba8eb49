use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::support::sinks::log_sink;
use crate::syntax::{Call, Node};
use crate::taint::{ObjectTaint, Val};

pub(crate) struct SensitiveObjectLogged;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL202",
    name: "sensitive-object-logged",
    summary: "A whole object full of secrets (request headers, the environment, the app config) is logged.",
    severity: Severity::Medium,
    cwe: &[532, 200],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Log the one value you need, or the names only (`sorted(request.headers)`), never the whole object.",
    docs: r#"## What it does
Finds whole objects that hold credentials written to a log, `print()` or
the console: `request.headers` (the caller's `Authorization` header and
cookies), `request.environ` (the WSGI environment, the same headers
included), `request.cookies` (the session cookie), `session`, `app.config`
/ `current_app.config` (`SECRET_KEY` and every configured key) and
`os.environ` (every secret of the process). Copies and renderings count:
`dict(...)`, `str(...)`, `json.dumps(...)`, a comprehension over
`.items()`, an f-string, `%` or `.format` that embeds one, `extra={...}`.

Logging one harmless entry (`request.headers.get("User-Agent")`), the names
only (`sorted(request.headers)`, `.keys()`), a count, or a copy filtered
through an allow-list is not reported. A single secret entry is KL201.

## Why is this bad?
"Log the request headers to debug this" is how bearer tokens, session
cookies and API keys end up in log aggregators, where many more people and
systems can read them than could read the request. Dumping the config or
the environment at start-up writes every secret of the deployment to the
log in one line.

## Example
```python
app.logger.debug("request headers: %s", dict(request.headers))
log.info("config: %s", app.config)
```

## Use instead
```python
app.logger.debug("request headers: %s", sorted(request.headers))
log.info("config keys: %s", sorted(app.config))
```

## Fix safety
Where the logged argument is the object itself (or a `dict(...)` copy of
it), the fix logs its names only, by wrapping it in `sorted(...)`. It is
unsafe: the log line changes from values to names, which someone may rely
on.

## References
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
- [CWE-200: Exposure of Sensitive Information to an Unauthorized Actor](https://cwe.mitre.org/data/definitions/200.html)
- [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
"#,
};

/// "The whole app config is", "All request headers (...) are".
pub(crate) fn object_subject(o: &ObjectTaint) -> String {
    let d = o.kind.describe();
    let mut c = d.chars();
    let cap = c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default();
    format!("{cap} {}", if o.kind.plural() { "are" } else { "is" })
}

impl Rule for SensitiveObjectLogged {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["call"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL201]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        // a test's output is not a deployment's log
        if cx.file().is_test {
            return;
        }
        let Some(call) = Call::of(node) else { return };
        let Some(sink) = log_sink(&call, cx) else { return };
        for (arg, _) in sink.args {
            let Some(object) = cx.val(arg).all_labels().object else { continue };
            let message = format!("{} {}", object_subject(&object), sink.how);
            let fix = names_only_fix(arg, cx);
            cx.report(&META, arg, message).fix(fix);
        }
    }
}

/// `log.info(request.headers)` -> `log.info(sorted(request.headers))`: the
/// names, not the values; only where the argument is the object itself or a
/// `dict(...)` copy (a rendering like `json.dumps(...)` is text already).
fn names_only_fix<'a>(arg: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<Fix> {
    let whole = match cx.val(arg) {
        Val::Mapping(kind, _) => kind.is_sensitive(),
        _ => false,
    };
    if !whole || arg.is("keyword_argument") {
        return None;
    }
    Some(Fix::new(
        "Log the names only (`sorted(...)`)",
        Applicability::Unsafe,
        vec![Edit::insert(arg.start(), "sorted("), Edit::insert(arg.end(), ")")],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import json, logging, os\nfrom flask import Flask, request, current_app, session\nlog = logging.getLogger(__name__)\napp = Flask(__name__)\n";

    fn with_pre(body: &str) -> String {
        format!("{PRE}{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "log.info(request.headers)\n",
            "log.debug('headers %s', dict(request.headers))\n",
            "app.logger.info(f'env: {os.environ}')\n",
            "print(json.dumps(dict(app.config)))\n",
            "current_app.logger.warning('cookies=%s', request.cookies)\n",
            "log.info('environ %s', request.environ)\n",
            "log.info('session %s', dict(session))\n",
            "log.info('cfg', extra={'cfg': dict(current_app.config)})\n",
            "log.info({k: v for k, v in request.headers.items()})\n",
            "log.info('x ' + str(os.environ))\n",
        ] {
            flagged("KL202", &with_pre(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "log.info(sorted(request.headers))\n",
            "log.info('ua %s', request.headers.get('User-Agent'))\n",
            "log.info('keys %s', list(app.config.keys()))\n",
            "log.info('n=%d', len(os.environ))\n",
            "log.info({k: v for k, v in app.config.items() if k in PUBLIC})\n",
            "log.info(request.get_json())\n",
            "log.info(request.args)\n",
            "log.info('has auth: %s', 'Authorization' in request.headers)\n",
        ] {
            not_flagged("KL202", &with_pre(body));
        }
        // a secret entry alone is KL201's
        not_flagged("KL202", &with_pre("log.info(os.environ['API_KEY'])\n"));
    }

    #[test]
    fn fixes() {
        assert_fix("KL202", &with_pre("log.info(request.headers)\n"), &with_pre("log.info(sorted(request.headers))\n"));
        assert_fix(
            "KL202",
            &with_pre("log.info('h %s', dict(request.headers))\n"),
            &with_pre("log.info('h %s', sorted(dict(request.headers)))\n"),
        );
    }

    #[test]
    fn one_finding_for_object_and_secret() {
        let d = crate::rules::testing::check_path(
            &with_pre("log.info(dict(os.environ, PGPASSWORD=os.environ['DB_PASSWORD']))\n"),
            "app.py",
        );
        let codes: Vec<&str> = d.iter().map(|d| d.code).collect();
        assert!(codes.contains(&"KL202") && !codes.contains(&"KL201"), "{codes:?}");
    }
}
