//! The boolean value of a Go annotation hint as it is written in servers:
//! a literal (`ReadOnlyHint: true`), through a pointer helper
//! (`mcp.ToBoolPtr(false)`, `jsonschema.Ptr(true)`, a project's
//! `boolPtr(true)`), or the address of a variable bound once to a literal
//! (`no := false` … `DestructiveHint: &no`, a package-level `var f = false`).
//! A variable assigned anything else, or assigned twice with different
//! values, is set by code: the hint is computed, not known.

use tree_sitter::Node;

use super::tree::{FieldExt, text};

/// How deep pointer helpers and parentheses are unwrapped.
const MAX_WRAPPING: usize = 8;

/// The value a hint expression stands for, when the file says it.
pub fn bool_value(node: Node<'_>, source: &str) -> Option<bool> {
    let mut node = node;
    for _ in 0..MAX_WRAPPING {
        match node.kind() {
            "true" => return Some(true),
            "false" => return Some(false),
            "parenthesized_expression" | "literal_element" => node = node.named_child(0)?,
            // `&no`: the variable's value.
            "unary_expression"
                if node
                    .field("operator")
                    .is_some_and(|o| text(o, source) == "&") =>
            {
                node = node.field("operand")?
            }
            // A pointer helper takes the value as its only argument.
            "call_expression" => {
                let args = node.field("arguments")?;
                if args.named_child_count() != 1 {
                    return None;
                }
                node = args.named_child(0)?;
            }
            "identifier" => return variable_value(node, source),
            _ => return None,
        }
    }
    None
}

/// The literal a variable is bound to: in the functions around `name`
/// first, then at the package level of the file.
fn variable_value(name: Node<'_>, source: &str) -> Option<bool> {
    let wanted = text(name, source);
    // Each function around the use, innermost first (a closure reads its
    // parent's variables), then the package.
    let mut scope = name.parent();
    let mut root = name;
    while let Some(current) = scope {
        if matches!(
            current.kind(),
            "function_declaration" | "method_declaration" | "func_literal"
        ) && let Some(found) = bindings(current, wanted, source, false)
        {
            return found;
        }
        root = current;
        scope = current.parent();
    }
    bindings(root, wanted, source, true).flatten()
}

/// Every binding of `wanted` under `scope`: `None` when there is none,
/// `Some(None)` when they do not agree on one literal, `Some(Some(v))`.
/// `top_level` looks only at the file's own `var` / `const` declarations.
fn bindings(scope: Node<'_>, wanted: &str, source: &str, top_level: bool) -> Option<Option<bool>> {
    let mut found: Option<Option<bool>> = None;
    let mut agree = |value: Option<bool>| {
        found = Some(match found {
            None => value,
            Some(seen) if seen == value => seen,
            Some(_) => None,
        });
    };
    let mut stack = vec![scope];
    let mut visited = 0usize;
    while let Some(node) = stack.pop() {
        // Bounded like every walk of input: a hint is never worth a cliff.
        visited += 1;
        if visited > 100_000 {
            return Some(None);
        }
        match node.kind() {
            "short_var_declaration" | "assignment_statement" if !top_level => {
                let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
                    continue;
                };
                pairs(left, right, wanted, source, &mut agree);
            }
            "var_spec" | "const_spec" => {
                let mut cursor = node.walk();
                let names: Vec<Node<'_>> =
                    node.children_by_field_name("name", &mut cursor).collect();
                if let Some(at) = names.iter().position(|n| text(*n, source) == wanted) {
                    let value = node
                        .field("value")
                        .and_then(|v| v.named_child(u32::try_from(at).ok()?))
                        .and_then(|v| literal(v, source));
                    agree(value);
                }
            }
            _ => {}
        }
        // At the package level, declarations only (not the functions' own).
        if top_level
            && matches!(
                node.kind(),
                "function_declaration" | "method_declaration" | "func_literal"
            )
        {
            continue;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    found
}

/// `a, no := 1, false`: the value paired with `wanted`.
fn pairs(
    left: Node<'_>,
    right: Node<'_>,
    wanted: &str,
    source: &str,
    agree: &mut dyn FnMut(Option<bool>),
) {
    let mut cursor = left.walk();
    let names: Vec<Node<'_>> = left.named_children(&mut cursor).collect();
    let Some(at) = names.iter().position(|n| text(*n, source) == wanted) else {
        return;
    };
    let mut cursor = right.walk();
    let values: Vec<Node<'_>> = right.named_children(&mut cursor).collect();
    // `ok, err := f()`: one call for many names is computed.
    let value = (values.len() == names.len())
        .then(|| values.get(at).and_then(|v| literal(*v, source)))
        .flatten();
    agree(value);
}

fn literal(node: Node<'_>, source: &str) -> Option<bool> {
    match text(node, source) {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(source: &str, key: &str) -> Option<bool> {
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_go::LANGUAGE.into())
            .expect("go grammar");
        let tree = parser.parse(source, None).expect("parses");
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "keyed_element"
                && node.named_child(0).is_some_and(|k| text(k, source) == key)
            {
                return bool_value(node.named_child(1)?, source);
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        None
    }

    #[test]
    fn literals_helpers_and_variables() {
        let source = r#"package main
var yes = true
func boolPtr(b bool) *bool { return &b }
func main() {
	no := false
	computed := len(x) > 0
	twice := true
	twice = false
	a := mcp.ToolAnnotations{
		ReadOnlyHint: true,
		DestructiveHint: &no,
		OpenWorldHint: boolPtr(false),
		IdempotentHint: jsonschema.Ptr(yes),
		Title: computed,
		X: &twice,
		Y: &unknown,
		Z: (mcp.Ptr((true))),
	}
}
"#;
        assert_eq!(hint(source, "ReadOnlyHint"), Some(true));
        assert_eq!(hint(source, "DestructiveHint"), Some(false));
        assert_eq!(hint(source, "OpenWorldHint"), Some(false));
        assert_eq!(hint(source, "IdempotentHint"), Some(true));
        assert_eq!(hint(source, "Title"), None);
        assert_eq!(hint(source, "X"), None);
        assert_eq!(hint(source, "Y"), None);
        assert_eq!(hint(source, "Z"), Some(true));
    }
}
