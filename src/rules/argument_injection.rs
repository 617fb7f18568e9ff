//! MCL202 argument-injection: a tool argument becomes an option-parsing
//! program's argument and may start with `-`.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    ArgumentInjection,
    "MCL202",
    "argument-injection",
    Level::Warning,
    cwe = 88,
    owasp = owasp::MCP05,
    summary = "a tool argument becomes a program argument that may start with `-`",
    doc = "../../rules/MCL202-argument-injection.md",
    class = SinkClass::Argv,
    help = "put `--` (or `--end-of-options` for git) before arguments that come from the tool call, or reject values that start with `-`",
);
