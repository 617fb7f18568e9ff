//! Graphical diagnostics (miette): code and name, message, the source snippet
//! with the primary and secondary spans labelled, help, and the doc reference.

use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, Severity,
    SourceCode, SourceSpan, SpanContents,
};

use super::{Report, Reporter, slash_path, summary_line};
use crate::finding::{Finding, Level};

pub struct Pretty;

/// Columns of the rendering.
const WIDTH: usize = 100;

/// The file's text, shared with the finding.
struct Source {
    name: String,
    text: Arc<str>,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_ref()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

struct Rendered<'a> {
    finding: &'a Finding,
    source: Option<Source>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.message)
    }
}

impl std::error::Error for Rendered<'_> {}

fn source_span(start: usize, end: usize) -> SourceSpan {
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

impl Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{} {}",
            self.finding.code, self.finding.name
        )))
    }

    fn severity(&self) -> Option<Severity> {
        Some(match self.finding.level {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Note => Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // A finding with a flow gets its help after the flow block (`write`).
        if self.finding.flows.is_empty() {
            Some(Box::new(help_text(self.finding)))
        } else {
            None
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let f = self.finding;
        let primary = LabeledSpan::new_primary_with_span(
            Some(f.name.replace('-', " ")),
            source_span(f.location.span.start, f.location.span.end),
        );
        // The flow's steps are listed one line each under the snippet
        // (`flow::render`): drawn on the source they would pull in every line
        // between the source and the sink.
        let secondary = f.labels.iter().map(|(location, message)| {
            LabeledSpan::new_with_span(
                Some(message.clone()),
                source_span(location.span.start, location.span.end),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// The rule's help and where its documentation is.
fn help_text(finding: &Finding) -> String {
    let doc = format!("see `mcplint explain {}`", finding.code);
    match &finding.help {
        Some(help) => format!("{help}\n{doc}"),
        None => doc,
    }
}

/// The help of a finding with a flow, laid out as miette lays out its own.
fn help_block(finding: &Finding, theme: &GraphicalTheme) -> String {
    use owo_colors::OwoColorize;
    let initial = "  help: ".style(theme.styles.help).to_string();
    let options = textwrap::Options::new(WIDTH - 2)
        .initial_indent(&initial)
        .subsequent_indent("        ");
    format!("{}\n", textwrap::fill(&help_text(finding), options))
}

impl Reporter for Pretty {
    fn write(&self, report: &Report<'_>, out: &mut dyn Write) -> io::Result<()> {
        let theme = if report.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme.clone())
            .with_links(false)
            .with_width(WIDTH);
        for finding in report.findings {
            let path = slash_path(&finding.path);
            // miette appends the line and column itself.
            let source = finding.source.as_ref().map(|text| Source {
                name: path.clone(),
                text: text.clone(),
            });
            let has_source = source.is_some();
            let rendered = Rendered { finding, source };
            let mut text = String::new();
            if handler.render_report(&mut text, &rendered).is_err() {
                text = format!("{}: {}\n", finding.code, finding.message);
            }
            if !has_source {
                writeln!(
                    out,
                    "{path}:{}:{}",
                    finding.location.start.line, finding.location.start.column
                )?;
            }
            write!(out, "{text}")?;
            if !finding.flows.is_empty() {
                write!(out, "{}", super::flow::render(finding))?;
                write!(out, "{}", help_block(finding, &theme))?;
            }
            writeln!(out)?;
        }
        if !report.quiet {
            let mut line = summary_line(report);
            line.push_str(&format!(" ({:.2}s)", report.stats.elapsed.as_secs_f64()));
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}
