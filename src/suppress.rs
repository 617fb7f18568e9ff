//! Inline suppressions: `# mcplint: ignore[MCL801]`, `// mcplint: ignore[hardcoded-secret] -- reason`
//! on the finding's line or alone on the line above, and `mcplint: ignore-file[...]`.

use crate::finding::Span;
use crate::rules::{self, RuleMeta};
use crate::source::LineIndex;

const MARKER: &str = "mcplint:";

/// Comment leaders a suppression may follow.
const COMMENT_LEADERS: &[&str] = &["#", "//", "/*", "--", "<!--", ";"];

/// What one suppression comment names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every rule (a bare `ignore` with no brackets).
    All,
    /// The listed rules; unknown names are kept for reporting.
    Rules(Vec<RuleRef>),
}

#[derive(Debug, Clone)]
pub struct RuleRef {
    pub written: String,
    pub meta: Option<&'static RuleMeta>,
}

impl PartialEq for RuleRef {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written && self.meta.map(|m| m.code) == other.meta.map(|m| m.code)
    }
}

impl Eq for RuleRef {}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    /// The `mcplint: …` text, for the unused-suppression finding.
    pub span: Span,
    pub scope: Scope,
    /// 0-based lines it covers; `None` for a whole-file suppression.
    pub lines: Option<(usize, usize)>,
}

/// Cheap check used before parsing: does the text hold any suppression?
pub fn has_marker(text: &str) -> bool {
    memchr::memmem::find(text.as_bytes(), MARKER.as_bytes()).is_some()
}

/// Finds every suppression comment in `text`.
pub fn parse(text: &str, index: &LineIndex) -> Vec<Suppression> {
    let mut found = Vec::new();
    for start in memchr::memmem::find_iter(text.as_bytes(), MARKER.as_bytes()) {
        let line = index.line_of(start);
        let line_span = index.line_span(text, line);
        let before = &text[line_span.start..start];
        let trimmed = before.trim_end();
        let Some(leader) = COMMENT_LEADERS.iter().find(|l| trimmed.ends_with(*l)) else {
            continue;
        };
        let code_before = trimmed[..trimmed.len() - leader.len()].trim();
        let after = &text[start + MARKER.len()..line_span.end];
        let rest = after.trim_start();
        let (file_wide, rest) = if let Some(r) = rest.strip_prefix("ignore-file") {
            (true, r)
        } else if let Some(r) = rest.strip_prefix("ignore") {
            (false, r)
        } else {
            continue;
        };
        let (scope, consumed) = match rest.strip_prefix('[') {
            Some(list) => {
                let Some(close) = list.find(']') else {
                    continue;
                };
                let refs = list[..close]
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| RuleRef {
                        written: s.to_string(),
                        meta: rules::lookup(s),
                    })
                    .collect();
                (Scope::Rules(refs), close + 2)
            }
            None if rest.is_empty() || rest.starts_with(char::is_whitespace) => (Scope::All, 0),
            None => continue,
        };
        let end = start + MARKER.len() + (after.len() - rest.len()) + consumed;
        let lines = if file_wide {
            None
        } else if code_before.is_empty() {
            // Alone on its line: covers the next line, reaching past
            // decorators, attributes and further comments to the statement.
            let mut last = line + 1;
            while last + 1 < index.line_count() {
                let span = index.line_span(text, last);
                let next = text[span.start..span.end].trim_start();
                if next.starts_with('@')
                    || next.starts_with("#[")
                    || next.starts_with("//")
                    || (next.starts_with('#') && !next.starts_with("#!"))
                {
                    last += 1;
                } else {
                    break;
                }
            }
            Some((line, last))
        } else {
            Some((line, line))
        };
        let end = end.min(if file_wide {
            line_span.end
        } else {
            line_span.end.max(start)
        });
        found.push(Suppression {
            span: Span::new(start, end.max(start + MARKER.len())),
            scope,
            lines,
        });
    }
    found
}

impl Suppression {
    /// Does this suppression cover a finding of `code` on 0-based lines
    /// `start..=end` (any of them: a comment on the closing line of a
    /// multi-line string counts)?
    pub fn covers(&self, code: &str, start: usize, end: usize) -> bool {
        let in_range = match self.lines {
            None => true,
            Some((first, last)) => first <= end && start <= last,
        };
        in_range && self.names(code)
    }

    pub fn names(&self, code: &str) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Rules(refs) => refs.iter().any(|r| r.meta.is_some_and(|m| m.code == code)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Vec<Suppression> {
        parse(text, &LineIndex::new(text))
    }

    #[test]
    fn trailing_and_standalone_comments() {
        let text = "a = 1\nkey = \"x\"  # mcplint: ignore[MCL801] -- test key\n# mcplint: ignore[bind-all-interfaces, MCL99]\nrun()\n";
        let found = parse_text(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].lines, Some((1, 1)));
        assert!(found[0].covers("MCL801", 1, 1));
        assert!(!found[0].covers("MCL801", 2, 2));
        assert_eq!(found[1].lines, Some((2, 3)));
        assert!(found[1].covers("MCL102", 3, 3));
        match &found[1].scope {
            Scope::Rules(refs) => {
                assert_eq!(refs.len(), 2);
                assert!(refs[1].meta.is_none());
            }
            Scope::All => panic!("expected rules"),
        }
    }

    #[test]
    fn file_wide_and_bare_forms() {
        let text = "// mcplint: ignore-file[MCL801]\nx(); // mcplint: ignore\n";
        let found = parse_text(text);
        assert_eq!(found[0].lines, None);
        assert!(found[0].covers("MCL801", 40, 40));
        assert_eq!(found[1].scope, Scope::All);
    }

    #[test]
    fn standalone_comment_reaches_past_decorators() {
        let text =
            "# mcplint: ignore[MCL603]\n@mcp.tool()\n@traced\ndef search(q: str):\n    pass\n";
        let found = parse_text(text);
        assert_eq!(found[0].lines, Some((0, 3)));
        assert!(found[0].covers("MCL603", 3, 3));
        assert!(!found[0].covers("MCL603", 4, 4));
    }

    #[test]
    fn marker_outside_a_comment_is_not_a_suppression() {
        assert!(parse_text("s = \"mcplint: ignore[MCL801]\"\n").is_empty());
    }
}
