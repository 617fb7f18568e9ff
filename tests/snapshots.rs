//! Snapshots of every output format on a small project (tests/data/project),
//! for review: `cargo insta review` after an intended change.

mod common;

fn run(format: &str) -> String {
    let output = common::mcplint_cmd()
        .current_dir(common::repo_root().join("tests/data/project"))
        .args([
            "check",
            "--no-config",
            "--color",
            "never",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "findings exit 1");
    String::from_utf8(output.stdout).unwrap()
}

macro_rules! snapshot {
    ($name:ident, $format:literal) => {
        #[test]
        fn $name() {
            let text = run($format);
            insta::with_settings!({filters => vec![
                (r"\(\d+\.\d+s\)", "(TIME)"),
                (r#""uri":\s*"file://[^"]*""#, r#""uri":"file://[ROOT]/""#),
                (r#""version":\s*"\d+\.\d+\.\d+""#, r#""version":"[VERSION]""#),
                (r#""semanticVersion":\s*"\d+\.\d+\.\d+""#, r#""semanticVersion":"[VERSION]""#),
            ]}, {
                insta::assert_snapshot!(text);
            });
        }
    };
}

snapshot!(pretty, "pretty");
snapshot!(concise, "concise");
snapshot!(json, "json");
snapshot!(sarif, "sarif");
snapshot!(github, "github");
snapshot!(gitlab, "gitlab");
snapshot!(junit, "junit");

#[test]
fn output_is_identical_from_run_to_run() {
    let first = run("json");
    for _ in 0..3 {
        assert_eq!(run("json"), first);
    }
    let sarif = run("sarif");
    assert_eq!(run("sarif"), sarif);
}
