//! `kubecred eks get-token`

use crate::error::{Error, Result};
use std::ffi::OsString;

pub fn run(_args: Vec<OsString>) -> Result<()> {
    Err(Error::usage("kubecred eks get-token: not available in this build yet"))
}
