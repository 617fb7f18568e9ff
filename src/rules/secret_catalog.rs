//! The credential catalog of MCL801 (`rules/catalog/secrets.toml`): provider
//! token formats found by their shape, and the values that have a
//! credential's shape but are public by design or documentation samples.
//!
//! Matching is two-staged so that a scan pays for the regexes only where a
//! token can be: one Aho-Corasick automaton over every format's keywords
//! (`ghp_`, `AKIA`, `sk-ant-api03-`…) picks the candidate formats of a
//! string literal, and only their regexes run. Formats without a
//! distinctive shape (a bare 40-character Cloudflare token) run only when
//! the name the literal is assigned to, or the text before it on its line,
//! names the provider.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex::Regex;
use serde::Deserialize;

const CATALOG_TEXT: &str = include_str!("../../rules/catalog/secrets.toml");

#[derive(Deserialize)]
struct CatalogFile {
    placeholders: Vec<String>,
    weak_keywords: Vec<String>,
    url_default_passwords: Vec<String>,
    format: Vec<FormatEntry>,
    #[serde(default)]
    allow: Vec<AllowEntry>,
}

// Samples, near misses and reasons are read by the tests only.
#[derive(Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct FormatEntry {
    pub id: String,
    pub provider: String,
    pub name: String,
    pub regex: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub context: Option<String>,
    pub check: Option<String>,
    pub sample: String,
    pub sample_context: Option<String>,
    pub near_miss: String,
    #[serde(default)]
    pub overlaps: Vec<String>,
}

#[derive(Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) struct AllowEntry {
    pub id: String,
    pub reason: String,
    pub token: String,
    pub context: Option<String>,
    pub near: Option<String>,
    pub jwt_claims: Option<String>,
    pub sample: String,
    pub sample_context: Option<String>,
    pub sample_near: Option<String>,
}

/// A test the shape alone cannot express.
#[derive(Debug, Clone, Copy)]
enum Check {
    /// A Discord bot token's first segment is the bot's user id in base64.
    DiscordId,
    /// A connection URL's password is a real one, for a host that is not local.
    UrlPassword,
}

pub(crate) struct Format {
    /// The catalog's id for the format (the tests check which one matched).
    #[cfg_attr(not(test), allow(dead_code))]
    pub id: String,
    /// What the message calls it: "GitHub personal access token (`ghp_`)".
    pub name: String,
    regex: Regex,
    context: Option<Regex>,
    check: Option<Check>,
}

struct Allow {
    id: String,
    token: Regex,
    context: Option<Regex>,
    near: Option<Regex>,
    jwt_claims: Option<Regex>,
}

/// Where a literal sits: what a `context` format or allow entry looks at.
#[derive(Default, Clone, Copy)]
pub(crate) struct Around<'a> {
    /// The variable, key or argument the literal is assigned to.
    pub target: Option<&'a str>,
    /// The text before the literal on its line (`Mistral(api_key=`).
    pub line_before: &'a str,
    /// The source around the literal (a Firebase config object's other keys).
    pub near: &'a str,
    /// The rest of the literal's line: a trailing comment
    /// (`apiKey: '…', // search-only (public) key`).
    pub line_after: &'a str,
}

impl Around<'_> {
    fn context_matches(&self, re: &Regex) -> bool {
        self.target.is_some_and(|t| re.is_match(t))
            || re.is_match(self.line_before)
            || re.is_match(self.line_after)
    }
}

/// A credential found in a literal.
pub(crate) struct Hit<'c, 'v> {
    pub format: &'c Format,
    pub token: &'v str,
}

pub(crate) struct Catalog {
    placeholders: Vec<String>,
    url_default_passwords: Vec<String>,
    formats: Vec<Format>,
    /// Keyword automaton over string literals; pattern `i` belongs to
    /// `keyword_format[i]`.
    keywords: Option<AhoCorasick>,
    keyword_format: Vec<usize>,
    /// Keywords distinctive enough to decide that a file is worth parsing.
    file_keywords: Option<AhoCorasick>,
    /// Formats that run on context rather than keywords.
    context_formats: Vec<usize>,
    allow: Vec<Allow>,
}

