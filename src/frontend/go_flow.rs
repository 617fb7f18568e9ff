//! Data-flow statements of Go function bodies (`Stmt`): assignments,
//! returns and guards, for the taint engine.

use tree_sitter::Node;

use crate::facts::FileFacts;

/// Called for every named node in pre-order; pushes the statement it is,
/// if any.
pub fn statement(_node: Node<'_>, _source: &str, _facts: &mut FileFacts) {}
