//! Versions compared as their ecosystem compares them, never as strings:
//! semver for npm, crates.io and Go modules (Go pseudo-versions are semver
//! pre-releases of the next patch, so they sort below that release), PEP 440
//! for PyPI. Both are reduced to one ordered key: numeric release segments,
//! then a stage (dev < pre-release < release < post-release) and its
//! identifiers.

use std::cmp::Ordering;

use super::Ecosystem;

/// A version reduced to what ordering needs. Equal when they order equal
/// (`1.2` is `1.2.0`).
#[derive(Debug, Clone)]
pub struct Version {
    release: Vec<u64>,
    /// 0 dev, 1 pre-release, 2 release, 3 post-release.
    stage: u8,
    /// The stage's identifiers: `["rc", "1"]`, `["alpha", "2"]`.
    tag: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    // Numeric identifiers sort before alphanumeric ones (semver §11).
    Num(u64),
    Text(String),
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.release.len().max(other.release.len());
        for i in 0..len {
            let a = self.release.get(i).copied().unwrap_or(0);
            let b = other.release.get(i).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        self.stage
            .cmp(&other.stage)
            .then_with(|| self.tag.cmp(&other.tag))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Version {
    /// Parses a version as `ecosystem` writes it; `None` for what is not one
    /// (`latest`, a git URL, a range).
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Option<Version> {
        match ecosystem {
            Ecosystem::PyPi => pep440(text),
            Ecosystem::Npm | Ecosystem::Crates | Ecosystem::Go => semver(text),
        }
    }
}

/// `1.2.3`, `v1.2.3`, `1.2.3-rc.1+build`, `v0.0.0-20240101-abcdef` (a Go
/// pseudo-version: a pre-release).
fn semver(text: &str) -> Option<Version> {
    let text = text.trim().trim_start_matches(['v', '=']);
    let text = text.split('+').next().unwrap_or(text);
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (text, None),
    };
    let release = numbers(core)?;
    let (stage, tag) = match pre {
        Some(pre) => (1, pre.split('.').map(ident).collect()),
        None => (2, Vec::new()),
    };
    Some(Version {
        release,
        stage,
        tag,
    })
}

fn numbers(core: &str) -> Option<Vec<u64>> {
    if core.is_empty() {
        return None;
    }
    core.split('.').map(|p| p.parse::<u64>().ok()).collect()
}

fn ident(part: &str) -> Ident {
    match part.parse::<u64>() {
        Ok(n) => Ident::Num(n),
        Err(_) => Ident::Text(part.to_ascii_lowercase()),
    }
}

/// PEP 440: `1.2`, `1.2.3rc1`, `1.0.post2`, `2.0.dev3`, `1!2.0` (epoch
/// ignored: no MCP package uses one), local labels (`+cpu`) ignored.
fn pep440(text: &str) -> Option<Version> {
    let text = text.trim().to_ascii_lowercase();
    let text = text.trim_start_matches('v');
    let text = text.split('+').next().unwrap_or(text);
    let text = text.rsplit('!').next().unwrap_or(text);
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (core, rest) = text.split_at(split);
    let release = numbers(core.trim_end_matches('.'))?;
    let rest = rest.trim_start_matches(['.', '-', '_']);
    if rest.is_empty() {
        return Some(Version {
            release,
            stage: 2,
            tag: Vec::new(),
        });
    }
    let letters: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let number = rest[letters.len()..]
        .trim_start_matches(['.', '-', '_'])
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse::<u64>()
        .unwrap_or(0);
    let (stage, label) = match letters.as_str() {
        "dev" => (0, "dev"),
        "a" | "alpha" => (1, "a"),
        "b" | "beta" => (1, "b"),
        "c" | "rc" | "pre" | "preview" => (1, "rc"),
        "post" | "rev" | "r" => (3, "post"),
        _ => return None,
    };
    Some(Version {
        release,
        stage,
        tag: vec![Ident::Text(label.to_string()), Ident::Num(number)],
    })
}

/// One bound of a range: the version and whether it is included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    pub version: Version,
    pub inclusive: bool,
}

/// The versions a manifest range admits, as an interval per alternative
/// (`||` in npm): `None` for no bound on that side.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Interval {
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
}

impl Interval {
    /// Is every version this interval admits at or above `introduced` and
    /// below `fixed` — is it only vulnerable versions?
    pub fn only_below(&self, introduced: Option<&Version>, fixed: &Version) -> bool {
        let below_fixed = self
            .upper
            .as_ref()
            .is_some_and(|u| u.version < *fixed || (u.version == *fixed && !u.inclusive));
        let above_introduced = match introduced {
            None => true,
            Some(introduced) => self
                .lower
                .as_ref()
                .is_some_and(|l| l.version >= *introduced),
        };
        below_fixed && above_introduced
    }
}

