use super::{Code, Ctx, Rule};
use crate::diagnostic::{FixAvailability, RuleMeta, Severity, Span};
use crate::fix::{Applicability, Edit, Fix};
use crate::rules::key_in_query_parameter::header_name;
use crate::rules::secret_in_client_storage::is_app_secret;
use crate::rules::secret_logged::reportable_secret;
use crate::rules::support::sinks::{http_call, looks_like_url};
use crate::syntax::{dotted, plain_str, string_lit, Call, Node};
use crate::taint::{Origin, Taint, Val};

pub(crate) struct SecretInUrl;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "KL205",
    name: "secret-in-url",
    summary: "A secret is put into a URL (a query string, a path, a redirect).",
    severity: Severity::High,
    cwe: &[598, 522],
    fix: FixAvailability::Sometimes,
    default_enabled: true,
    remediation: "Send credentials in a header (`Authorization`, `X-API-Key`) or the request body, never in the URL.",
    docs: r#"## What it does
Finds secrets entering a URL, reported where they enter it: an f-string,
`+`, `%` or `.format` that builds a URL (`https://...`, a URL-named base
such as `f"{BASE_URL}/..."`, or a path with a query string) around a
secret; a `params=` entry of a `requests`, `httpx` or `aiohttp` call; a
session's default `params`; and `url_for(..., key=...)` with the app's own
secret. The secret may be the app's own, the caller's credential copied
upstream, or a user's token.

Secrets sent in headers, `data=`, `json=` or `auth=`, a fresh token in an
emailed link (`url_for("reset", token=...)`), OAuth `client_id`, `state`
and `code`, HMAC signatures, and a webhook URL used as it is are not
reported.

## Why is this bad?
URLs are written down everywhere: web server and proxy access logs, load
balancer logs, browser history, the `Referer` header sent to other sites,
analytics, and error reports that include the failing URL. A key in a URL
is a key in all of them. Redirecting a browser to a URL with the app's
secret in it hands the secret to the user.

## Example
```python
requests.get(f"{BASE_URL}/rates?api_key={API_KEY}")
requests.get(BASE_URL, params={"api_key": API_KEY})
```

## Use instead
```python
requests.get(f"{BASE_URL}/rates", headers={"X-API-Key": API_KEY})
```

## Fix safety
For a `params=` entry, the fix moves the key into the call's `headers=`
(creating it if needed), under `X-API-Key` for API keys and `X-<Name>`
otherwise. It is unsafe: the server must accept the key in that header,
and its name depends on the API; check its documentation.

