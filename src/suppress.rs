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

/// Line intervals, answering "does any of them overlap lines `a..=b`?" by
/// a binary search: sorted by first line, with the furthest last line of
/// every prefix.
#[derive(Debug, Default)]
struct Overlaps {
    firsts: Vec<usize>,
    furthest: Vec<usize>,
}

impl Overlaps {
    fn new(mut intervals: Vec<(usize, usize)>) -> Overlaps {
        intervals.sort_unstable();
        let mut furthest = Vec::with_capacity(intervals.len());
        let mut reach = 0;
        for &(_, last) in &intervals {
            reach = reach.max(last);
            furthest.push(reach);
        }
        Overlaps {
            firsts: intervals.into_iter().map(|(first, _)| first).collect(),
            furthest,
        }
    }

    fn any(&self, a: usize, b: usize) -> bool {
        let starting = self.firsts.partition_point(|&first| first <= b);
        starting > 0 && self.furthest[starting - 1] >= a
    }
}

/// Which diagnostics the suppressions of a file silence, and what each
/// suppression silenced. `diagnostics` are `(rule code, first line, last
/// line)`, 0-based. Returns, per diagnostic, whether a suppression covers
/// it, and per suppression the codes (of rules it names, or of any rule
/// for a bare `ignore`) of the diagnostics it covers.
///
/// Each question is a binary search over the suppressions of one rule, or
/// the diagnostics of one rule, so that a file with thousands of both is
/// not quadratic.
pub fn judge(
    suppressions: &[Suppression],
    diagnostics: &[(&'static str, usize, usize)],
) -> (Vec<bool>, Vec<Vec<&'static str>>) {
    use std::collections::BTreeMap;
    let lines = |s: &Suppression| s.lines.unwrap_or((0, usize::MAX));
    // The suppressions by rule code they name; `None`: a bare `ignore`.
    let mut by_code: BTreeMap<Option<&'static str>, Vec<(usize, usize)>> = BTreeMap::new();
    for suppression in suppressions {
        match &suppression.scope {
            Scope::All => by_code.entry(None).or_default().push(lines(suppression)),
            Scope::Rules(refs) => {
                for meta in refs.iter().filter_map(|r| r.meta) {
                    by_code
                        .entry(Some(meta.code))
                        .or_default()
                        .push(lines(suppression));
                }
            }
        }
    }
    let by_code: BTreeMap<Option<&'static str>, Overlaps> = by_code
        .into_iter()
        .map(|(code, intervals)| (code, Overlaps::new(intervals)))
        .collect();
    let covered = |code: Option<&'static str>, a: usize, b: usize| {
        by_code.get(&code).is_some_and(|o| o.any(a, b))
    };
    let suppressed = diagnostics
        .iter()
        .map(|&(code, a, b)| covered(Some(code), a, b) || covered(None, a, b))
        .collect();
    // The diagnostics by code, for the other direction.
    let mut reported: BTreeMap<&'static str, Vec<(usize, usize)>> = BTreeMap::new();
    for &(code, a, b) in diagnostics {
        reported.entry(code).or_default().push((a, b));
    }
    let reported: BTreeMap<&'static str, Overlaps> = reported
        .into_iter()
        .map(|(code, intervals)| (code, Overlaps::new(intervals)))
        .collect();
    let used = suppressions
        .iter()
        .map(|suppression| {
            let (a, b) = lines(suppression);
            let hit = |code: &&'static str| reported.get(code).is_some_and(|o| o.any(a, b));
            let mut codes: Vec<&'static str> = match &suppression.scope {
                Scope::All => reported.keys().copied().filter(hit).collect(),
                Scope::Rules(refs) => refs
                    .iter()
                    .filter_map(|r| r.meta.map(|m| m.code))
                    .filter(hit)
                    .collect(),
            };
            codes.dedup();
            codes
        })
        .collect();
    (suppressed, used)
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
    fn many_suppressions_are_judged_as_one_by_one() {
        // Every other line suppresses MCL801 or everything, the rest
        // carry findings: the answers are those of `covers`, pair by pair.
        let mut text = String::from("# mcplint: ignore-file[MCL603]\n");
        for i in 0..3000 {
            match i % 4 {
                0 => text.push_str("k = 1  # mcplint: ignore[MCL801]\n"),
                1 => text.push_str("# mcplint: ignore\n"),
                2 => text.push_str("# mcplint: ignore[MCL102, MCL99]\n"),
                _ => text.push_str("x = 2\n"),
            }
        }
        let suppressions = parse_text(&text);
        assert_eq!(suppressions.len(), 2251);
        let codes = ["MCL801", "MCL102", "MCL603", "MCL201"];
        let diagnostics: Vec<(&'static str, usize, usize)> = (0..6000)
            .map(|i| (codes[i % codes.len()], i / 2, i / 2 + i % 3))
            .collect();
        let (suppressed, used) = judge(&suppressions, &diagnostics);
        for (d, &(code, a, b)) in diagnostics.iter().enumerate() {
            let expected = suppressions.iter().any(|s| s.covers(code, a, b));
            assert_eq!(suppressed[d], expected, "{code} {a}..={b}");
        }
        for (s, suppression) in suppressions.iter().enumerate().step_by(7) {
            let mut expected: Vec<&str> = diagnostics
                .iter()
                .filter(|(code, a, b)| suppression.covers(code, *a, *b))
                .map(|(code, _, _)| *code)
                .collect();
            expected.sort_unstable();
            expected.dedup();
            let mut got = used[s].clone();
            got.sort_unstable();
            assert_eq!(got, expected, "suppression {s}");
        }
    }

    #[test]
    fn marker_outside_a_comment_is_not_a_suppression() {
        assert!(parse_text("s = \"mcplint: ignore[MCL801]\"\n").is_empty());
    }
}
