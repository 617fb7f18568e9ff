//! MCL903 shell-wrapper-command: a server launched through a shell script
//! (`sh -c "…"`, `bash -lc`, `powershell -Command`), a download piped into a
//! shell (`curl … | sh`), or `eval`.

use super::launch::{DATA_LANGUAGES, argv, is_shell};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};

pub struct ShellWrapperCommand;

static META: RuleMeta = RuleMeta {
    code: "MCL903",
    name: "shell-wrapper-command",
    level: Level::Warning,
    cwe: Some(78),
    owasp: Some(owasp::MCP05),
    languages: DATA_LANGUAGES,
    summary: "a server launched through `sh -c`, `curl | sh`, `eval` or a similar shell wrapper",
    doc: include_str!("../../rules/MCL903-shell-wrapper-command.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for ShellWrapperCommand {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in &ctx.facts.client_entries {
            let Some((program, args)) = argv(entry) else {
                continue;
            };
            let Some(command) = &entry.command else {
                continue;
            };
            let script: String = args
                .iter()
                .map(|a| a.value.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let whole = format!("{} {script}", command.value);
            if let Some(what) = download_into_shell(&whole) {
                out.push(
                    Diagnostic::new(
                        command.span,
                        format!("server `{}` is started by {what}: whatever the URL serves at launch runs with your permissions", entry.name),
                    )
                    .with_help("install a reviewed, pinned release and launch its binary directly"),
                );
                continue;
            }
            if !is_shell(&program) {
                continue;
            }
            let Some((flag_at, flag)) = args
                .iter()
                .enumerate()
                .find(|(_, a)| is_command_flag(&program, &a.value))
            else {
                continue;
            };
            let body: Vec<&str> = args[flag_at + 1..]
                .iter()
                .map(|a| a.value.as_str())
                .collect();
            let body = body.join(" ");
            // `cmd /c npx -y pkg` is how Windows clients start `.cmd` shims:
            // a plain program and arguments, with nothing for cmd to interpret.
            if program == "cmd" && !body.contains(['&', '|', '<', '>', '^', '%']) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    command.span,
                    format!(
                        "server `{}` is launched through `{program} {}`: the client runs a shell script, not a program",
                        entry.name, flag.value
                    ),
                )
                .with_label(flag.span, "script follows")
                .with_help(
                    "put the program in `command` and its arguments in `args`; set variables in `env` and the directory in `cwd` instead of shell syntax",
                ),
            );
        }
    }
}

/// `-c`, `-lc`, `-ic`, `-ec` (sh family); `/c`, `/k` (cmd); `-Command`,
/// `-c`, `-EncodedCommand` (PowerShell).
fn is_command_flag(program: &str, arg: &str) -> bool {
    match program {
        "cmd" => matches!(arg.to_ascii_lowercase().as_str(), "/c" | "/k" | "/s"),
        "powershell" | "pwsh" => {
            let lower = arg.to_ascii_lowercase();
            [
                "-command",
                "-c",
                "-encodedcommand",
                "-enc",
                "-e",
                "-ec",
                "/c",
                "/command",
            ]
            .contains(&lower.as_str())
        }
        _ => {
            arg.len() >= 2
                && arg.starts_with('-')
                && !arg.starts_with("--")
                && arg[1..].chars().all(|c| c.is_ascii_lowercase())
                && arg.ends_with('c')
        }
    }
}

/// `curl … | sh`, `wget -O- … | bash`, `iwr … | iex`, `eval "$(curl …)"`.
fn download_into_shell(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    let downloads = [
        "curl",
        "wget",
        "iwr",
        "invoke-webrequest",
        "irm",
        "invoke-restmethod",
    ]
    .iter()
    .any(|d| {
        lower
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|w| w == *d)
    });
    let piped_to_shell = lower.split('|').skip(1).any(|segment| {
        let first = segment.split_whitespace().next().unwrap_or("");
        let first = first.trim_start_matches("sudo").trim();
        matches!(
            first,
            "sh" | "bash" | "zsh" | "iex" | "invoke-expression" | "python" | "python3" | "node"
        ) || (first.is_empty()
            && segment
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| matches!(w, "sh" | "bash")))
    });
    if downloads && piped_to_shell {
        return Some("a download piped into a shell");
    }
    if lower.contains("eval ")
        || lower.contains("eval \"$(")
        || lower.contains("invoke-expression")
        || lower.contains("iex ")
        || lower.contains("iex(")
    {
        return Some("`eval` of generated text");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes() {
        assert!(download_into_shell("sh -c curl -fsSL https://x.sh | sh").is_some());
        assert!(download_into_shell("bash -c wget -qO- https://x | sudo bash").is_some());
        assert!(download_into_shell("npx -y pkg").is_none());
        assert!(is_command_flag("bash", "-lc"));
        assert!(!is_command_flag("bash", "--login"));
        assert!(is_command_flag("cmd", "/c"));
    }
}
