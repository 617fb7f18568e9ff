//! GitHub Actions workflow commands: each finding becomes an annotation on the
//! pull request's diff (`::error file=…,line=…,col=…,title=…::message`).

use std::io::{self, Write};

use super::{Report, Reporter, slash_path};
use crate::finding::Level;

pub struct Github;

/// Escapes a command's message (GitHub's `escapeData`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property (GitHub's `escapeProperty`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for Github {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        for f in report.findings {
            let command = match f.level {
                Level::Error => "error",
                Level::Warning => "warning",
                Level::Note => "notice",
            };
            let mut message = f.message.clone();
            if let Some(help) = &f.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&slash_path(&f.path)),
                f.location.start.line,
                f.location.start.column,
                f.location.end.line,
                f.location.end.column,
                escape_property(&format!("{} {}", f.code, f.name)),
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_actions_toolkit() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
