//! Console sessions at the edge: the cookies, the CSRF rule, and turning a session
//! cookie into a [`Principal`]. Framework-free: the HTTP adapter passes header values in
//! and writes the `Set-Cookie` strings out.

use std::sync::Arc;

use entity::{account_session, organization};
use sea_orm::{DatabaseConnection, EntityTrait};

use super::{Actor, Principal};
use crate::domain::accounts::{self, sessions};
use crate::error::{AppError, AppResult};

/// The `HttpOnly` cookie with the session token.
pub const SESSION_COOKIE: &str = "loupe_session";
/// The cookie the console reads to send `X-CSRF-Token` (not `HttpOnly` by design).
pub const CSRF_COOKIE: &str = "loupe_csrf";
/// The header every request made with the session cookie must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the HTTP layer knows about a request that the account resolvers need.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    /// Served over HTTPS (directly or behind a proxy that says so): cookies get `Secure`.
    pub secure: bool,
    pub peer: Option<std::net::IpAddr>,
    /// Browser and OS families ("Chrome on Linux"), never the raw user agent.
    pub device: String,
}

/// The two `Set-Cookie` values that start a session in the browser.
pub fn set_cookies(
    started: &sessions::Started,
    lifetimes: sessions::Lifetimes,
    secure: bool,
) -> [String; 2] {
    let max_age = lifetimes.absolute.as_secs();
    let secure = if secure { "; Secure" } else { "" };
    [
        format!(
            "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            started.token
        ),
        format!(
            "{CSRF_COOKIE}={}; Path=/; Max-Age={max_age}; SameSite=Strict{secure}",
            started.session.csrf_token
        ),
    ]
}

/// The two `Set-Cookie` values that remove them.
pub fn clear_cookies(secure: bool) -> [String; 2] {
    let secure = if secure { "; Secure" } else { "" };
    [
        format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"),
        format!("{CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict{secure}"),
    ]
}

/// A cookie's value from a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v.trim())
    })
}

impl super::Auth {
    /// The caller behind a session cookie. `csrf` is the `X-CSRF-Token` header; a request
    /// without the session's token is refused whatever it asks.
    pub async fn authenticate_session(
        &self,
        db: &DatabaseConnection,
        token: &str,
        csrf: Option<&str>,
    ) -> AppResult<Arc<Principal>> {
        let ended = || AppError::Unauthenticated("your session has ended: sign in again".into());
        let Some((session, account)) = sessions::resolve(db, token, self.sessions).await? else {
            return Err(ended());
        };
        if !csrf.is_some_and(|sent| sessions::csrf_matches(&session, sent)) {
            return Err(AppError::Csrf(
                "requests made with the session cookie need the X-CSRF-Token header".into(),
            ));
        }
        self.principal_of(db, session, account)
            .await?
            .ok_or_else(ended)
    }

    async fn principal_of(
        &self,
        db: &DatabaseConnection,
        session: account_session::Model,
        account: entity::account::Model,
    ) -> AppResult<Option<Arc<Principal>>> {
        let Some(m) = accounts::membership(db, account.id, session.organization_id).await? else {
            return Ok(None);
        };
        let Some(org) = organization::Entity::find_by_id(m.organization_id)
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(Arc::new(Principal {
            org,
            role: m.role,
            actor: Actor::Session {
                account,
                session_id: session.id,
            },
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = "a=1; loupe_session_x=2; loupe_session=abc ; loupe_csrf=z";
        assert_eq!(cookie(h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(h, CSRF_COOKIE), Some("z"));
        assert_eq!(cookie(h, "missing"), None);
    }

    #[test]
    fn cookie_flags() {
        let [s, c] = clear_cookies(true);
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure"));
        assert!(!c.contains("HttpOnly") && c.contains("SameSite=Strict"));
        let [s, _] = clear_cookies(false);
        assert!(!s.contains("Secure"));
    }
}
