//! Reading files that others wrote, never more than a bound: a 100 MB file where
//! a config belongs is refused after reading one byte past the limit.

use std::io::Read;
use std::path::Path;

/// The file's bytes, or an `io::Error` (`NotFound` for a missing file, and
/// `FileTooLarge` when it holds more than `max_bytes`).
pub fn read_bounded(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {max_bytes} bytes, refusing to read it"),
        ));
    }
    Ok(bytes)
}

/// A token file (web identity, OIDC, container authorization): at most
/// `max_bytes` of UTF-8, trimmed, not empty. `what` names it in errors, which
/// never include its content.
pub fn read_token_file(path: &Path, max_bytes: u64, what: &str) -> crate::error::Result<String> {
    use crate::error::Error;
    let shown = path.display();
    let bytes = read_bounded(path, max_bytes).map_err(|e| Error::new(format!("{what} {shown}: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::new(format!("{what} {shown}: not UTF-8 text")))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Error::new(format!("{what} {shown} is empty")));
    }
    Ok(token.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded() {
        let dir = std::env::temp_dir().join(format!("kubecred-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        assert_eq!(read_bounded(&path, 4).unwrap_err().kind(), std::io::ErrorKind::FileTooLarge);
        assert_eq!(read_bounded(&dir.join("missing"), 4).unwrap_err().kind(), std::io::ErrorKind::NotFound);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
