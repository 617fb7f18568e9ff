//! MCL204 ssrf: a tool argument decides the URL or host of an outbound request.

use super::owasp;
use super::taint_findings::taint_rule;
use crate::finding::Level;
use crate::taint::SinkClass;

taint_rule!(
    Ssrf,
    "MCL204",
    "ssrf",
    Level::Warning,
    cwe = 918,
    owasp = owasp::MCP05,
    summary = "a tool argument decides the URL or host of an outbound request",
    doc = "../../rules/MCL204-ssrf.md",
    class = SinkClass::Url,
    help = "fix the scheme and host in code and let the argument fill only a path segment or query value, or parse the URL and check its host against an allowlist before the request",
);
