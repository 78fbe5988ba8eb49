//! Where values leak, recognised once for every rule: log calls, responses,
//! outbound HTTP requests, file writes, client-side storage. The names they
//! match are the sink tables of `taint/vocab.rs`.

use crate::rules::support::mask::{percent_slots, FormatSlot};
use crate::rules::Ctx;
use crate::syntax::{dotted, plain_str, string_lit, Call, Node};
use crate::taint::vocab::{
    CONSOLE_WRITES, DUMPS_TO_FILE, FILE_WRITE_METHODS, HTTP_METHODS, HTTP_MODULES, LOG_METHODS, RESPONSE_MAKERS,
};
use crate::taint::Val;

// ---------- logs ----------

/// A call that writes its arguments to a log or the console.
pub(crate) struct LogSink<'a> {
    /// "written to the log", "printed", "written to the console".
    pub how: &'static str,
    /// The logged arguments, and how each is formatted.
    pub args: Vec<(Node<'a>, FormatSlot)>,
}

/// Is `recv` a logger: `log`, `app.logger`, `logging`, a name bound to
/// `getLogger(...)` (or to another logger), `logging.getLogger().info`?
fn is_logger<'a>(recv: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    if let Some(call) = Call::of(recv.unparen()) {
        let q = cx.canonical(call.func).unwrap_or_default();
        let last = q.rsplit('.').next().unwrap_or(&q);
        return matches!(last, "getLogger" | "get_logger" | "getChild" | "get_task_logger");
    }
    cx.file().index.is_logger(recv) || dotted(recv).is_some_and(|d| d.ends_with(".logger") || d == "logger")
}

pub(crate) fn log_sink<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<LogSink<'a>> {
    let q = cx.canonical(call.func).unwrap_or_default();
    let how = if q == "print" || q == "builtins.print" || q == "pprint.pprint" || q == "pprint" {
        // print(..., file=fh) writes to that file instead
        if call.keyword("file").is_some_and(|f| !matches!(dotted(f).as_deref(), Some("sys.stderr" | "sys.stdout"))) {
            return None;
        }
        "printed"
    } else if CONSOLE_WRITES.contains(&q.as_str()) {
        "written to the console"
    } else {
        let method = call.method()?;
        if !LOG_METHODS.contains(&method) {
            return None;
        }
        let recv = call.receiver()?;
        if !(q.starts_with("logging.") || is_logger(recv, cx)) {
            return None;
        }
        "written to the log"
    };
    // `*args` too: a secret list spread into the call is logged
    let mut args: Vec<Node<'a>> =
        call.args.iter().copied().filter(|a| !matches!(a.kind(), "keyword_argument" | "dictionary_splat")).collect();
    if call.method() == Some("log") && !args.is_empty() {
        args.remove(0); // the level
    }
    // how each argument is formatted: print() and the message itself as
    // text, `%` arguments of a log call by the message's conversions
    let message_slots = args.first().and_then(|m| plain_str(*m)).map(|m| percent_slots(&m));
    let mut slotted: Vec<(Node<'a>, FormatSlot)> = args
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let slot = if i == 0 || how != "written to the log" {
                FormatSlot::Text
            } else {
                message_slots.as_ref().and_then(|s| s.positional.get(i - 1).copied()).unwrap_or(FormatSlot::Unknown)
            };
            (*a, slot)
        })
        .collect();
    for (name, value) in call.keywords() {
        if matches!(name, "msg" | "extra" | "args") {
            slotted.push((value, FormatSlot::Text));
        }
    }
    Some(LogSink { how, args: slotted })
}

// ---------- responses ----------

/// Something a route sends to the client.
pub(crate) struct ResponseSink<'a> {
    /// Where a finding about it is reported.
    pub at: Node<'a>,
    /// The values sent.
    pub values: Vec<Node<'a>>,
}

/// `jsonify`, `make_response`... when it is Flask's (or not imported at all),
/// and flask-restx's `ns.abort` / `api.abort`.
pub(crate) fn maker<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<&'static str> {
    let q = cx.canonical(call.func)?;
    if q.starts_with("local:") {
        return None;
    }
    let last = q.rsplit('.').next().unwrap_or(&q);
    let m = RESPONSE_MAKERS.iter().find(|m| **m == last)?;
    let from_lib = q.starts_with("flask") || q.starts_with("werkzeug") || q.starts_with("quart") || !q.contains('.');
    // `ns.abort(404, "...")`, `api.abort(...)` of flask-restx / flask-smorest
    let restx_abort = *m == "abort"
        && call.receiver().and_then(dotted).is_some_and(|r| {
            let r = r.rsplit('.').next().unwrap_or(&r).to_string();
            matches!(r.as_str(), "ns" | "api" | "namespace" | "blp") || r.ends_with("_ns") || r.ends_with("_api")
        });
    (from_lib || restx_abort).then_some(*m)
}

fn is_response_headers(n: Node<'_>, cx: &Ctx<'_, '_, '_>) -> bool {
    let Some(d) = dotted(n) else { return false };
    d.ends_with(".headers") && !d.starts_with("request.") && cx.canonical(n).is_none_or(|c| !c.starts_with("request."))
}

