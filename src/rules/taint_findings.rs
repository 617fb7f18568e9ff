//! What the taint rules (MCL201–MCL207) share: turning the engine's sink
//! hits for one sink class into diagnostics with their flows. A finding is
//! reported at its sink (whatever file that is), once per sink, naming every
//! tool that reaches it, with one flow per tool.

use std::collections::BTreeMap;

use super::FileContext;
use crate::finding::{Diagnostic, Flow, FlowStep, Span};
use crate::taint::{HandlerResult, Origin, SinkClass, SinkHit, Taint};

/// Literal triggers: taint starts in tool handlers, which live only in files
/// that use an MCP SDK; the modules they import are parsed for their
/// summaries whatever they contain (`scan::import_closure`).
pub const TRIGGERS: &[&str] = crate::frontend::SDK_MARKERS;

/// The rules reported where the harm happens (a sink, or a check that
/// fails to guard one), in whichever file that is: the scan checks those
/// files with the whole project.
pub fn reports_at_sinks(code: &str) -> bool {
    matches!(
        code,
        "MCL201"
            | "MCL202"
            | "MCL203"
            | "MCL204"
            | "MCL205"
            | "MCL206"
            | "MCL207"
            | "MCL209"
            | "MCL210"
            | "MCL211"
    )
}

/// Tools named in one message at most; the rest are counted.
const MAX_TOOLS_NAMED: usize = 4;

/// Emits one diagnostic per sink of `class` in this file that a tool
/// argument reaches, wherever the tool's handler is: the sink is the primary
/// location, and each tool reaching it brings its own flow (source, the
/// handler's calls, each step, the sink).
pub fn emit(ctx: &FileContext<'_>, class: SinkClass, help: &str, out: &mut Vec<Diagnostic>) {
    let start = out.len();
    let mut by_sink: BTreeMap<Span, Vec<(&HandlerResult, &SinkHit)>> = BTreeMap::new();
    for (result, hit) in ctx.project.hits_in(ctx.file_index) {
        if test_tool_outside_tests(ctx, result) {
            continue;
        }
        // A Go template over plain data renders fields; it runs no code.
        if hit.class == class
            && !(class == SinkClass::Code && super::go_template::renders_plain_data(ctx, hit.span))
        {
            by_sink.entry(hit.span).or_default().push((result, hit));
        }
    }
    for (span, hits) in by_sink {
        // Per tool (in name order, so that the message does not depend on
        // how the project's files are laid out), the arguments reaching it.
        let mut reached: Vec<Reached<'_>> = Vec::new();
        for (result, hit) in hits {
            match reached
                .iter_mut()
                .find(|r| (r.result.tool_file, r.result.tool) == (result.tool_file, result.tool))
            {
                Some(entry) => entry.hits.push(hit),
                None => reached.push(Reached {
                    name: tool_name(ctx, result),
                    result,
                    hits: vec![hit],
                }),
            }
        }
        reached.sort_by_key(|r| (r.name, r.result.tool_file, r.result.tool));
        out.push(diagnostic(ctx, span, &reached, help));
    }
    // What an MCP client receives from a server, at the same sinks.
    super::client_findings::emit(ctx, class, help, out, start);
}

/// Is this the flow of a test's tool (registered on a throwaway server)
/// into code outside tests? No server the project ships has that flow.
pub fn test_tool_outside_tests(ctx: &FileContext<'_>, result: &HandlerResult) -> bool {
    let is_test = |file: usize| {
        ctx.project
            .files
            .get(file)
            .is_some_and(|f| f.role == crate::roles::Role::Test)
    };
    is_test(result.tool_file) && !is_test(ctx.file_index)
}

/// One tool reaching a sink, with each of its arguments that does.
struct Reached<'a> {
    name: &'a str,
    result: &'a HandlerResult,
    hits: Vec<&'a SinkHit>,
}

impl Reached<'_> {
    /// "tool argument `path`", "tool arguments `src` and `dest`".
    fn origin(&self) -> String {
        if self.hits.len() == 1 {
            return origin_text(&self.hits[0].taint);
        }
        let names: Vec<String> = self.hits.iter().map(|h| argument(&h.taint)).collect();
        format!("tool arguments {}", and_list(&names))
    }
}

/// "`path`", or "a network response".
fn argument(taint: &Taint) -> String {
    match &taint.origin {
        Origin::Param { name, .. } => format!("`{}`", name.escape_debug()),
        Origin::Network => "a network response".to_string(),
        Origin::Server { .. } => crate::taint::client::describe(taint),
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

/// A tool's name, as its registration gives it.
pub fn tool_name<'p>(ctx: &FileContext<'p>, result: &HandlerResult) -> &'p str {
    ctx.project.files[result.tool_file]
        .facts
        .tools
        .get(result.tool)
        .map(|t| t.name.as_str())
        .unwrap_or("?")
}

/// What the tainted value is: "tool argument `path`".
pub fn origin_text(taint: &Taint) -> String {
    match &taint.origin {
        Origin::Param { name, .. } => format!("tool argument `{}`", name.escape_debug()),
        Origin::Network => "a network response".to_string(),
        Origin::Server { .. } => crate::taint::client::describe(taint),
    }
}

