//! The key that signs cache entries, kept outside the scanned tree so that
//! a file committed to a repository cannot pass for mcplint's own result.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// The secret: `MCPLINT_CACHE_SECRET` (any text) when set — CI can keep one
/// in its secrets so a restored cache stays valid on a fresh runner — else
/// the random key in the user's cache directory, created on first use.
pub fn load() -> Option<[u8; 32]> {
    if let Some(text) = std::env::var_os("MCPLINT_CACHE_SECRET") {
        return Some(Sha256::digest(text.as_encoded_bytes()).into());
    }
    let path = key_path()?;
    if let Some(key) = read_key(&path) {
        return Some(key);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).ok()?;
    fs::create_dir_all(path.parent()?).ok()?;
    // `create_new`: of two first runs at once, one writes and both read it.
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut file) => {
            file.write_all(&key).ok()?;
            Some(key)
        }
        Err(_) => read_key(&path),
    }
}

fn read_key(path: &PathBuf) -> Option<[u8; 32]> {
    fs::read(path).ok()?.as_slice().try_into().ok()
}

/// `$XDG_CACHE_HOME/mcplint/secret`, `~/.cache/mcplint/secret`, or
/// `%LOCALAPPDATA%\mcplint\secret` on Windows.
fn key_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("LOCALAPPDATA").map(PathBuf::from))
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("mcplint").join("secret"))
}

/// A random number for temporary file names.
pub fn nonce() -> u64 {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// HMAC-SHA-256 (RFC 2104) of `message` under `key`.
pub fn hmac(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    let mut inner_key = [0x36u8; 64];
    let mut outer_key = [0x5cu8; 64];
    for (i, byte) in key.iter().enumerate() {
        inner_key[i] ^= byte;
        outer_key[i] ^= byte;
    }
    let inner = Sha256::new()
        .chain_update(inner_key)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(outer_key)
        .chain_update(inner)
        .finalize()
        .into()
}
