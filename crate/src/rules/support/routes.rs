//! What a route rule needs to know about a route: its full URL (with the
//! blueprint prefix given where the blueprint is registered, maybe in
//! another module), whether an auth guard applies, whether a rate limit
//! applies, and whether its responses are marked `no-store`.

use crate::diagnostic::Related;
use crate::rules::Ctx;
use crate::semantic::project::{LimiterOp, Traits};
use crate::semantic::{is_guard_decorator, Route};
use crate::syntax::{dotted, Call, Node};

/// A Flask view: not a route of a FastAPI/Starlette module (same
/// decorator shapes, but auth comes from dependencies there).
pub(crate) fn is_flask_view(route: &Route, cx: &Ctx<'_, '_, '_>) -> bool {
    route.is_view()
        && !cx
            .file()
            .project
            .this
            .summary()
            .imports
            .iter()
            .any(|(_, q)| q.starts_with("fastapi") || q.starts_with("starlette"))
}

/// The route of the function a route rule is checking, when it is a
/// Flask view of code that is deployed (not a test), with the view's name
/// (where the route rules report).
pub(crate) fn checked_view<'a>(def: Node<'a>, cx: &Ctx<'_, 'a, '_>) -> Option<(Route, Node<'a>)> {
    if cx.file().is_test {
        return None;
    }
    let route = cx.route().filter(|r| is_flask_view(r, cx)).cloned()?;
    Some((route, def.field("name")?))
}

/// A call whose name says it checks authorization (`check_access(...)`,
/// `require_admin()`, `ensure_permission(...)`): it raises or aborts.
fn is_authz_call(name: &str) -> bool {
    let ws = crate::secrets::words_of(name.rsplit('.').next().unwrap_or(name));
    let verb = ws.first().is_some_and(|w| {
        matches!(w.as_str(), "check" | "require" | "ensure" | "assert" | "verify" | "enforce" | "authorize")
    });
    let what = ws.iter().any(|w| {
        matches!(
            w.as_str(),
            "access"
                | "auth"
                | "authorized"
                | "authenticated"
                | "permission"
                | "permissions"
                | "admin"
                | "sysadmin"
                | "login"
                | "role"
                | "roles"
                | "staff"
                | "superuser"
        )
    });
    verb && what || matches!(ws.first().map(String::as_str), Some("authorize" | "authenticate")) && ws.len() == 1
}

/// The blueprint or app a route's router stands for (`api = Api(bp)`).
fn router_of(route: &Route, cx: &Ctx<'_, '_, '_>) -> Option<String> {
    let r = route.router.clone()?;
    Some(cx.file().project.api_blueprint(&r).unwrap_or(r))
}

/// The route's URL, prefixes included, and where the prefix was set when
/// that is in another file.
pub(crate) fn full_url(route: &Route, cx: &Ctx<'_, '_, '_>) -> (Option<String>, Option<Related>) {
    let project = &cx.file().project;
    let (Some(router), Some(rule)) = (router_of(route, cx), route.rule.as_ref()) else {
        return (route.url.clone(), None);
    };
    if !project.is_blueprint(&router) {
        return (route.url.clone(), None);
    }
    let regs = project.registrations(&router);
    // a prefix given at registration wins over the constructor's
    if let Some((found, _, _)) = regs.iter().find(|(f, _, _)| f.value.is_some()) {
        let prefix = found.value.clone().unwrap_or_default();
        let url = format!("{}{rule}", prefix.trim_end_matches('/'));
        let related = found.path.as_ref().map(|p| found.related(format!("`{router}` is mounted at `{prefix}` in {p}")));
        return (Some(url), related);
    }
    let prefix = project.ctor_prefix(&router).unwrap_or_default();
    (Some(format!("{}{rule}", prefix.trim_end_matches('/'))), None)
}

/// The words of a URL's literal segments (variable parts left out).
pub(crate) fn segment_words(url: &str) -> Vec<String> {
    url.split('/')
        .filter(|s| !s.contains('<') && !s.is_empty())
        .flat_map(|s| crate::secrets::words_of(s.trim_matches('_')))
        .collect()
}