/// The intervals of a range, or `None` when it cannot be read (then no
/// finding: a range mcplint does not understand is not reported).
pub fn parse_range(ecosystem: Ecosystem, text: &str) -> Option<Vec<Interval>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    text.split("||")
        .map(|alternative| match ecosystem {
            Ecosystem::PyPi => pep440_interval(alternative),
            _ => semver_interval(alternative),
        })
        .collect()
}

fn bound(ecosystem: Ecosystem, text: &str, inclusive: bool) -> Option<Bound> {
    Some(Bound {
        version: Version::parse(ecosystem, text)?,
        inclusive,
    })
}

/// `^1.2.3`, `~1.2`, `1.2.x`, `>=1 <2`, `1.2.3`, `*`.
fn semver_interval(text: &str) -> Option<Interval> {
    let mut interval = Interval::default();
    let text = text
        .replace(">= ", ">=")
        .replace("<= ", "<=")
        .replace("> ", ">")
        .replace("< ", "<");
    for part in text.split_whitespace() {
        let (op, version) = split_operator(part);
        let version = version.trim_start_matches('v');
        if matches!(version, "*" | "x" | "X" | "latest") {
            continue;
        }
        let wildcard = version
            .split('.')
            .position(|p| matches!(p, "x" | "X" | "*"));
        let parts: Vec<&str> = version
            .split('.')
            .take_while(|p| !matches!(*p, "x" | "X" | "*"))
            .collect();
        let base = parts.join(".");
        let numbers: Vec<u64> = parts
            .iter()
            .map(|p| p.split('-').next().unwrap_or(p).parse::<u64>().ok())
            .collect::<Option<_>>()?;
        match op {
            "^" | "~" | "" | "="
                if wildcard.is_some() || numbers.len() < 3 || op == "^" || op == "~" =>
            {
                let lower = bound(Ecosystem::Npm, &base, true)?;
                let upper = caret_tilde_upper(op, &numbers)?;
                interval.lower = Some(lower);
                interval.upper = Some(Bound {
                    version: upper,
                    inclusive: false,
                });
            }
            "" | "=" => {
                interval.lower = bound(Ecosystem::Npm, version, true);
                interval.upper = bound(Ecosystem::Npm, version, true);
            }
            ">=" => interval.lower = bound(Ecosystem::Npm, version, true),
            ">" => interval.lower = bound(Ecosystem::Npm, version, false),
            "<=" => interval.upper = bound(Ecosystem::Npm, version, true),
            "<" => interval.upper = bound(Ecosystem::Npm, version, false),
            _ => return None,
        }
    }
    Some(interval)
}

/// The exclusive upper end of `^x.y.z` / `~x.y.z` / a partial `x.y`.
fn caret_tilde_upper(op: &str, numbers: &[u64]) -> Option<Version> {
    let bump = |index: usize| -> Version {
        let mut release: Vec<u64> = numbers.iter().take(index + 1).copied().collect();
        if let Some(last) = release.last_mut() {
            *last += 1;
        }
        // `<2.0.0-0` in npm: no pre-release of the next version either.
        Version {
            release,
            stage: 0,
            tag: Vec::new(),
        }
    };
    if numbers.is_empty() {
        return None;
    }
    Some(match op {
        "^" => {
            // The first non-zero segment is the one that may not change.
            let index = numbers
                .iter()
                .position(|n| *n != 0)
                .unwrap_or(numbers.len() - 1);
            bump(index)
        }
        "~" => bump(if numbers.len() > 1 { 1 } else { 0 }),
        // `1.2` = `1.2.x`; `1` = `1.x`.
        _ => bump(numbers.len() - 1),
    })
}