/// "of tool `a`", "of tools `a`, `b` and `c`", "of tools `a`, `b` and 3 more".
pub fn tools_phrase(names: &[String]) -> String {
    let quoted: Vec<String> = names
        .iter()
        .take(MAX_TOOLS_NAMED)
        .map(|n| format!("`{}`", n.escape_debug()))
        .collect();
    let rest = names.len().saturating_sub(MAX_TOOLS_NAMED);
    match (quoted.len(), rest) {
        (0, _) => String::new(),
        (1, _) => format!("of tool {}", quoted[0]),
        (_, 0) => {
            let (last, head) = quoted.split_last().unwrap_or((&quoted[0], &[]));
            format!("of tools {} and {last}", head.join(", "))
        }
        _ => format!("of tools {} and {rest} more", quoted.join(", ")),
    }
}

fn diagnostic(
    ctx: &FileContext<'_>,
    span: Span,
    reached: &[Reached<'_>],
    help: &str,
) -> Diagnostic {
    let Some(first) = reached.first().and_then(|r| r.hits.first()) else {
        return Diagnostic::new(span, String::new());
    };
    let names: Vec<String> = reached.iter().map(|r| r.name.to_string()).collect();
    let origins: Vec<String> = reached.iter().map(Reached::origin).collect();
    let callee = first.callee.replace("<expr>", "…");
    let message = if origins.iter().all(|o| *o == origins[0]) {
        let verb = if origins[0].starts_with("tool arguments") {
            "reach"
        } else {
            "reaches"
        };
        format!(
            "{} {} {verb} `{}()` as {}",
            origins[0],
            tools_phrase(&names),
            callee.escape_debug(),
            first.role
        )
    } else {
        // Different arguments of different tools: each tool names its own.
        let mut pairs: Vec<String> = reached
            .iter()
            .take(MAX_TOOLS_NAMED)
            .map(|r| {
                let arguments: Vec<String> = r.hits.iter().map(|h| argument(&h.taint)).collect();
                format!("`{}` ({})", r.name.escape_debug(), arguments.join(", "))
            })
            .collect();
        let more = reached.len().saturating_sub(MAX_TOOLS_NAMED);
        if more > 0 {
            pairs.push(format!("{more} more"));
        }
        format!(
            "tool arguments of tools {} reach `{}()` as {}",
            and_list(&pairs),
            callee.escape_debug(),
            first.role
        )
    };
    // A deny-list validator on every flow: say so, the flow is not unchecked.
    let deny_steps: Vec<&str> = reached
        .iter()
        .flat_map(|r| &r.hits)
        .filter_map(|h| {
            h.taint
                .steps
                .iter()
                .find(|s| s.message.starts_with(crate::taint::DENY_LIST_STEP))
                .map(|s| s.message.split(':').next().unwrap_or(&s.message))
        })
        .collect();
    let all_hits = reached.iter().map(|r| r.hits.len()).sum::<usize>();
    let deny_listed = !deny_steps.is_empty() && deny_steps.len() == all_hits;
    let message = match deny_steps.first() {
        Some(step) if deny_listed => {
            format!("{message}, {step}, which confines it to no root")
        }
        _ => message,
    };
    // A URL prefix check that stops at the host on every flow: name it, as
    // a path prefix without a separator is named (MCL209).
    let unpinned: Vec<&str> = reached
        .iter()
        .flat_map(|r| &r.hits)
        .filter_map(|h| {
            h.taint
                .steps
                .iter()
                .find(|s| s.message.starts_with(crate::taint::UNPINNED_HOST_STEP))
                .map(|s| s.message.as_str())
        })
        .collect();
    let message = match unpinned.first() {
        Some(step) if unpinned.len() == all_hits && !deny_listed => format!("{message}, {step}"),
        _ => message,
    };
    let mut flows = Vec::new();
    for entry in reached {
        for hit in &entry.hits {
            let message = if entry.hits.len() == 1 {
                format!("from tool `{}`", entry.name.escape_debug())
            } else {
                format!(
                    "from tool `{}`, argument {}",
                    entry.name.escape_debug(),
                    argument(&hit.taint)
                )
            };
            flows.push(Flow {
                message,
                steps: flow_steps(ctx, &hit.taint.steps),
            });
        }
    }
    let diagnostic = Diagnostic::new(span, message)
        .with_help(help.to_string())
        .with_flows(flows);
    // The author resolved the path and refused the sensitive places on
    // purpose: what is left is hardening (confine it to a root), not an
    // unchecked flow, so it is a note that does not fail a build.
    if deny_listed {
        diagnostic.with_level(crate::finding::Level::Note)
    } else {
        diagnostic
    }
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
            languages: $crate::rules::TAINT_LANGUAGES,
            summary: $summary,
            doc: include_str!($doc),
            opt_in: false,
            triggers: $crate::rules::taint_findings::TRIGGERS,
            prefilter: None,
            roles: $crate::roles::ALL,
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

#[cfg(test)]
mod tests {
    use super::tools_phrase;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tools_are_listed_and_counted_past_four() {
        assert_eq!(tools_phrase(&names(&["a"])), "of tool `a`");
        assert_eq!(tools_phrase(&names(&["a", "b"])), "of tools `a` and `b`");
        assert_eq!(
            tools_phrase(&names(&["a", "b", "c"])),
            "of tools `a`, `b` and `c`"
        );
        assert_eq!(
            tools_phrase(&names(&["a", "b", "c", "d", "e", "f"])),
            "of tools `a`, `b`, `c`, `d` and 2 more"
        );
    }
}
