//! Go tools registered under a condition in another function: a factory
//! `func NewPodExecTool() fxctx.Tool { return fxctx.NewTool(&mcp.Tool{…}, h) }`
//! defines the tool, and the server adds it only past a gate —
//! `if cfg.ReadOnly { return app }; app.WithTool(tools.NewPodExecTool)` —
//! or inside an `if`. One file cannot see that; the project can: when every
//! reference to the function that defines the tool lies in gated code, the
//! tool is conditional (`ToolDef::conditional`), as a registration inside
//! an `if` of its own file is.

use std::collections::HashMap;

use crate::facts::{EntryKind, FileFacts, Language, Stmt};
use crate::finding::Span;
use crate::roles::Role;

use super::{Edit, Unit, View, go_modules};

/// Functions that are entry points, never referenced by name.
const ENTRY_POINTS: &[&str] = &["main", "init"];

pub fn pass(view: &View) -> Vec<Edit> {
    let go: Vec<usize> = (0..view.units.len())
        .filter(|&f| {
            view.units[f].facts.language == Language::Go && view.units[f].role != Role::Test
        })
        .collect();
    // The named function defining each unconditional tool, per file.
    let mut wanted: HashMap<(usize, Span), Vec<usize>> = HashMap::new();
    for &file in &go {
        let facts = view.units[file].facts;
        for (index, tool) in facts.tools.iter().enumerate() {
            if tool.conditional || tool.kind != EntryKind::Tool {
                continue;
            }
            let defining = facts
                .enclosing_functions(tool.span)
                .into_iter()
                .filter_map(|i| facts.functions.get(i))
                .find(|f| f.name.is_some());
            if let Some(function) = defining
                && function
                    .name
                    .as_deref()
                    .is_some_and(|n| !ENTRY_POINTS.contains(&n))
            {
                wanted.entry((file, function.span)).or_default().push(index);
            }
        }
    }
    let mut edits = Vec::new();
    for ((file, function), tools) in wanted {
        let Some(name) = view.units[file]
            .facts
            .enclosing_function(function)
            .and_then(|f| f.name.as_deref())
        else {
            continue;
        };
        if only_gated_references(view, &go, file, function, name) {
            edits.extend(tools.into_iter().map(|tool| Edit::Gate { file, tool }));
        }
    }
    edits
}

/// Is `name` (the function at `function` of `file`) referenced at least
/// once, and only from code that runs under a condition?
fn only_gated_references(
    view: &View,
    go: &[usize],
    file: usize,
    function: Span,
    name: &str,
) -> bool {
    let home = view.units[file].path.parent();
    let package = home
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let mut found = false;
    for &unit in go {
        let Unit {
            text, facts, path, ..
        } = &view.units[unit];
        let same_package = path.parent() == home;
        let mut from = 0;
        while let Some(at) = text.get(from..).and_then(|t| t.find(name)) {
            let start = from + at;
            let end = start + name.len();
            from = end;
            let here = Span::new(start, end);
            if !is_word(text, start, end) || (unit == file && contains(function, here)) {
                continue;
            }
            // A comment or a reference outside any function (a doc comment
            // above the definition) registers nothing.
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..start].trim_start().starts_with("//")
                || facts.enclosing_function(here).is_none()
            {
                continue;
            }
            if !refers_to(
                view.go_modules(),
                &view.units[unit],
                start,
                same_package,
                home,
                package,
            ) {
                continue;
            }
            if !gated(facts, here) {
                return false;
            }
            found = true;
        }
    }
    found
}