/// The response that `node` (a call, return or assignment in a route)
/// makes, if it makes one.
pub(crate) fn response_sink<'a>(node: Node<'a>, cx: &Ctx<'_, 'a, '_>, after_request: bool) -> Option<ResponseSink<'a>> {
    match node.kind() {
        "call" => {
            let call = Call::of(node)?;
            let values = match maker(&call, cx) {
                Some("abort") => {
                    let pos = call.positional();
                    call.keyword("description").into_iter().chain(pos.get(1).copied()).collect()
                }
                Some(_) => call.args.clone(),
                None => {
                    // resp.headers.set("X-Key", secret)
                    let is_header_set =
                        matches!(call.method(), Some("set" | "add" | "setdefault" | "extend" | "update"))
                            && call.receiver().is_some_and(|r| is_response_headers(r, cx));
                    if !is_header_set {
                        return None;
                    }
                    call.args.clone()
                }
            };
            Some(ResponseSink { at: node, values })
        }
        "return_statement" if !after_request => {
            let value = node.first_item()?.unparen();
            // `return jsonify(...)` is reported at the call
            if Call::of(value).is_some_and(|c| maker(&c, cx).is_some()) {
                return None;
            }
            let parts = if matches!(value.kind(), "expression_list" | "tuple") { value.items() } else { vec![value] };
            let parts: Vec<Node<'a>> =
                parts.into_iter().filter(|p| Call::of(p.unparen()).is_none_or(|c| maker(&c, cx).is_none())).collect();
            let at = if parts.len() == 1 { parts[0] } else { value };
            Some(ResponseSink { at, values: parts })
        }
        "assignment" => {
            let left = node.field("left")?;
            if !left.is("subscript") || !left.field("value").is_some_and(|v| is_response_headers(v, cx)) {
                return None;
            }
            let right = node.field("right")?;
            // a header name is not a secret; its value is
            if plain_str(right).is_some() && cx.taint(right).is_none() {
                return None;
            }
            Some(ResponseSink { at: node, values: vec![right] })
        }
        _ => None,
    }
}

// ---------- outbound HTTP ----------

/// An outbound HTTP request: where its URL, query parameters, headers and
/// TLS verification are.
#[allow(dead_code)] // url, verify and args are read by the transport rule (cleartext-transport)
pub(crate) struct HttpCall<'a> {
    pub url: Option<Node<'a>>,
    pub params: Option<Node<'a>>,
    pub headers: Option<Node<'a>>,
    pub verify: Option<Node<'a>>,
    /// The call carries a credential in its headers, `auth=`, body or URL.
    pub args: Vec<Node<'a>>,
}

/// Does `n` look like a URL: a literal or f-string that starts with a
/// scheme or a path, or a name that says it holds one?
pub(crate) fn looks_like_url(n: Node<'_>) -> bool {
    let n = n.unparen();
    if let Some(lit) = string_lit(n) {
        let v = lit.value.trim_start().to_ascii_lowercase();
        return ["http://", "https://", "ws://", "wss://", "/"].iter().any(|p| v.starts_with(p))
            || (lit.is_fstring && url_name_in_fstring(n));
    }
    match n.kind() {
        "identifier" | "attribute" => {
            let last = n.field("attribute").map_or(n.text(), |a| a.text()).to_ascii_lowercase();
            last.contains("url") || last.contains("uri") || last.contains("endpoint")
        }
        "binary_operator" => n.field("left").is_some_and(looks_like_url),
        "call" => Call::of(n).is_some_and(|c| {
            matches!(c.method(), Some("format" | "join")) && c.receiver().is_some_and(looks_like_url)
                || dotted(c.func).is_some_and(|f| f.ends_with("urljoin") || f.ends_with("url_for"))
        }),
        _ => false,
    }
}

/// `f"{BASE_URL}/v1/x"`: an f-string that starts with a URL-named value.
fn url_name_in_fstring(n: Node<'_>) -> bool {
    let mut first = None;
    n.visit(&mut |c| {
        if first.is_none() && c.is("interpolation") {
            first = c.field("expression").or_else(|| c.first_item());
            return false;
        }
        first.is_none()
    });
    let starts_with_it = n.all_children().iter().find(|c| !c.is("string_start")).is_some_and(|c| c.is("interpolation"));
    starts_with_it && first.is_some_and(looks_like_url)
}

