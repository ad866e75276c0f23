//! The visitor as a request presents it, reduced to what Loupe keeps: the visitor id's
//! rules and the client context (device, browser and OS families, country, privacy
//! signals), and URLs scrubbed before storage. Raw User-Agent strings and IP addresses
//! never leave this module. Used by answers, identify, recordings and widgets alike.

pub mod agent;
pub mod url;

use crate::error::{AppError, AppResult};

pub const MAX_VISITOR_ID_CHARS: usize = 100;

/// What the request tells about the visitor, already reduced to families.
#[derive(Debug, Clone, Default)]
pub struct ClientContext {
    pub device: Option<&'static str>,
    pub browser: Option<&'static str>,
    pub os: Option<&'static str>,
    pub country: Option<String>,
    /// DNT / Sec-GPC / opt-out: the answers are kept, the visitor link is not.
    pub do_not_track: bool,
}

/// A visitor id as pages send it, or a clear error.
pub fn valid_visitor_id(raw: Option<&str>) -> AppResult<Option<String>> {
    let Some(v) = raw.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > MAX_VISITOR_ID_CHARS
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:".contains(c))
    {
        return Err(AppError::bad_input(
            "visitor_id",
            format!("visitor_id must be 1–{MAX_VISITOR_ID_CHARS} letters, digits or -_.:"),
        ));
    }
    Ok(Some(v.to_owned()))
}

/// `DNT: 1` or `Sec-GPC: 1`: the visitor asked not to be tracked.
pub fn do_not_track(dnt: Option<&str>, gpc: Option<&str>) -> bool {
    dnt.is_some_and(|v| v.trim() == "1") || gpc.is_some_and(|v| v.trim() == "1")
}

/// An ISO 3166-1 alpha-2 country from a trusted proxy header (`CF-IPCountry`, …);
/// anything else (including Cloudflare's `XX`/`T1`) is no country.
pub fn country(header: Option<&str>) -> Option<String> {
    let c = header?.trim();
    (c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) && !c.eq_ignore_ascii_case("xx"))
        .then(|| c.to_ascii_uppercase())
}
