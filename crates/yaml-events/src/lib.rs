//! saphyr-parser's YAML event stream, behind one function that is not generic.
//!
//! kubecred is built for size (`opt-level = "z"`), and a generic parser is
//! compiled in the crate that names its type parameters. Naming them here, in
//! a crate of its own, lets the release profile build the scanner for speed
//! (`[profile.release.package.kubecred-yaml-events]` in the top Cargo.toml):
//! reading a 3.4 MB kubeconfig of 16000 contexts then takes 1.93 G
//! instructions instead of 3.16 G, for 41 KB of binary.
//!
//! ```
//! use kubecred_yaml_events::{Event, for_each};
//!
//! let mut scalars = Vec::new();
//! for_each("a: [b, c]", &mut |event, _span| {
//!     if let Event::Scalar(text, ..) = event {
//!         scalars.push(text.into_owned());
//!     }
//!     true
//! })
//! .unwrap();
//! assert_eq!(scalars, ["a", "b", "c"]);
//! ```

pub use saphyr_parser::{Event, ScalarStyle, ScanError, Span, Tag};

/// Hands each event of `text` to `on_event`, in order, until the text ends,
/// `on_event` returns `false`, or the text is not valid YAML (the error).
pub fn for_each(text: &str, on_event: &mut dyn FnMut(Event<'_>, Span) -> bool) -> Result<(), ScanError> {
    for event in saphyr_parser::Parser::new_from_str(text) {
        let (event, span) = event?;
        if !on_event(event, span) {
            break;
        }
    }
    Ok(())
}