pub(crate) fn http_call<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<HttpCall<'a>> {
    let q = cx.canonical(call.func).unwrap_or_default();
    let last = q.rsplit('.').next().unwrap_or(&q);
    let module = q.rsplit_once('.').map_or("", |(m, _)| m);
    let pos = call.positional();
    let is_http = if HTTP_MODULES.contains(&module) && (HTTP_METHODS.contains(&last) || last == "Request") {
        true
    } else if let (Some(method), Some(recv)) = (call.method(), call.receiver()) {
        // a client object: known (`requests.Session()`), or named like one
        // and called with a URL (flask's `session.get("key")` is not)
        let client = matches!(cx.val(recv), Val::HttpClient);
        let named = dotted(recv).is_some_and(|d| {
            let l = d.rsplit('.').next().unwrap_or(&d).to_ascii_lowercase();
            (l.contains("session") || l.contains("client") || l.contains("http"))
                && cx.canonical(recv).is_none_or(|c| c != "session")
        });
        HTTP_METHODS.contains(&method) && (client || named && pos.first().copied().is_some_and(looks_like_url))
    } else {
        false
    };
    if !is_http {
        return None;
    }
    // requests.request("GET", url) / session.request(method, url)
    let url_index = usize::from(last == "request" || call.method() == Some("request"));
    let url = call.keyword("url").or_else(|| pos.get(url_index).copied());
    let mut args: Vec<Node<'a>> = Vec::new();
    for k in ["headers", "auth", "data", "json", "cookies", "params"] {
        args.extend(call.keyword(k));
    }
    args.extend(url);
    Some(HttpCall {
        url,
        params: call.keyword("params"),
        headers: call.keyword("headers"),
        verify: call.keyword("verify"),
        args,
    })
}

// ---------- files ----------

/// A write of values to a file; `served` when the file is in a folder the
/// app serves.
pub(crate) struct FileWrite<'a> {
    pub values: Vec<Node<'a>>,
    pub served: bool,
}

fn file_of<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<bool> {
    match cx.val(n) {
        Val::File { served } => Some(served),
        _ => None,
    }
}

pub(crate) fn file_write<'a>(call: &Call<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<FileWrite<'a>> {
    let q = cx.canonical(call.func).unwrap_or_default();
    let pos = call.positional();
    if DUMPS_TO_FILE.contains(&q.as_str()) {
        let fp = pos.get(1).copied().or_else(|| call.keyword("fp")).or_else(|| call.keyword("stream"));
        let served = fp.and_then(|f| file_of(f, cx)).unwrap_or(false);
        return Some(FileWrite { values: pos.first().copied().into_iter().collect(), served });
    }
    if q == "print" || q == "builtins.print" {
        let file = call.keyword("file")?;
        if matches!(dotted(file).as_deref(), Some("sys.stderr" | "sys.stdout")) {
            return None;
        }
        let served = file_of(file, cx).unwrap_or(false);
        return Some(FileWrite { values: pos, served });
    }
    let method = call.method()?;
    if !FILE_WRITE_METHODS.contains(&method) {
        return None;
    }
    let recv = call.receiver()?;
    let served = match method {
        // Path(...).write_text(s): the receiver is the path
        "write_text" | "write_bytes" => crate::taint::eval::is_served_path(recv.text()),
        // csv.writer(fh).writerow(row), writer.writerow(row)
        "writerow" | "writerows" => {
            let inner = Call::of(recv.unparen()).and_then(|c| c.positional().first().copied());
            match inner.and_then(|f| file_of(f, cx)).or_else(|| file_of(recv, cx)) {
                Some(s) => s,
                None if dotted(recv).is_some_and(|d| d.contains("writer")) => false,
                None => return None,
            }
        }
        _ => match file_of(recv, cx) {
            Some(s) => s,
            // `config_parser.write(fh)`: the receiver is what is written
            None if method == "write" => {
                let served = file_of(*pos.first()?, cx)?;
                return Some(FileWrite { values: vec![recv], served });
            }
            None => return None,
        },
    };
    Some(FileWrite { values: pos, served })
}

// ---------- client-side storage ----------

/// Is `n` Flask's session (under any import alias)?
pub(crate) fn is_session<'a>(n: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> bool {
    cx.canonical(n).is_some_and(|c| c == "session")
        || matches!(cx.val(n), Val::Mapping(crate::taint::MapKind::Session, _))
}

/// A value stored where the client can read it: `session[...] = v`,
/// `session.update(...)`, `resp.set_cookie(name, v)`. Returns (where to
/// report, the stored values, is a cookie).
pub(crate) fn client_storage<'a>(node: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<(Node<'a>, Vec<Node<'a>>, bool)> {
    match node.kind() {
        "assignment" => {
            let left = node.field("left")?;
            if left.is("subscript") && left.field("value").is_some_and(|v| is_session(v, cx)) {
                return Some((node, vec![node.field("right")?], false));
            }
            None
        }
        "call" => {
            let call = Call::of(node)?;
            let method = call.method()?;
            let recv = call.receiver()?;
            if method == "set_cookie" {
                let value = call.keyword("value").or_else(|| call.positional().get(1).copied())?;
                return Some((node, vec![value], true));
            }
            if matches!(method, "update" | "setdefault" | "__setitem__") && is_session(recv, cx) {
                let values = match method {
                    "setdefault" | "__setitem__" => call.positional().get(1).copied().into_iter().collect(),
                    _ => call.args.iter().map(|a| a.field("value").unwrap_or(*a)).collect(),
                };
                return Some((node, values, false));
            }
            None
        }
        _ => None,
    }
}
