//! What a full-match regular expression guarantees of the value it accepts:
//! `^[A-Za-z0-9_]+$` admits no shell or SQL metacharacter, no path
//! separator, and no leading `-`; `^.*$` or `^[^/]+$` admit anything a sink
//! cares about. The pattern is read as the set of characters it can match
//! and the set it can start with, approximated from above (a construct not
//! understood counts as "any character"), then turned into the sink classes
//! the value is safe for.

use super::catalog::SinkClass;

/// A bit beside the sink classes' (`SinkClass::bit`): the value holds no
/// character that lets a URL reference name a scheme or an authority, so
/// at the head of a reference joined onto a base it keeps the base's host.
pub const URL_SEGMENT: u16 = 1 << 15;

/// Characters a pattern may match: ASCII as a bit set, anything else as one flag.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Chars {
    ascii: u128,
    other: bool,
}

impl Chars {
    fn any() -> Chars {
        Chars {
            ascii: u128::MAX,
            other: true,
        }
    }

    fn add(&mut self, c: char) {
        if c.is_ascii() {
            self.ascii |= 1u128 << (c as u32);
        } else {
            self.other = true;
        }
    }

    fn add_range(&mut self, from: char, to: char) {
        if from > to {
            return;
        }
        for c in from..=to {
            if !c.is_ascii() {
                self.other = true;
                break;
            }
            self.add(c);
        }
    }

    fn union(&mut self, other: Chars) {
        self.ascii |= other.ascii;
        self.other |= other.other;
    }

    fn has(&self, c: char) -> bool {
        c.is_ascii() && self.ascii & (1u128 << (c as u32)) != 0
    }

    /// Only characters of `allowed` (and letters of other scripts, which no
    /// sink reads as syntax, when `other_ok`).
    fn within(&self, allowed: &str, other_ok: bool) -> bool {
        let mut set = Chars::default();
        for c in allowed.chars() {
            set.add(c);
        }
        set.ascii |= alnum().ascii;
        self.ascii & !set.ascii == 0 && (other_ok || !self.other)
    }
}

fn alnum() -> Chars {
    let mut c = Chars::default();
    c.add_range('a', 'z');
    c.add_range('A', 'Z');
    c.add_range('0', '9');
    c
}

/// The class an escape stands for (`\w`, `\d`, `\s`), or the character it escapes.
fn escape_class(c: char) -> Chars {
    let mut out = Chars::default();
    match c {
        'w' => {
            out = alnum();
            out.add('_');
            // Python 3 and Rust `\w` match letters of every script.
            out.other = true;
        }
        'd' => out.add_range('0', '9'),
        's' => {
            for c in [' ', '\t', '\n', '\r', '\x0b', '\x0c'] {
                out.add(c);
            }
            out.other = true;
        }
        'W' | 'D' | 'S' | 'p' | 'P' | 'x' | 'u' | 'U' | 'c' | 'N' => out = Chars::any(),
        // Assertions match no character.
        'b' | 'B' | 'A' | 'z' | 'Z' | 'G' => {}
        'n' => out.add('\n'),
        't' => out.add('\t'),
        'r' => out.add('\r'),
        '0'..='9' => out = Chars::any(),
        other => out.add(other),
    }
    out
}

/// What a pattern admits: every character, and the first character.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Admits {
    all: Chars,
    first: Chars,
}