pub(crate) fn catalog() -> &'static Catalog {
    static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
        // The catalog is embedded and every entry is tested; were it invalid,
        // the rule would find less rather than crash a scan.
        toml::from_str::<CatalogFile>(CATALOG_TEXT)
            .map(Catalog::build)
            .unwrap_or_else(|_| Catalog::build(CatalogFile::empty()))
    });
    &CATALOG
}

impl CatalogFile {
    fn empty() -> CatalogFile {
        CatalogFile {
            placeholders: Vec::new(),
            weak_keywords: Vec::new(),
            url_default_passwords: Vec::new(),
            format: Vec::new(),
            allow: Vec::new(),
        }
    }
}

fn automaton(patterns: &[String]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(patterns)
        .ok()
}

impl Catalog {
    fn build(file: CatalogFile) -> Catalog {
        let mut formats = Vec::new();
        let mut keyword_patterns: Vec<String> = Vec::new();
        let mut keyword_format = Vec::new();
        let mut file_patterns: Vec<String> = Vec::new();
        let mut context_formats = Vec::new();
        for entry in file.format {
            let Ok(regex) = Regex::new(&entry.regex) else {
                continue;
            };
            let context = match entry.context.as_deref().map(Regex::new) {
                Some(Ok(re)) => Some(re),
                Some(Err(_)) => continue,
                None => None,
            };
            let check = match entry.check.as_deref() {
                Some("discord-id") => Some(Check::DiscordId),
                Some("url-password") => Some(Check::UrlPassword),
                Some(_) => continue,
                None => None,
            };
            let index = formats.len();
            if context.is_some() {
                context_formats.push(index);
            }
            for keyword in &entry.keywords {
                keyword_patterns.push(keyword.clone());
                keyword_format.push(index);
                if keyword.len() >= 3 && !file.weak_keywords.contains(keyword) {
                    file_patterns.push(keyword.clone());
                }
            }
            formats.push(Format {
                id: entry.id,
                name: entry.name,
                regex,
                context,
                check,
            });
        }
        let allow = file
            .allow
            .into_iter()
            .filter_map(|a| {
                let optional = |re: Option<String>| match re.map(|r| Regex::new(&r)) {
                    Some(Ok(re)) => Ok(Some(re)),
                    Some(Err(e)) => Err(e),
                    None => Ok(None),
                };
                Some(Allow {
                    id: a.id,
                    token: Regex::new(&a.token).ok()?,
                    context: optional(a.context).ok()?,
                    near: optional(a.near).ok()?,
                    jwt_claims: optional(a.jwt_claims).ok()?,
                })
            })
            .collect();
        Catalog {
            placeholders: file.placeholders.iter().map(|p| p.to_lowercase()).collect(),
            url_default_passwords: file.url_default_passwords,
            keywords: automaton(&keyword_patterns),
            keyword_format,
            file_keywords: automaton(&file_patterns),
            context_formats,
            formats,
            allow,
        }
    }

    /// Does the file text hold a distinctive keyword of some format?
    pub(crate) fn file_may_hold_token(&self, text: &str) -> bool {
        self.file_keywords
            .as_ref()
            .is_some_and(|ac| ac.is_match(text))
    }

