//! Tool names and descriptions written as constants of the project.
//!
//! A frontend sees one file: `server.tool(TOOL_NAMES.search, …)`,
//! `@mcp.tool(name=ToolName.READ)`, `registerTool(getDataTool.name, {
//! description: getDataTool.description })` with the constant, enum or
//! definition object imported from another module look computed at runtime
//! to it — the tool is recorded as `(dynamic)` and its description as
//! dynamic with no known origin. This pass resolves such names through the
//! project (imports, re-exports, enum members, members of object literals,
//! templates and concatenations of constants) and renames the tool, or
//! gives it its literal description, before any rule or the inventory reads
//! them. Only what resolves to literal text changes: a parameter, a loop
//! variable or a value read at runtime stays dynamic.

use crate::facts::{Call, Description, EntryKind, Expr, FileFacts, Language, Stmt, Value};
use crate::finding::Span;

use super::{Edit, Symbol, View};

/// How many names deep a constant is followed (`A = B`, `B = "x"`).
const MAX_DEPTH: usize = 6;

/// The note when a tool's name is further away.
const DEPTH_LIMIT: &str =
    "tool names are followed through 6 constants, parameters or calls and this one goes further";

pub fn pass(view: &View) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (file, unit) in view.units.iter().enumerate() {
        let facts = unit.facts;
        for (index, tool) in facts.tools.iter().enumerate() {
            if tool.kind != EntryKind::Tool {
                continue;
            }
            if tool.dynamic_name
                && let Some(name) = resolved_name(view, file, index)
            {
                edits.push(Edit::Rename {
                    file,
                    tool: index,
                    name,
                });
            }
            if let Some(Description::Dynamic { span, .. }) = &tool.description
                && let Some(expr) = expr_at(facts, *span)
                && let Some(text) = constant_string(view, file, expr, *span)
            {
                edits.push(Edit::Describe {
                    file,
                    tool: index,
                    description: Description::Literal { text, span: *span },
                });
            }
        }
    }
    edits
}

/// The name a tool of dynamic name has when its name expression is a
/// constant of the project; `None` when it is not, or stays unknown.
pub fn resolved_name(view: &View, file: usize, tool: usize) -> Option<String> {
    let facts = view.units.get(file)?.facts;
    let tool = facts.tools.get(tool)?;
    if !tool.dynamic_name {
        return None;
    }
    let expr = name_expr(facts, tool.span)?;
    constant_string(view, file, expr, tool.span).filter(|n| !n.is_empty())
}

/// The expression a dynamic name was read from: the argument at the tool's
/// span, or the `name=` keyword of the registration call at it
/// (`mcp.add_tool(fn, name=…)` records the call's span).
fn name_expr(facts: &FileFacts, span: Span) -> Option<&Expr> {
    if let Some(call) = facts.calls.iter().find_map(|c| call_at(c, span)) {
        return call.keyword("name");
    }
    expr_at(facts, span)
}

fn call_at(call: &Call, span: Span) -> Option<&Call> {
    if call.span == span {
        return Some(call);
    }
    call.args.iter().find_map(|a| match &a.value.value {
        Value::Call(inner) if within(a.value.span, span) => call_at(inner, span),
        _ => None,
    })
}

/// The expression at exactly `span` among the file's call arguments (also
/// inside option objects: `registerTool(name, { description })`).
fn expr_at(facts: &FileFacts, span: Span) -> Option<&Expr> {
    fn find(expr: &Expr, span: Span, depth: usize) -> Option<&Expr> {
        if expr.span == span {
            return Some(expr);
        }
        if depth > 4 || !within(expr.span, span) {
            return None;
        }
        expr.children()
            .into_iter()
            .find_map(|child| find(child, span, depth + 1))
    }
    facts
        .calls
        .iter()
        .find_map(|c| c.args.iter().find_map(|a| find(&a.value, span, 0)))
}