/// Reads a pattern (without its anchors). `None` when it has a top-level
/// alternation, which the anchors do not bind (`^a|b$`).
fn admits(pattern: &str) -> Option<Admits> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut all = Chars::default();
    let mut first = Chars::default();
    // The first character is decided until an atom that must match once.
    let mut first_open = true;
    let mut depth = 0usize;
    let mut i = 0;
    // Atoms at depth 0 with the group they start (for quantifiers on groups).
    while i < chars.len() {
        let c = chars[i];
        let (atom, next) = match c {
            '\\' => match chars.get(i + 1) {
                Some(&e) => (escape_class(e), i + 2),
                None => (Chars::any(), i + 1),
            },
            '[' => class(&chars, i)?,
            '.' => (Chars::any(), i + 1),
            '(' => {
                depth += 1;
                let mut j = i + 1;
                // `(?:`, `(?P<name>`, `(?i)`: the group's syntax, no characters.
                if chars.get(j) == Some(&'?') {
                    while j < chars.len() && !matches!(chars[j], ':' | '>' | ')') {
                        j += 1;
                    }
                    if chars.get(j) == Some(&')') {
                        depth -= 1;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                i += 1;
                // A group's quantifier may make it optional: stay open.
                continue;
            }
            '|' => {
                if depth == 0 {
                    return None;
                }
                i += 1;
                continue;
            }
            '*' | '+' | '?' | '{' => {
                // A quantifier: skip `{m,n}`.
                let mut j = i + 1;
                if c == '{' {
                    while j < chars.len() && chars[j] != '}' {
                        j += 1;
                    }
                    j += 1;
                }
                i = j;
                continue;
            }
            '^' | '$' => (Chars::default(), i + 1),
            other => {
                let mut one = Chars::default();
                one.add(other);
                (one, i + 1)
            }
        };
        all.union(atom);
        if first_open {
            first.union(atom);
            // Inside a group, or followed by a quantifier that allows zero,
            // the next atom may come first too.
            let optional = matches!(chars.get(next), Some('*' | '?'))
                || (chars.get(next) == Some(&'{')
                    && chars.get(next + 1).is_some_and(|c| *c == '0' || *c == ','));
            if depth == 0 && !optional && atom != Chars::default() {
                first_open = false;
            }
        }
        i = next;
    }
    Some(Admits { all, first })
}

/// A `[…]` class starting at `start`: its characters and the index after it.
fn class(chars: &[char], start: usize) -> Option<(Chars, usize)> {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        // A negated class admits what it does not list: any character.
        while i < chars.len() && !(chars[i] == ']' && i > start + 2) {
            if chars[i] == '\\' {
                i += 1;
            }
            i += 1;
        }
        return Some((Chars::any(), i + 1));
    }
    let mut out = Chars::default();
    let mut previous: Option<char> = None;
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            return Some((out, i + 1));
        }
        first = false;
        match c {
            '\\' => {
                let e = *chars.get(i + 1)?;
                let set = escape_class(e);
                out.union(set);
                // A single escaped character may start a range.
                previous = (set.ascii.count_ones() == 1 && !set.other).then_some(e);
                i += 2;
            }
            '-' if previous.is_some() && chars.get(i + 1).is_some_and(|n| *n != ']') => {
                let from = previous.unwrap_or('-');
                let mut to = chars[i + 1];
                let mut skip = 2;
                if to == '\\' {
                    to = *chars.get(i + 2)?;
                    skip = 3;
                }
                out.add_range(from, to);
                previous = None;
                i += skip;
            }
            '[' if chars.get(i + 1) == Some(&':') => return Some((Chars::any(), chars.len())),
            other => {
                out.add(other);
                previous = Some(other);
                i += 1;
            }
        }
    }
    None
}

