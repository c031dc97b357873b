//! `kubecred eks update-kubeconfig`

use crate::error::{Error, Result};
use std::ffi::OsString;

pub fn run(_args: Vec<OsString>) -> Result<()> {
    Err(Error::usage("kubecred eks update-kubeconfig: not available in this build yet"))
}
