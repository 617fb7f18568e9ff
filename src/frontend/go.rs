//! Go frontend: lowers a tree-sitter-go tree into facts in one pass.
//!
//! Functions are recorded under the name a call site uses: a top-level
//! `func Search(…)` as `Search`, a method `func (s *Server) search(…)` as
//! `search` (receivers are resolved by the last segment of the callee, as
//! for Python and TypeScript methods). Function literals (`func(ctx
//! context.Context, req mcp.CallToolRequest) (…) {…}`) are anonymous
//! functions: a handler written inline is linked by its span.

use tree_sitter::{Node, Tree};

use super::go_expr::{dotted_name, lower_call, lower_expr, string_value, struct_literal};
use super::tree::{FieldExt, first_syntax_problem, span, text, walk};
use super::{go_flow, go_mcp};
use crate::facts::{Binding, Comparison, FileFacts, Function, Import, Language, StringLit};

pub fn lower(tree: &Tree, source: &str) -> FileFacts {
    let mut facts = FileFacts::new(Language::Go);
    if let Some(problem) = first_syntax_problem(tree) {
        facts.syntax_problems.push(problem);
    }
    // Depth of enclosing functions and function literals: bindings outside
    // every one are the package's own (`top_level`).
    let mut function_depth = 0usize;
    walk(tree, |node, parent, entering| {
        let kind = node.kind();
        let is_function = matches!(
            kind,
            "function_declaration" | "method_declaration" | "func_literal"
        );
        if !entering {
            if is_function {
                function_depth -= 1;
            }
            return;
        }
        if is_function {
            record_function(node, source, &mut facts);
            function_depth += 1;
        }
        go_flow::statement(node, source, &mut facts);
        match kind {
            "import_spec" => record_import(node, source, &mut facts),
            "call_expression" => {
                if let Some(call) = lower_call(node, source, 0) {
                    facts.calls.push(call);
                }
            }
            // `&http.Server{Addr: addr}` is Go's constructor call.
            "composite_literal" => {
                if let Some(call) = struct_literal(node, source, 0) {
                    facts.calls.push(call);
                }
            }
            "interpreted_string_literal" | "raw_string_literal" => {
                record_string(node, parent, source, &mut facts);
            }
            "binary_expression" => record_comparison(node, source, &mut facts),
            "if_statement" => facts
                .go
                .gates
                .extend(super::go_gates::early_exit_gate(node, source)),
            "var_spec" | "const_spec" => {
                let mut cursor = node.walk();
                let names: Vec<Node<'_>> =
                    node.children_by_field_name("name", &mut cursor).collect();
                let values = node.field("value").map(expressions).unwrap_or_default();
                record_bindings(
                    &names,
                    &values,
                    node,
                    source,
                    function_depth == 0,
                    &mut facts,
                );
            }
            "short_var_declaration" | "assignment_statement" => {
                let plain = node
                    .field("operator")
                    .is_none_or(|o| matches!(text(o, source), "=" | ":="));
                if plain
                    && let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
                {
                    let names = expressions(left);
                    let values = expressions(right);
                    record_bindings(
                        &names,
                        &values,
                        node,
                        source,
                        function_depth == 0,
                        &mut facts,
                    );
                }
            }
            _ => {}
        }
    });
    go_mcp::lower(tree, source, &mut facts);
    facts
}

/// The expressions of an `expression_list` (or a single expression).
fn expressions(node: Node<'_>) -> Vec<Node<'_>> {
    if node.kind() != "expression_list" {
        return vec![node];
    }
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() != "comment")
        .collect()
}

