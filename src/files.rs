//! Reading files that others wrote, never more than a bound: a 100 MB file where
//! a config belongs is refused after reading one byte past the limit.

use std::io::Read;
use std::path::Path;

/// The most kubecred reads of any one configuration file the user writes (AWS
/// config and credentials, kubeconfigs, the aliyun CLI's `config.json`,
/// `~/.alibabacloud/credentials`): organisations generate these with one entry
/// per account, role or cluster. Replies from servers have their own, smaller bounds.
pub const MAX_CONFIG_BYTES: u64 = 64 << 20;

/// `N bytes`, with the MiB figure when it is a whole number of them, for messages.
pub fn describe_limit(max_bytes: u64) -> String {
    if max_bytes >= 1 << 20 && max_bytes.is_multiple_of(1 << 20) {
        format!("{max_bytes} bytes ({} MiB)", max_bytes >> 20)
    } else {
        format!("{max_bytes} bytes")
    }
}

/// The file's bytes, or an `io::Error` (`NotFound` for a missing file, and
/// `FileTooLarge` when it holds more than `max_bytes`). A regular file whose
/// size is already over the bound is refused without reading it.
pub fn read_bounded(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {}, refusing to read it", describe_limit(max_bytes)),
        )
    };
    let file = std::fs::File::open(path)?;
    let size = file.metadata().ok().filter(|m| m.is_file()).map(|m| m.len());
    if size.is_some_and(|size| size > max_bytes) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(size.map_or(0, |size| size as usize + 1));
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large());
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
        let sparse = dir.join("sparse");
        std::fs::File::create(&sparse).unwrap().set_len(MAX_CONFIG_BYTES + 1).unwrap();
        let e = read_bounded(&sparse, MAX_CONFIG_BYTES).unwrap_err();
        assert_eq!(e.to_string(), "larger than 67108864 bytes (64 MiB), refusing to read it");
        assert_eq!(describe_limit(1000), "1000 bytes");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
