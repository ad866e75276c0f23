//! Client ids and secrets: generation, argon2id hashing, verification.

use std::sync::OnceLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use rand::RngCore;

const CLIENT_ID_PREFIX: &str = "lpk_";
const SECRET_PREFIX: &str = "lps_";

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Public client id: 96 random bits.
pub fn new_client_id() -> String {
    format!("{CLIENT_ID_PREFIX}{}", random_token(12))
}

/// Client secret: 256 random bits.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", random_token(32))
}

/// Random bytes as hex, for generated signing secrets.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// argon2id (m = 19 MiB, t = 2, p = 1), salted; returns a PHC string.
pub fn hash_secret(secret: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing secret: {e}"))
}

/// Verifies a secret against a stored hash. argon2 compares the derived hashes in
/// constant time. CPU-heavy: call it from a blocking thread.
pub fn verify_secret(secret: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(secret.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Burns the same work as a real verification, so an unknown client id cannot be told
/// from a wrong secret by timing.
pub fn verify_against_dummy(secret: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_secret("lps_dummy").unwrap_or_default());
    let _ = verify_secret(secret, hash);
}

/// Cheap shape check before any database work.
pub fn looks_like_client_id(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with(CLIENT_ID_PREFIX)
        && s[CLIENT_ID_PREFIX.len()..].bytes().all(is_b64url)
}

fn is_b64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify_round_trip() {
        let secret = new_secret();
        let hash = hash_secret(&secret).expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains(&secret));
        assert!(verify_secret(&secret, &hash));
        assert!(!verify_secret("lps_wrong", &hash));
        assert!(!verify_secret(&secret, "not a phc string"));
    }

    #[test]
    fn client_ids_are_recognised() {
        let id = new_client_id();
        assert!(looks_like_client_id(&id));
        assert!(!looks_like_client_id("lpk_bad id"));
        assert!(!looks_like_client_id("other"));
        assert_ne!(new_client_id(), new_client_id());
    }
}
