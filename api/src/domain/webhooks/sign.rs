//! Signing per the Standard Webhooks specification: secrets are `whsec_` + base64 of
//! random bytes; each request carries `webhook-id`, `webhook-timestamp` (Unix seconds)
//! and `webhook-signature` = space-separated `v1,` + base64(HMAC-SHA256(secret bytes,
//! "{id}.{timestamp}.{body}")), one per secret in force (two during a rotation).

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::{AppError, AppResult};

const PREFIX: &str = "whsec_";
const SECRET_BYTES: usize = 32;

/// A new signing secret: 256 random bits.
pub fn new_secret() -> String {
    let mut buf = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(buf)
    )
}

fn key(secret: &str) -> AppResult<Vec<u8>> {
    let b64 = secret.strip_prefix(PREFIX).unwrap_or(secret);
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| AppError::internal(anyhow::anyhow!("a stored webhook secret is not base64")))
}

/// One `v1,<base64>` signature of `body` for this message id and timestamp.
pub fn signature(secret: &str, msg_id: &str, timestamp: i64, body: &[u8]) -> AppResult<String> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key(secret)?)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-signature` header: one signature per secret in force.
pub fn header(secrets: &[&str], msg_id: &str, timestamp: i64, body: &[u8]) -> AppResult<String> {
    let mut parts = Vec::with_capacity(secrets.len());
    for s in secrets {
        parts.push(signature(s, msg_id, timestamp, body)?);
    }
    Ok(parts.join(" "))
}

/// A new message id: `msg_` + 128 random bits, URL-safe.
pub fn new_msg_id() -> String {
    let mut buf = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    format!(
        "msg_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example() {
        // From the Standard Webhooks specification's test vectors.
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_are_recognisable_and_decode() {
        let s = new_secret();
        assert!(s.starts_with("whsec_"));
        assert_eq!(key(&s).unwrap().len(), SECRET_BYTES);
        let two = header(&[&s, &new_secret()], "msg_1", 1, b"{}").unwrap();
        assert_eq!(two.split(' ').count(), 2);
        assert!(new_msg_id().starts_with("msg_"));
    }
}
