//! What a secret looks like: secret-named identifiers, vendor key formats,
//! placeholders and entropy, and how to mask a value before anything prints it.
//!
//! Vendor formats are matched by hand-written scanners rather than a regex
//! engine: the engine also ships as WebAssembly, where a regex crate and its
//! tables would cost more than the whole rule set.

mod names;
pub(crate) mod redact;
mod vendor;

pub use redact::{mask_source, redact};

pub(crate) use names::{words as words_of, NameClassifier};
pub(crate) use vendor::{find_vendor_secret, VendorMatch};

/// How many characters a masked value keeps at each end: about an eighth
/// of it, at most 4, none under 10 characters. A 32-character key shows
/// `sk_l…a1b2`; a 16-character password shows 2 + 2.
pub(crate) fn mask_keep(chars: usize) -> usize {
    if chars < 10 {
        0
    } else {
        (chars / 8).clamp(1, 4)
    }
}

/// Mask a secret for display: `sk_l…a1b2`. Short values reveal less, and
/// values under 10 characters reveal nothing but their existence.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let keep = mask_keep(n);
    if keep == 0 {
        return "****".to_string();
    }
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[n - keep..].iter().collect();
    format!("{head}…{tail}")
}

/// A name that says "credential" but, alone, is as often an object holding
/// one: `token`, `credentials`, `self.token`.
pub(crate) fn is_ambiguous_name(ident: &str) -> bool {
    let ws = words_of(ident);
    matches!(ws.as_slice(), [w] if matches!(w.as_str(), "token" | "tokens" | "credentials" | "credential" | "creds" | "auth"))
}

/// A name for something issued to a user or a session rather than held by
/// the app: `token`, `access_token`, `session_token`, `jwt`, `cookie`.
pub(crate) fn is_issued_name(ident: &str) -> bool {
    words_of(ident).iter().any(|w| {
        matches!(w.as_str(), "token" | "tokens" | "jwt" | "session" | "bearer" | "cookie" | "otp" | "nonce" | "csrf")
    })
}

/// A `*_token` name that says nothing of authentication (`encoded_token`,
/// `token_value`, `connection_test_token`): lexers, paginators and job ids
/// have tokens too. `access_token`, `api_token`, `auth_token`,
/// `refresh_token`, `bot_token` are credentials.
pub(crate) fn is_weak_token_name(ident: &str) -> bool {
    let ws = words_of(ident);
    if !ws.iter().any(|w| w == "token" || w == "tokens") {
        return false;
    }
    let credential = ws.iter().any(|w| {
        matches!(
            w.as_str(),
            "access"
                | "refresh"
                | "auth"
                | "bearer"
                | "api"
                | "id"
                | "session"
                | "secret"
                | "private"
                | "personal"
                | "oauth"
                | "jwt"
                | "service"
                | "bot"
                | "webhook"
                | "hook"
                | "deploy"
                | "reset"
                | "verification"
                | "admin"
                | "master"
                | "github"
                | "gitlab"
                | "slack"
                | "stripe"
                | "twilio"
                | "csrf"
                | "xsrf"
                | "login"
                | "password"
                | "key"
                | "client"
                | "app"
                | "user"
                | "partner"
                | "integration"
                | "ci"
                | "cloudflare"
        )
    });
    !credential && ws.len() > 1
}

/// Mask every credential in a message: vendor-format keys anywhere, and
/// quoted values that look like credentials. Error messages from parsers
/// quote the value they reject, and that value may be a key.
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(m) = find_vendor_secret(rest) {
        out.push_str(&rest[..m.start]);
        out.push_str(&mask(&rest[m.start..m.end]));
        rest = &rest[m.end..];
    }
    out.push_str(rest);
    // "quoted" or `quoted` values; an apostrophe after a letter is prose
    // ("the caller's"), not an opening quote
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    loop {
        let open = rest.char_indices().find(|&(i, c)| {
            matches!(c, '"' | '`') || (c == '\'' && !rest[..i].chars().next_back().is_some_and(char::is_alphanumeric))
        });
        let Some((i, q)) = open else { break };
        result.push_str(&rest[..i + q.len_utf8()]);
        let after = &rest[i + q.len_utf8()..];
        match after.find(q) {
            Some(j) => {
                let inner = &after[..j];
                // quoted code (`sess.headers["Authorization"]`): its own
                // quoted literals are what may hold a key
                let code = q == '`' && ["[\"", "['", "(\"", "('"].iter().any(|o| inner.contains(o));
                result.push_str(&if code {
                    scrub(inner)
                } else if looks_like_credential(inner) && !is_code_name(inner) {
                    mask(inner)
                } else {
                    inner.to_string()
                });
                result.push(q);
                rest = &after[j + q.len_utf8()..];
            }
            None => rest = after,
        }
    }
    result.push_str(rest);
    result
}

/// Shannon entropy in bits per character.
pub(crate) fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

