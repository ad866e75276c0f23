//! Console sessions at the edge: the cookies, the CSRF header, how long sessions last.
//! Framework-free: the HTTP adapter passes header values in and writes the `Set-Cookie`
//! strings out; `domain::accounts::sessions` keeps the records.

use std::time::Duration;

/// The `HttpOnly` cookie with the session token.
pub const SESSION_COOKIE: &str = "loupe_session";
/// The cookie the console reads to send `X-CSRF-Token` (not `HttpOnly` by design).
pub const CSRF_COOKIE: &str = "loupe_csrf";
/// Over HTTPS both names carry this prefix: the browser then refuses such cookies from a
/// sibling subdomain or over plain HTTP, so nobody can plant a session cookie.
pub const SECURE_PREFIX: &str = "__Host-";
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

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Ends a session nobody used for this long.
    pub idle: Duration,
    /// Ends every session this long after sign-in, used or not.
    pub absolute: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Lifetimes {
            idle: Duration::from_secs(12 * 3600),
            absolute: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// The two `Set-Cookie` values that start a session in the browser: the session token and
/// the CSRF token.
pub fn set_cookies(token: &str, csrf: &str, lifetimes: Lifetimes, secure: bool) -> [String; 2] {
    let max_age = lifetimes.absolute.as_secs();
    let (prefix, flag) = if secure {
        (SECURE_PREFIX, "; Secure")
    } else {
        ("", "")
    };
    [
        format!(
            "{prefix}{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{flag}"
        ),
        format!("{prefix}{CSRF_COOKIE}={csrf}; Path=/; Max-Age={max_age}; SameSite=Strict{flag}"),
    ]
}

/// The two `Set-Cookie` values that remove them.
pub fn clear_cookies(secure: bool) -> [String; 2] {
    let (prefix, flag) = if secure {
        (SECURE_PREFIX, "; Secure")
    } else {
        ("", "")
    };
    [
        format!("{prefix}{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{flag}"),
        format!("{prefix}{CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict{flag}"),
    ]
}

/// A cookie's value from a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v.trim())
    })
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
        assert!(s.starts_with("__Host-loupe_session=") && c.starts_with("__Host-loupe_csrf="));
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure"));
        assert!(!c.contains("HttpOnly") && c.contains("SameSite=Strict"));
        let [s, _] = clear_cookies(false);
        assert!(!s.contains("Secure"));
    }
}