fn within(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// The literal text `expr` (written at `at` in file `file`) stands for: a
/// string, a constant, an enum member, a member of an object literal, of
/// this module or imported, or a template / concatenation of those.
pub(super) fn constant_string(view: &View, file: usize, expr: &Expr, at: Span) -> Option<String> {
    string_in(view, file, expr, Some(at), 0)
}

fn string_in(
    view: &View,
    file: usize,
    expr: &Expr,
    at: Option<Span>,
    depth: usize,
) -> Option<String> {
    if depth > MAX_DEPTH {
        view.note_limit(file, expr.span, DEPTH_LIMIT);
        return None;
    }
    match &expr.value {
        Value::Str(s) => Some(s.clone()),
        Value::Name(name) => {
            // A parameter or a local variable of the registering function
            // holds whatever its caller or loop gives it.
            if let Some(at) = at
                && is_local(view.units[file].facts, name, at)
            {
                return None;
            }
            name_string(view, file, name, depth)
        }
        Value::Template(text, parts) => {
            let mut out = String::new();
            let mut pieces = text.split("{}");
            out.push_str(pieces.next().unwrap_or(""));
            for (part, piece) in parts.iter().zip(pieces) {
                out.push_str(&string_in(view, file, part, at, depth + 1)?);
                out.push_str(piece);
            }
            Some(out)
        }
        Value::Concat(parts) => parts
            .iter()
            .map(|p| string_in(view, file, p, at, depth + 1))
            .collect(),
        // `"x" as const`, `Object.freeze("x")` are rare; `NAME as string` is not.
        Value::Op(op, operands) if op == "as" => {
            string_in(view, file, operands.first()?, at, depth + 1)
        }
        _ => None,
    }
}

/// Is `name` a parameter of the function around `at`, or assigned inside it
/// without being a binding of the file (a loop variable, a destructured
/// argument)? `this.x` / `self.x` are the object's own fields: their value is
/// the instance's, not a constant's.
fn is_local(facts: &FileFacts, name: &str, at: Span) -> bool {
    if name.starts_with("this.") || name.starts_with("self.") {
        return true;
    }
    let head = name.split(['.', ':']).next().unwrap_or(name);
    let Some(function) = facts.enclosing_function(at) else {
        return false;
    };
    if function.params.iter().any(|p| p == head) {
        return true;
    }
    facts.resolve(head).is_none()
        && facts.statements.iter().any(|s| match s {
            Stmt::Assign { targets, span, .. } => {
                within(function.span, *span) && targets.iter().any(|t| t == head)
            }
            _ => false,
        })
}

/// The text a (dotted) name stands for in file `file`.
fn name_string(view: &View, file: usize, name: &str, depth: usize) -> Option<String> {
    let facts = view.units.get(file)?.facts;
    if facts.language == Language::Python {
        return super::python_names::string_of(view, file, name).map(|(s, _, _)| s);
    }
    if let Some((s, _)) = facts
        .string_of(&Expr {
            span: Span::default(),
            value: Value::Name(name.to_string()),
        })
        .filter(|_| facts.resolve(name).is_some())
    {
        return Some(s);
    }
    // Longest bound prefix first: `ToolName.Read` may be bound as a whole,
    // `tools.search.name` is the member `search.name` of `tools`.
    let segments: Vec<&str> = name.split(['.', ':']).filter(|s| !s.is_empty()).collect();
    for cut in (1..=segments.len()).rev() {
        let head = segments[..cut].join(".");
        let (f, value) = match view.resolve(file, &head) {
            Some(Symbol::Binding(f, j)) => (f, &view.units[f].facts.bindings[j].value),
            _ => continue,
        };
        let mut current = value;
        for key in &segments[cut..] {
            current = object_of(current)?.get(key)?;
        }
        return string_in(view, f, current, None, depth + 1);
    }
    None
}

/// An object literal, through `{…} as const`, `Object.freeze({…})` and
/// `defineTool({…})`-style constructors.
fn object_of(expr: &Expr) -> Option<&Expr> {
    match &expr.value {
        Value::Object(_) => Some(expr),
        Value::Op(op, operands) if op == "as" => object_of(operands.first()?),
        Value::Call(call) => call
            .positional()
            .find(|a| matches!(a.value, Value::Object(_))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::facts::Language;
    use crate::frontend;
    use crate::project::Unit;

    fn lowered(files: &[(&str, &str)]) -> Vec<(PathBuf, String, FileFacts)> {
        files
            .iter()
            .map(|(path, text)| {
                let path = PathBuf::from(path);
                let language = match path.extension().and_then(|e| e.to_str()) {
                    Some("py") => Language::Python,
                    _ => Language::TypeScript,
                };
                let facts = frontend::lower(language, &path, text).expect("lowers");
                (path, text.to_string(), facts)
            })
            .collect()
    }

    fn renames(files: &[(&str, &str)]) -> Vec<String> {
        let lowered = lowered(files);
        let view = View::new(
            lowered
                .iter()
                .map(|(path, text, facts)| Unit::new(Path::new(path), text, facts))
                .collect(),
        );
        let mut out: Vec<String> = pass(&view)
            .into_iter()
            .filter_map(|e| match e {
                Edit::Rename { name, .. } => Some(name),
                Edit::Describe { description, .. } => {
                    description.text().map(|t| format!("desc:{t}"))
                }
                _ => None,
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn ts_names_from_imported_definitions_and_enums() {
        let found = renames(&[
            (
                "/p/src/tools/lookup.ts",
                r#"export const lookupTool = { name: "lookup_order", description: "Look up an order." };"#,
            ),
            (
                "/p/src/tools/index.ts",
                r#"export { lookupTool } from "./lookup.js";"#,
            ),
            (
                "/p/src/names.ts",
                r#"export enum ToolName { Refund = "refund_order" }
export const PREFIX = "shop";"#,
            ),
            (
                "/p/src/server.ts",
                r#"import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { lookupTool } from "./tools/index.js";
import { ToolName, PREFIX } from "./names.js";
const server = new McpServer({ name: "shop", version: "1.0.0" });
server.registerTool(lookupTool.name, { description: lookupTool.description }, async () => ({ content: [] }));
server.tool(ToolName.Refund, "Refund an order.", async () => ({ content: [] }));
server.tool(`${PREFIX}_status`, "Shop status.", async () => ({ content: [] }));
function add(name: string) { server.tool(name, "x", async () => ({ content: [] })); }
"#,
            ),
        ]);
        assert_eq!(
            found,
            vec![
                "desc:Look up an order.",
                "lookup_order",
                "refund_order",
                "shop_status"
            ]
        );
    }

    #[test]
    fn python_names_from_imported_constants() {
        let found = renames(&[
            (
                "/p/pkg/names.py",
                "from enum import Enum\nSEARCH = \"search_notes\"\nclass ToolName(str, Enum):\n    LIST = \"list_notes\"\n",
            ),
            (
                "/p/pkg/server.py",
                "from mcp.server.fastmcp import FastMCP\nfrom pkg.names import SEARCH, ToolName\nmcp = FastMCP(\"n\")\ndef list_notes() -> list[str]:\n    return []\nmcp.add_tool(list_notes, name=ToolName.LIST.value)\nmcp.add_tool(list_notes, name=SEARCH)\ndef reg(fn, name):\n    mcp.add_tool(fn, name=name)\n",
            ),
        ]);
        assert_eq!(found, vec!["list_notes", "search_notes"]);
    }
}