/// Does the name at `start` name the function of the package in `home`:
/// bare in the same package, or qualified by an import of that package —
/// the directory the import names in the importer's module when a
/// `go.mod` says, else a package whose directory has the import's last
/// name.
fn refers_to(
    modules: &go_modules::GoModules,
    unit: &Unit<'_>,
    start: usize,
    same_package: bool,
    home: Option<&std::path::Path>,
    package: &str,
) -> bool {
    let before = &unit.text[..start];
    let Some(qualified) = before.strip_suffix('.') else {
        return same_package;
    };
    let qualifier_start = qualified
        .rfind(|c: char| !c.is_alphanumeric() && c != '_')
        .map_or(0, |i| i + 1);
    let qualifier = &qualified[qualifier_start..];
    let home_key = home.and_then(|h| go_modules::package_key(&h.join("x.go")));
    let names_home = |module: &str| match modules.import_target(unit.path, module) {
        Some(target) => home_key.as_deref() == Some(target.as_str()),
        None => module.rsplit('/').next() == Some(package),
    };
    unit.facts
        .imports
        .iter()
        .any(|i| i.local == qualifier && names_home(&i.module))
        || same_package
}

fn gated(facts: &FileFacts, at: Span) -> bool {
    facts.go.gated(at)
        || facts.statements.iter().any(|s| match s {
            Stmt::Guard { body, .. } => contains(*body, at),
            _ => false,
        })
}

fn is_word(text: &str, start: usize, end: usize) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(ident)
        && !text[end..].chars().next().is_some_and(ident)
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::facts::Language;

    const TOOLS: &str = "package tools\n\nimport (\n\t\"github.com/mark3labs/mcp-go/mcp\"\n\t\"github.com/mark3labs/mcp-go/server\"\n)\n\n// ExecTool runs a command.\nfunc ExecTool() (mcp.Tool, server.ToolHandlerFunc) {\n\treturn mcp.NewTool(\"exec_command\"), nil\n}\n";

    /// The tools the pass marks conditional when `main` holds `body`.
    fn gated(body: &str) -> Vec<Edit> {
        let main = format!(
            "package main\n\nimport (\n\t\"github.com/mark3labs/mcp-go/server\"\n\t\"example.com/podctl/tools\"\n)\n\nfunc build(readOnly bool) *server.MCPServer {{\n\ts := server.NewMCPServer(\"p\", \"1\")\n{body}\treturn s\n}}\n"
        );
        let dir = std::env::temp_dir().join("mcplint-go-gates-unit");
        let paths = [dir.join("main.go"), dir.join("tools").join("exec.go")];
        let texts = [main.as_str(), TOOLS];
        let facts: Vec<FileFacts> = paths
            .iter()
            .zip(texts)
            .map(|(p, t)| crate::frontend::lower(Language::Go, p, t).expect("parses"))
            .collect();
        let units = paths
            .iter()
            .zip(texts)
            .zip(&facts)
            .map(|((p, t), f): ((&PathBuf, &str), _)| Unit::new(p, t, f))
            .collect();
        pass(&View::new(units))
    }

    #[test]
    fn a_factory_referenced_past_an_early_return_is_conditional() {
        let edits = gated("\tif readOnly {\n\t\treturn s\n\t}\n\ts.AddTool(tools.ExecTool())\n");
        assert!(matches!(
            edits.as_slice(),
            [Edit::Gate { file: 1, tool: 0 }]
        ));
        let edits = gated("\tif !readOnly {\n\t\ts.AddTool(tools.ExecTool())\n\t}\n");
        assert!(matches!(
            edits.as_slice(),
            [Edit::Gate { file: 1, tool: 0 }]
        ));
    }

    #[test]
    fn an_error_check_or_one_open_reference_is_no_gate() {
        assert!(gated("\tif err := ping(); err != nil {\n\t\treturn nil\n\t}\n\ts.AddTool(tools.ExecTool())\n").is_empty());
        assert!(gated("\tif readOnly {\n\t\ts.AddTool(tools.ExecTool())\n\t}\n\ts.AddTool(tools.ExecTool())\n").is_empty());
        // A comment naming the factory registers nothing; no reference at
        // all leaves the tool as its file says.
        assert!(gated("\t// tools.ExecTool is added by the plugin loader\n").is_empty());
    }
}
