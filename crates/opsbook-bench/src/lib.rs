//! Shared pieces of the benchmark binaries: generated inputs and file lists.
//!
//! Inputs come from `bench/gen_corpus.py` (the project's copy of the shared generator)
//! and are cached in a work folder, which should be on a RAM disk such as /dev/shm.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Generator arguments of the handbook sizes (those of shared/bench/README.md).
fn handbook_args(size: &str) -> Result<&'static [&'static str], String> {
    Ok(match size {
        "1k" => &[
            "--runbooks",
            "600",
            "--postmortems",
            "350",
            "--slas",
            "50",
            "--seed",
            "1",
        ],
        "10k" => &[
            "--runbooks",
            "6000",
            "--postmortems",
            "3500",
            "--slas",
            "500",
            "--seed",
            "1",
        ],
        other => return Err(format!("unknown size `{other}` (use 1k or 10k)")),
    })
}

/// Runs `gen_corpus.py --out OUT ARGS…`; `what` names the input in errors.
pub fn generate(out: &Path, args: &[&str], what: &str) -> Result<(), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/gen_corpus.py");
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let status = Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(out)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run python3: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("gen_corpus.py failed for {what}"))
    }
}

/// The generated handbook of `size` (`1k` or `10k`) in `work`, made on first use.
pub fn corpus(work: &Path, size: &str) -> Result<PathBuf, String> {
    let dir = work.join(format!("corpus-{size}"));
    if !dir.join("handbook.yaml").exists() {
        generate(&dir, handbook_args(size)?, size)?;
    }
    Ok(dir)
}

/// Every markdown file below `root`, in path order.
pub fn markdown_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}
