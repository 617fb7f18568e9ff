//! The taint rules' findings in MCP client code (`crate::taint::client`):
//! a value the client received from a server (its OAuth metadata, a tool
//! result, a sampling request) reaching a sink. Reported at the sink, once
//! per sink, naming the value; a sink that a tool argument reaches too
//! gets the client's flows added to that finding.

use std::collections::BTreeMap;

use super::FileContext;
use super::taint_findings::flow_steps;
use crate::finding::{Diagnostic, Flow, Span};
use crate::taint::client::{OPENER_ROLE, describe};
use crate::taint::{SinkClass, SinkHit};

/// What to do about a desktop opener given a server's URL.
const OPENER_HELP: &str = "check the URL before opening it: parse it (`new URL(u)`, `urllib.parse.urlparse(u)`) and open it only when its scheme is `https:` (or `http:`), as mcp-remote 0.1.16 does; the server chooses its OAuth metadata and everything else it sends";

/// Emits the client findings of sink class `class` in this file; the
/// diagnostics from `start` on in `out` are this rule's tool findings.
pub fn emit(
    ctx: &FileContext<'_>,
    class: SinkClass,
    help: &str,
    out: &mut Vec<Diagnostic>,
    start: usize,
) {
    let mut by_sink: BTreeMap<Span, Vec<&SinkHit>> = BTreeMap::new();
    for hit in ctx.project.client_hits_in(ctx.file_index) {
        if hit.class == class {
            by_sink.entry(hit.span).or_default().push(hit);
        }
    }
    for (span, hits) in by_sink {
        let flows: Vec<Flow> = hits
            .iter()
            .map(|hit| Flow {
                message: format!("from the MCP server: {}", describe(&hit.taint)),
                steps: flow_steps(ctx, &hit.taint.steps),
            })
            .collect();
        if let Some(existing) = out[start..].iter_mut().find(|d| d.span == span) {
            existing.flows.extend(flows);
            continue;
        }
        let mut values: Vec<String> = hits.iter().map(|h| describe(&h.taint)).collect();
        values.sort();
        values.dedup();
        let Some(first) = hits.first() else {
            continue;
        };
        let verb = if values.len() == 1 {
            "reaches"
        } else {
            "reach"
        };
        let message = format!(
            "{} {verb} `{}()` as {} in MCP client code",
            and_list(&values),
            first.callee.replace("<expr>", "…").escape_debug(),
            first.role
        );
        let help = if hits.iter().any(|h| h.role == OPENER_ROLE) {
            OPENER_HELP.to_string()
        } else {
            format!("{help}; a server chooses what it sends its clients, treat it as untrusted")
        };
        out.push(
            Diagnostic::new(span, message)
                .with_help(help)
                .with_flows(flows),
        );
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, head)) => format!("{} and {last}", head.join(", ")),
    }
}
