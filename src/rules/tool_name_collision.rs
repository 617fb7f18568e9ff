//! MCL406 tool-name-collision: two tools of one listing or manifest, or two
//! different servers of one client config, with the same or confusable names
//! — one shadows the other, or a look-alike impersonates it.

use unicode_security::confusable_detection::skeleton;

use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::{ClientServerEntry, EntryKind, ManifestKind};
use std::collections::HashMap;

use crate::finding::{Diagnostic, Level, Span};
use crate::source::LineIndex;

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
        // A server's own manifest (registry `server.json`, MCPB, Smithery)
        // describes ONE server: its remotes and packages are transports of
        // it, not servers that could shadow one another.
        if ctx.facts.manifest != Some(ManifestKind::ClientConfig) {
            return;
        }
        let entries: Vec<&ClientServerEntry> = ctx
            .facts
            .client_entries
            .iter()
            // Permission lists repeat a server's name on purpose; a
            // disabled entry exposes no tools.
            .filter(|e| (e.command.is_some() || e.url.is_some()) && !e.disabled)
            .collect();
        let servers: Names<'_> = entries.iter().map(|e| (e.name.as_str(), e.span)).collect();
        // The same server listed twice (a `dev` and a `prod` name launching
        // one program, one URL) exposes the same tools from the same code:
        // no server impersonates another.
        let launches: Vec<Option<String>> = entries.iter().map(|e| Some(launch_key(e))).collect();
        collide_where("server", &servers, &launches, ctx.text, out);
    }
}

/// What a client entry launches, as one comparable key: two entries launch
/// the same server when they have the same URL, or no URL and the same
/// program with the same arguments.
fn launch_key(entry: &ClientServerEntry) -> String {
    if let Some(url) = &entry.url {
        return format!("url\0{}", url.value);
    }
    let mut key = String::from("cmd\0");
    if let Some(command) = &entry.command {
        key.push_str(&command.value);
    }
    for arg in &entry.args {
        key.push('\0');
        key.push_str(&arg.value);
    }
    key
}

fn collide(what: &str, names: &[(&str, Span)], text: &str, out: &mut Vec<Diagnostic>) {
    collide_where(what, names, &vec![None; names.len()], text, out);
}

/// The earliest entries of one folded name: the first, and the first whose
/// launch differs from the first's (all an entry needs to find the earliest
/// earlier entry that launches something else).
struct Earliest<'k> {
    first: usize,
    key: Option<&'k str>,
    other: Option<usize>,
}

/// Reports every name equal or confusable with an earlier one, unless both
/// have the same launch key (`Some`: one server listed twice). Names are
/// grouped by their folded form in a map, so the check is linear.
fn collide_where(
    what: &str,
    names: &[(&str, Span)],
    keys: &[Option<String>],
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    let mut earliest: HashMap<String, Earliest<'_>> = HashMap::new();
    let mut lines: Option<LineIndex> = None;
    for (i, (name, span)) in names.iter().enumerate() {
        let folded = fold(name);
        if folded.is_empty() {
            continue;
        }
        let key = keys.get(i).and_then(Option::as_deref);
        let same = |a: Option<&str>, b: Option<&str>| a.is_some() && a == b;
        let j = match earliest.get_mut(&folded) {
            None => {
                earliest.insert(
                    folded,
                    Earliest {
                        first: i,
                        key,
                        other: None,
                    },
                );
                continue;
            }
            Some(e) => {
                let earlier = if same(e.key, key) {
                    e.other
                } else {
                    Some(e.first)
                };
                if e.other.is_none() && !same(e.key, key) {
                    e.other = Some(i);
                }
                match earlier {
                    Some(j) => j,
                    None => continue,
                }
            }
        };
        let (first, first_span) = names[j];
        let index = lines.get_or_insert_with(|| LineIndex::new(text));
        let line = index.line_of(first_span.start.min(text.len())) + 1;
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
