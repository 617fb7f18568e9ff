//! MCL205 sql-injection: a tool argument is formatted into SQL text.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    SqlInjection,
    "MCL205",
    "sql-injection",
    Level::Error,
    cwe = 89,
    owasp = owasp::MCP05,
    summary = "a tool argument is formatted into SQL text",
    doc = "../../rules/MCL205-sql-injection.md",
    class = SinkClass::Sql,
    help = "use placeholders and pass the values separately (execute(\"… WHERE id = ?\", (value,)), query('… $1', [value]), sqlx::query(\"… $1\").bind(value)); a statement supplied whole by the model needs a read-only database role, not a first-word check",
);