## References
- [CWE-598: Use of GET Request Method With Sensitive Query Strings](https://cwe.mitre.org/data/definitions/598.html)
- [CWE-522: Insufficiently Protected Credentials](https://cwe.mitre.org/data/definitions/522.html)
- [OWASP: Information exposure through query strings in URL](https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url)
"#,
};

/// A secret that must not go into a URL: any but a fresh token (an emailed
/// link is its purpose) or a digest.
fn url_secret<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<Taint> {
    reportable_secret(n, cx).filter(|t| !matches!(t.origin, Origin::Generated | Origin::Digest))
}

/// The literal text and the embedded expressions of a string-building
/// expression: an f-string, `+` chain, `"..." % args`, `"...".format(...)`.
/// The first embedded expression comes first when it leads the string.
fn parts<'a>(n: Node<'a>) -> Option<(String, Vec<Node<'a>>, bool)> {
    match n.kind() {
        "string" => {
            let lit = string_lit(n).filter(|l| l.is_fstring)?;
            let mut exprs = Vec::new();
            let mut leads = None;
            for c in n.all_children() {
                match c.kind() {
                    "interpolation" => {
                        leads.get_or_insert(true);
                        if let Some(e) = c.field("expression").or_else(|| c.first_item()) {
                            exprs.push(e);
                        }
                    }
                    "string_content" | "escape_sequence" => {
                        leads.get_or_insert(false);
                    }
                    _ => {}
                }
            }
            Some((lit.value, exprs, leads.unwrap_or(false)))
        }
        "binary_operator" => {
            let op = n.field("operator").map(|o| o.text()).unwrap_or("");
            match op {
                "%" => {
                    let left = n.field("left")?;
                    let fmt = plain_str(left)?;
                    let right = n.field("right")?.unparen();
                    let args = if right.is("tuple") { right.items() } else { vec![right] };
                    Some((fmt.clone(), args, fmt.starts_with("%s")))
                }
                "+" => {
                    let mut operands = Vec::new();
                    let mut cur = n;
                    while cur.unparen().is("binary_operator")
                        && cur.unparen().field("operator").is_some_and(|o| o.text() == "+")
                    {
                        let c = cur.unparen();
                        operands.extend(c.field("right"));
                        cur = c.field("left")?;
                    }
                    operands.push(cur);
                    operands.reverse();
                    let mut text = String::new();
                    let mut exprs = Vec::new();
                    for o in &operands {
                        match plain_str(*o) {
                            Some(s) => text.push_str(&s),
                            None => exprs.push(*o),
                        }
                    }
                    let leads = plain_str(operands[0]).is_none();
                    Some((text, exprs, leads))
                }
                _ => None,
            }
        }
        "call" => {
            let call = Call::of(n)?;
            if call.method() != Some("format") {
                return None;
            }
            let fmt = plain_str(call.receiver()?)?;
            let args: Vec<Node<'a>> = call.args.iter().map(|a| a.field("value").unwrap_or(*a)).collect();
            Some((fmt.clone(), args, fmt.starts_with("{")))
        }
        _ => None,
    }
}

/// Is this text (with its leading expression) a URL: a scheme, a URL-named
/// base, or a path with a query string?
fn is_url(text: &str, first: Option<Node<'_>>, leads: bool) -> bool {
    let t = text.to_ascii_lowercase();
    if ["http://", "https://", "ws://", "wss://", "ftp://"].iter().any(|s| t.contains(s)) {
        return true;
    }
    let query = t.contains('?') && t.contains('=');
    if leads && first.is_some_and(looks_like_url) {
        return t.contains('/') || query;
    }
    t.starts_with('/') && query
}

impl Rule for SecretInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn kinds(&self) -> &'static [&'static str] {
        &["string", "binary_operator", "call", "assignment"]
    }
    fn supersedes(&self) -> &'static [Code] {
        &[Code::KL203, Code::KL201]
    }
    fn check<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        if cx.file().is_test {
            return;
        }
        if node.is("assignment") {
            return self.session_params(node, cx);
        }
        if node.is("call") {
            self.call(node, cx);
        }
        // only the outermost part of a `+` / `%` chain
        if node.is("binary_operator") && cx.parent().is_some_and(|p| p.is("binary_operator")) {
            return;
        }
        let Some((text, exprs, leads)) = parts(node) else { return };
        if !is_url(&text, exprs.first().copied(), leads) {
            return;
        }
        // the secret is in what follows the base: a secret base URL (a
        // webhook) used as it is is not put in a URL
        let skip = usize::from(leads && exprs.first().copied().is_some_and(looks_like_url));
        let Some(t) = exprs.iter().skip(skip).find_map(|e| url_secret(*e, cx)) else { return };
        let message = format!("{} is put into a URL, which servers, proxies and browsers record", t.subject());
        cx.report(&META, node, message).source(&t);
    }
}

