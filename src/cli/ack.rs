//! `kubecred ack ...`

use crate::error::{Error, Result};
use std::ffi::OsString;

pub fn run(_args: Vec<OsString>) -> Result<()> {
    Err(Error::usage("kubecred ack: not available in this build yet"))
}
