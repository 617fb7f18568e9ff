//! MCL904 privileged-container: a server run in a container that is given
//! the host — `--privileged`, broad capabilities, the host's network or PID
//! namespace, `/` or the Docker socket mounted.

use super::launch::DATA_LANGUAGES;
use super::{FileContext, Rule, RuleMeta, owasp};
use crate::facts::ContainerOption;
use crate::finding::{Diagnostic, Level};

pub struct PrivilegedContainer;

static META: RuleMeta = RuleMeta {
    code: "MCL904",
    name: "privileged-container",
    level: Level::Error,
    cwe: Some(250),
    owasp: Some(owasp::MCP02),
    languages: DATA_LANGUAGES,
    summary: "a server container run with --privileged, host namespaces, broad capabilities, `/` or the Docker socket mounted",
    doc: include_str!("../../rules/MCL904-privileged-container.md"),
    opt_in: false,
    triggers: &[],
    prefilter: None,
    roles: crate::roles::ALL,
};

impl Rule for PrivilegedContainer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &FileContext<'_>, out: &mut Vec<Diagnostic>) {
        for entry in &ctx.facts.client_entries {
            let Some(container) = &entry.container else {
                continue;
            };
            for option in &container.options {
                let Some(why) = privilege(option) else {
                    continue;
                };
                out.push(
                    Diagnostic::new(
                        option.value_span.filter(|_| option.flag.starts_with("-v") || option.flag == "--volume" || option.flag == "--mount").unwrap_or(option.span),
                        format!(
                            "server `{}` runs in a {} container with {why}: a compromised or malicious server owns the host",
                            entry.name, container.engine
                        ),
                    )
                    .with_help(
                        "drop the option; give the container only the ports, capabilities and directories (read-only where possible) it needs",
                    ),
                );
            }
        }
    }
}

fn privilege(option: &ContainerOption) -> Option<String> {
    let flag = option.flag.as_str();
    let value = option.value.as_deref().unwrap_or("");
    let lower = value.to_ascii_lowercase();
    match flag {
        "--privileged" if !matches!(lower.as_str(), "false" | "0") => {
            Some("`--privileged` (every capability and device)".to_string())
        }
        "--cap-add" => {
            let upper = value.to_ascii_uppercase();
            let cap = upper.trim_start_matches("CAP_");
            matches!(
                cap,
                "ALL" | "SYS_ADMIN" | "SYS_MODULE" | "SYS_PTRACE" | "DAC_READ_SEARCH" | "SYS_RAWIO"
            )
            .then(|| format!("`--cap-add {value}`"))
        }
        "--network" | "--net" | "--pid" | "--ipc" | "--uts" | "--userns" | "--cgroupns"
            if lower == "host" =>
        {
            Some(format!(
                "the host's {} namespace (`{flag} host`)",
                flag.trim_start_matches('-')
                    .replace("net", "network")
                    .replace("networkwork", "network")
            ))
        }
        "--security-opt"
            if [
                "seccomp=unconfined",
                "seccomp:unconfined",
                "apparmor=unconfined",
                "apparmor:unconfined",
                "label=disable",
                "label:disable",
                "systempaths=unconfined",
            ]
            .contains(&lower.as_str()) =>
        {
            Some(format!("`--security-opt {value}`"))
        }
        "-v" | "--volume" => {
            let source = value.split(':').next().unwrap_or("");
            mount_privilege(source)
        }
        "--mount" => {
            let source = value
                .split(',')
                .find_map(|kv| {
                    kv.strip_prefix("source=")
                        .or_else(|| kv.strip_prefix("src="))
                })
                .unwrap_or("");
            mount_privilege(source)
        }
        _ => None,
    }
}

fn mount_privilege(source: &str) -> Option<String> {
    let trimmed = source.trim_end_matches('/');
    if source.starts_with('/') && trimmed.is_empty() {
        return Some("the host's root filesystem mounted (`/`)".to_string());
    }
    if source.ends_with("docker.sock")
        || source.ends_with("podman.sock")
        || source.ends_with("containerd.sock")
    {
        return Some(format!(
            "the container engine's socket mounted (`{source}`)"
        ));
    }
    if matches!(
        trimmed,
        "/etc" | "/proc" | "/sys" | "/dev" | "/var/run" | "/run" | "/boot"
    ) {
        return Some(format!("the host's `{trimmed}` mounted"));
    }
    None
}
