//! SARIF output validates against the official SARIF 2.1.0 schema
//! (tests/data/sarif-schema-2.1.0.json), carries code flows, and keeps its
//! fingerprints when unrelated lines move.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mcplint::finding::{Finding, FlowLocation, FlowPath, Level, Location, Position, Span};
use mcplint::report::{self, Format, Report};
use mcplint::scan::Stats;
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(common::repo_root().join("tests/data/sarif-schema-2.1.0.json"))
            .expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::draft7::new(&schema).expect("schema compiles")
}

fn assert_valid(document: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

fn sarif_of(dir: &Path, args: &[&str]) -> Value {
    let output = common::mcplint_cmd()
        .current_dir(dir)
        .args(["check", "--no-config", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).expect("SARIF is JSON")
}

#[test]
fn fixture_sarif_validates_against_the_schema() {
    let document = sarif_of(&common::repo_root(), &["fixtures", "tests/data/project"]);
    let results = document["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() > 30, "fixtures produce findings");
    assert_valid(&document);
    let run = &document["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    assert_eq!(run["automationDetails"]["id"], "mcplint/");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(
            !location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with('/')
        );
    }
    for rule in rules {
        for key in [
            "shortDescription",
            "fullDescription",
            "help",
            "helpUri",
            "defaultConfiguration",
        ] {
            assert!(!rule[key].is_null(), "rule {} lacks {key}", rule["id"]);
        }
        let tags = rule["properties"]["tags"].as_array().unwrap();
        assert!(tags.contains(&Value::from("security")));
        assert!(rule["properties"]["security-severity"].is_string());
    }
    let secret = rules.iter().find(|r| r["id"] == "MCL801").unwrap();
    let tags = secret["properties"]["tags"].as_array().unwrap();
    assert!(tags.contains(&Value::from("CWE-798")));
    assert!(tags.contains(&Value::from("OWASP-MCP01:2025")));
}

fn location(line: usize, start: usize, end: usize) -> Location {
    Location {
        span: Span::new(start, end),
        start: Position { line, column: 1 },
        end: Position {
            line,
            column: 1 + end - start,
        },
    }
}

#[test]
fn flows_become_code_flows() {
    let source: Arc<str> = Arc::from("def run(cmd):\n    os.system(cmd)\n");
    let finding = Finding {
        code: "MCL102",
        name: "bind-all-interfaces",
        level: Level::Warning,
        message: "a finding with a flow".to_string(),
        path: PathBuf::from("src/server.py"),
        location: location(2, 18, 32),
        labels: vec![(location(1, 8, 11), "enters here".to_string())],
        help: Some("do something else".to_string()),
        flows: vec![
            FlowPath {
                message: "from tool `run`".to_string(),
                steps: vec![
                    FlowLocation {
                        path: None,
                        location: location(1, 8, 11),
                        message: "tool argument `cmd`".to_string(),
                    },
                    FlowLocation {
                        path: Some(PathBuf::from("src/helpers.py")),
                        location: location(4, 5, 9),
                        message: "reaches the sink in another file".to_string(),
                    },
                ],
            },
            // A second tool reaching the same place: its own code flow.
            FlowPath {
                message: "from tool `run_again`".to_string(),
                steps: vec![FlowLocation {
                    path: None,
                    location: location(2, 18, 32),
                    message: "reaches the sink".to_string(),
                }],
            },
        ],
        fingerprint: "0123456789abcdef".to_string(),
        source: Some(source),
        role: mcplint::roles::Role::Example,
    };
    let stats = Stats::default();
    let rules = mcplint::rules::all_meta();
    let report = Report {
        findings: std::slice::from_ref(&finding),
        stats: &stats,
        rules: &rules,
        show_stats: false,
        root: Path::new("/work/project"),
        color: false,
        quiet: true,
        notes: &[],
    };
    let mut out = Vec::new();
    report::reporter(Format::Sarif)
        .write(&report, &mut out)
        .unwrap();
    let document: Value = serde_json::from_slice(&out).unwrap();
    assert_valid(&document);
    let result = &document["runs"][0]["results"][0];
    let steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0]["location"]["message"]["text"],
        "tool argument `cmd`"
    );
    assert_eq!(
        result["codeFlows"][1]["message"]["text"],
        "from tool `run_again`"
    );
    assert_eq!(
        result["relatedLocations"][0]["message"]["text"],
        "enters here"
    );
    assert_eq!(
        document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///work/project/"
    );
    // The file role rides in the result's property bag.
    assert_eq!(result["properties"]["role"], "example");
}

#[test]
fn fingerprints_survive_lines_added_above() {
    let dir = tempfile::tempdir().unwrap();
    let original =
        std::fs::read_to_string(common::repo_root().join("tests/data/project/server.py")).unwrap();
    std::fs::write(dir.path().join("server.py"), &original).unwrap();
    let fingerprints = |doc: &Value| -> Vec<(String, String, u64)> {
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ruleId"].as_str().unwrap().to_string(),
                    r["partialFingerprints"]["mcplint/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&sarif_of(dir.path(), &[]));
    std::fs::write(
        dir.path().join("server.py"),
        format!("# a new header comment\n# and another\n\n{original}"),
    )
    .unwrap();
    let after = fingerprints(&sarif_of(dir.path(), &[]));
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!((&b.0, &b.1), (&a.0, &a.1), "fingerprint changed");
        assert_eq!(b.2 + 3, a.2, "line moved by three");
    }
}
