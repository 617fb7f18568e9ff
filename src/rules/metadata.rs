//! The texts of a file's tool metadata that rules about descriptions read:
//! tool names, descriptions and parameter descriptions, each with its span.

use crate::facts::{Description, EntryKind, FileFacts};
use crate::finding::Span;

/// One piece of tool metadata written as a literal.
pub struct MetadataText<'a> {
    pub tool: &'a str,
    /// `name`, `description` or `description of parameter `q``.
    pub what: String,
    pub text: &'a str,
    pub span: Span,
}

/// Every literal tool name, tool description and parameter description.
pub fn texts(facts: &FileFacts) -> Vec<MetadataText<'_>> {
    let mut out = Vec::new();
    for tool in facts.tools.iter().filter(|t| t.kind == EntryKind::Tool) {
        if let Some(span) = tool.name_literal {
            out.push(MetadataText {
                tool: &tool.name,
                what: "name".to_string(),
                text: &tool.name,
                span,
            });
        }
        if let Some(Description::Literal { text, span }) = &tool.description {
            out.push(MetadataText {
                tool: &tool.name,
                what: "description".to_string(),
                text,
                span: *span,
            });
        }
        for param in &tool.params {
            if let Some((text, span)) = &param.description {
                out.push(MetadataText {
                    tool: &tool.name,
                    what: format!("description of parameter `{}`", param.name),
                    text,
                    span: *span,
                });
            }
        }
    }
    out
}
