//! Differential test: our AWS INI reader against Python's `configparser`
//! (botocore reads `~/.aws/config` with `RawConfigParser`) over the fuzz seed
//! corpus `fuzz/corpus/aws_ini/`.
//!
//! Compared where botocore's semantics coincide with ours: section names, key
//! names (lower-cased) and values (multi-line values joined with `\n`).
//! Known differences, not compared: configparser keeps the `DEFAULT` section
//! out of `sections()` and copies its keys into every section (botocore
//! files use `[default]`, which is an ordinary section); configparser accepts
//! inline comments only when configured (botocore does not), like us; files
//! that one side refuses (duplicate sections or keys, keys before a header)
//! are only checked to be refused by both.

use std::process::Command;

const PYTHON: &str = r#"
import configparser, json, sys
cp = configparser.RawConfigParser()
try:
    cp.read_string(open(sys.argv[1], encoding="utf-8").read())
except configparser.Error:
    print("null"); sys.exit(0)
print(json.dumps([[s, [[k, v] for k, v in cp._sections[s].items()]] for s in cp.sections()]))
"#;

#[test]
fn aws_ini_matches_configparser_on_the_seed_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/corpus/aws_ini");
    let mut compared = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let out = Command::new("python3").arg("-c").arg(PYTHON).arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let python: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ours = kubecred::aws::ini::parse(&text, "corpus");
        match (&python, ours) {
            (serde_json::Value::Null, Err(_)) => {}
            (serde_json::Value::Null, Ok(_)) | (_, Err(_)) => {
                panic!("{}: one side refuses the file: python {python}", path.display())
            }
            (_, Ok(sections)) => {
                let ours: serde_json::Value = sections
                    .iter()
                    .map(|s| serde_json::json!([s.name, s.entries.iter().map(|(k, v)| [k, v]).collect::<Vec<_>>()]))
                    .collect();
                assert_eq!(ours, python, "{}", path.display());
            }
        }
        compared += 1;
    }
    assert!(compared >= 3);
}
