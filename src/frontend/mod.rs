//! Frontends: one per language family, each lowering a file into `FileFacts`
//! in a single pass. Parsers are per thread and reused across files.

use std::cell::RefCell;

use tree_sitter::Parser;

use crate::facts::{FileFacts, Language};
use crate::finding::Span;

pub mod data;
pub mod go;
pub mod go_expr;
pub mod go_flow;
pub mod go_gates;
pub mod go_hints;
pub mod go_mcp;
pub mod go_strings;
pub mod jsonc;
pub mod limits;
pub mod manifest;
pub mod origins;
pub mod python;
pub mod python_classes;
pub mod python_flow;
pub mod python_mcp;
pub mod registration;
pub mod rethrow;
pub mod rust;
pub mod rust_flow;
pub mod rust_mcp;
pub mod rust_tools;
pub mod schema;
pub mod swallowed;
pub mod tree;
pub mod typescript;
pub mod typescript_class;
pub mod typescript_decls;
pub mod typescript_flow;
pub mod typescript_mcp;

/// `left + right`, folded to one string when both sides are known strings.
pub(crate) fn concat(left: crate::facts::Expr, right: crate::facts::Expr) -> crate::facts::Value {
    use crate::facts::Value;
    let mut parts = Vec::new();
    for side in [left, right] {
        match side.value {
            Value::Concat(inner) => parts.extend(inner),
            _ => parts.push(side),
        }
    }
    let all_strings: Option<String> = parts.iter().map(|p| p.str_value()).collect();
    match all_strings {
        Some(joined) => Value::Str(joined),
        None => Value::Concat(parts),
    }
}

/// Source files that mention an MCP SDK are always parsed (and their syntax
/// errors reported): they are what mcplint exists to read.
/// `registerTool` and `.tool(` catch files that register tools on a server
/// imported from another module of the project.
pub const SDK_MARKERS: &[&str] = &["mcp", "modelcontextprotocol", "registerTool", ".tool("];

/// Does the text mention an MCP SDK (so that it may define servers and tools)?
pub fn mentions_sdk(text: &str) -> bool {
    SDK_MARKERS
        .iter()
        .any(|m| memchr::memmem::find(text.as_bytes(), m.as_bytes()).is_some())
        || memchr::memmem::find(text.as_bytes(), b"MCP").is_some()
}

/// Why a file produced no facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    pub span: Span,
    pub message: String,
}

/// The tree-sitter parsers of one thread.
struct Parsers {
    python: Parser,
    typescript: Parser,
    tsx: Parser,
    javascript: Parser,
    go: Parser,
}

impl Parsers {
    fn new() -> Result<Self, String> {
        let make = |language: tree_sitter::Language, name: &str| {
            let mut parser = Parser::new();
            parser
                .set_language(&language)
                .map_err(|e| format!("the {name} grammar cannot be loaded: {e}"))?;
            Ok::<_, String>(parser)
        };
        Ok(Parsers {
            python: make(tree_sitter_python::LANGUAGE.into(), "Python")?,
            typescript: make(
                tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
                "TypeScript",
            )?,
            tsx: make(tree_sitter_typescript::LANGUAGE_TSX.into(), "TSX")?,
            javascript: make(tree_sitter_javascript::LANGUAGE.into(), "JavaScript")?,
            go: make(tree_sitter_go::LANGUAGE.into(), "Go")?,
        })
    }

    fn for_language(&mut self, language: Language) -> Option<&mut Parser> {
        match language {
            Language::Python => Some(&mut self.python),
            Language::TypeScript => Some(&mut self.typescript),
            Language::Tsx => Some(&mut self.tsx),
            Language::JavaScript => Some(&mut self.javascript),
            Language::Go => Some(&mut self.go),
            _ => None,
        }
    }
}

thread_local! {
    static PARSERS: RefCell<Option<Result<Parsers, String>>> = const { RefCell::new(None) };
}