    /// The first format (in catalog order) that finds a real credential in
    /// `value`: not a placeholder, not public by design.
    pub(crate) fn find<'c, 'v>(
        &'c self,
        value: &'v str,
        around: &Around<'_>,
    ) -> Option<Hit<'c, 'v>> {
        let mut candidate = vec![false; self.formats.len()];
        let mut any = false;
        if let Some(ac) = &self.keywords {
            for m in ac.find_overlapping_iter(value) {
                if let Some(&f) = self.keyword_format.get(m.pattern().as_usize()) {
                    candidate[f] = true;
                    any = true;
                }
            }
        }
        for &f in &self.context_formats {
            if let Some(context) = &self.formats[f].context
                && self.formats[f].regex.is_match(value)
                && around.context_matches(context)
            {
                candidate[f] = true;
                any = true;
            }
        }
        if !any {
            return None;
        }
        for (format, _) in self.formats.iter().zip(&candidate).filter(|(_, c)| **c) {
            for caps in format.regex.captures_iter(value) {
                let Some(token) = caps.get(1).or_else(|| caps.get(0)).map(|m| m.as_str()) else {
                    continue;
                };
                if self.is_placeholder(token)
                    || self.allowed(token, around).is_some()
                    || !self.passes_check(format.check, token)
                {
                    continue;
                }
                return Some(Hit { format, token });
            }
        }
        None
    }

    /// The allow entry that says this credential-shaped value is not a secret.
    pub(crate) fn allowed(&self, token: &str, around: &Around<'_>) -> Option<&str> {
        self.allow
            .iter()
            .find(|a| {
                a.token.is_match(token)
                    && a.context
                        .as_ref()
                        .is_none_or(|re| around.context_matches(re))
                    && a.near.as_ref().is_none_or(|re| re.is_match(around.near))
                    && a.jwt_claims
                        .as_ref()
                        .is_none_or(|re| jwt_payload(token).is_some_and(|p| re.is_match(&p)))
            })
            .map(|a| a.id.as_str())
    }

    /// A placeholder or test dummy rather than a credential.
    pub(crate) fn is_placeholder(&self, value: &str) -> bool {
        let lower = value.to_ascii_lowercase();
        if self.placeholders.iter().any(|w| lower.contains(w.as_str())) {
            return true;
        }
        // A token whose payload says it is an example (jwt.io's "John Doe").
        if jwt_payload(value).is_some_and(|payload| {
            let lower = payload.to_ascii_lowercase();
            self.placeholders.iter().any(|w| lower.contains(w.as_str()))
        }) {
            return true;
        }
        // A long run of one character: "sk-000000000000", "AKIAXXXXXXXXXXXXXXXX".
        let mut run = 0;
        let mut previous = None;
        for c in value.chars() {
            run = if Some(c) == previous { run + 1 } else { 1 };
            previous = Some(c);
            if run >= 6 {
                return true;
            }
        }
        false
    }

    fn passes_check(&self, check: Option<Check>, token: &str) -> bool {
        match check {
            None => true,
            Some(Check::DiscordId) => token
                .split('.')
                .next()
                .and_then(decode_base64)
                .is_some_and(|id| id.len() >= 17 && id.iter().all(u8::is_ascii_digit)),
            Some(Check::UrlPassword) => self.url_has_real_password(token),
        }
    }

    /// `scheme://user:password@host`: a password that is not a placeholder or
    /// a local-development default, for a host that is not local.
    fn url_has_real_password(&self, url: &str) -> bool {
        let Some((_, rest)) = url.split_once("://") else {
            return false;
        };
        let Some((userinfo, host)) = rest.rsplit_once('@') else {
            return false;
        };
        let Some((user, password)) = userinfo.split_once(':') else {
            return false;
        };
        let host = host
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("")
            .rsplit_once(':')
            .map_or(host, |(h, _)| h);
        let local = host.is_empty()
            || !host.contains('.')
            || host.starts_with("127.")
            || host.starts_with("0.0.0.0")
            || host.starts_with("192.168.")
            || host.starts_with("10.")
            || host.ends_with(".local")
            || host.ends_with(".internal")
            || host.ends_with(".localhost")
            || host == "host.docker.internal";
        let lower = percent_decode(password).to_ascii_lowercase();
        let default = lower == user.to_ascii_lowercase()
            || self
                .url_default_passwords
                .iter()
                .any(|d| *d == lower || (d.len() >= 4 && lower.contains(d.as_str())))
            || password.starts_with(['$', '{', '<', '*']);
        !local && !default && password.len() >= 6 && !self.is_placeholder(password)
    }
}