const PLACEHOLDER_MARKERS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "change-this",
    "change_this",
    "changethis",
    "replace",
    "your_",
    "your-",
    "yourkey",
    "yoursecret",
    "yourtoken",
    "xxxx",
    "****",
    "...",
    "…",
    "placeholder",
    "dummy",
    "fake",
    "sample",
    "todo",
    "fixme",
    "redacted",
    "insert",
    "enter_",
    "enter-",
    "put_your",
    "notreal",
    "not-a-real",
    "not_a_real",
    "not-real",
    "${",
    "{{",
    "%(",
    "%s",
];

/// A value that stands for a secret instead of being one.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if PLACEHOLDER_MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    if lower.contains('{') && lower.contains('}') {
        return true; // a str.format template
    }
    // `<your-key>`, `sk_live_<key>`: a placeholder shape, not a stray `<`
    if has_angle_placeholder(&lower) {
        return true;
    }
    let mut chars = lower.chars().filter(|c| c.is_ascii_alphanumeric());
    match chars.next() {
        None => true,
        // one repeated character: "xxxxxxxx", "00000000"
        Some(first) => chars.all(|c| c == first),
    }
}

/// A `<name>` segment: letters, digits, spaces, `_`, `-` or `.` between
/// angle brackets.
fn has_angle_placeholder(v: &str) -> bool {
    let mut rest = v;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        if let Some(close) = after.find('>') {
            let inner = &after[..close];
            // words, not characters of a key: no digits unless separated
            let wordy = !inner.chars().any(|c| c.is_ascii_digit()) || inner.contains(['_', '-', ' ']);
            if (2..=40).contains(&inner.len())
                && wordy
                && inner.chars().any(|c| c.is_ascii_alphabetic())
                && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
            {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Does a string bound to a secret-named target look like a real credential?
/// Not a placeholder, a header or environment-variable name, a sentence, a
/// path, a URL without credentials, a template or an identifier.
/// A name from code quoted in a message: a dotted identifier (maybe
/// called), each part with at most two digits (`device_token2`,
/// `s3_client.put_object()`). Vendor key formats are masked before this
/// is asked.
fn is_code_name(v: &str) -> bool {
    let v = v.strip_suffix("()").unwrap_or(v);
    !v.is_empty()
        && v.split('.').all(|part| {
            part.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && part.split('_').all(|w| w.chars().filter(char::is_ascii_digit).count() <= 2)
        })
}

pub(crate) fn looks_like_credential(value: &str) -> bool {
    let v = value.trim();
    if v.chars().count() < 8 || v.len() > 4096 {
        return false;
    }
    // identifier-like: words, header names, env-var names, dotted paths, mime
    // types, and calls of them (`secrets.token_urlsafe()` named in a message).
    // The cheapest test, and the one most words of prose fail, comes first:
    // every test before the character classes can only refuse.
    let v_name = v.strip_suffix("()").unwrap_or(v);
    if v_name.chars().all(|c| c.is_alphabetic() || matches!(c, '_' | '-' | '.' | '/' | ':')) {
        return false;
    }
    if v.chars().any(char::is_whitespace) || is_placeholder(v) {
        return false;
    }
    if (v.contains("://") && !has_url_password(v)) || v.starts_with('/') || v.starts_with("./") {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|&&b| b)
    .count();
    if classes < 2 {
        // all digits (a port, an id) or all one case of letters
        return v.len() >= 24 && entropy(v) >= 3.5;
    }
    // dotted or dashed version numbers, dates, IPs
    if v.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | ':' | '/')) {
        return false;
    }
    entropy(v) >= 2.5
}

/// `scheme://user:password@host` with a real password part.
pub(crate) fn has_url_password(v: &str) -> bool {
    url_password(v).is_some()
}

/// The password part of a URL with credentials, as byte offsets into `v`.
pub(crate) fn url_password(v: &str) -> Option<(usize, usize)> {
    let scheme_end = v.find("://")?;
    if scheme_end == 0 || !v[..scheme_end].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) {
        return None;
    }
    let rest_start = scheme_end + 3;
    let rest = &v[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || is_placeholder(password) || password.starts_with('$') {
        return None;
    }
    let lower = password.to_ascii_lowercase();
    let user = &userinfo[..colon];
    // documentation and demo servers: `demo:demo`, `admin:admin`, Firebird's `masterkey`
    if user.eq_ignore_ascii_case(password)
        || matches!(
            lower.as_str(),
            "password"
                | "pass"
                | "secret"
                | "passwd"
                | "pwd"
                | "masterkey"
                | "admin"
                | "root"
                | "guest"
                | "demo"
                | "test"
                | "default"
        )
    {
        return None;
    }
    let start = rest_start + colon + 1;
    Some((start, start + password.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask("sk_live_0123456789abcdef0123a1b2"), "sk_l…a1b2");
        assert_eq!(mask("sk_live_0123456789abcdefa1b2"), "sk_…1b2");
        assert_eq!(mask("s3cr3tP@ss"), "s…s");
        assert_eq!(mask("Tr0ub4dor&3xQz!!"), "Tr…!!");
        assert_eq!(mask("hunter2"), "****");
        assert_eq!(mask("hunter22x"), "****");
        assert_eq!(mask("ééééééééééééééééé"), "éé…éé");
    }

    #[test]
    fn credentials() {
        for yes in ["s3cr3tP@ss", "a8f5f167f44f4964e6c998dee827110c", "Zx9#kLm2pQ7!"] {
            assert!(looks_like_credential(yes), "{yes}");
        }
        for no in [
            "X-API-Key",
            "Bearer",
            "HS256",
            "STRIPE_API_KEY",
            "your-api-key-here",
            "changeme",
            "Invalid API key provided",
            "https://example.com/token",
            "/reset-password",
            "application/json",
            "xxxxxxxxxxxx",
            "{api_key}",
            "%s:%s",
            "1.2.3.4",
            "8080",
            "",
        ] {
            assert!(!looks_like_credential(no), "{no}");
        }
    }

    #[test]
    fn url_passwords() {
        assert!(has_url_password("postgres://admin:Tr0ub4dor@db.internal:5432/app"));
        assert!(!has_url_password("postgres://admin:password@localhost/app"));
        assert!(!has_url_password("postgres://admin:${DB_PASSWORD}@db/app"));
        assert!(!has_url_password("https://example.com/a@b"));
        assert!(!has_url_password("redis://localhost:6379/0"));
        assert!(!has_url_password("clickhousedb://demo:demo@github.demo.trial.altinity.cloud"));
        assert!(!has_url_password("firebird+fdb://SYSDBA:masterkey@192.168.86.38:3050//employee.fdb"));
    }

    #[test]
    fn scrubs_messages() {
        let m = scrub("invalid type: string \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\", expected a sequence");
        assert_eq!(m, "invalid type: string \"sk_l…p7dc\", expected a sequence");
        assert_eq!(scrub("`Zx9#kLm2pQ7!` is not a keyleak rule"), "`Z…!` is not a keyleak rule");
        assert_eq!(
            scrub("unknown field `ignored`, expected one of `select`"),
            "unknown field `ignored`, expected one of `select`"
        );
        assert_eq!(scrub("token ghp_R8x2Lm9QwE4tY7uI0pAs3dF6gH1jK5lZ2xC4 rejected"), "token ghp_…2xC4 rejected");
        // an apostrophe in prose does not hide the quoted value after it
        let m = scrub("compares the caller's key with `SETTI'GS_PASSWORD` from the config");
        assert!(!m.contains("SETTI'GS_PASSWORD"), "{m}");
        // quoted code keeps its shape; only its literals are judged
        assert_eq!(
            scrub("Secret `sess.headers[\"Authorization\"]` is logged"),
            "Secret `sess.headers[\"Authorization\"]` is logged"
        );
        assert_eq!(scrub("`device_token2` returns"), "`device_token2` returns");
        assert!(!scrub("`Zx9kLm2pQ7vB4nW8`").contains("Zx9kLm2pQ7vB4nW8"));
        // a call of a dotted name is code, not a key
        assert_eq!(
            scrub("a fresh credential from `secrets.token_urlsafe()`"),
            "a fresh credential from `secrets.token_urlsafe()`"
        );
        assert_eq!(scrub("`sk_live_4eC39HqLyjWDarjtT1zdp7dc()`"), "`sk_l…p7dc()`");
        let m = scrub("Secret `os.environ[\"Zx9#kLm2pQ7!vB\"]` is logged");
        assert!(m.starts_with("Secret `os.environ[\"") && !m.contains("Zx9#kLm2pQ7!vB"), "{m}");
    }

    #[test]
    fn weak_token_names() {
        for weak in ["encoded_token", "token_value", "connection_test_token", "minor_token", "continuation_token"] {
            assert!(is_weak_token_name(weak), "{weak}");
        }
        for strong in [
            "token",
            "access_token",
            "auth_token",
            "quickbooks_refresh_token",
            "api_token",
            "TELEGRAM_BOT_TOKEN",
            "CI_HOOK_TOKEN",
        ] {
            assert!(!is_weak_token_name(strong), "{strong}");
        }
    }

    #[test]
    fn placeholders() {
        assert!(is_placeholder("AKIAIOSFODNN7EXAMPLE"));
        assert!(is_placeholder("<your token>"));
        assert!(is_placeholder("sk_live_<key>"));
        assert!(!is_placeholder("Zx9<kLm2>pQ7!"));
        assert!(looks_like_credential("p<4ssW0rd>9!x"));
        assert!(!is_placeholder("sk_live_51HqLyjK2eZvKYlo2C8nR3x"));
    }
}
