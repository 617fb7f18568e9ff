//! MCL206 code-injection: a tool argument reaches eval, exec or a template
//! compiler.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    CodeInjection,
    "MCL206",
    "code-injection",
    Level::Error,
    cwe = 94,
    owasp = owasp::MCP05,
    summary = "a tool argument reaches eval/exec/Function/vm/template compilation",
    doc = "../../rules/MCL206-code-injection.md",
    class = SinkClass::Code,
    help = "do not evaluate text from the tool call; parse it (ast.literal_eval, JSON.parse, a math-expression parser) or map it to a fixed set of operations",
);
