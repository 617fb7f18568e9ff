//! What the taint rules (MCL201–MCL207) share: turning the engine's sink
//! hits for one sink class into diagnostics with their flows.

use std::collections::HashSet;

use super::FileContext;
use crate::finding::{Diagnostic, FlowStep};
use crate::taint::{Origin, SinkClass, SinkHit};

/// Literal triggers: taint starts in tool handlers, which live only in files
/// that use an MCP SDK; the modules they import are parsed for their
/// summaries whatever they contain (`scan::import_closure`).
pub const TRIGGERS: &[&str] = crate::frontend::SDK_MARKERS;

/// Emits one diagnostic per sink of `class` reached by a tool argument in
/// this file's handlers. A sink in another file is reported where the value
/// leaves this file (the call into that file), with the rest of the flow.
pub fn emit(ctx: &FileContext<'_>, class: SinkClass, help: &str, out: &mut Vec<Diagnostic>) {
    let mut seen = HashSet::new();
    for result in ctx.taint() {
        let tool = ctx.project.files[result.tool_file]
            .facts
            .tools
            .get(result.tool)
            .map(|t| t.name.as_str())
            .unwrap_or("?");
        for hit in result.hits.iter().filter(|h| h.class == class) {
            let Some(anchor) = anchor(ctx, hit) else {
                continue;
            };
            // A call into another file is reported once per sink it reaches
            // (not once per path to it).
            let key = if hit.file == ctx.file_index {
                (anchor, hit.span, String::new())
            } else {
                (anchor, anchor, hit.callee.clone())
            };
            if !seen.insert(key) {
                continue;
            }
            out.push(diagnostic(ctx, hit, tool, anchor, help));
        }
    }
}

/// Where a hit is reported in this file: the sink, or the last step of the
/// flow in this file before it leaves for another.
fn anchor(ctx: &FileContext<'_>, hit: &SinkHit) -> Option<crate::finding::Span> {
    if hit.file == ctx.file_index {
        return Some(hit.span);
    }
    hit.taint
        .steps
        .iter()
        .rev()
        .find(|s| s.file == ctx.file_index)
        .map(|s| s.span)
}

fn diagnostic(
    ctx: &FileContext<'_>,
    hit: &SinkHit,
    tool: &str,
    anchor: crate::finding::Span,
    help: &str,
) -> Diagnostic {
    let what = match &hit.taint.origin {
        Origin::Param { name, .. } => format!("tool argument `{}`", name.escape_debug()),
        Origin::Network => "a network response".to_string(),
    };
    let elsewhere = if hit.file == ctx.file_index {
        String::new()
    } else {
        let path = ctx.project.files[hit.file].path;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        format!(" in {name}")
    };
    let message = format!(
        "{what} of tool `{}` reaches `{}()`{elsewhere} as {}",
        tool.escape_debug(),
        hit.callee.replace("<expr>", "…").escape_debug(),
        hit.role
    );
    Diagnostic::new(anchor, message)
        .with_help(help.to_string())
        .with_flow(flow_steps(ctx, &hit.taint.steps))
}

/// The engine's steps of a value as the steps of a finding's flow, each
/// naming its file when it is not the reported one.
pub fn flow_steps(ctx: &FileContext<'_>, steps: &[crate::taint::Step]) -> Vec<FlowStep> {
    steps
        .iter()
        .map(|step| FlowStep {
            span: step.span,
            message: step.message.clone(),
            file: (step.file != ctx.file_index).then_some(step.file),
        })
        .collect()
}

/// Declares a taint rule: its metadata and a check that reports the sinks
/// of one class. Each rule module is one invocation.
macro_rules! taint_rule {
    (
        $rule:ident, $code:literal, $name:literal, $level:expr, cwe = $cwe:literal,
        owasp = $owasp:expr, summary = $summary:literal, doc = $doc:literal,
        class = $class:expr, help = $help:literal $(,)?
    ) => {
        pub struct $rule;

        static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
            code: $code,
            name: $name,
            level: $level,
            cwe: Some($cwe),
            owasp: Some($owasp),
            languages: $crate::rules::CODE_LANGUAGES,
            summary: $summary,
            doc: include_str!($doc),
            opt_in: false,
            triggers: $crate::rules::taint_findings::TRIGGERS,
            prefilter: None,
        };

        impl $crate::rules::Rule for $rule {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &META
            }

            fn check(
                &self,
                ctx: &$crate::rules::FileContext<'_>,
                out: &mut Vec<$crate::finding::Diagnostic>,
            ) {
                $crate::rules::taint_findings::emit(ctx, $class, $help, out);
            }
        }
    };
}
pub(crate) use taint_rule;