impl SecretInUrl {
    /// `requests.get(url, params={"api_key": KEY})`, `url_for(..., key=SECRET)`.
    fn call<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let Some(call) = Call::of(node) else { return };
        if let Some(http) = http_call(&call, cx) {
            let Some(params) = http.params else { return };
            let entries = params_entries(params);
            if entries.is_empty() {
                // a params variable holding a secret
                if let Some(t) = url_secret(params, cx) {
                    let at = call.args.iter().copied().find(|a| a.field("value") == Some(params)).unwrap_or(params);
                    let message = format!("{} is put into the URL's query string", t.subject());
                    cx.report(&META, at, message).source(&t);
                }
                return;
            }
            for (entry, key, value) in entries {
                let Some(t) = url_secret(value, cx) else { continue };
                let fix = move_to_header(&call, http.headers, params, entry, key.as_deref(), value);
                let message = format!("{} is put into the URL's query string", t.subject());
                cx.report(&META, entry, message).source(&t).fix(fix);
            }
            return;
        }
        let q = cx.canonical(call.func).unwrap_or_default();
        if q == "url_for" || q.ends_with(".url_for") {
            for (name, value) in call.keywords() {
                if name.starts_with('_') {
                    continue;
                }
                let Some(t) = cx.taint(value).filter(is_app_secret) else { continue };
                let at = call.args.iter().copied().find(|a| a.field("value") == Some(value)).unwrap_or(value);
                let message = format!("{} is put into a URL built with `url_for`", t.subject());
                cx.report(&META, at, message).source(&t);
            }
        }
    }

    /// `session.params = {"auth_token": TOKEN}`: every request's URL.
    fn session_params<'a>(&self, node: Node<'a>, cx: &mut Ctx<'_, 'a, '_>) {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else { return };
        if !left.is("attribute") || left.field("attribute").is_none_or(|a| a.text() != "params") {
            return;
        }
        let Some(obj) = left.field("object") else { return };
        let client = matches!(cx.val(obj), Val::HttpClient)
            || dotted(obj).is_some_and(|d| {
                d.to_ascii_lowercase().contains("session") || d.to_ascii_lowercase().contains("client")
            });
        if !client {
            return;
        }
        for (entry, _, value) in params_entries(right) {
            if let Some(t) = url_secret(value, cx) {
                let message = format!("{} is put into the query string of every request of this session", t.subject());
                cx.report(&META, entry, message).source(&t);
            }
        }
    }
}

/// The entries of a `params` dict literal or `dict(...)` call: (the entry,
/// its key, its value).
fn params_entries(params: Node<'_>) -> Vec<(Node<'_>, Option<String>, Node<'_>)> {
    let p = params.unparen();
    if p.is("dictionary") {
        return p
            .items()
            .into_iter()
            .filter(|e| e.is("pair"))
            .filter_map(|e| Some((e, e.field("key").and_then(plain_str), e.field("value")?)))
            .collect();
    }
    if let Some(call) = Call::of(p).filter(|c| c.func.text() == "dict") {
        return call
            .args
            .iter()
            .filter(|a| a.is("keyword_argument"))
            .filter_map(|a| Some((*a, a.field("name").map(|n| n.text().to_string()), a.field("value")?)))
            .collect();
    }
    vec![]
}