/// `a, b = x, y` binds pairwise; `v, err := f()` binds the first name to the
/// call (the value Go code goes on to use); the blank `_` binds nothing.
fn record_bindings(
    names: &[Node<'_>],
    values: &[Node<'_>],
    node: Node<'_>,
    source: &str,
    top_level: bool,
    facts: &mut FileFacts,
) {
    let pairs: Vec<(Node<'_>, Node<'_>)> = if names.len() == values.len() {
        names.iter().copied().zip(values.iter().copied()).collect()
    } else if values.len() == 1 {
        names.first().map(|n| (*n, values[0])).into_iter().collect()
    } else {
        Vec::new()
    };
    for (name, value) in pairs {
        let Some(name) = dotted_name(name, source) else {
            continue;
        };
        if name == "_" {
            continue;
        }
        facts.bindings.push(Binding {
            name,
            value: lower_expr(value, source, 0),
            span: span(node),
            top_level,
        });
    }
}

/// A string literal, with the name it is the whole value of. Import paths
/// and struct tags are not strings of the program.
fn record_string(node: Node<'_>, parent: Option<Node<'_>>, source: &str, facts: &mut FileFacts) {
    if parent.is_some_and(|p| matches!(p.kind(), "import_spec" | "field_declaration")) {
        return;
    }
    let target = parent.and_then(|p| string_target(node, p, source));
    facts.strings.push(StringLit {
        value: string_value(node, source),
        span: span(node),
        target,
    });
}

/// `const Token = "…"`, `token := "…"`, `Password: "…"` (a struct or map
/// key), `cfg.Token = "…"`: the name the literal is assigned to.
fn string_target(node: Node<'_>, parent: Node<'_>, source: &str) -> Option<String> {
    match parent.kind() {
        "expression_list" => {
            let holder = parent.parent()?;
            let position = expressions(parent).iter().position(|n| *n == node)?;
            let names: Vec<Node<'_>> = match holder.kind() {
                "var_spec" | "const_spec" => {
                    let mut cursor = holder.walk();
                    holder.children_by_field_name("name", &mut cursor).collect()
                }
                "short_var_declaration" | "assignment_statement" => {
                    holder.field("left").map(expressions).unwrap_or_default()
                }
                _ => return None,
            };
            if holder.field("value").or(holder.field("right")) != Some(parent) {
                return None;
            }
            dotted_name(*names.get(position)?, source)
        }
        "literal_element" => {
            let keyed = parent.parent().filter(|k| k.kind() == "keyed_element")?;
            if keyed.field("value") != Some(parent) {
                return None;
            }
            let key = keyed.field("key")?;
            let key = key.named_child(0).unwrap_or(key);
            Some(match key.kind() {
                "interpreted_string_literal" | "raw_string_literal" => string_value(key, source),
                _ => text(key, source).to_string(),
            })
        }
        _ => None,
    }
}

/// `a == b`, `a != b`: the operands, for the timing-unsafe comparison rule.
fn record_comparison(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let (Some(left), Some(operator), Some(right)) = (
        node.field("left"),
        node.field("operator"),
        node.field("right"),
    ) else {
        return;
    };
    let op = text(operator, source);
    if matches!(op, "==" | "!=") {
        facts.comparisons.push(Comparison {
            op: op.to_string(),
            left: span(left),
            right: span(right),
            span: span(node),
        });
    }
}

fn record_function(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let name = node.field("name").map(|n| text(n, source).to_string());
    let params = node
        .field("parameters")
        .map(|list| parameter_names(list, source))
        .unwrap_or_default();
    facts.functions.push(Function {
        name,
        span: span(node),
        params,
    });
}

/// `(ctx context.Context, req mcp.CallToolRequest)` → `["ctx", "req"]`;
/// `(a, b string)` declares two; an unnamed `(context.Context, …)` gives `_`
/// so that positions still line up with arguments.
fn parameter_names(list: Node<'_>, source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut cursor = list.walk();
    for param in list.named_children(&mut cursor) {
        if !matches!(
            param.kind(),
            "parameter_declaration" | "variadic_parameter_declaration"
        ) {
            continue;
        }
        let mut inner = param.walk();
        let declared: Vec<String> = param
            .children_by_field_name("name", &mut inner)
            .map(|n| text(n, source).to_string())
            .collect();
        if declared.is_empty() {
            names.push("_".to_string());
        } else {
            names.extend(declared);
        }
    }
    names
}

/// `import "os/exec"`, `import srv "github.com/mark3labs/mcp-go/server"`:
/// the module is the import path, the local name its alias or last segment.
fn record_import(node: Node<'_>, source: &str, facts: &mut FileFacts) {
    let Some(path) = node.field("path") else {
        return;
    };
    let module = text(path, source).trim_matches(|c| c == '"' || c == '`');
    if module.is_empty() {
        return;
    }
    let local = match node.field("name").map(|n| text(n, source)) {
        Some(alias) => alias.to_string(),
        None => default_package_name(module).to_string(),
    };
    facts.imports.push(Import {
        module: module.to_string(),
        name: None,
        local,
        span: span(node),
    });
}

/// The name a package is used under when imported without an alias: the last
/// path segment, skipping a major-version suffix (`…/go-sdk/v2/mcp` → `mcp`,
/// `gopkg.in/yaml.v3` → `yaml`).
pub fn default_package_name(module: &str) -> &str {
    let mut segments = module.rsplit('/');
    let last = segments.next().unwrap_or(module);
    let is_major =
        last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
    let last = if is_major {
        segments.next().unwrap_or(last)
    } else {
        last
    };
    match last.split_once(".v") {
        Some((base, version)) if version.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => last,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Value;
    use std::path::Path;

    fn lower_go(source: &str) -> FileFacts {
        crate::frontend::lower(Language::Go, Path::new("main.go"), source).expect("parses")
    }

    #[test]
    fn functions_methods_and_literals() {
        let facts = lower_go(
            "package main\n\nfunc Search(ctx context.Context, a, b string) error { return nil }\n\
             func (s *Server) handle(_ context.Context, req mcp.CallToolRequest) {}\n\
             var h = func(context.Context) {}\n",
        );
        let names: Vec<_> = facts.functions.iter().map(|f| f.name.clone()).collect();
        assert_eq!(
            names,
            vec![Some("Search".into()), Some("handle".into()), None]
        );
        assert_eq!(facts.functions[0].params, vec!["ctx", "a", "b"]);
        assert_eq!(facts.functions[1].params, vec!["_", "req"]);
        assert_eq!(facts.functions[2].params, vec!["_"]);
    }

    #[test]
    fn imports_with_and_without_alias() {
        let facts = lower_go(
            "package main\n\nimport (\n\t\"os/exec\"\n\tsrv \"github.com/mark3labs/mcp-go/server\"\n\t\"github.com/modelcontextprotocol/go-sdk/v2/mcp\"\n\t\"gopkg.in/yaml.v3\"\n)\n",
        );
        let locals: Vec<_> = facts.imports.iter().map(|i| i.local.as_str()).collect();
        assert_eq!(locals, vec!["exec", "srv", "mcp", "yaml"]);
    }

    #[test]
    fn a_broken_file_still_lowers() {
        let facts = lower_go("package main\nfunc broken( {\n");
        assert!(!facts.syntax_problems.is_empty());
    }

    fn call<'f>(facts: &'f FileFacts, callee: &str) -> &'f crate::facts::Call {
        facts
            .calls
            .iter()
            .find(|c| c.callee == callee)
            .unwrap_or_else(|| panic!("no call {callee}: {:?}", facts.calls))
    }

    #[test]
    fn calls_struct_literals_and_templates() {
        let facts = lower_go(concat!(
            "package main\n",
            "func h(ctx context.Context, req mcp.CallToolRequest) {\n",
            "\tpath := req.GetArguments()[\"path\"].(string)\n",
            "\tcmd := exec.CommandContext(ctx, \"sh\", \"-c\", fmt.Sprintf(\"ls %s | wc -%d\", path, 3))\n",
            "\tsrv := &http.Server{Addr: \":8080\", Handler: mux}\n",
            "\targs := []string{\"-f\", path}\n",
            "\tm := map[string]any{\"key\": path}\n",
            "\tgetClient(ctx).Do(r)\n",
            "}\n",
        ));
        let exec = call(&facts, "exec.CommandContext");
        assert_eq!(exec.args.len(), 4);
        assert_eq!(exec.args[1].value.str_value(), Some("sh"));
        match &exec.args[3].value.value {
            Value::Template(text, parts) => {
                assert_eq!(text, "ls {} | wc -{}");
                assert_eq!(parts[0].value, Value::Name("path".into()));
            }
            other => panic!("not a template: {other:?}"),
        }
        let server = call(&facts, "http.Server");
        assert_eq!(server.args[0].name.as_deref(), Some("Addr"));
        assert_eq!(server.args[0].value.str_value(), Some(":8080"));
        let receiver_call = call(&facts, "<expr>.Do");
        assert!(receiver_call.receiver.is_some());
        let binding = |name: &str| {
            facts
                .bindings
                .iter()
                .find(|b| b.name == name)
                .map(|b| b.value.value.clone())
        };
        // The type assertion is the value it asserts: an index on the call.
        assert!(matches!(binding("path"), Some(Value::Op(op, _)) if op == "[]"));
        assert!(matches!(binding("args"), Some(Value::Array(items)) if items.len() == 2));
        assert!(matches!(binding("m"), Some(Value::Object(pairs)) if pairs[0].0 == "key"));
        assert!(matches!(binding("srv"), Some(Value::Op(op, _)) if op == "&"));
    }

    #[test]
    fn bindings_strings_and_environment() {
        let facts = lower_go(concat!(
            "package main\n",
            "import \"os\"\n",
            "const apiToken = \"ghp_abc\"\n",
            "var (\n\thost = os.Getenv(\"HOST\")\n\tport, debug = \"8080\", false\n)\n",
            "type Args struct {\n\tPath string `json:\"path\"`\n}\n",
            "func main() {\n\tcfg := Config{Password: \"hunter2\"}\n\tv, err := load(`raw\\n`)\n\t_ = err\n\tif token == apiToken {}\n}\n",
        ));
        let top: Vec<_> = facts
            .bindings
            .iter()
            .filter(|b| b.top_level)
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(top, vec!["apiToken", "host", "port", "debug"]);
        let host = facts
            .bindings
            .iter()
            .find(|b| b.name == "host")
            .expect("host");
        assert!(matches!(&host.value.value, Value::EnvLookup { var: Some(v), .. } if v == "HOST"));
        let v = facts.bindings.iter().find(|b| b.name == "v").expect("v");
        assert!(!v.top_level);
        assert!(matches!(&v.value.value, Value::Call(c) if c.callee == "load"));
        let strings: Vec<_> = facts
            .strings
            .iter()
            .map(|s| (s.value.as_str(), s.target.as_deref()))
            .collect();
        assert_eq!(
            strings,
            vec![
                ("ghp_abc", Some("apiToken")),
                ("HOST", None),
                ("8080", Some("port")),
                ("hunter2", Some("Password")),
                ("raw\\n", None),
            ]
        );
        assert_eq!(facts.comparisons.len(), 1);
    }
}
