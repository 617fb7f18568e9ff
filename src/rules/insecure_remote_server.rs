//! MCL902 insecure-remote-server: a remote MCP server reached over plain
//! `http://` (or `ws://`) on a host other than this machine.

use super::launch::{DATA_LANGUAGES, package_run};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level, Span};

pub struct InsecureRemoteServer;

static META: RuleMeta = RuleMeta {
    code: "MCL902",
    name: "insecure-remote-server",
    level: Level::Error,
    cwe: Some(319),
    owasp: Some(owasp::MCP07),
    languages: DATA_LANGUAGES,
    summary: "a remote MCP server reached over plain http on a non-loopback host",
    doc: include_str!("../../rules/MCL902-insecure-remote-server.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

/// Local proxies that connect to the remote server given as an argument.
const REMOTE_PROXIES: &[&str] = &[
    "mcp-remote",
    "supergateway",
    "mcp-proxy",
    "@pyroprompts/mcp-stdio-to-streamable-http-adapter",
];

impl Rule for InsecureRemoteServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in &ctx.facts.client_entries {
            let mut urls: Vec<(&str, Span)> = Vec::new();
            if let Some(url) = &entry.url {
                urls.push((&url.value, url.span));
            }
            let run = package_run(entry);
            if let Some(run) = &run
                && REMOTE_PROXIES.contains(&run.name.as_str())
            {
                urls.extend(run.rest.iter().map(|a| (a.value.as_str(), a.span)));
            }
            for (url, span) in urls {
                let Some(host) = insecure_host(url) else {
                    continue;
                };
                let carries = if entry.headers.is_empty() {
                    ""
                } else {
                    " — with the configured headers"
                };
                out.push(
                    Diagnostic::new(
                        span,
                        format!(
                            "server `{}` is reached over unencrypted `{}` at `{host}`{carries}: anyone on the path reads and rewrites tool calls and results",
                            entry.name,
                            url.split("://").next().unwrap_or("http")
                        ),
                    )
                    .with_help("use `https://` (or `wss://`); plain http is only acceptable for localhost"),
                );
            }
        }
    }
}

/// The host of an `http://` / `ws://` URL that is not this machine.
fn insecure_host(url: &str) -> Option<&str> {
    let lower_scheme = url.get(..7).map(str::to_ascii_lowercase)?;
    let rest = if lower_scheme == "http://" {
        &url[7..]
    } else if lower_scheme.starts_with("ws://") {
        &url[5..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let lower = host.to_ascii_lowercase();
    let local = lower.is_empty()
        || lower == "localhost"
        || lower.ends_with(".localhost")
        || lower.starts_with("127.")
        || lower == "::1"
        || lower == "0.0.0.0"
        || lower == "host.docker.internal"
        || lower.starts_with("${")
        || lower.starts_with('$');
    (!local).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::insecure_host;

    #[test]
    fn hosts() {
        assert_eq!(
            insecure_host("http://mcp.example.com/sse"),
            Some("mcp.example.com")
        );
        assert_eq!(insecure_host("http://10.0.0.5:8080/mcp"), Some("10.0.0.5"));
        assert_eq!(insecure_host("http://localhost:3000/mcp"), None);
        assert_eq!(insecure_host("http://127.0.0.1:8000/sse"), None);
        assert_eq!(insecure_host("http://[::1]:8000/"), None);
        assert_eq!(insecure_host("https://api.example.com/mcp"), None);
    }
}
