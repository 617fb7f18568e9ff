//! MCL405 description-drift: a tool definition that differs from the one
//! pinned in `mcplint.lock` (added, removed, renamed or changed) — the rug
//! pull, where a tool is approved once and changed afterwards.
//!
//! The comparison needs every file of the scan, so the engine computes it
//! after the per-file rules (`scan::scan` with `crate::lock`); this rule's
//! per-file check reports nothing.

use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::Language;
use crate::finding::{Diagnostic, Level};

pub struct DescriptionDrift;

pub static META: RuleMeta = RuleMeta {
    code: "MCL405",
    name: "description-drift",
    level: Level::Warning,
    cwe: Some(494),
    owasp: Some(owasp::MCP03),
    languages: &Language::ALL,
    summary: "tool definitions differ from the pinned lockfile (rug pull)",
    doc: include_str!("../../rules/MCL405-description-drift.md"),
    opt_in: false,
    // Tools exist only in files that use an MCP SDK (or in manifests).
    triggers: crate::frontend::SDK_MARKERS,
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for DescriptionDrift {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &FileContext<'_>, _out: &mut Vec<Diagnostic>) {}
}
