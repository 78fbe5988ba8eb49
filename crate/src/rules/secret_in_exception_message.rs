use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity};
use crate::fix::{Applicability, Fix};
use crate::rules::secret_logged::reportable_secret;
use crate::rules::support::mask::{mask_edits, FormatSlot};
use crate::rules::support::sinks::maker;
use crate::syntax::{Call, Node};
use crate::taint::Origin;

pub(crate) struct SecretInExceptionMessage;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL206",
    name: "secret-in-exception-message",
    summary: "A secret is put into an exception's message.",
    severity: Severity::Medium,
    cwe: &[209, 532],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Say which credential failed (its name, a masked suffix), never its value.",
    docs: r#"## What it does
Finds secrets in the arguments of a `raise`: `raise ValueError(f"bad key
{api_key}")`, `raise AuthError(token)`, a secret in `%`, `.format` or `+`,
in a headers dict or a URL handed to the exception, and Werkzeug's
`Unauthorized(description=...)`. Outside routes it also covers
`abort(..., description=...)` (in a route that is KL203: the client sees it).

Names of keys, masked suffixes (`key[-4:]`), lengths, the auth scheme and
ids are not reported.

## Why is this bad?
Exception messages travel further than the code that raises them: into
logs and tracebacks, error trackers such as Sentry, CI output, support
tickets, and through a generic error handler back to the client. A key in
the message is a key in all of those places.

## Example
```python
if not resp.ok:
    raise RuntimeError(f"Stripe call with {STRIPE_KEY} failed")
```

## Use instead
```python
if not resp.ok:
    raise RuntimeError(f"Stripe call with key ending {STRIPE_KEY[-4:]} failed")
```

## Fix safety
The fix masks the secret in the message (`str(secret)[:4] + "..."`), as for
KL201. It is safe where the value is formatted as text, and unsafe where a
`%d`-style format or the type of a `+` could change.

## References
- [CWE-209: Generation of Error Message Containing Sensitive Information](https://cwe.mitre.org/data/definitions/209.html)
- [CWE-532: Insertion of Sensitive Information into Log File](https://cwe.mitre.org/data/definitions/532.html)
"#,
};

impl Rule for SecretInExceptionMessage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["raise_statement", "call"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL201, Code::KL203]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let args: Vec<Node<'a>> = if node.is("raise_statement") {
            // `raise X(...) from exc`: the message is in X's arguments
            let Some(raised) = node.first_item().filter(|n| !n.is("comment")) else { return };
            match Call::of(raised.unparen()) {
                Some(c) => c.args.iter().map(|a| a.field("value").unwrap_or(*a)).collect(),
                None => return,
            }
        } else {
            // abort() outside a route: raised to whoever called the helper
            let Some(call) = Call::of(node) else { return };
            if cx.route().is_some() || maker(&call, cx) != Some("abort") {
                return;
            }
            call.keyword("description").into_iter().chain(call.positional().get(1).copied()).collect()
        };
        for arg in args {
            let Some(t) = reportable_secret(arg, cx) else { continue };
            // known only by a name like `token_value`: a lexer's or a
            // paginator's token, which exception messages quote all the time
            if t.origin == Origin::Named && t.name.as_deref().is_some_and(crate::secrets::is_weak_token_name) {
                continue;
            }
            let fix = mask_edits(arg, FormatSlot::Text, cx)
                .map(|(edits, applicability)| Fix::new("Mask the secret in the message", applicability, edits));
            let fix = fix.map(|mut f| {
                // the exception's own signature may not take a str here
                if !matches!(arg.kind(), "string" | "binary_operator" | "call" | "concatenated_string") {
                    f.applicability = Applicability::Unsafe;
                }
                f
            });
            let message = format!("{} is put into an exception's message", t.subject());
            cx.report(&META, arg, message).source(&t).fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import os\nfrom flask import abort, request\nfrom werkzeug.exceptions import Unauthorized\nKEY = os.environ['STRIPE_KEY']\n";

    fn with_pre(body: &str) -> String {
        format!("{PRE}{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "raise RuntimeError(f'call with {KEY} failed')\n",
            "raise ValueError('bad key %s' % KEY)\n",
            "raise ValueError('bad key {}'.format(KEY))\n",
            "raise ValueError('bad key ' + KEY)\n",
            "def f(api_key):\n    raise AuthError(api_key)\n",
            "def f():\n    raise Unauthorized(description=f'expected {KEY}')\n",
            "def f():\n    raise RuntimeError(f'auth {request.headers.get(\"Authorization\")} rejected') from None\n",
            "def helper():\n    abort(401, description=f'key {KEY} expired')\n",
        ] {
            flagged("KL206", &with_pre(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "raise RuntimeError(f'call with key ending {KEY[-4:]} failed')\n",
            "raise RuntimeError('STRIPE_KEY is not set')\n",
            "raise RuntimeError(f'key has {len(KEY)} characters')\n",
            "def f(user_id):\n    raise LookupError(f'no user {user_id}')\n",
            "def f(token):\n    if token.expired:\n        raise ValueError(f'token for {token.user} expired')\n",
            "def f(encoded_token):\n    raise ValueError(f'bad page token {encoded_token}')\n",
        ] {
            not_flagged("KL206", &with_pre(body));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL206",
            &with_pre("raise RuntimeError(f'call with {KEY} failed')\n"),
            &with_pre("raise RuntimeError(f'call with {str(KEY)[:4]}... failed')\n"),
        );
    }
}
