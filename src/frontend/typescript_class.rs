//! Classes of the TypeScript / JavaScript frontend: name, superclass, and
//! members (static and instance fields with their values, methods and
//! accessors with their function index), for the project layer, which
//! finds tools defined as classes (`class FindTool extends ToolBase {
//! static toolName = "find"; … execute(args) {…} }`).

use tree_sitter::Node;

use super::tree::{FieldExt, span, text};
use super::typescript::{dotted_name, lower_expr, string_value};
use crate::facts::{ClassMember, FileFacts, TsClass};

/// How many members of one class are kept (generated code can be huge).
const MAX_MEMBERS: usize = 256;

/// Is this node a class (declaration or expression)?
pub fn is_class(kind: &str) -> bool {
    matches!(
        kind,
        "class_declaration" | "abstract_class_declaration" | "class"
    )
}

/// Records the class `node`. Called when the walk leaves the class, so that
/// its methods are already among the file's functions.
pub fn lower(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let name = node
        .field("name")
        .map(|n| text(n, source).to_string())
        .unwrap_or_default();
    let mut class = TsClass {
        name,
        span: span(node),
        extends: superclass(node, source),
        is_abstract: node.kind() == "abstract_class_declaration",
        members: Vec::new(),
    };
    let Some(body) = node.field("body") else {
        return;
    };
    let mut cursor = body.walk();
    for member in body.named_children(&mut cursor) {
        if class.members.len() >= MAX_MEMBERS {
            break;
        }
        if let Some(member) = lower_member(member, source, facts) {
            class.members.push(member);
        }
    }
    facts.classes.push(class);
}

/// `extends Base<T>` (TypeScript: an `extends_clause`; JavaScript: the
/// expression right under `class_heritage`).
fn superclass(node: Node<'_>, source: &str) -> Option<String> {
    let mut cursor = node.walk();
    let heritage = node
        .named_children(&mut cursor)
        .find(|c| c.kind() == "class_heritage")?;
    let mut cursor = heritage.walk();
    let first = heritage.named_children(&mut cursor).next()?;
    let value = match first.kind() {
        "extends_clause" => first.field("value")?,
        "implements_clause" => return None,
        _ => first,
    };
    // `extends mixin(Base)` names no class the project layer can follow.
    dotted_name(value, source)
}

/// Keyword children (`static`, `abstract`, `get`) are anonymous nodes.
fn has_keyword(node: Node<'_>, keyword: &str) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor)
        .any(|c| !c.is_named() && c.kind() == keyword)
}

fn member_name(node: Node<'_>, source: &str) -> Option<String> {
    let name = node.field("name").or_else(|| node.field("property"))?;
    Some(match name.kind() {
        "string" => string_value(name, source).0,
        "computed_property_name" => return None,
        _ => text(name, source).to_string(),
    })
}

fn lower_member(node: Node<'_>, source: &str, facts: &FileFacts) -> Option<ClassMember> {
    let function_at = |target: Node<'_>| {
        let target = span(target);
        facts.functions.iter().rposition(|f| f.span == target)
    };
    match node.kind() {
        "method_definition" => Some(ClassMember {
            name: member_name(node, source)?,
            span: span(node),
            is_static: has_keyword(node, "static"),
            is_abstract: false,
            getter: has_keyword(node, "get"),
            value: None,
            function: function_at(node),
        }),
        "abstract_method_signature" | "method_signature" => Some(ClassMember {
            name: member_name(node, source)?,
            span: span(node),
            is_static: has_keyword(node, "static"),
            is_abstract: true,
            getter: has_keyword(node, "get"),
            value: None,
            function: None,
        }),
        "public_field_definition" | "field_definition" => {
            let value = node.field("value");
            Some(ClassMember {
                name: member_name(node, source)?,
                span: span(node),
                is_static: has_keyword(node, "static"),
                is_abstract: has_keyword(node, "abstract"),
                getter: false,
                value: value.map(|v| lower_expr(v, source, 0)),
                function: value.and_then(function_at),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::facts::{FileFacts, Language, Value};

    fn lower(text: &str) -> FileFacts {
        crate::frontend::lower(Language::TypeScript, std::path::Path::new("t.ts"), text)
            .expect("parses")
    }

    #[test]
    fn class_members_with_values_and_functions() {
        let facts = lower(
            r#"
import { ToolBase } from "./base.js";
export class FindTool extends ToolBase<Session> {
    static toolName = "find";
    public name = FindTool.toolName;
    protected description = "Find documents";
    protected abstract schema: Shape;
    private handle = async (args: Args) => { return args; };
    get title() { return "Find"; }
    protected async execute({ filter }: Args) { return filter; }
}
export abstract class Base { abstract execute(args: unknown): Promise<void>; }
"#,
        );
        assert_eq!(facts.classes.len(), 2);
        let class = &facts.classes[0];
        assert_eq!(class.name, "FindTool");
        assert_eq!(class.extends.as_deref(), Some("ToolBase"));
        assert!(!class.is_abstract);
        let tool_name = class.member("toolName").expect("toolName");
        assert!(tool_name.is_static);
        assert_eq!(
            tool_name.value.as_ref().and_then(|v| v.str_value()),
            Some("find")
        );
        assert_eq!(
            class
                .member("name")
                .and_then(|m| m.value.as_ref())
                .map(|v| &v.value),
            Some(&Value::Name("FindTool.toolName".to_string()))
        );
        assert!(class.member("schema").is_some_and(|m| m.is_abstract));
        let handle = class.member("handle").and_then(|m| m.function);
        assert!(handle.is_some());
        assert!(
            class
                .member("title")
                .is_some_and(|m| m.getter && m.function.is_some())
        );
        let execute = class
            .member("execute")
            .and_then(|m| m.function)
            .expect("method");
        assert_eq!(facts.functions[execute].name.as_deref(), Some("execute"));
        let base = &facts.classes[1];
        assert!(base.is_abstract);
        assert!(base.member("execute").is_some_and(|m| m.is_abstract));
    }

    #[test]
    fn javascript_classes() {
        let facts = crate::frontend::lower(
            Language::JavaScript,
            std::path::Path::new("t.js"),
            "class Search extends tools.Base {\n  static NAME = 'search';\n  run(q) { return q; }\n}\n",
        )
        .expect("parses");
        let class = &facts.classes[0];
        assert_eq!(class.extends.as_deref(), Some("tools.Base"));
        assert!(class.member("NAME").is_some_and(|m| m.is_static));
        assert!(class.member("run").is_some_and(|m| m.function.is_some()));
    }
}
