//! Random identifiers and secrets, and how secrets are stored (hashed, compared in constant time).

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    hex(&buffer)
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// A new id: the type prefix and 96 random bits, e.g. `sub_3f9a…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", random_hex(12))
}

/// A new secret: the prefix and 256 random bits. Shown once; only its hash is stored.
pub fn new_secret(prefix: &str) -> String {
    format!("{prefix}{}", random_hex(32))
}

/// Prefixes of the secrets the system issues.
pub const API_KEY_PREFIX: &str = "gpk_";
pub const ACTIVATION_TOKEN_PREFIX: &str = "act_";
pub const REFRESH_TOKEN_PREFIX: &str = "gpr_";
pub const KEY_RECOVERY_TOKEN_PREFIX: &str = "rec_";

/// SHA-256 hex of a high-entropy secret. (Passwords use argon2id instead: they are guessable.)
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// SHA-256 of arbitrary bytes, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Constant-time equality of two secrets or hashes.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_secrets_have_their_prefix_and_entropy() {
        let id = new_id("sub_");
        assert_eq!(id.len(), 4 + 24);
        assert_ne!(new_id("sub_"), id);
        let key = new_secret(API_KEY_PREFIX);
        assert!(key.starts_with("gpk_"));
        assert_eq!(key.len(), 4 + 64);
        assert_eq!(secret_hash("abc").len(), 64);
        assert!(constant_time_eq(&secret_hash(&key), &secret_hash(&key)));
        assert!(!constant_time_eq("a", "b"));
    }
}
