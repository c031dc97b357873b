//! Runs every fuzz property over the committed seed corpus (fuzz/corpus/TARGET)
//! and over each input a fuzzer once crashed on (tests/data/fuzz-regressions/TARGET),
//! so that fixed crashes stay fixed on machines without a fuzzer.

#[path = "../fuzz/properties.rs"]
mod properties;

use std::path::Path;

fn inputs(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
fn every_target_has_a_seed_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (target, _) in properties::ALL {
        let seeds = inputs(&root.join("fuzz/corpus").join(target));
        assert!(seeds.len() >= 3, "fuzz/corpus/{target} has {} seeds; want at least 3", seeds.len());
        assert!(root.join("fuzz/fuzz_targets").join(format!("{target}.rs")).is_file(), "no fuzz target {target}");
    }
}

#[test]
fn properties_hold_on_seeds_and_past_crashes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (target, property) in properties::ALL {
        let mut files = inputs(&root.join("fuzz/corpus").join(target));
        files.extend(inputs(&root.join("tests/data/fuzz-regressions").join(target)));
        for file in files {
            let data = std::fs::read(&file).expect("read input");
            let outcome = std::panic::catch_unwind(|| property(&data));
            assert!(outcome.is_ok(), "{target}: property failed on {}", file.display());
        }
    }
}
