//! Is an identifier the name of a credential? `STRIPE_API_KEY`, `authToken`,
//! `db-password` are; `primary_key`, `token_type`, `API_KEY_HEADER`,
//! `max_tokens` are not.

/// Words that name a credential on their own.
const STRONG: &[&str] = &[
    "secret",
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "token",
    "apikey",
    "apikeys",
    "accesskey",
    "secretkey",
    "privatekey",
    "credential",
    "credentials",
    "creds",
    "bearer",
    "authorization",
    "dsn",
    "sessionkey",
    "authkey",
];

/// Words that turn "key" (or "pass") into a credential name.
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "sign",
    "client",
    "auth",
    "encryption",
    "encrypt",
    "master",
    "hmac",
    "jwt",
    "app",
    "service",
    "license",
    "admin",
    "root",
    "ssh",
    "pgp",
    "gpg",
    "fernet",
    "crypto",
    "cipher",
    "aes",
    "stripe",
    "aws",
    "github",
    "gitlab",
    "slack",
    "google",
    "openai",
    "anthropic",
    "sendgrid",
    "twilio",
    "mailgun",
    "algolia",
    "mapbox",
    "shopify",
    "paypal",
];

/// Services whose password a `*_pass` name holds (`db_pass`, `smtp_pass`);
/// with "key" these name keys *in* the service (`redis_lock_key`), not credentials.
const PASS_QUALIFIERS: &[&str] = &[
    "db", "database", "smtp", "mail", "email", "redis", "ldap", "ftp", "proxy", "user", "admin", "root", "basic",
    "session",
];

/// Words that make a name something other than the credential itself.
const NEGATORS: &[&str] = &[
    "header",
    "headers",
    "name",
    "names",
    "type",
    "types",
    "url",
    "uri",
    "urls",
    "endpoint",
    "path",
    "route",
    "length",
    "len",
    "size",
    "count",
    "max",
    "min",
    "num",
    "number",
    "limit",
    "limits",
    "expiry",
    "expires",
    "expiration",
    "exp",
    "ttl",
    "lifetime",
    "age",
    "field",
    "fields",
    "param",
    "params",
    "env",
    "var",
    "variable",
    "file",
    "filename",
    "dir",
    "prefix",
    "format",
    "location",
    "id",
    "ids",
    "hash",
    "hashed",
    "digest",
    "regex",
    "pattern",
    "required",
    "placeholder",
    "label",
    "help",
    "policy",
    "strength",
    "reset",
    "validator",
    "form",
    "input",
    "mask",
    "masked",
    "redacted",
    "fingerprint",
    "public",
    "publishable",
    "site",
    "is",
    "has",
    "valid",
    "invalid",
    "enabled",
    "provided",
    "error",
    "errors",
    "message",
    "msg",
    "class",
    "model",
    "schema",
    "manager",
    "generator",
    "factory",
    "backend",
    "handler",
    "loader",
    "provider",
    "expired",
    "primary",
    "foreign",
    "sort",
    "partition",
    "cache",
    "lookup",
    "usage",
    "used",
    "tokens",
    "confirm",
    "confirmation",
    "changed",
    "last",
    "rotated",
    "created",
    "updated",
    "at",
    "version",
    "kind",
    "algorithm",
    "alg",
    "scheme",
    "status",
    "state",
    "store",
    "storage",
    "serializer",
    "verify",
    "check",
    "validate",
    "use",
    "should",
    "allow",
    "enable",
    "policy",
    "description",
    "doc",
    "docs",
    "template",
    "query",
    "key_id",
    "request",
    "response",
    "method",
    "location",
    "keyboard",
    "monkey",
    "turkey",
    "hockey",
    "index",
    "on",
    "lock",
    "update",
    "change",
    "forgot",
    "scope",
    "scopes",
    "info",
    "claims",
    "payload",
    "audience",
    "issuer",
    "off",
    "complexity",
    "hint",
    "link",
    "page",
    "view",
    "dialog",
    "button",
    "text",
    "widget",
    "function",
    "func",
    "callback",
    "plugin",
    "module",
    "multiplier",
    "budget",
    "cost",
    "price",
    "estimate",
    "ratio",
    "window",
    "schemes",
    "algorithms",
    "comparator",
    "lexer",
    "parsed",
    "decoded",
    "minor",
    "major",
    "attribute",
    "continuation",
    "cursor",
    "name",
    "names",
];

