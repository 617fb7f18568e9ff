//! Declarations of the TypeScript/JavaScript frontend that bind a name
//! without an assignment — `class X {…}`, `enum E {…}` — and dispatch
//! branches labelled by a name rather than a literal (`case TOOLS.READ:`).
//! The project layer resolves these names across modules (tool names held
//! in enums and constant objects, tool classes instantiated elsewhere).

use tree_sitter::Node;

use super::tree::{FieldExt, span, text};
use super::typescript::{dotted_name, lower_expr, string_value};
use crate::facts::{Binding, Expr, FileFacts, Value};

/// `class Name {…}`: the name is bound to the class, whose span holds its
/// methods (so that `new Name()` leads to `Name`'s `execute`).
pub fn class_binding(facts: &mut FileFacts, node: Node<'_>, source: &str, top_level: bool) {
    let Some(name) = node.field("name") else {
        return;
    };
    facts.bindings.push(Binding {
        name: text(name, source).to_string(),
        value: Expr {
            span: span(node),
            value: Value::Other,
        },
        span: span(node),
        top_level,
    });
}

/// `enum ToolName { Read = "read_file", … }`: the name is bound to an object
/// of its members, as the compiled enum is.
pub fn enum_binding(facts: &mut FileFacts, node: Node<'_>, source: &str, top_level: bool) {
    let (Some(name), Some(body)) = (node.field("name"), node.field("body")) else {
        return;
    };
    let mut members = Vec::new();
    let mut cursor = body.walk();
    for member in body.named_children(&mut cursor) {
        match member.kind() {
            "enum_assignment" => {
                let (Some(key), Some(value)) = (member.field("name"), member.field("value")) else {
                    continue;
                };
                let key = match key.kind() {
                    "string" => string_value(key, source).0,
                    _ => text(key, source).to_string(),
                };
                members.push((key, lower_expr(value, source, 1)));
            }
            "property_identifier" => {
                let key = text(member, source).to_string();
                members.push((
                    key,
                    Expr {
                        span: span(member),
                        value: Value::Other,
                    },
                ));
            }
            _ => {}
        }
    }
    facts.bindings.push(Binding {
        name: text(name, source).to_string(),
        value: Expr {
            span: span(node),
            value: Value::Object(members),
        },
        span: span(node),
        top_level,
    });
}

/// `case TOOLS.READ:` / `case ToolName.Read:` / `case READ_FILE:`: a switch
/// branch labelled by a name; the label and the branch's span.
pub fn named_case(facts: &mut FileFacts, node: Node<'_>, source: &str) {
    let Some(value) = node.field("value") else {
        return;
    };
    if let Some(label) = dotted_name(value, source) {
        facts.dispatch_labels.push((label, span(node)));
    }
}

/// `if (name === TOOLS.READ) {…}` (either side): the label and the span of
/// the branch taken.
pub fn named_if(facts: &mut FileFacts, node: Node<'_>, source: &str) {
    let condition = node.field("condition").and_then(|c| {
        if c.kind() == "parenthesized_expression" {
            c.named_child(0)
        } else {
            Some(c)
        }
    });
    let (Some(condition), Some(consequence)) = (condition, node.field("consequence")) else {
        return;
    };
    if condition.kind() != "binary_expression"
        || !matches!(
            condition.field("operator").map(|o| o.kind()),
            Some("===" | "==")
        )
    {
        return;
    }
    let (Some(left), Some(right)) = (condition.field("left"), condition.field("right")) else {
        return;
    };
    // The label is the side that is a dotted name of a constant; the other
    // side is the tool-name variable (a plain name or `request.params.name`).
    for (label, other, kinds) in [
        (right, left, &["member_expression", "identifier"][..]),
        (left, right, &["member_expression"][..]),
    ] {
        if kinds.contains(&label.kind())
            && matches!(other.kind(), "identifier" | "member_expression")
            && let Some(label) = dotted_name(label, source)
        {
            facts.dispatch_labels.push((label, span(consequence)));
            return;
        }
    }
}