/// Top-level statements of a function body: `if not ok: abort(401)`, a
/// call of a helper that rejects, before the work.
fn body_rejects(def: Node<'_>, cx: &Ctx<'_, '_, '_>) -> bool {
    let Some(body) = def.field("body") else { return false };
    let mut authz = false;
    body.visit(&mut |n| {
        if !authz {
            authz = Call::of(n).and_then(|c| dotted(c.func)).is_some_and(|f| is_authz_call(&f));
        }
        !authz && !matches!(n.kind(), "function_definition" | "class_definition" | "lambda")
    });
    authz
        || body.items().into_iter().any(|st| match st.kind() {
            "if_statement" => st.field("consequence").is_some_and(|c| Traits::of_body(c).rejects),
            "expression_statement" => st
                .first_item()
                .and_then(Call::of)
                .is_some_and(|c| dotted(c.func).and_then(|f| cx.file().project.traits(&f)).is_some_and(|t| t.rejects)),
            _ => false,
        })
}

/// A decorator that requires authentication: named like one, or a
/// function of the project whose wrapper rejects.
fn is_guard(decorator: &str, cx: &Ctx<'_, '_, '_>) -> bool {
    is_guard_decorator(decorator) || cx.file().project.traits(decorator).is_some_and(|t| t.guard_wrapper || t.rejects)
}

/// Does an auth guard apply to the route: a guard decorator, a rejecting
/// `before_request` hook of its blueprint or app, or an in-body check?
pub(crate) fn is_guarded(route: &Route, def: Node<'_>, cx: &Ctx<'_, '_, '_>) -> bool {
    if route.decorators.iter().any(|d| is_guard(d, cx)) || body_rejects(def, cx) {
        return true;
    }
    let project = &cx.file().project;
    let Some(router) = router_of(route, cx) else { return false };
    let this = &project.this;
    if project.hooks_on(this, &router, false).iter().any(|h| h.value.rejects) {
        return true;
    }
    // the app the blueprint is registered on
    project
        .registrations(&router)
        .iter()
        .any(|(_, m, app)| project.hooks_on(m, app, false).iter().any(|h| h.value.rejects))
}

/// The verdict on a route's rate limit.
pub(crate) enum Limit {
    Limited,
    /// No limit applies; maybe a default one the route is exempt from.
    Unlimited {
        exempt_from: Option<Related>,
    },
}

fn is_limit_decorator(d: &str) -> bool {
    let last = d.rsplit('.').next().unwrap_or(d).to_ascii_lowercase();
    matches!(last.as_str(), "limit" | "shared_limit")
        || last.contains("ratelimit")
        || last.contains("rate_limit")
        || last.contains("throttle")
}

pub(crate) fn rate_limit(route: &Route, cx: &Ctx<'_, '_, '_>) -> Limit {
    if route.decorators.iter().any(|d| is_limit_decorator(d)) {
        return Limit::Limited;
    }
    let project = &cx.file().project;
    let router = router_of(route, cx);
    let mut exempt = route.decorators.iter().any(|d| d.rsplit('.').next() == Some("exempt"));
    if let Some(r) = &router {
        if project.limiter_use_on(r, LimiterOp::Limit) {
            return Limit::Limited;
        }
        exempt |= project.limiter_use_on(r, LimiterOp::Exempt);
    }
    let this = &project.this;
    let default = match &router {
        Some(r) if project.is_local_app(r) => project.limiters_of_app(this, r).into_iter().find(|f| f.value),
        Some(r) if project.is_blueprint(r) => {
            let regs = project.registrations(r);
            // a blueprint checked alone (an editor, a pasted file, a PR's
            // changed file): its app and limiter are elsewhere, unknown
            if regs.is_empty() && !project.has_project {
                return Limit::Limited;
            }
            if regs.is_empty() {
                project.any_default_limiter()
            } else {
                regs.iter().find_map(|(_, m, app)| project.limiters_of_app(m, app).into_iter().find(|f| f.value))
            }
        }
        _ => project.any_default_limiter(),
    };
    match (default, exempt) {
        (Some(_), false) => Limit::Limited,
        (Some(d), true) => Limit::Unlimited {
            exempt_from: Some(d.related("the default limits set here do not apply: the route is exempt".into())),
        },
        (None, _) => Limit::Unlimited { exempt_from: None },
    }
}

/// Do the route's responses get `Cache-Control: no-store`: set in the
/// function, or by an `after_request` hook of its blueprint or app?
pub(crate) fn sets_no_store(route: &Route, def: Node<'_>, cx: &Ctx<'_, '_, '_>) -> bool {
    if def.field("body").is_some_and(|b| Traits::of_body(b).no_store) {
        return true;
    }
    let project = &cx.file().project;
    let Some(router) = router_of(route, cx) else { return false };
    let this = &project.this;
    if project.hooks_on(this, &router, true).iter().any(|h| h.value.no_store) {
        return true;
    }
    project
        .registrations(&router)
        .iter()
        .any(|(_, m, app)| project.hooks_on(m, app, true).iter().any(|h| h.value.no_store))
}