/// The sink classes a value is safe for once it fully matches `pattern`
/// (given without delimiters or flags); `anchored_start` / `anchored_end`
/// say that the call matches from the start / to the end whatever the
/// pattern says (`re.match`, `re.fullmatch`). Zero when the pattern is not
/// bound at both ends or admits what a sink reads as syntax.
pub fn safe_classes(pattern: &str, anchored_start: bool, anchored_end: bool) -> u16 {
    let mut body = pattern;
    let mut start = anchored_start;
    let mut end = anchored_end;
    if let Some(rest) = body.strip_prefix('^').or_else(|| body.strip_prefix("\\A")) {
        body = rest;
        start = true;
    }
    for suffix in ["\\Z", "\\z", "$"] {
        if let Some(rest) = body.strip_suffix(suffix)
            && !rest.ends_with('\\')
        {
            body = rest;
            end = true;
            break;
        }
    }
    if !start || !end {
        return 0;
    }
    let Some(admits) = admits(body) else {
        return 0;
    };
    let mut bits = 0;
    // A word for a shell: no whitespace, quote, `$`, `;`, `|`, `&`,
    // redirection, glob or history character.
    if admits.all.within("_-.,:/@%+=", true) {
        bits |= SinkClass::Shell.bit() | SinkClass::Exec.bit();
    }
    // Not read as an option: it cannot start with `-`.
    if !admits.first.has('-') {
        bits |= SinkClass::Argv.bit();
    }
    // One path component that is not `..`: no separator, no leading dot.
    if !admits.all.has('/') && !admits.all.has('\\') && !admits.first.has('.') {
        bits |= SinkClass::Path.bit();
    }
    // An identifier (`schema.table`): no quote, space, comment or `;`. Or
    // the shape of a whole statement, led by its keyword
    // (`SELECT [\w, ]+ FROM \w+`): no quote, comment, `;` or parenthesis.
    let statement = body.len() > 2 && body.chars().take(2).all(|c| c.is_ascii_alphabetic());
    if admits.all.within("_.$", true) || (statement && admits.all.within("_.$ ,=<>", true)) {
        bits |= SinkClass::Sql.bit();
    }
    // An identifier or a number cannot be code that does something.
    if admits.all.within("_", true) {
        bits |= SinkClass::Code.bit() | SinkClass::Deserialize.bit();
    }
    // Never `Url`: even `^[a-z]+$` names `localhost`, and digits alone an
    // address (`2130706433`), when the value is the host. But a value with
    // no `:` `/` `\` `@` `?` `#` `%` cannot make a reference that names a
    // scheme or an authority (`engine::url_base`).
    if ![':', '/', '\\', '@', '?', '#', '%']
        .iter()
        .any(|c| admits.all.has(*c))
        && !admits.all.other
    {
        bits |= URL_SEGMENT;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(bits: u16, class: SinkClass) -> bool {
        bits & class.bit() != 0
    }

    #[test]
    fn identifier_is_safe_for_sql_shell_and_options() {
        let bits = safe_classes("^[A-Za-z0-9_]+$", false, false);
        for class in [
            SinkClass::Sql,
            SinkClass::Shell,
            SinkClass::Argv,
            SinkClass::Path,
            SinkClass::Code,
        ] {
            assert!(has(bits, class), "{class:?}");
        }
        assert!(!has(bits, SinkClass::Url));
    }

    #[test]
    fn a_dash_in_the_class_allows_an_option() {
        let bits = safe_classes(r"^[\w-]+$", false, false);
        assert!(!has(bits, SinkClass::Argv));
        assert!(has(bits, SinkClass::Shell));
        assert!(!has(bits, SinkClass::Sql));
        let led = safe_classes(r"^[A-Za-z0-9][\w.-]*$", false, false);
        assert!(has(led, SinkClass::Argv));
        assert!(has(led, SinkClass::Path));
    }

    #[test]
    fn dots_and_slashes_are_not_a_path_component() {
        assert!(!has(
            safe_classes(r"^[\w.-]+$", false, false),
            SinkClass::Path
        ));
        assert!(!has(
            safe_classes(r"^[\w/]+$", false, false),
            SinkClass::Path
        ));
        assert!(has(
            safe_classes(r"^[\w/]+$", false, false),
            SinkClass::Shell
        ));
    }

    #[test]
    fn permissive_or_unanchored_patterns_give_nothing() {
        assert_eq!(safe_classes("^.*$", false, false), 0);
        assert_eq!(
            safe_classes("^[^/]+$", false, false) & SinkClass::Shell.bit(),
            0
        );
        assert_eq!(safe_classes("[a-z]+", false, false), 0);
        assert_eq!(safe_classes("^[a-z]+", false, false), 0);
        assert_eq!(safe_classes("^a|b$", false, false), 0);
        assert_eq!(safe_classes(r"^\S+$", false, false), 0);
        assert_eq!(
            safe_classes(r"^[\w ]+$", false, false) & SinkClass::Shell.bit(),
            0
        );
    }

    #[test]
    fn implicit_anchors_of_the_call() {
        assert_ne!(safe_classes(r"[a-z_]+", true, true), 0);
        assert_ne!(safe_classes(r"[a-z_]+$", true, false), 0);
        assert_eq!(safe_classes(r"[a-z_]+", true, false), 0);
    }

    #[test]
    fn a_statement_shape_is_sql_safe() {
        let bits = safe_classes(r"SELECT [\w, ]+ FROM \w+( LIMIT \d+)?", true, true);
        assert!(has(bits, SinkClass::Sql));
        assert!(!has(bits, SinkClass::Shell));
        assert!(!has(
            safe_classes(r"^[\w ]+$", false, false),
            SinkClass::Sql
        ));
        assert!(!has(
            safe_classes(r"^SELECT .+$", false, false),
            SinkClass::Sql
        ));
    }

    #[test]
    fn groups_and_quantifiers() {
        let bits = safe_classes(r"^(?:[a-z]+)(?:_[a-z0-9]+){0,3}$", false, false);
        assert!(has(bits, SinkClass::Sql));
        assert!(has(bits, SinkClass::Argv));
        // An optional leading group lets the next atom come first.
        let bits = safe_classes(r"^-?[0-9]+$", false, false);
        assert!(!has(bits, SinkClass::Argv));
        assert!(has(bits, SinkClass::Shell));
        assert_eq!(
            safe_classes(r"^(a|b c)$", false, false) & SinkClass::Shell.bit(),
            0
        );
    }
}
