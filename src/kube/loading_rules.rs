//! Which kubeconfig files are read and how they merge, as client-go's loading
//! rules do: `--kubeconfig` (which must exist), else every file of the
//! `KUBECONFIG` list (missing ones and empty entries skipped), else
//! `~/.kube/config`. The first file to name a cluster, user or context wins,
//! and so does the first current-context. File references are relative to the
//! file that holds them.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::kube::kubeconfig::{self, Kubeconfig, Named};
use std::path::{Path, PathBuf};

/// The merged kubeconfig (empty when no file exists).
pub fn load(explicit: Option<&Path>, env: &Env) -> Result<Kubeconfig> {
    load_with_files(explicit, env).map(|(merged, _)| merged)
}

/// As [`load`], with the files that were read, in order (for `kubecred doctor`).
pub fn load_with_files(explicit: Option<&Path>, env: &Env) -> Result<(Kubeconfig, Vec<PathBuf>)> {
    let files: Vec<PathBuf> = match (explicit, env.get("KUBECONFIG")) {
        (Some(path), _) => vec![path.to_path_buf()],
        (None, Some(list)) => list.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect(),
        (None, None) => env.home().map(|h| h.join(".kube/config")).into_iter().collect(),
    };
    let mut merged = Kubeconfig::default();
    let mut loaded = Vec::new();
    for path in &files {
        let shown = path.display().to_string();
        let bytes = match crate::files::read_bounded(path, kubeconfig::MAX_KUBECONFIG_BYTES as u64) {
            Ok(bytes) => bytes,
            // kubectl skips missing files in KUBECONFIG, but not a missing --kubeconfig.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => continue,
            Err(e) => return Err(Error::new(format!("kubeconfig {shown}: {e}"))),
        };
        let text = String::from_utf8(bytes).map_err(|_| Error::new(format!("kubeconfig {shown}: not UTF-8 text")))?;
        let mut config = kubeconfig::parse(&text, &format!("kubeconfig {shown}"))?;
        resolve_relative_paths(&mut config, path.parent().unwrap_or(Path::new(".")));
        merge_first_wins(&mut merged, config);
        loaded.push(path.clone());
    }
    Ok((merged, loaded))
}

fn merge_first_wins(into: &mut Kubeconfig, from: Kubeconfig) {
    if into.current_context.is_none() {
        into.current_context = from.current_context;
    }
    // One set of the names already there per list, so that merging n entries costs n lookups.
    fn add<T>(into: &mut Vec<Named<T>>, from: Vec<Named<T>>) {
        if into.is_empty() {
            // The first file: its names are distinct (the reader refuses duplicates).
            *into = from;
            return;
        }
        let mut seen: std::collections::HashSet<String> = into.iter().map(|n| n.name.clone()).collect();
        for item in from {
            if seen.insert(item.name.clone()) {
                into.push(item);
            }
        }
    }
    add(&mut into.clusters, from.clusters);
    add(&mut into.users, from.users);
    add(&mut into.contexts, from.contexts);
}

/// client-go's ResolveLocalPaths: CA, client certificate and key, tokenFile,
/// and an exec command that holds a `/`.
fn resolve_relative_paths(config: &mut Kubeconfig, dir: &Path) {
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let resolve = |path: &mut Option<String>| {
        if let Some(p) = path.as_mut().filter(|p| !Path::new(p.as_str()).is_absolute()) {
            *p = dir.join(&*p).to_string_lossy().into_owned();
        }
    };
    for cluster in &mut config.clusters {
        resolve(&mut cluster.item.certificate_authority);
    }
    for user in &mut config.users {
        resolve(&mut user.item.client_certificate);
        resolve(&mut user.item.client_key);
        resolve(&mut user.item.token_file);
        if let Some(exec) = user.item.exec.as_mut().filter(|e| e.command.contains('/')) {
            let mut command = Some(exec.command.clone());
            resolve(&mut command);
            exec.command = command.unwrap_or_default();
        }
    }
}
