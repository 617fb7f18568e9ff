//! MCL201 shell-injection: a tool argument reaches a shell command.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    ShellInjection,
    "MCL201",
    "shell-injection",
    Level::Error,
    cwe = 78,
    owasp = owasp::MCP05,
    summary = "a tool argument reaches a shell command",
    doc = "../../rules/MCL201-shell-injection.md",
    class = SinkClass::Shell,
    help = "run the program without a shell and pass the argument as one argv element (subprocess.run([prog, arg]), execFile(prog, [arg]), Command::new(prog).arg(arg)); if a shell is unavoidable, quote it (shlex.quote) or check it against an allowlist",
);
