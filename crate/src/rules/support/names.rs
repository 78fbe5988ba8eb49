//! How a fix may name a standard module (`os`, `hmac`) at the place it
//! edits: through an existing `import os` / `import os as o`, or by adding
//! `import os`, and never through a name that something else shadows there
//! (a parameter `os`, a local `hmac = ...`, `from x import os`).

use crate::fix::{ensure_import, Edit};
use crate::rules::Ctx;
use crate::syntax::Node;
use crate::taint::FrameKind;

/// The name to write for `module` at the node being checked, and the
/// import edit it needs; None when every way to name it is shadowed.
pub(crate) fn module_ref(cx: &Ctx<'_, '_, '_>, module: &str) -> Option<(String, Option<Edit>)> {
    let file = cx.file();
    // an existing module-level `import module [as alias]`
    let alias = file.index.alias_of_module(module);
    let name = alias.clone().unwrap_or_else(|| module.to_string());
    // the name bound to something else at module level
    if alias.is_none() && (file.index.binds_at_module_level(&name)) {
        return None;
    }
    // ... or in an enclosing function (parameters, assignments, imports,
    // loop and `with` targets anywhere in its body: Python scopes by function)
    for f in cx.frames.iter().filter(|f| f.kind == FrameKind::Function) {
        let Some((start, end)) = f.span else { continue };
        let def = file.root.covering(start, end).filter(|d| d.start() == start && d.end() == end);
        if def.is_some_and(|d| binds_locally(d, &name)) {
            return None;
        }
    }
    let import = if alias.is_some() { None } else { ensure_import(file.root, file.source, module) };
    Some((name, import))
}

/// Does the function `def` bind `name` in its own scope?
pub(crate) fn binds_locally(def: Node<'_>, name: &str) -> bool {
    let Some(def) = find_def(def) else { return false };
    if let Some(params) = def.field("parameters") {
        let mut found = false;
        params.visit(&mut |n| {
            if n.is("identifier") && n.text() == name {
                found = true;
            }
            !found
        });
        if found {
            return true;
        }
    }
    let Some(body) = def.field("body") else { return false };
    let mut found = false;
    body.visit_with_ancestors(&mut |n, anc| {
        if found {
            return false;
        }
        // nested scopes bind their own names
        if matches!(n.kind(), "function_definition" | "class_definition" | "lambda") {
            return false;
        }
        if n.is("identifier") && n.text() == name {
            let parent = anc.last();
            let binding = parent.is_some_and(|p| {
                matches!(
                    p.kind(),
                    "assignment"
                        | "augmented_assignment"
                        | "for_statement"
                        | "as_pattern_target"
                        | "pattern_list"
                        | "tuple_pattern"
                        | "list_pattern"
                        | "global_statement"
                        | "nonlocal_statement"
                        | "aliased_import"
                        | "dotted_name"
                        | "named_expression"
                ) && p.field("right").is_none_or(|r| r != n)
                    && p.field("value").is_none_or(|v| v != n)
            });
            if binding {
                found = true;
            }
        }
        true
    });
    found
}

fn find_def(n: Node<'_>) -> Option<Node<'_>> {
    match n.kind() {
        "function_definition" => Some(n),
        "decorated_definition" => n.field("definition").filter(|d| d.is("function_definition")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::Parsed;

    fn binds(src: &str, name: &str) -> bool {
        let p = Parsed::parse(src.to_string()).expect("parse");
        let def = p.root().items()[0];
        super::binds_locally(def, name)
    }

    #[test]
    fn local_bindings_shadow() {
        assert!(binds("def f(os):\n    pass\n", "os"));
        assert!(binds("def f():\n    hmac = 1\n", "hmac"));
        assert!(binds("def f():\n    for os in x:\n        pass\n", "os"));
        assert!(binds("def f():\n    import json as os\n", "os"));
        assert!(!binds("def f():\n    x = os.environ['A']\n", "os"));
        assert!(!binds("def f():\n    def g(os):\n        pass\n", "os"));
        assert!(!binds("def f(a=os):\n    pass\n", "b"));
    }
}
