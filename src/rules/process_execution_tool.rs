//! MCL301 process-execution-tool: an inventory note for tools that can run
//! processes.

use super::capability_rules::{self, describe, with};
use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};
use crate::taint::Capability;

pub struct ProcessExecutionTool;

static META: RuleMeta = RuleMeta {
    code: "MCL301",
    name: "process-execution-tool",
    level: Level::Note,
    cwe: Some(250),
    owasp: Some(owasp::MCP05),
    languages: CODE_LANGUAGES,
    summary: "a tool can run processes (an inventory of power for reviewers)",
    doc: include_str!("../../rules/MCL301-process-execution-tool.md"),
    // An inventory for reviews, not a defect: every server that shells out
    // to git would carry it. `--extend-select MCL301` turns it on.
    opt_in: true,
    triggers: capability_rules::TRIGGERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for ProcessExecutionTool {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for (tool, hits) in capability_rules::tools(ctx) {
            let exec = with(&hits, &[Capability::Exec]);
            if exec.is_empty() {
                continue;
            }
            out.push(
                Diagnostic::new(
                    tool.span,
                    format!(
                        "tool `{}` can run processes through {}",
                        tool.name.escape_debug(),
                        describe(&exec)
                    ),
                )
                .with_help("review what the model can make this tool run; give it destructiveHint, a confirmation step and a timeout, and keep its arguments out of shells"),
            );
        }
    }
}
