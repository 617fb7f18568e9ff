//! MCL701 untrusted-content-returned: a tool returns what it fetched from the
//! network (a page, an email, an issue body, search snippets) or read from a
//! file the caller chose, as it is, for the model to read — text in it that
//! reads like instructions steers the agent (indirect prompt injection).
//!
//! The taint engine carries the content (`taint::content`) from the request
//! or the read to the handler's `return`, through project functions; this
//! rule decides which returns are worth a warning:
//! - a file read from a path a tool argument decides: its text, always;
//! - a response from a URL the caller chose (a tool argument decides the
//!   host, or is a whole URL): its body, parsed document or text fields;
//! - a response from a fixed host (a first-party API): a field that is
//!   someone's writing (`body`, `snippet`, `message`, `comment`, `html`…)
//!   always; the whole body or document, or a field like `title` or
//!   `description`, only when the URL or the tool name says the API serves
//!   third-party writing (issues, mail, chat, pages, search…) — a weather
//!   API's JSON is not reported.
//!
//! Metadata (`status_code`, `headers`), ids, counts and fields of unknown
//! meaning are never reported; content that passed a marking call or was
//! wrapped in delimiting text is not either.

use super::{CODE_LANGUAGES, FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};
use crate::taint::content::{self, Content, ContentSource, Shape};

pub struct UntrustedContentReturned;

static META: RuleMeta = RuleMeta {
    code: "MCL701",
    name: "untrusted-content-returned",
    level: Level::Warning,
    cwe: Some(1427),
    owasp: Some(owasp::MCP06),
    languages: CODE_LANGUAGES,
    summary: "a tool returns fetched web, mail, issue or file content to the model with nothing marking it as untrusted",
    doc: include_str!("../../rules/MCL701-untrusted-content-returned.md"),
    opt_in: true,
    triggers: super::taint_findings::TRIGGERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

const HELP: &str = "the model reads a tool's result like the conversation itself: a page, an email or an issue that says \"ignore your instructions and …\" can steer the agent. Delimit the content and say it is untrusted data (`<untrusted-content source=\"…\">…</untrusted-content>`, with a note that instructions inside must not be followed), return only the fields the caller needs, or pass it through your own sanitizer and declare that as a `prompt` sanitizer under `[taint]` in mcplint.toml";

impl Rule for UntrustedContentReturned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // One finding per `return`, naming every tool it serves (a handler
        // shared by `read_file` and `read_text_file`).
        let mut found: Vec<(crate::finding::Span, Vec<String>, &Content)> = Vec::new();
        for result in ctx.taint() {
            let Some(tool) = ctx.project.files[result.tool_file]
                .facts
                .tools
                .get(result.tool)
            else {
                continue;
            };
            let Some(handler) = ctx
                .project
                .handler_of(result.tool_file, result.tool)
                .and_then(|h| ctx.facts.functions.get(h.function))
            else {
                continue;
            };
            for returned in &result.returns {
                let Some(content) = returned.content.as_deref() else {
                    continue;
                };
                if content.marked || !reportable(content, &tool.name) {
                    continue;
                }
                let Some(last) = content.steps.last() else {
                    continue;
                };
                // The handler's own `return`, not one of a callback inside it.
                if last.file != ctx.file_index
                    || ctx.facts.enclosing_function(last.span).map(|f| f.span) != Some(handler.span)
                {
                    continue;
                }
                match found.iter_mut().find(|(span, _, _)| *span == last.span) {
                    Some((_, tools, _)) => {
                        if !tools.contains(&tool.name) {
                            tools.push(tool.name.clone());
                        }
                    }
                    None => found.push((last.span, vec![tool.name.clone()], content)),
                }
            }
        }
        for (span, tools, content) in found {
            out.push(diagnostic(ctx, content, &tools, span));
        }
    }
}

/// Is returning this content worth a warning (see the module comment)?
fn reportable(content: &Content, tool: &str) -> bool {
    match &content.source {
        ContentSource::Argument => false,
        ContentSource::File => content.is_text(),
        ContentSource::Network { open, url } => match &content.shape {
            Shape::Field => false,
            _ if *open => true,
            Shape::FreeText(field) if content::is_authored_field(field) => true,
            _ => Content::about_untrusted(url_path(url)) || Content::about_untrusted(tool),
        },
    }
}

/// A URL without its query: `page=2` says nothing about what is fetched.
fn url_path(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

fn diagnostic(
    ctx: &FileContext<'_>,
    content: &Content,
    tools: &[String],
    anchor: crate::finding::Span,
) -> Diagnostic {
    let what = describe(content);
    let names: Vec<String> = tools
        .iter()
        .map(|t| format!("`{}`", t.escape_debug()))
        .collect();
    let (tools, verb) = match names.len() {
        1 => (format!("tool {}", names[0]), "returns"),
        _ => (format!("tools {}", names.join(", ")), "return"),
    };
    let message =
        format!("{tools} {verb} {what} to the model with nothing marking it as untrusted");
    Diagnostic::new(anchor, message)
        .with_help(HELP.to_string())
        .with_flow(super::taint_findings::flow_steps(ctx, &content.steps))
}

/// What the returned content is, for the message.
fn describe(content: &Content) -> String {
    let url = match &content.source {
        ContentSource::File | ContentSource::Argument => {
            let part = match &content.shape {
                Shape::FreeText(field) => format!("the `{}` field of", field.escape_debug()),
                Shape::Document => "the parsed content of".to_string(),
                _ => "the content of".to_string(),
            };
            return format!("{part} a file whose path is a tool argument");
        }
        ContentSource::Network { open: true, .. } => "from a URL the caller chose".to_string(),
        ContentSource::Network { url, .. } if url.trim_matches(['{', '}']).is_empty() => {
            String::new()
        }
        ContentSource::Network { url, .. } => {
            let shown: String = url.replace("{}", "…").chars().take(80).collect();
            format!("from `{}`", shown.escape_debug())
        }
    };
    let part = match &content.shape {
        Shape::FreeText(field) => format!("the `{}` field of", field.escape_debug()),
        Shape::Document => "the parsed body of".to_string(),
        Shape::Body => "the body of".to_string(),
        Shape::Response | Shape::Field => "".to_string(),
    };
    if part.is_empty() {
        format!("a network response {url}").trim_end().to_string()
    } else {
        format!("{part} a network response {url}")
            .trim_end()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(open: bool, url: &str, shape: Shape) -> Content {
        Content::new(
            ContentSource::Network {
                open,
                url: url.to_string(),
            },
            shape,
            Vec::new(),
        )
    }

    #[test]
    fn fixed_hosts_are_reported_for_third_party_writing_only() {
        let weather = network(false, "https://api.weather.gov/points/{}", Shape::Document);
        assert!(!reportable(&weather, "get_forecast"));
        let issue = network(
            false,
            "https://api.github.com/repos/{}/{}/issues/{}",
            Shape::Document,
        );
        assert!(reportable(&issue, "get"));
        let body = network(false, "{}", Shape::FreeText("body".into()));
        assert!(reportable(&body, "get"));
        let title = network(false, "{}", Shape::FreeText("title".into()));
        assert!(!reportable(&title, "get_weather"));
        assert!(reportable(&title, "list_issues"));
        let paged = network(
            false,
            "https://api.example.com/users?page={}",
            Shape::Document,
        );
        assert!(!reportable(&paged, "list_users"));
        let open = network(true, "{}", Shape::Body);
        assert!(reportable(&open, "x"));
        let status = network(true, "{}", Shape::Field);
        assert!(!reportable(&status, "x"));
    }
}
