//! Access tokens: HS256 JWTs. Validation pins the algorithm, the issuer and the audience,
//! and checks expiry with no leeway.

use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "loupe";
const AUDIENCE: &str = "loupe-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The key's public client id.
    pub sub: String,
    /// The key's id.
    pub key: i64,
    /// The key's organization.
    pub org: i64,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    pub iss: String,
    pub aud: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(
        &self,
        key: &entity::api_key::Model,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let claims = Claims {
            sub: key.client_id.clone(),
            key: key.id,
            org: key.organization_id,
            role: super::role_name(key.role).to_owned(),
            iat: now.timestamp(),
            exp: expires.timestamp(),
            jti: uuid::Uuid::new_v4().to_string(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// Any failure (bad signature, other algorithm, expired, malformed) is just "invalid":
    /// the reason is not told to the caller.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        self.verify_at(token, Utc::now().timestamp())
    }

    /// As [`Self::verify`] at `now` (seconds). A token is refused from the second of its
    /// `exp` on (RFC 7519 §4.1.4: "on or after"); the library's own check lets that second
    /// through, so it is made here exactly.
    pub fn verify_at(&self, token: &str, now: i64) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
            .filter(|claims| now < claims.exp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_from_the_second_of_exp() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let now = Utc::now();
        let exp = now.timestamp() + 100;
        let key = entity::api_key::Model {
            id: 1,
            organization_id: 1,
            name: "k".into(),
            client_id: "lpk_x".into(),
            secret_hash: String::new(),
            role: entity::api_key::Role::Read,
            created_at: now,
            expires_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let Some(exp_at) = DateTime::from_timestamp(exp, 0) else {
            panic!("timestamp")
        };
        let token = keys.issue(&key, now, exp_at).unwrap_or_default();
        assert!(keys.verify_at(&token, exp - 1).is_some());
        assert!(
            keys.verify_at(&token, exp).is_none(),
            "refused during the second of exp"
        );
        assert!(keys.verify_at(&token, exp + 1).is_none());
    }
}
