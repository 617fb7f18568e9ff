use std::path::PathBuf;

use super::entry::{decode, encode};
use super::secret::hmac;
use crate::finding::{Finding, Level, Location, Position, Span};
use crate::scan::{ScanOutput, Stats};

fn output() -> ScanOutput {
    let location = Location {
        span: Span::new(10, 20),
        start: Position { line: 2, column: 3 },
        end: Position {
            line: 2,
            column: 13,
        },
    };
    ScanOutput {
        findings: vec![Finding {
            code: "MCL201",
            name: "shell-injection",
            level: Level::Error,
            message: "tool argument `cmd` reaches a shell".into(),
            path: PathBuf::from("server.py"),
            location,
            labels: vec![(location, "here".into())],
            help: Some("pass an argv list".into()),
            flows: Vec::new(),
            fingerprint: "abc".into(),
            source: None,
            role: crate::roles::Role::Server,
        }],
        stats: Stats {
            files_scanned: 3,
            files_parsed: 2,
            ..Stats::default()
        },
    }
}

#[test]
fn an_entry_reads_back_what_was_written() {
    let key = [7u8; 32];
    let bytes = encode(&output(), "digest", &key);
    let back = decode(&bytes, "digest", &key).expect("entry decodes");
    assert_eq!(back.findings.len(), 1);
    let f = &back.findings[0];
    assert_eq!(
        (f.code, f.name, f.level),
        ("MCL201", "shell-injection", Level::Error)
    );
    assert_eq!(f.location.span, Span::new(10, 20));
    assert_eq!(f.location.start, Position { line: 2, column: 3 });
    assert_eq!(f.labels[0].1, "here");
    assert_eq!(back.stats.files_scanned, 3);
    assert_eq!(back.stats.files_parsed, 2);
}

#[test]
fn another_content_digest_is_a_miss() {
    let key = [7u8; 32];
    let bytes = encode(&output(), "digest", &key);
    assert!(decode(&bytes, "other", &key).is_none());
}

#[test]
fn an_entry_signed_with_another_key_is_refused() {
    let bytes = encode(&output(), "digest", &[1u8; 32]);
    assert!(decode(&bytes, "digest", &[2u8; 32]).is_none());
}

#[test]
fn a_tampered_entry_is_refused() {
    let key = [7u8; 32];
    let mut bytes = encode(&output(), "digest", &key);
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let forged = text.replace("\"files_scanned\":3", "\"files_scanned\":4");
    assert_ne!(text, forged);
    bytes = forged.into_bytes();
    assert!(decode(&bytes, "digest", &key).is_none());
    assert!(decode(b"garbage", "digest", &key).is_none());
    assert!(decode(b"", "digest", &key).is_none());
}

#[test]
fn hmac_matches_rfc_4231_shape() {
    // RFC 4231 test case 2 uses a 4-byte key; with the key zero-padded to
    // 32 bytes HMAC is unchanged (keys shorter than the block are padded).
    let mut key = [0u8; 32];
    key[..4].copy_from_slice(b"Jefe");
    let mac = hmac(&key, b"what do ya want for nothing?");
    assert_eq!(
        super::hex(&mac),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}
