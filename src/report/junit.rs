//! JUnit XML, for CI systems that show test reports: one failing test case
//! per finding (or one passing case when there is none).

use std::io::{self, Write};

use super::{Report, Reporter, slash_path};

pub struct Junit;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

impl Reporter for Junit {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let count = report.findings.len();
        let tests = count.max(1);
        writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            out,
            r#"<testsuites name="mcplint" tests="{tests}" failures="{count}" errors="0">"#
        )?;
        writeln!(
            out,
            r#"  <testsuite name="mcplint" tests="{tests}" failures="{count}" errors="0" skipped="0">"#
        )?;
        if report.findings.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="no findings" classname="mcplint"/>"#
            )?;
        }
        for f in report.findings {
            let path = slash_path(&f.path);
            let at = format!(
                "{path}:{}:{}",
                f.location.start.line, f.location.start.column
            );
            writeln!(
                out,
                r#"    <testcase name="{} {} at {}" classname="{}" file="{}" line="{}">"#,
                f.code,
                f.name,
                escape(&at),
                escape(&path),
                escape(&path),
                f.location.start.line
            )?;
            let mut body = format!("{at}: {} [{}] {}", f.code, f.level, f.message);
            if let Some(help) = &f.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                f.code,
                escape(&f.message),
                escape(&body)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
        writeln!(out, "</testsuites>")
    }
}