/// `>=1.0,<2`, `==1.9.0`, `~=1.4`, `==1.*`, `!=1.5` (ignored: it narrows).
fn pep440_interval(text: &str) -> Option<Interval> {
    let mut interval = Interval::default();
    for part in text.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (op, version) = split_operator(part);
        let version = version.trim();
        match op {
            "==" | "===" if version.ends_with(".*") => {
                let base = version.trim_end_matches(".*");
                let numbers = numbers(base)?;
                interval.lower = bound(Ecosystem::PyPi, base, true);
                interval.upper = Some(Bound {
                    version: caret_tilde_upper("", &numbers)?,
                    inclusive: false,
                });
            }
            "==" | "===" => {
                interval.lower = bound(Ecosystem::PyPi, version, true);
                interval.upper = bound(Ecosystem::PyPi, version, true);
            }
            "~=" => {
                let numbers = numbers(version.split(|c: char| c.is_ascii_alphabetic()).next()?)?;
                if numbers.len() < 2 {
                    return None;
                }
                interval.lower = bound(Ecosystem::PyPi, version, true);
                interval.upper = Some(Bound {
                    version: caret_tilde_upper("", &numbers[..numbers.len() - 1])?,
                    inclusive: false,
                });
            }
            ">=" => interval.lower = bound(Ecosystem::PyPi, version, true),
            ">" => interval.lower = bound(Ecosystem::PyPi, version, false),
            "<=" => interval.upper = bound(Ecosystem::PyPi, version, true),
            "<" => interval.upper = bound(Ecosystem::PyPi, version, false),
            "!=" => {}
            // Poetry's `^1.2` and `~1.2` in pyproject: as npm reads them.
            "^" | "~" => return semver_interval(part),
            _ => return None,
        }
    }
    Some(interval)
}

fn split_operator(part: &str) -> (&str, &str) {
    let end = part
        .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^' | '!'))
        .unwrap_or(part.len());
    (&part[..end], &part[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(e: Ecosystem, s: &str) -> Version {
        Version::parse(e, s).unwrap_or_else(|| panic!("{s} parses"))
    }

    #[test]
    fn semver_orders_numerically_and_prereleases_first() {
        let npm = |s| v(Ecosystem::Npm, s);
        assert!(npm("1.9.0") < npm("1.17.0"));
        assert!(npm("1.24.0-rc.1") < npm("1.24.0"));
        assert!(npm("1.24.0-alpha.2") < npm("1.24.0-alpha.10"));
        assert!(npm("0.1.9") < npm("0.1.16"));
        assert_eq!(npm("v1.2"), npm("1.2.0"));
        // A Go pseudo-version is below the release it precedes.
        let go = |s| v(Ecosystem::Go, s);
        assert!(go("v1.4.1-0.20250101000000-abcdef123456") < go("v1.4.1"));
        assert!(go("v1.4.0") < go("v1.4.1-0.20250101000000-abcdef123456"));
    }

    #[test]
    fn pep440_orders_stages() {
        let py = |s| v(Ecosystem::PyPi, s);
        assert!(py("1.23.0rc1") < py("1.23.0"));
        assert!(py("1.23.0.dev1") < py("1.23.0a1"));
        assert!(py("1.23.0") < py("1.23.0.post1"));
        assert!(py("1.9.4") < py("1.23"));
        assert!(py("2025.7.1") < py("2025.12.18"));
        assert!(Version::parse(Ecosystem::PyPi, "latest").is_none());
    }

    #[test]
    fn ranges_that_admit_only_vulnerable_versions() {
        let fixed = v(Ecosystem::Npm, "1.24.0");
        let only = |e, r: &str| {
            parse_range(e, r)
                .unwrap_or_else(|| panic!("{r} parses"))
                .iter()
                .all(|i| i.only_below(None, &fixed))
        };
        assert!(only(Ecosystem::Npm, "~1.17.0"));
        assert!(only(Ecosystem::Npm, "1.17.0"));
        assert!(only(Ecosystem::Npm, "1.17.x"));
        assert!(only(Ecosystem::Npm, ">=1.0.0 <1.20.0"));
        assert!(!only(Ecosystem::Npm, "^1.17.0"));
        assert!(!only(Ecosystem::Npm, ">=1.0.0"));
        assert!(!only(Ecosystem::Npm, "*"));
        assert!(!only(Ecosystem::Npm, "1.17.0 || ^1.24.0"));
        assert!(only(Ecosystem::Npm, "^0.5.0"));
        assert!(only(Ecosystem::PyPi, "==1.9.0"));
        assert!(only(Ecosystem::PyPi, ">=1.0,<1.20"));
        assert!(only(Ecosystem::PyPi, "~=1.9.0"));
        assert!(only(Ecosystem::PyPi, "==1.9.*"));
        assert!(!only(Ecosystem::PyPi, "==1.*"));
        assert!(!only(Ecosystem::PyPi, "~=1.9"));
        assert!(!only(Ecosystem::PyPi, ">=1.2.0"));
        assert!(only(Ecosystem::PyPi, "^0.9"));
        assert!(!only(Ecosystem::PyPi, "^1.9"));
        assert!(parse_range(Ecosystem::PyPi, "git+https://x").is_none());
    }
}
