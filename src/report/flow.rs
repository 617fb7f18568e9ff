//! A taint finding's flows for people: one line per step, labelled `source:`,
//! `step:` or `sink:`, with its file and line, what happens there, and the
//! first line of its code — never the code between the steps, which in a long
//! handler is the whole function.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::slash_path;
use crate::finding::{Finding, FlowLocation};

/// Snippets are cut so that a step fits this many columns, when the
/// location and message leave room for `MIN_SNIPPET` characters.
const WIDTH: usize = 100;
/// A snippet keeps at least this many characters however long the rest is:
/// the code is what a reader recognises.
const MIN_SNIPPET: usize = 40;

/// The flow block of `finding`, each line indented and ending in `\n`;
/// empty when it has no flow.
pub fn render(finding: &Finding) -> String {
    let mut texts = Texts::default();
    let mut out = String::new();
    for flow in &finding.flows {
        if flow.steps.is_empty() {
            continue;
        }
        if flow.message.is_empty() {
            out.push_str("  flow:\n");
        } else {
            out.push_str(&format!("  flow {}:\n", flow.message));
        }
        let last = flow.steps.len() - 1;
        let rows: Vec<(&str, String, &str, Option<String>)> = flow
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                let role = match i {
                    _ if i == last => "sink:",
                    0 => "source:",
                    _ => "step:",
                };
                let path = step.path.as_deref().unwrap_or(&finding.path);
                let place = format!("{}:{}", slash_path(path), step.location.start.line);
                let snippet = texts.line_of(finding, step);
                (role, place, step.message.as_str(), snippet)
            })
            .collect();
        let place_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
        let message_width = rows.iter().map(|r| r.2.chars().count()).max().unwrap_or(0);
        for (role, place, message, snippet) in rows {
            let head = format!("    {role:<7} {place:<place_width$}  {message:<message_width$}");
            match snippet {
                Some(code) => {
                    let room = WIDTH
                        .saturating_sub(head.chars().count() + 3)
                        .max(MIN_SNIPPET);
                    out.push_str(&format!("{head} │ {}\n", truncate(&code, room)));
                }
                None => out.push_str(&format!("{}\n", head.trim_end())),
            }
        }
    }
    out
}

/// The texts of the files the steps are in: the finding's own (kept by the
/// scan) and, for steps in other files, read once from disk.
#[derive(Default)]
struct Texts {
    others: HashMap<PathBuf, Option<String>>,
}

impl Texts {
    /// The trimmed source line where `step` starts, tabs as spaces.
    fn line_of(&mut self, finding: &Finding, step: &FlowLocation) -> Option<String> {
        let text: &str = match &step.path {
            None => finding.source.as_deref()?,
            Some(path) => self.read(path)?,
        };
        let line = line_at(text, step.location.span.start)?;
        let line = line.trim().replace('\t', " ");
        (!line.is_empty()).then_some(line)
    }

    fn read(&mut self, path: &Path) -> Option<&str> {
        self.others
            .entry(path.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(path).ok())
            .as_deref()
    }
}

/// The line of `text` that holds byte `offset` (without its line break).
fn line_at(text: &str, offset: usize) -> Option<&str> {
    if offset > text.len() {
        return None;
    }
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(text.len(), |i| offset + i);
    // Both ends sit next to a `\n` or at the text's ends: char boundaries.
    text.get(start..end).map(|l| l.trim_end_matches('\r'))
}

/// `text` cut to `max` characters, the cut marked with `…`.
fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(format!("{}…", kept.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::{line_at, truncate};

    #[test]
    fn the_line_around_an_offset() {
        let text = "first\nsecond line\r\nthird";
        assert_eq!(line_at(text, 0), Some("first"));
        assert_eq!(line_at(text, 8), Some("second line"));
        assert_eq!(line_at(text, text.len()), Some("third"));
        assert_eq!(line_at(text, text.len() + 1), None);
    }

    #[test]
    fn long_snippets_are_cut_with_an_ellipsis() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("return subprocess.run(cmd)", 10), "return su…");
        assert_eq!(truncate("ééééé", 3), "éé…");
    }
}