/// `p%40ss` → `p@ss`; invalid escapes stay as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The decoded payload of a JSON Web Token (`header.payload.signature`).
pub(crate) fn jwt_payload(token: &str) -> Option<String> {
    if !token.starts_with("eyJ") {
        return None;
    }
    let payload = token.split('.').nth(1)?;
    String::from_utf8(decode_base64(payload)?).ok()
}

/// Decodes standard or URL-safe base64 (padding optional); `None` when the
/// text is not base64 or too short to be worth decoding.
pub(crate) fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    if trimmed.len() < 8 || trimmed.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(trimmed.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in trimmed.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
pub(crate) fn entries() -> (Vec<FormatEntry>, Vec<AllowEntry>) {
    let file: CatalogFile = toml::from_str(CATALOG_TEXT).expect("secrets catalog is valid TOML");
    (file.format, file.allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn around<'a>(target: Option<&'a str>) -> Around<'a> {
        Around {
            target,
            ..Around::default()
        }
    }

    #[test]
    fn every_entry_compiles() {
        let (formats, allow) = entries();
        assert!(formats.len() >= 60, "at least 60 formats");
        assert_eq!(
            catalog().formats.len(),
            formats.len(),
            "a format failed to compile"
        );
        assert_eq!(
            catalog().allow.len(),
            allow.len(),
            "an allow entry failed to compile"
        );
        let mut ids: Vec<&str> = formats.iter().map(|f| f.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), formats.len(), "format ids are unique");
        for f in &formats {
            assert!(!f.provider.is_empty() && !f.name.is_empty(), "{}", f.id);
            assert!(
                !f.keywords.is_empty() || f.context.is_some(),
                "{}: keywords or a context",
                f.id
            );
            for k in &f.keywords {
                assert!(
                    f.sample
                        .to_ascii_lowercase()
                        .contains(&k.to_ascii_lowercase())
                        || f.keywords.len() > 1,
                    "{}: keyword {k}",
                    f.id
                );
            }
        }
    }

    /// Every sample is found, as its own format; every near miss is not.
    #[test]
    fn every_format_finds_its_sample_and_not_its_near_miss() {
        let (formats, _) = entries();
        let compiled = &catalog().formats;
        let mut failures = Vec::new();
        for entry in &formats {
            let at = around(entry.sample_context.as_deref());
            let hit = catalog()
                .find(&entry.sample, &at)
                .map(|h| h.format.id.as_str());
            if hit != Some(entry.id.as_str()) {
                failures.push(format!("{}: sample reported as {hit:?}", entry.id));
            }
            // Which regexes match the sample: its own and the documented overlaps.
            let mut matching: Vec<&str> = compiled
                .iter()
                .filter(|f| f.regex.is_match(&entry.sample))
                .filter(|f| f.context.as_ref().is_none_or(|c| at.context_matches(c)))
                .map(|f| f.id.as_str())
                .filter(|id| *id != entry.id)
                .collect();
            matching.sort_unstable();
            let mut documented: Vec<&str> = entry.overlaps.iter().map(String::as_str).collect();
            documented.sort_unstable();
            if matching != documented {
                failures.push(format!("{}: overlaps {matching:?}", entry.id));
            }
            // A near miss fails the shape, or (for formats with a check) the check.
            let own = compiled.iter().find(|f| f.id == entry.id);
            let shape_matches = own.is_some_and(|f| f.regex.is_match(&entry.near_miss));
            if shape_matches && entry.check.is_none() {
                failures.push(format!("{}: near miss matches", entry.id));
            }
            if let Some(h) = catalog().find(&entry.near_miss, &at) {
                failures.push(format!(
                    "{}: near miss reported as {}",
                    entry.id, h.format.id
                ));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// A context format needs its context: the same value assigned to an
    /// unrelated name is not reported as that provider's.
    #[test]
    fn context_formats_need_their_context() {
        let (formats, _) = entries();
        for entry in formats.iter().filter(|f| f.context.is_some()) {
            let hit = catalog().find(&entry.sample, &around(Some("value")));
            assert!(
                hit.is_none_or(|h| h.format.id != entry.id),
                "{} without its context",
                entry.id
            );
        }
    }

    #[test]
    fn every_allow_entry_allows_its_sample() {
        let (_, allow) = entries();
        let mut failures = Vec::new();
        for entry in &allow {
            let at = Around {
                target: entry.sample_context.as_deref(),
                line_before: "",
                near: entry.sample_near.as_deref().unwrap_or(""),
                line_after: "",
            };
            match catalog().allowed(&entry.sample, &at) {
                Some(id) if id == entry.id => {}
                other => failures.push(format!("{}: allowed by {other:?}", entry.id)),
            }
            if let Some(h) = catalog().find(&entry.sample, &at) {
                failures.push(format!("{}: reported as {}", entry.id, h.format.id));
            }
            if entry.reason.is_empty() {
                failures.push(format!("{}: no reason", entry.id));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// Allow entries bound to a context do not excuse the bare value.
    #[test]
    fn allow_entries_need_their_context() {
        let (_, allow) = entries();
        for entry in allow
            .iter()
            .filter(|a| a.context.is_some() || a.near.is_some())
        {
            assert!(
                catalog()
                    .allowed(&entry.sample, &Around::default())
                    .is_none(),
                "{} without its context",
                entry.id
            );
        }
        // A Google API key outside a Firebase web config is still a secret.
        let key = "AIzaSyMcplint4Qw2Ze9Rt4Yu1Io8Pa5Sd3Fg6H";
        assert!(catalog().find(key, &Around::default()).is_some());
    }

    #[test]
    fn every_placeholder_word_makes_a_placeholder() {
        let file: CatalogFile = toml::from_str(CATALOG_TEXT).expect("valid");
        for word in &file.placeholders {
            let token = format!("ghp_Q9w2{word}Ze9Rt4Yu1Io8Pa5Sd3Fg6");
            assert!(catalog().is_placeholder(&token), "{word}");
        }
        assert!(catalog().is_placeholder("ghp_Q9w2ZZZZZZZe9Rt4Yu1Io8Pa5Sd3Fg6"));
        assert!(!catalog().is_placeholder("ghp_29WX92kmAOc6hARRiMQiC45ktdTyWOkCSo7e"));
    }

    #[test]
    fn url_passwords() {
        let c = catalog();
        assert!(c.url_has_real_password("postgres://app:Qw2Ze9Rt4Yu1@db.mcplint.io:5432/x"));
        for local in [
            "postgres://postgres:postgres@db.mcplint.io/x",
            "postgres://app:Qw2Ze9Rt4Yu1@localhost:5432/x",
            "postgres://app:Qw2Ze9Rt4Yu1@db:5432/x",
            "postgres://app:${DB_PASSWORD}@db.mcplint.io/x",
            "mysql://root:password@127.0.0.1/x",
            "http://proxyuser:proxypass@proxy.company.com:8080",
            "mongodb+srv://user:p%40ssw%3Drd@cluster.mongodb.net/database",
            "https://deploy:deploy@git.mcplint.io/x",
        ] {
            assert!(!c.url_has_real_password(local), "{local}");
        }
    }

    #[test]
    fn file_prefilter_sees_distinctive_keywords() {
        assert!(catalog().file_may_hold_token("LEAK = 'ghp_…'"));
        assert!(catalog().file_may_hold_token("x = 'sk-ant-api03-…'"));
        assert!(!catalog().file_may_hold_token("import os\nprint('hello world')\n"));
    }
}