/// Parses `source` once and lowers it into facts.
pub fn lower(
    language: Language,
    path: &std::path::Path,
    source: &str,
) -> Result<FileFacts, ParseFailure> {
    limits::reset();
    let mut facts = match language {
        Language::Rust => rust::parse(source),
        // A lockfile or requirement list: MCL905 reads its text.
        Language::Dependencies => Ok(FileFacts::new(language)),
        // A JSON/YAML/TOML dependency file (`package-lock.json`,
        // `pyproject.toml`) that is no MCP file still gets (empty) facts.
        Language::Json | Language::Yaml | Language::Toml => {
            match manifest::lower(language, path, source) {
                Err(_) if crate::deps::is_dependency_file(path) => Ok(FileFacts::new(language)),
                lowered => lowered,
            }
        }
        _ => lower_tree_sitter(language, source),
    }?;
    facts.limits.extend(limits::take());
    in_source_order(&mut facts);
    Ok(facts)
}

/// Puts a lowered file's calls and statements in source order (the walks
/// are pre-order, so this is nearly free): the taint engine finds a
/// function's calls and statements by binary search over them, so nothing
/// may read them through that search before this runs.
///
/// The call index (`FileFacts::calls_within`) remembers call positions and
/// rebuilds only when the number of calls changes; sorting keeps the number,
/// so an index a frontend built while lowering would now name other calls.
/// It is dropped here, and the next `calls_within` builds it over the
/// sorted calls.
fn in_source_order(facts: &mut FileFacts) {
    facts.calls.sort_by_key(|c| c.span.start);
    facts.statements.sort_by_key(|s| s.span().start);
    facts.call_index = Default::default();
    debug_assert!(facts.calls.is_sorted_by_key(|c| c.span.start));
}

fn lower_tree_sitter(language: Language, source: &str) -> Result<FileFacts, ParseFailure> {
    PARSERS.with(|cell| {
        let mut slot = cell.borrow_mut();
        let parsers = slot.get_or_insert_with(Parsers::new);
        let parsers = parsers.as_mut().map_err(|message| ParseFailure {
            span: Span::default(),
            message: message.clone(),
        })?;
        let Some(parser) = parsers.for_language(language) else {
            return Err(ParseFailure {
                span: Span::default(),
                message: format!("no parser for {}", language.as_str()),
            });
        };
        let tree = parser.parse(source, None).ok_or_else(|| ParseFailure {
            span: Span::default(),
            message: "the parser gave up on this file".to_string(),
        })?;
        Ok(match language {
            Language::Python => python::lower(&tree, source),
            Language::Go => go::lower(&tree, source),
            _ => typescript::lower(&tree, source, language),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_built_before_the_sort_is_not_used_after_it() {
        let call = |callee: &str, start: usize| crate::facts::Call {
            callee: callee.to_string(),
            args: Vec::new(),
            span: Span::new(start, start + 5),
            callee_span: Span::new(start, start + 3),
            receiver: None,
        };
        let mut facts = FileFacts::new(Language::Python);
        // Out of order, as a frontend may push them (a call's arguments
        // before the call around them).
        facts.calls = vec![call("late", 40), call("early", 0)];
        let early: Vec<&str> = facts
            .calls_within(Span::new(0, 10))
            .map(|c| c.callee.as_str())
            .collect();
        assert_eq!(early, ["early"]);
        in_source_order(&mut facts);
        assert_eq!(facts.calls[0].callee, "early");
        let early: Vec<&str> = facts
            .calls_within(Span::new(0, 10))
            .map(|c| c.callee.as_str())
            .collect();
        assert_eq!(early, ["early"]);
        let late: Vec<&str> = facts
            .calls_within(Span::new(35, 50))
            .map(|c| c.callee.as_str())
            .collect();
        assert_eq!(late, ["late"]);
    }

    #[test]
    fn every_grammar_loads() {
        let parsers = Parsers::new();
        assert!(parsers.is_ok(), "{:?}", parsers.err());
    }
}
