//! Privacy on the way in: what is derived from a request, and what is scrubbed before
//! anything is stored. Raw User-Agent strings and IP addresses never leave this module.

pub mod agent;
pub mod audit;
pub mod gdpr;
pub mod purge;
pub mod url;

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
