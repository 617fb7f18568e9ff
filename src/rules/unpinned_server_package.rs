//! MCL901 unpinned-server-package: a client config (or manifest) that
//! launches a server from a package registry or image without pinning the
//! release — whatever the registry serves today is what runs, with the
//! user's credentials.

use super::launch::{DATA_LANGUAGES, image_ref, package_run};
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::finding::{Diagnostic, Level};

pub struct UnpinnedServerPackage;

static META: RuleMeta = RuleMeta {
    code: "MCL901",
    name: "unpinned-server-package",
    level: Level::Warning,
    cwe: Some(1357),
    owasp: Some(owasp::MCP04),
    languages: DATA_LANGUAGES,
    summary: "a server launched with `npx pkg`, `uvx pkg` or `docker run image` without a pinned version",
    doc: include_str!("../../rules/MCL901-unpinned-server-package.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for UnpinnedServerPackage {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in &ctx.facts.client_entries {
            if let Some(run) = package_run(entry) {
                if run.is_local_or_url() || run.is_pinned() || is_dev_runner(&run.name) {
                    continue;
                }
                let what = match run.version.as_deref() {
                    None | Some("") => "no version".to_string(),
                    Some(v) => format!("the moving version `{v}`"),
                };
                let example = match run.ecosystem {
                    super::launch::Ecosystem::Npm => format!("{}@1.2.3", run.name),
                    super::launch::Ecosystem::PyPI => format!("{}==1.2.3", run.name),
                };
                out.push(
                    Diagnostic::new(
                        run.spec.span,
                        format!(
                            "server `{}` runs `{}` through `{}` with {what}: every start installs whatever the registry serves",
                            entry.name, run.name, run.runner
                        ),
                    )
                    .with_help(format!(
                        "pin the exact release you reviewed (`{example}`), and update it deliberately"
                    )),
                );
            }
            if let Some(container) = &entry.container
                && let Some(image) = &container.image
            {
                let r = image_ref(&image.value);
                // A one-part name (`kali-mcp-server`) is an image built on this
                // machine: Docker Hub's one-part namespace holds only its
                // official images, which are not MCP servers.
                if r.digest.is_some() || !r.name.contains('/') {
                    continue;
                }
                let moving = match r.tag {
                    None => Some("no tag (`latest`)".to_string()),
                    Some(tag) if is_moving_tag(tag) => Some(format!("the moving tag `{tag}`")),
                    _ => None,
                };
                if let Some(moving) = moving {
                    out.push(
                        Diagnostic::new(
                            image.span,
                            format!(
                                "server `{}` runs the image `{}` with {moving}: a new push changes what runs",
                                entry.name, r.name
                            ),
                        )
                        .with_help(format!(
                            "pin a release tag or, better, a digest: `{}@sha256:…` (`docker inspect --format '{{{{index .RepoDigests 0}}}}' {}`)",
                            r.name, image.value
                        )),
                    );
                }
            }
        }
    }
}

/// Tools that run the project's own code (`npx tsx server.ts`), usually
/// from the project's `node_modules`: not a server package.
fn is_dev_runner(name: &str) -> bool {
    matches!(
        name,
        "tsx" | "ts-node" | "esno" | "vite-node" | "nodemon" | "node" | "tsc" | "bun"
    )
}

/// Tags that name a branch or channel rather than a release.
fn is_moving_tag(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "latest"
            | "main"
            | "master"
            | "edge"
            | "nightly"
            | "dev"
            | "develop"
            | "stable"
            | "beta"
            | "alpha"
            | "canary"
            | "next"
            | "head"
            | "rolling"
            | "current"
    ) || !lower.chars().any(|c| c.is_ascii_digit())
}
