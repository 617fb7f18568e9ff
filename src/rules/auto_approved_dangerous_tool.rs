//! MCL703 auto-approved-dangerous-tool: a client config that lets a
//! destructive or process-running tool run without asking the user.

use super::launch::{
    DATA_LANGUAGES, dangerous_tool, known_dangerous_tools, launched_package, powerful_server,
};
use super::{FileContext, Rule, RuleMeta, owasp};
use std::collections::HashMap;

use crate::facts::ClientServerEntry;
use crate::finding::{Diagnostic, Level};

pub struct AutoApprovedDangerousTool;

static META: RuleMeta = RuleMeta {
    code: "MCL703",
    name: "auto-approved-dangerous-tool",
    level: Level::Warning,
    cwe: Some(862),
    owasp: Some(owasp::MCP02),
    languages: DATA_LANGUAGES,
    summary: "a client config auto-approves a destructive or process-running tool",
    doc: include_str!("../../rules/MCL703-auto-approved-dangerous-tool.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

const HELP: &str = "keep confirmation on for tools that delete, send, write or run commands; auto-approve only read-only tools";

impl Rule for AutoApprovedDangerousTool {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        let entries = &ctx.facts.client_entries;
        // A permission list names servers by name; the launch details are in
        // the entry of the same name, possibly in this file. Entries are
        // grouped by name once, so that a config of thousands of servers is
        // not compared entry by entry.
        let mut by_name: HashMap<&str, Vec<&ClientServerEntry>> = HashMap::new();
        for entry in entries {
            by_name.entry(entry.name.as_str()).or_default().push(entry);
        }
        let namesakes = |entry: &ClientServerEntry| {
            by_name
                .get(entry.name.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .copied()
        };
        for entry in entries {
            if entry.auto_approve.is_empty() && entry.trust_all.is_none() {
                continue;
            }
            let launched = namesakes(entry)
                .filter(|e| e.command.is_some())
                .find_map(launched_package);
            let known = launched.as_deref().and_then(known_dangerous_tools);
            for tool in &entry.auto_approve {
                if tool.value == "*" {
                    continue;
                }
                // A client config shows no handler: the server's catalogue
                // entry decides, or else the name, and the message says which.
                let why = known
                    .is_some_and(|k| k.contains(&tool.value.as_str()))
                    .then(|| "it changes files, repositories or runs code".to_string())
                    .or_else(|| {
                        dangerous_tool(&tool.value).map(|w| format!("its name says it {w}"))
                    });
                if let Some(why) = why {
                    out.push(
                        Diagnostic::new(
                            tool.span,
                            format!(
                                "tool `{}` of server `{}` is auto-approved but {why}: a prompt injection can make the model call it with no one asking you",
                                tool.value, entry.name
                            ),
                        )
                        .with_help(HELP),
                    );
                }
            }
            let Some(span) = entry.trust_all else {
                continue;
            };
            let reason = match (known, namesakes(entry).find_map(powerful_server)) {
                (Some(tools), _) => Some(format!(
                    "its tools include {}",
                    tools
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                (None, Some(word)) => Some(format!("it is a `{word}` server")),
                (None, None) => None,
            };
            if let Some(reason) = reason {
                out.push(
                    Diagnostic::new(
                        span,
                        format!(
                            "every tool of server `{}` runs without confirmation, and {reason}",
                            entry.name
                        ),
                    )
                    .with_help(HELP),
                );
            }
        }
    }
}
