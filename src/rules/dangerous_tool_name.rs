//! MCL702 dangerous-tool-name: shell-, exec-, eval- and debug-style tools
//! exposed to every client.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp, words};
use crate::facts::EntryKind;
use crate::finding::{Diagnostic, Level};

pub struct DangerousToolName;

static META: RuleMeta = RuleMeta {
    code: "MCL702",
    name: "dangerous-tool-name",
    level: Level::Warning,
    cwe: Some(78),
    owasp: Some(owasp::MCP05),
    languages: CODE_LANGUAGES,
    summary: "a shell-, exec-, eval- or debug-style tool is exposed unconditionally",
    doc: include_str!("../../rules/MCL702-dangerous-tool-name.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

/// Words that make a tool a general-purpose way to run code.
const DANGEROUS_WORDS: &[&str] = &[
    "shell",
    "bash",
    "sh",
    "zsh",
    "powershell",
    "pwsh",
    "cmd",
    "terminal",
    "exec",
    "eval",
    "debug",
];

/// `run_command`, `execute_code`…: a verb of running with a thing that is code.
const RUN_VERBS: &[&str] = &["run", "execute"];
const CODE_NOUNS: &[&str] = &[
    "command",
    "commands",
    "code",
    "script",
    "python",
    "js",
    "javascript",
    "program",
];

pub(crate) fn is_dangerous(name: &str) -> bool {
    let words = words(name);
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let dangerous = words.iter().enumerate().any(|(i, w)| {
        DANGEROUS_WORDS.contains(&w.as_str()) && !modifies_plural(w, words.get(i + 1))
    });
    dangerous || (has(RUN_VERBS) && has(CODE_NOUNS)) || words == ["execute"]
}

/// `manage_eval_rules`, `list_debug_sessions`: "eval" and "debug" before a
/// plural noun say what kind of things the tool handles (evaluation rules,
/// debugging sessions), not that it evaluates or debugs.
fn modifies_plural(word: &str, next: Option<&String>) -> bool {
    matches!(word, "eval" | "debug")
        && next.is_some_and(|n| n.len() > 3 && n.ends_with('s') && !n.ends_with("ss"))
}

impl Rule for DangerousToolName {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for tool in &ctx.facts.tools {
            if tool.kind != EntryKind::Tool || tool.conditional || !is_dangerous(&tool.name) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    tool.span,
                    format!("tool `{}` looks like a general-purpose shell/exec/eval/debug tool and is always exposed", tool.name.escape_debug()),
                )
                .with_help("register it only when the operator opts in (an environment variable, a CLI flag, a cargo feature), and prefer narrow tools that do one named thing"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_names() {
        for name in [
            "shell",
            "run_command",
            "runCommand",
            "execute_code",
            "debug_dump",
            "exec",
            "bash-run",
            "python_exec",
            "eval_expression",
            "debug_process",
        ] {
            assert!(is_dangerous(name), "{name}");
        }
        for name in [
            "manage_eval_rules",
            "list_debug_sessions",
            "run_tests",
            "search",
            "get_commit",
            "execute_query",
            "shellfish_prices",
            "evaluate_model",
            "cmdline_help",
        ] {
            assert!(!is_dangerous(name), "{name}");
        }
    }
}
