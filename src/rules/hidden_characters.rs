//! MCL402 hidden-characters: invisible, bidi, tag-block and terminal-control
//! characters in tool metadata — text the model reads and the user does not see.

use super::metadata::texts;
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};

pub struct HiddenCharacters;

static META: RuleMeta = RuleMeta {
    code: "MCL402",
    name: "hidden-characters",
    level: Level::Error,
    cwe: Some(451),
    owasp: Some(owasp::MCP03),
    languages: &crate::facts::Language::ALL,
    summary: "invisible, bidi, tag-block or ANSI characters in tool metadata",
    doc: include_str!("../../rules/MCL402-hidden-characters.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK.
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

/// Why a character is suspicious, or `None` for a visible one.
fn classify(c: char) -> Option<&'static str> {
    let cp = c as u32;
    Some(match cp {
        0xE0000..=0xE007F => "tag character",
        0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C => "bidi control",
        0x200B..=0x200D | 0x2060..=0x2064 | 0xFEFF | 0x180E | 0x034F => "zero-width character",
        0x1B => "terminal escape",
        0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F..=0x9F => "control character",
        // Other format (Cf) characters.
        0x00AD
        | 0x0600..=0x0605
        | 0x06DD
        | 0x070F
        | 0x08E2
        | 0x206A..=0x206F
        | 0xFFF9..=0xFFFB
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A => "invisible format character",
        _ => return None,
    })
}

/// A zero-width joiner between two pictographs is part of an emoji (👩‍💻), not hidden text.
fn is_emoji_joiner(chars: &[char], i: usize) -> bool {
    let pictograph =
        |c: Option<&char>| c.is_some_and(|c| (*c as u32) >= 0x2300 && !c.is_alphanumeric());
    chars[i] == '\u{200D}' && i > 0 && pictograph(chars.get(i - 1)) && pictograph(chars.get(i + 1))
}

/// The ASCII text smuggled in Unicode tag characters (U+E0020–U+E007E).
fn decode_tags(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c as u32 {
            cp @ 0xE0020..=0xE007E => char::from_u32(cp - 0xE0000),
            _ => None,
        })
        .collect()
}

impl Rule for HiddenCharacters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for item in texts(ctx.facts) {
            let chars: Vec<char> = item.text.chars().collect();
            let mut found: Vec<String> = Vec::new();
            let mut count = 0;
            for (i, c) in chars.iter().enumerate() {
                let Some(kind) = classify(*c) else { continue };
                if is_emoji_joiner(&chars, i) {
                    continue;
                }
                count += 1;
                let label = format!("{kind} U+{:04X}", *c as u32);
                if !found.contains(&label) && found.len() < 4 {
                    found.push(label);
                }
            }
            if count == 0 {
                continue;
            }
            let mut message = format!(
                "tool `{}` {} contains {count} hidden character{} ({})",
                item.tool.escape_debug(),
                item.what,
                if count == 1 { "" } else { "s" },
                found.join(", ")
            );
            let smuggled = decode_tags(item.text);
            if !smuggled.trim().is_empty() {
                message.push_str(&format!(
                    "; the tag characters spell \"{}\"",
                    smuggled.escape_debug()
                ));
            }
            out.push(
                Diagnostic::new(item.span, message).with_help(
                    "remove the characters: the model reads them, the user reviewing the tool does not see them",
                ),
            );
        }
        out.sort_by_key(|d| d.span.start);
        out.dedup_by_key(|d| d.span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_decode_to_ascii() {
        let hidden: String = "bcc me"
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xE0000).unwrap())
            .collect();
        assert_eq!(decode_tags(&format!("Send mail{hidden}")), "bcc me");
    }

    #[test]
    fn emoji_sequences_are_visible() {
        let chars: Vec<char> = "👩\u{200D}💻".chars().collect();
        assert!(is_emoji_joiner(&chars, 1));
        assert_eq!(classify('é'), None);
        assert_eq!(classify('\u{FE0F}'), None);
        assert!(classify('\u{202E}').is_some());
    }
}
