//! MCL406 tool-name-collision: two tools of one listing or manifest, or two
//! servers of one client config, with the same or confusable names — one
//! shadows the other, or a look-alike impersonates it.

use unicode_security::confusable_detection::skeleton;

use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::EntryKind;
use crate::finding::{Diagnostic, Level, Span};

pub struct ToolNameCollision;

/// Names with the span of each.
type Names<'a> = Vec<(&'a str, Span)>;

static META: RuleMeta = RuleMeta {
    code: "MCL406",
    name: "tool-name-collision",
    level: Level::Warning,
    cwe: Some(1007),
    owasp: Some(owasp::MCP03),
    // In source, which server object a tool is registered on is not in the
    // model yet: test suites and versioned tools made that too noisy.
    languages: super::launch::DATA_LANGUAGES,
    summary: "two tools or servers expose the same or confusable names",
    doc: include_str!("../../rules/MCL406-tool-name-collision.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

/// The form two names are compared in: case-folded, without `-`, `_`, `.`
/// and spaces, and reduced to UTS #39 confusable skeletons (`ѕ` → `s`).
pub fn fold(name: &str) -> String {
    let lower: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    skeleton(&lower).flat_map(char::to_lowercase).collect()
}

impl Rule for ToolNameCollision {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        // Tools are compared within one registering scope: the innermost
        // function around the registration other than the tool's own
        // handler (each test case builds its own server).
        let facts = ctx.facts;
        let scope_of = |t: &crate::facts::ToolDef| {
            let own = t
                .handler
                .and_then(|h| facts.functions.get(h))
                .map(|f| f.span);
            facts
                .functions
                .iter()
                .filter(|f| Some(f.span) != own)
                .filter(|f| f.span.start <= t.span.start && t.span.end <= f.span.end)
                .min_by_key(|f| f.span.len())
                .map(|f| f.span)
        };
        let mut scopes: Vec<(Option<Span>, Names<'_>)> = Vec::new();
        for tool in &facts.tools {
            // A tool registered under a condition may be the other branch's twin.
            if tool.kind != EntryKind::Tool || tool.dynamic_name || tool.conditional {
                continue;
            }
            let scope = scope_of(tool);
            let entry = (tool.name.as_str(), tool.span);
            match scopes.iter_mut().find(|(s, _)| *s == scope) {
                Some((_, tools)) => tools.push(entry),
                None => scopes.push((scope, vec![entry])),
            }
        }
        for (_, tools) in &scopes {
            collide("tool", tools, ctx.text, out);
        }
        let mut servers: Vec<(&str, Span)> = Vec::new();
        for entry in &ctx.facts.client_entries {
            // Permission lists repeat a server's name on purpose.
            if entry.command.is_none() && entry.url.is_none() {
                continue;
            }
            servers.push((entry.name.as_str(), entry.span));
        }
        collide("server", &servers, ctx.text, out);
    }
}

fn collide(what: &str, names: &[(&str, Span)], text: &str, out: &mut Vec<Diagnostic>) {
    let folded: Vec<String> = names.iter().map(|(n, _)| fold(n)).collect();
    for (i, (name, span)) in names.iter().enumerate() {
        let Some(j) = (0..i).find(|&j| folded[j] == folded[i] && !folded[i].is_empty()) else {
            continue;
        };
        let (first, first_span) = names[j];
        let line = text[..first_span.start.min(text.len())]
            .matches('\n')
            .count()
            + 1;
        let (message, help) = if first == *name {
            (
                format!(
                    "{what} `{name}` is defined twice (first on line {line}): one silently replaces the other"
                ),
                format!("give every {what} a unique name"),
            )
        } else {
            (
                format!(
                    "{what} `{}` is confusable with `{}` (line {line}): clients and models can mistake one for the other",
                    name.escape_debug(),
                    first.escape_debug()
                ),
                "rename one of them so that the names differ in more than case, separators or look-alike characters".to_string(),
            )
        };
        out.push(
            Diagnostic::new(*span, message)
                .with_label(first_span, format!("first {what} named like this"))
                .with_help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_confusables() {
        assert_eq!(fold("read_file"), fold("Read-File"));
        assert_eq!(fold("send_email"), fold("sеnd_email")); // Cyrillic е
        assert_ne!(fold("read_file"), fold("write_file"));
    }
}
