//! The MCP model of a Go file: servers, tools and transports of
//! `github.com/mark3labs/mcp-go` and `github.com/modelcontextprotocol/go-sdk`.
//!
//! Runs after `go::lower` has recorded the file's functions, calls and
//! bindings, so that a handler named at a registration links by name.

use tree_sitter::Tree;

use crate::facts::FileFacts;

pub fn lower(_tree: &Tree, _source: &str, _facts: &mut FileFacts) {}