/// Negators that are UI nouns: they negate only after the credential word.
const HEAD_NEGATORS: &[&str] =
    &["widget", "dialog", "button", "template", "label", "field", "fields", "form", "input", "hint"];

/// Python builtins, modules and common call names that are secret-named but
/// are not values: the `secrets` module, `get_password` functions...
const NOT_VALUES: &[&str] = &["secrets", "tokenize", "tokenizer", "getpass"];

#[derive(Debug, Clone, Default)]
pub(crate) struct NameClassifier {
    extra_secret: Vec<String>,
    extra_non_secret: Vec<String>,
}

/// Split an identifier into lower-case words on `_`, `-`, `.`, spaces,
/// digits boundaries and camelCase (`APIKey` -> api, key).
pub(crate) fn words(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = ident.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // `PASSWORD2`, `api_key2`: a digit after letters starts a word
        if c.is_ascii_digit() && chars.get(i.wrapping_sub(1)).is_some_and(|p| p.is_alphabetic()) && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether an ASCII identifier contains, in any case, a part that every name
/// [`NameClassifier::is_secret_name`] accepts must hold as a word or inside
/// one: each word of [`STRONG`], `key`, `pass` and `webhook` contains one
/// of these.
fn may_name_credential(ident: &[u8]) -> bool {
    let at =
        |i: usize, part: &[u8]| ident.len() - i >= part.len() && ident[i..i + part.len()].eq_ignore_ascii_case(part);
    (0..ident.len()).any(|i| match ident[i].to_ascii_lowercase() {
        b's' => at(i, b"secret"),
        b'p' => at(i, b"pass") || at(i, b"pwd"),
        b't' => at(i, b"token"),
        b'k' => at(i, b"key"),
        b'c' => at(i, b"cred"),
        b'b' => at(i, b"bearer"),
        b'a' => at(i, b"authorization"),
        b'd' => at(i, b"dsn"),
        b'w' => at(i, b"webhook"),
        _ => false,
    })
}

impl NameClassifier {
    pub(crate) fn new(extra_secret: &[String], extra_non_secret: &[String]) -> Self {
        let norm = |v: &[String]| v.iter().map(|s| s.to_ascii_lowercase()).collect();
        NameClassifier { extra_secret: norm(extra_secret), extra_non_secret: norm(extra_non_secret) }
    }

    /// True when `ident` names a credential.
    pub(crate) fn is_secret_name(&self, ident: &str) -> bool {
        // Most identifiers hold none of the parts a credential name is made
        // of; they are answered without splitting into words.
        if self.extra_secret.is_empty() && ident.is_ascii() && !may_name_credential(ident.as_bytes()) {
            return false;
        }
        self.by_words(ident)
    }

    /// [`Self::is_secret_name`] without the shortcut.
    fn by_words(&self, ident: &str) -> bool {
        let lower = ident.to_ascii_lowercase();
        if self.extra_non_secret.contains(&lower) {
            return false;
        }
        if self.extra_secret.contains(&lower) {
            return true;
        }
        if NOT_VALUES.contains(&lower.as_str()) {
            return false;
        }
        let ws = words(ident);
        if ws.is_empty() {
            return false;
        }
        let has = |w: &str| ws.iter().any(|x| x == w);
        // a Slack/Discord webhook URL is the credential itself; a bare
        // `webhook` is usually the object that holds one
        if has("webhook") {
            let credential_part =
                ws.iter().any(|w| matches!(w.as_str(), "url" | "uri" | "secret" | "token" | "key" | "signing"));
            let vendor = ws.iter().any(|w| w != "webhook" && KEY_QUALIFIERS.contains(&w.as_str()));
            return credential_part || vendor;
        }
        // a negator negates; a UI noun (`widget`, `field`...) only as the head
        // noun after the credential word: `password_widget` is a widget,
        // `widget_signing_secret` is a secret
        let credential_at =
            ws.iter().position(|w| STRONG.contains(&w.as_str()) || w == "key" || w == "keys" || w == "pass");
        let negated = ws.iter().enumerate().any(|(i, w)| {
            NEGATORS.contains(&w.as_str())
                && (!HEAD_NEGATORS.contains(&w.as_str()) || credential_at.is_none_or(|c| i > c))
        });
        if negated {
            return false;
        }
        let qualified = ws.iter().any(|w| KEY_QUALIFIERS.contains(&w.as_str()));
        // `token_key`, `refresh_token_key`: the key a token is stored under;
        // `access_token_key` (Twitter's credential) keeps its qualifier
        if !qualified && ws.len() >= 2 && ws[ws.len() - 2] == "token" && ws.last().is_some_and(|w| w == "key") {
            return false;
        }
        if ws.iter().any(|w| STRONG.contains(&w.as_str())) {
            return true;
        }
        if qualified && (has("key") || has("keys")) {
            return true;
        }
        // db_pass, smtp_pass: "pass" only as the last word, with a qualifier
        let pass_qualified = qualified || ws.iter().any(|w| PASS_QUALIFIERS.contains(&w.as_str()));
        pass_qualified && ws.last().is_some_and(|w| w == "pass")
    }

    /// Flask's own signing key: `SECRET_KEY`, `secret_key`.
    pub(crate) fn is_flask_secret_key(ident: &str) -> bool {
        ident.eq_ignore_ascii_case("secret_key")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("stripeApiKey"), ["stripe", "api", "key"]);
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("x-api-key"), ["x", "api", "key"]);
    }

    /// The shortcut of `is_secret_name` answers "no" only where the words
    /// would: every pair and triple of the vocabulary's words, joined as
    /// snake, camel and kebab case, and each vocabulary word alone.
    #[test]
    fn the_shortcut_never_refuses_a_credential_name() {
        let c = NameClassifier::default();
        let mut vocab: Vec<&str> = [STRONG, KEY_QUALIFIERS, PASS_QUALIFIERS, NEGATORS, HEAD_NEGATORS].concat();
        vocab.extend(["key", "keys", "pass", "webhook", "url", "signing", "x", "my", "value"]);
        let camel = |w: &str| w[..1].to_ascii_uppercase() + &w[1..];
        let mut names: Vec<String> = vocab.iter().map(|w| w.to_string()).collect();
        for a in &vocab {
            for b in &vocab {
                names.extend([format!("{a}_{b}"), format!("{a}{}", camel(b)), format!("{a}-{b}").to_uppercase()]);
                for t in ["key", "pass"] {
                    names.push(format!("{a}_{b}_{t}"));
                }
            }
        }
        let mut accepted = 0;
        for n in &names {
            let slow = c.by_words(n);
            accepted += usize::from(slow);
            assert_eq!(c.is_secret_name(n), slow, "{n}");
        }
        assert!(accepted > names.len() / 20, "the vocabulary names credentials ({accepted} of {})", names.len());
    }

    #[test]
    fn secret_names() {
        let c = NameClassifier::default();
        for yes in [
            "API_KEY",
            "apiKey",
            "stripe_secret",
            "STRIPE_SECRET_KEY",
            "auth_token",
            "password",
            "db_pass",
            "client_secret",
            "private_key",
            "SLACK_WEBHOOK_URL",
            "slack_webhook",
            "webhook_secret",
            "SENTRY_DSN",
            "refresh_token",
            "X-API-Key",
            "access_key",
            "aws_secret_access_key",
            "SECRET_KEY",
            "apikey",
            "bearer",
            "credentials",
            "WIDGET_SIGNING_SECRET",
            "CI_HOOK_TOKEN",
            "jwt_secret_key",
            "PASSWORD2",
            "API_KEY2",
            "apiKey2",
            "access_token_key",
            "jwt_token_key",
        ] {
            assert!(c.is_secret_name(yes), "{yes}");
        }
        for no in [
            "password_widget",
            "api_key_field",
            "next_page_token",
            "page_token",
            "secret_name",
            "attribute_token",
            "minor_token",
            "decoded_token",
            "primary_key",
            "sort_key",
            "key_name",
            "token_type",
            "API_KEY_HEADER",
            "max_tokens",
            "password_reset_url",
            "keyboard",
            "monkey",
            "key",
            "secrets",
            "token_url",
            "password_hash",
            "is_token_valid",
            "STRIPE_PUBLISHABLE_KEY",
            "API_KEY_ENV",
            "tokens",
            "cache_key",
            "user_id",
            "api_key_id",
            "tokenizer",
            "TOKEN_EXPIRY",
            "webhook",
            "webhook_events",
            "redis_lock_key",
            "UPDATE_USER_PASSWORD",
            "token_key",
            "refresh_token_key",
        ] {
            assert!(!c.is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn configured_names() {
        let c = NameClassifier::new(&["license".into()], &["session_token".into()]);
        assert!(c.is_secret_name("LICENSE"));
        assert!(!c.is_secret_name("session_token"));
    }
}
