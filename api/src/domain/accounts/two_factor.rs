//! Optional TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps, one step of skew)
//! with ten single-use recovery codes. A code is accepted at most once.

use entity::account;
use rand::RngCore;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::{AppError, AppResult};

const STEP: u64 = 30;
const RECOVERY_CODES: usize = 10;

fn totp(base32: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(base32.to_owned())
        .to_bytes()
        .map_err(|e| AppError::internal(anyhow::anyhow!("TOTP secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, bytes)
        .map_err(|e| AppError::internal(anyhow::anyhow!("TOTP: {e:?}")))
}

/// A new secret (160 bits, base32) for enrolment, and its `otpauth://` URI for QR codes.
pub fn new_secret() -> String {
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    Secret::Raw(bytes).to_encoded().to_string()
}

pub fn otpauth_uri(secret: &str, email: &str) -> String {
    let label: String = url::form_urlencoded::byte_serialize(format!("Loupe:{email}").as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!("otpauth://totp/{label}?secret={secret}&issuer=Loupe&algorithm=SHA1&digits=6&period=30")
}

/// The time step at which `code` is valid for `secret`, if any (now ±1 step).
pub fn matching_step(secret: &str, code: &str, unix: u64) -> AppResult<Option<i64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret)?;
    let now = unix / STEP;
    for step in [now.saturating_sub(1), now, now + 1] {
        if t.generate(step * STEP).as_bytes() == code.as_bytes() {
            return Ok(Some(step as i64));
        }
    }
    Ok(None)
}

fn unix_now() -> u64 {
    crate::domain::now().timestamp().max(0) as u64
}

fn hash_code(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

/// Ten new recovery codes (`xxxxx-xxxxx`, 40 bits each) and their stored form.
fn recovery_codes() -> (Vec<String>, String) {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let h = crate::auth::secrets::random_hex(5);
            format!("{}-{}", &h[..5], &h[5..])
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| hash_code(c)).collect();
    (codes, serde_json::Value::from(hashes).to_string())
}

/// Starts enrolment: a pending secret that a code must confirm.
pub async fn start(db: &impl ConnectionTrait, acc: &account::Model) -> AppResult<String> {
    if acc.totp_secret.is_some() {
        return Err(AppError::Conflict(
            "two-factor sign-in is already on; turn it off first to enrol again".into(),
        ));
    }
    let secret = new_secret();
    account::ActiveModel {
        id: Set(acc.id),
        totp_pending_secret: Set(Some(secret.clone())),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(secret)
}

/// Confirms enrolment with a code from the app; returns the recovery codes (shown once).
pub async fn confirm(
    db: &impl ConnectionTrait,
    acc: &account::Model,
    code: &str,
) -> AppResult<Vec<String>> {
    let Some(pending) = acc.totp_pending_secret.as_deref() else {
        return Err(AppError::Conflict(
            "start two-factor enrolment first".into(),
        ));
    };
    let Some(step) = matching_step(pending, code, unix_now())? else {
        return Err(AppError::bad_input(
            "code",
            "that code is not right: check the time on your device and enter the current code",
        ));
    };
    let (codes, stored) = recovery_codes();
    account::ActiveModel {
        id: Set(acc.id),
        totp_secret: Set(Some(pending.to_owned())),
        totp_pending_secret: Set(None),
        totp_last_step: Set(Some(step)),
        recovery_codes: Set(Some(stored)),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(codes)
}

pub async fn disable(db: &impl ConnectionTrait, acc: &account::Model) -> AppResult<()> {
    account::ActiveModel {
        id: Set(acc.id),
        totp_secret: Set(None),
        totp_pending_secret: Set(None),
        totp_last_step: Set(None),
        recovery_codes: Set(None),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Checks a second factor at sign-in: a TOTP code not used before, or an unused recovery
/// code (which is then used up). Both writes are compare-and-set, so the same code sent
/// twice at once is accepted once.
pub async fn verify(
    db: &impl ConnectionTrait,
    acc: &account::Model,
    code: &str,
) -> AppResult<bool> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
    let Some(secret) = acc.totp_secret.as_deref() else {
        return Ok(true);
    };
    if let Some(step) = matching_step(secret, code, unix_now())? {
        let done = account::Entity::update_many()
            .col_expr(account::Column::TotpLastStep, Expr::value(step))
            .filter(account::Column::Id.eq(acc.id))
            .filter(
                Condition::any()
                    .add(account::Column::TotpLastStep.is_null())
                    .add(account::Column::TotpLastStep.lt(step)),
            )
            .exec(db)
            .await?;
        return Ok(done.rows_affected == 1);
    }
    let Some(stored) = acc.recovery_codes.clone() else {
        return Ok(false);
    };
    let mut hashes: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
    let h = hash_code(code);
    let Some(i) = hashes.iter().position(|x| *x == h) else {
        return Ok(false);
    };
    hashes.remove(i);
    let done = account::Entity::update_many()
        .col_expr(
            account::Column::RecoveryCodes,
            Expr::value(serde_json::Value::from(hashes).to_string()),
        )
        .filter(account::Column::Id.eq(acc.id))
        .filter(account::Column::RecoveryCodes.eq(stored))
        .exec(db)
        .await?;
    Ok(done.rows_affected == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vector_and_skew() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s: 94287082
        // (8 digits); with 6 digits the code is the last six.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(matching_step(&secret, "287082", 59).ok().flatten(), Some(1));
        assert_eq!(
            matching_step(&secret, "287082", 59 + 30).ok().flatten(),
            Some(1)
        );
        assert_eq!(
            matching_step(&secret, "287082", 59 + 90).ok().flatten(),
            None
        );
        assert_eq!(matching_step(&secret, "28708", 59).ok().flatten(), None);
    }

    #[test]
    fn recovery_codes_hash_loosely() {
        let (codes, stored) = recovery_codes();
        assert_eq!(codes.len(), 10);
        let hashes: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
        assert_eq!(
            hash_code(&codes[0].to_uppercase().replace('-', " ")),
            hashes[0]
        );
        assert!(!stored.contains(&codes[0]));
    }

    #[test]
    fn otpauth_uri_is_escaped() {
        let uri = otpauth_uri("ABC", "a+b@x.example");
        assert!(
            uri.starts_with("otpauth://totp/Loupe%3Aa%2Bb%40x.example?secret=ABC"),
            "{uri}"
        );
    }
}