/// Move a `params` entry into the call's `headers=`.
fn move_to_header<'a>(
    call: &Call<'a>,
    headers: Option<Node<'a>>,
    params: Node<'a>,
    entry: Node<'a>,
    key: Option<&str>,
    value: Node<'a>,
) -> Option<Fix> {
    let key = key?;
    let header = header_name(key);
    let dict = params.unparen();
    if !dict.is("dictionary") {
        return None;
    }
    // the entry and one comma next to it
    let children = dict.all_children();
    let i = children.iter().position(|c| *c == entry)?;
    let removal = match (children.get(i + 1), children.get(i.wrapping_sub(1))) {
        (Some(comma), _) if comma.is(",") => {
            let end = children.get(i + 2).filter(|n| !n.is("}")).map_or(comma.end(), |n| n.start());
            Span { start: entry.start(), end }
        }
        (_, Some(comma)) if comma.is(",") => Span { start: comma.start(), end: entry.end() },
        _ => Span { start: entry.start(), end: entry.end() },
    };
    let new_entry = format!("\"{header}\": {}", value.text());
    let add = match headers.map(|h| h.unparen()) {
        Some(h) if h.is("dictionary") => {
            let sep = if h.items().is_empty() { "" } else { ", " };
            Edit::insert(h.start() + 1, format!("{new_entry}{sep}"))
        }
        Some(_) => return None,
        None => {
            let kw = call.args.iter().copied().find(|a| a.field("value") == Some(params))?;
            Edit::insert(kw.end(), format!(", headers={{{new_entry}}}"))
        }
    };
    Some(Fix::new(
        format!("Send `{key}` in the `{header}` header instead (check the API's documentation)"),
        Applicability::Unsafe,
        vec![Edit::replace(removal, ""), add],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_fix, flagged, not_flagged};

    const PRE: &str = "import os, requests, httpx, secrets\nfrom flask import Flask, redirect, url_for, request\napp = Flask(__name__)\nBASE_URL = 'https://api.example.com'\nAPI_KEY = os.environ['API_KEY']\n";

    fn with_pre(body: &str) -> String {
        format!("{PRE}{body}")
    }

    #[test]
    fn flags() {
        for body in [
            "requests.get(f'https://api.example.com/v1/rates?api_key={API_KEY}')\n",
            "requests.get(f'{BASE_URL}/rates?key={API_KEY}')\n",
            "requests.get(BASE_URL + '/rates?key=' + API_KEY)\n",
            "requests.get('%s/rates?api_key=%s' % (BASE_URL, API_KEY))\n",
            "requests.get('{}/rates?key={}'.format(BASE_URL, API_KEY))\n",
            "requests.get(BASE_URL, params={'api_key': API_KEY})\n",
            "httpx.post(BASE_URL, params=dict(token=API_KEY), timeout=5)\n",
            "TG = f'https://api.telegram.org/bot{os.environ[\"TELEGRAM_TOKEN\"]}/sendMessage'\n",
            "s = requests.Session()\ns.params = {'auth_token': API_KEY}\n",
            "@app.route('/go')\ndef go():\n    return redirect(f'/callback?token={API_KEY}')\n",
            "@app.route('/hook')\ndef hook():\n    return url_for('receive', secret=API_KEY, _external=True)\n",
            "@app.route('/proxy')\ndef proxy():\n    return requests.get(BASE_URL, params={'key': request.headers['X-API-Key']}).text\n",
        ] {
            flagged("KL205", &with_pre(body));
        }
    }

    #[test]
    fn passes() {
        for body in [
            "requests.get(f'{BASE_URL}/rates', headers={'X-API-Key': API_KEY})\n",
            "requests.post(BASE_URL, json={'api_key': API_KEY})\n",
            "requests.get(BASE_URL, params={'page': 2})\n",
            "requests.get(BASE_URL, auth=('svc', API_KEY))\n",
            "DSN = f'postgresql://app:{os.environ[\"DB_PASSWORD\"]}@db/app'\n",
            "requests.post(os.environ['SLACK_WEBHOOK_URL'], json={'text': 'hi'})\n",
            "link = url_for('reset', token=secrets.token_urlsafe(), _external=True)\n",
            "requests.get(f'{BASE_URL}/oauth?client_id={CLIENT_ID}&state={state}')\n",
            "msg = f'Bearer {API_KEY}'\n",
            "session.get('api_key')\n",
        ] {
            not_flagged("KL205", &with_pre(body));
        }
    }

    #[test]
    fn fixes() {
        assert_fix(
            "KL205",
            &with_pre("requests.get(BASE_URL, params={'api_key': API_KEY, 'page': 2})\n"),
            &with_pre("requests.get(BASE_URL, params={'page': 2}, headers={\"X-API-Key\": API_KEY})\n"),
        );
        assert_fix(
            "KL205",
            &with_pre("requests.get(BASE_URL, params={'page': 2, 'token': API_KEY}, headers={'Accept': 'a'})\n"),
            &with_pre("requests.get(BASE_URL, params={'page': 2}, headers={\"X-Token\": API_KEY, 'Accept': 'a'})\n"),
        );
    }
}
