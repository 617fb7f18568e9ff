//! Go frontend: lowers a tree-sitter-go tree into facts in one pass.
//!
//! Functions are recorded under the name a call site uses: a top-level
//! `func Search(…)` as `Search`, a method `func (s *Server) search(…)` as
//! `search` (receivers are resolved by the last segment of the callee, as
//! for Python and TypeScript methods). Function literals (`func(ctx
//! context.Context, req mcp.CallToolRequest) (…) {…}`) are anonymous
//! functions: a handler written inline is linked by its span.

use tree_sitter::{Node, Tree};

use super::go_mcp;
use super::tree::{FieldExt, first_syntax_problem, span, text, walk};
use crate::facts::{FileFacts, Function, Import, Language};

pub fn lower(tree: &Tree, source: &str) -> FileFacts {
    let mut facts = FileFacts::new(Language::Go);
    if let Some(problem) = first_syntax_problem(tree) {
        facts.syntax_problems.push(problem);
    }
    walk(tree, |node, _parent, entering| {
        if !entering {
            return;
        }
        match node.kind() {
            "function_declaration" | "method_declaration" | "func_literal" => {
                record_function(node, source, &mut facts);
            }
            "import_spec" => record_import(node, source, &mut facts),
            _ => {}
        }
    });
    go_mcp::lower(tree, source, &mut facts);
    facts
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
}
