//! URL scrubbing: the one function every stored URL goes through (response page URLs,
//! recording page views, entry/exit URLs, the `href` of stored Meta events).
//!
//! - Fragments and user info are dropped.
//! - Query values are masked, except `utm_*` and the site's allow-list.
//! - Emails, long digit runs (phones, card-like numbers) and token-like strings are masked
//!   in any path segment, query name or kept value — also when percent-encoded, once or
//!   twice.
//! - The site's extra patterns (regular expressions) are masked in the result.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use chrono::{DateTime, Utc};
use regex::Regex;

use crate::error::{AppError, AppResult};

pub const MASK: &str = "[redacted]";
pub const MAX_URL_CHARS: usize = 2000;
pub const MAX_ALLOWED_PARAMS: usize = 50;
pub const MAX_PATTERNS: usize = 20;
pub const MAX_PATTERN_CHARS: usize = 200;

/// An email anywhere in a (decoded) string: a local part, `@`, a dotted domain (IDN
/// letters included).
#[allow(clippy::expect_used)] // a constant pattern, covered by the tests below
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[^\s/?&=@:;,<>()\[\]{}'`]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+")
        .expect("static regex")
});

/// How one site's URLs are scrubbed.
#[derive(Debug)]
pub struct UrlPolicy {
    allowed_params: Vec<String>,
    patterns: Vec<Regex>,
    /// Tells this policy's cached link results apart from any other's ([`LINKS`]).
    id: u64,
}

impl Default for UrlPolicy {
    fn default() -> UrlPolicy {
        UrlPolicy {
            allowed_params: Vec::new(),
            patterns: Vec::new(),
            id: next_id(),
        }
    }
}

fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Links scrubbed lately on this thread, by policy: a page's links repeat in every
/// snapshot and mutation of every session on it. Bounded; cleared when full.
const CACHED_LINKS: usize = 4_096;
/// Longer links are scrubbed each time (not worth keeping).
const CACHED_LINK_CHARS: usize = 512;

/// Entries held, and by policy id: link as sent → as stored.
type LinkCache = (usize, HashMap<u64, HashMap<String, String>>);

thread_local! {
    static LINKS: std::cell::RefCell<LinkCache> = std::cell::RefCell::new((0, HashMap::new()));
}

/// Compiled policies by site, rebuilt when the site changes.
static POLICIES: LazyLock<Mutex<HashMap<i64, CachedPolicy>>> = LazyLock::new(Default::default);

/// A compiled policy and the site's `updated_at` it was built from.
type CachedPolicy = (DateTime<Utc>, Arc<UrlPolicy>);

impl UrlPolicy {
    /// The site's policy (allow-list and patterns as stored; invalid entries, which the
    /// setters refuse, are skipped).
    pub fn for_site(site: &entity::site::Model) -> Arc<UrlPolicy> {
        let mut cache = POLICIES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, p)) = cache.get(&site.id) {
            if *at == site.updated_at {
                return p.clone();
            }
        }
        let allowed_params: Vec<String> =
            serde_json::from_str(&site.url_allowed_params).unwrap_or_default();
        let patterns: Vec<String> = serde_json::from_str(&site.url_patterns).unwrap_or_default();
        let policy = Arc::new(UrlPolicy {
            id: next_id(),
            allowed_params,
            patterns: patterns.iter().filter_map(|p| compile(p).ok()).collect(),
        });
        if cache.len() > 10_000 {
            cache.clear();
        }
        cache.insert(site.id, (site.updated_at, policy.clone()));
        policy
    }

    pub fn new(allowed_params: &[&str], patterns: &[&str]) -> AppResult<UrlPolicy> {
        Ok(UrlPolicy {
            id: next_id(),
            allowed_params: allowed_params.iter().map(|s| (*s).to_owned()).collect(),
            patterns: patterns
                .iter()
                .map(|p| compile(p))
                .collect::<AppResult<_>>()?,
        })
    }

    fn keeps(&self, param: &str) -> bool {
        param.to_ascii_lowercase().starts_with("utm_")
            || self.allowed_params.iter().any(|p| p == param)
    }

    /// The scrubbed URL, or `None` for something that is not an http(s) URL.
    pub fn scrub(&self, raw: &str) -> Option<String> {
        let mut url = ::url::Url::parse(raw.trim()).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        url.set_fragment(None);
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let path: Vec<String> = url
            .path_segments()
            .map(|segs| segs.map(|s| mask_segment(&decode(s, false))).collect())
            .unwrap_or_default();
        if !path.is_empty() {
            url.set_path(&path.join("/"));
        }
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if pairs.is_empty() {
            url.set_query(None);
        } else {
            let kept: Vec<(String, String)> = pairs
                .into_iter()
                .map(|(k, v)| {
                    let v = if self.keeps(&k) {
                        mask_segment(&v)
                    } else {
                        MASK.to_owned()
                    };
                    (mask_segment(&k), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        let mut out: String = url.into();
        for p in &self.patterns {
            if p.is_match(&out) {
                out = p.replace_all(&out, MASK).into_owned();
            }
        }
        Some(out.chars().take(MAX_URL_CHARS).collect())
    }
}

impl UrlPolicy {
    /// A link inside a recorded page (`href`, `src`, `action`…), scrubbed like a page URL:
    /// absolute, protocol-relative and relative http(s) links are scrubbed and keep their
    /// form; `mailto:`, `tel:` and `sms:` lose their address; fragments alone, `data:`,
    /// `blob:` and `javascript:` are page content and stay as they are.
    pub fn scrub_link(&self, raw: &str) -> String {
        if raw.len() > CACHED_LINK_CHARS {
            return self.scrub_link_now(raw);
        }
        let hit = LINKS.with(|c| {
            c.try_borrow()
                .ok()
                .and_then(|c| c.1.get(&self.id)?.get(raw).cloned())
        });
        if let Some(hit) = hit {
            return hit;
        }
        let out = self.scrub_link_now(raw);
        LINKS.with(|c| {
            if let Ok(mut c) = c.try_borrow_mut() {
                if c.0 >= CACHED_LINKS {
                    *c = (0, HashMap::new());
                }
                c.0 += 1;
                c.1.entry(self.id)
                    .or_default()
                    .insert(raw.to_owned(), out.clone());
            }
        });
        out
    }

    fn scrub_link_now(&self, raw: &str) -> String {
        const BASE: &str = "https://loupe.invalid";
        let link = raw.trim();
        let lower = link.get(..12).unwrap_or(link).to_ascii_lowercase();
        if link.is_empty()
            || link.starts_with('#')
            || ["data:", "blob:", "javascript:", "about:"]
                .iter()
                .any(|p| lower.starts_with(p))
        {
            return raw.to_owned();
        }
        for scheme in ["mailto:", "tel:", "sms:"] {
            if lower.starts_with(scheme) {
                return format!("{scheme}{MASK}");
            }
        }
        if lower.starts_with("http:") || lower.starts_with("https:") {
            return self.scrub(link).unwrap_or_else(|| MASK.to_owned());
        }
        if let Some(rest) = link.strip_prefix("//") {
            return self
                .scrub(&format!("https://{rest}"))
                .and_then(|u| u.strip_prefix("https:").map(str::to_owned))
                .unwrap_or_else(|| MASK.to_owned());
        }
        if lower.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }) {
            // Another scheme (ftp:, app links…): nothing to keep.
            return MASK.to_owned();
        }
        // Relative: scrub it as a path under a placeholder origin, then take that off again.
        let absolute = if link.starts_with('/') {
            format!("{BASE}{link}")
        } else {
            format!("{BASE}/{link}")
        };
        match self.scrub(&absolute) {
            Some(u) => {
                let path = u.strip_prefix(BASE).unwrap_or(&u);
                if link.starts_with('/') {
                    path.to_owned()
                } else {
                    path.trim_start_matches('/').to_owned()
                }
            }
            None => MASK.to_owned(),
        }
    }
}

/// Scrubs with the default policy (only `utm_*` values kept, no extra patterns).
pub fn scrub(raw: &str) -> Option<String> {
    static DEFAULT: LazyLock<UrlPolicy> = LazyLock::new(UrlPolicy::default);
    DEFAULT.scrub(raw)
}

fn compile(pattern: &str) -> AppResult<Regex> {
    regex::RegexBuilder::new(pattern)
        .size_limit(256 * 1024)
        .build()
        .map_err(|e| {
            AppError::bad_input("urlPatterns", format!("invalid pattern {pattern:?}: {e}"))
        })
}

/// Checks a site's allow-list of query parameters.
pub fn valid_params(params: &[String]) -> AppResult<Vec<String>> {
    if params.len() > MAX_ALLOWED_PARAMS {
        return Err(AppError::bad_input(
            "urlAllowedParams",
            format!("at most {MAX_ALLOWED_PARAMS} parameters"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(params.len());
    for p in params {
        let p = p.trim();
        if p.is_empty()
            || p.len() > 64
            || !p
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.[]".contains(c))
        {
            return Err(AppError::bad_input(
                "urlAllowedParams",
                format!("{p:?} is not a query parameter name (1–64 of A-Z a-z 0-9 _ - . [ ])"),
            ));
        }
        if !out.iter().any(|o| o == p) {
            out.push(p.to_owned());
        }
    }
    Ok(out)
}

/// Checks a site's extra patterns: regular expressions that compile, within limits.
pub fn valid_patterns(patterns: &[String]) -> AppResult<Vec<String>> {
    if patterns.len() > MAX_PATTERNS {
        return Err(AppError::bad_input(
            "urlPatterns",
            format!("at most {MAX_PATTERNS} patterns"),
        ));
    }
    patterns
        .iter()
        .map(|p| {
            if p.is_empty() || p.chars().count() > MAX_PATTERN_CHARS {
                return Err(AppError::bad_input(
                    "urlPatterns",
                    format!("a pattern is 1–{MAX_PATTERN_CHARS} characters"),
                ));
            }
            if compile(p)?.is_match("") {
                return Err(AppError::bad_input(
                    "urlPatterns",
                    format!("pattern {p:?} matches the empty string"),
                ));
            }
            Ok(p.clone())
        })
        .collect()
}

/// Percent-decodes up to three times (double-encoded `%2540` is still an `@`); `plus`
/// also turns `+` into a space, as in query strings.
fn decode(s: &str, plus: bool) -> String {
    let mut cur = s.to_owned();
    for _ in 0..3 {
        if !cur.contains('%') {
            break;
        }
        let input = if plus {
            cur.clone()
        } else {
            cur.replace('+', "%2B")
        };
        let next = ::url::form_urlencoded::parse(format!("x={input}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| cur.clone());
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}

/// Masks personal data inside one path segment, query name or kept query value.
fn mask_segment(s: &str) -> String {
    let decoded = decode(s, true);
    if contains_personal_data(s) || (decoded != s && contains_personal_data(&decoded)) {
        MASK.to_owned()
    } else {
        s.to_owned()
    }
}

fn contains_personal_data(s: &str) -> bool {
    if s.contains('@') && EMAIL.is_match(s) {
        return true;
    }
    // Phone and card-like numbers: 7+ digits, possibly grouped by spaces, dots or dashes.
    let longest_run = s
        .split(|c: char| !(c.is_ascii_digit() || "-. ()".contains(c)))
        .map(|run| run.chars().filter(char::is_ascii_digit).count())
        .max()
        .unwrap_or(0);
    longest_run >= 7 || token_like(s)
}

/// Session ids, reset tokens, JWTs, UUIDs: one long piece mixing letters and digits, or
/// a long hex/alphanumeric run that is mostly digits. Slugs of words are not tokens.
fn token_like(s: &str) -> bool {
    let pieces = s.split(['-', '_', '.', '~', '+', '/', '=']);
    let long_mixed = pieces.clone().any(|p| {
        p.len() >= 16
            && p.chars().any(|c| c.is_ascii_digit())
            && p.chars().any(|c| c.is_ascii_alphabetic())
            && p.chars().all(|c| c.is_ascii_alphanumeric())
    });
    let joined: usize = pieces.clone().map(str::len).sum();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let mostly_digits = joined >= 24
        && digits * 5 >= joined * 2
        && pieces
            .clone()
            .all(|p| p.chars().all(|c| c.is_ascii_alphanumeric()));
    long_mixed || mostly_digits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_personal_data() {
        let r = "[redacted]";
        let cases: Vec<(&str, Option<String>)> = vec![
            (
                "https://shop.example/checkout#step2",
                Some("https://shop.example/checkout".into()),
            ),
            (
                "https://user:pw@shop.example/",
                Some("https://shop.example/".into()),
            ),
            (
                "https://shop.example/?utm_source=mail&email=a%40b.co&q=shoes",
                Some(
                    "https://shop.example/?utm_source=mail&email=%5Bredacted%5D&q=%5Bredacted%5D"
                        .into(),
                ),
            ),
            // Upper-case UTM names are kept too; an email inside a kept value is not.
            (
                "https://shop.example/?UTM_Campaign=spring&utm_content=jane%40mail.example",
                Some("https://shop.example/?UTM_Campaign=spring&utm_content=%5Bredacted%5D".into()),
            ),
            (
                "https://shop.example/users/jane.doe%40mail.example/orders",
                Some(format!("https://shop.example/users/{r}/orders")),
            ),
            // Double-encoded `@`.
            (
                "https://shop.example/users/jane%2540mail.example",
                Some(format!("https://shop.example/users/{r}")),
            ),
            // `+` in the local part, raw and encoded.
            (
                "https://shop.example/u/jane+news@mail.example",
                Some(format!("https://shop.example/u/{r}")),
            ),
            (
                "https://shop.example/u/jane%2Bnews%40mail.example",
                Some(format!("https://shop.example/u/{r}")),
            ),
            (
                "https://shop.example/?utm_term=jane+news@mail.example",
                Some("https://shop.example/?utm_term=%5Bredacted%5D".into()),
            ),
            // An email as a query *name*.
            (
                "https://shop.example/?jane@mail.example=1",
                Some("https://shop.example/?%5Bredacted%5D=%5Bredacted%5D".into()),
            ),
            // An IDN email domain.
            (
                "https://shop.example/u/j%C3%B6rg@b%C3%BCcher.example",
                Some(format!("https://shop.example/u/{r}")),
            ),
            // Phones and card numbers, grouped every which way.
            (
                "https://shop.example/call/+44-20-7946-0958",
                Some(format!("https://shop.example/call/{r}")),
            ),
            (
                "https://shop.example/call/(555)%20123.4567",
                Some(format!("https://shop.example/call/{r}")),
            ),
            (
                "https://shop.example/pay/4111%201111%201111%201111",
                Some(format!("https://shop.example/pay/{r}")),
            ),
            // Tokens: a JWT-like piece, a UUID, a long hex id.
            (
                "https://shop.example/reset/eyJhbGciOiJIUzI1NiJ9abc123XYZ",
                Some(format!("https://shop.example/reset/{r}")),
            ),
            (
                "https://shop.example/o/3f2504e0-4f89-11d3-9a0c-0305e82c3301",
                Some(format!("https://shop.example/o/{r}")),
            ),
            // Ordinary paths survive: ids, slugs, years, short numbers.
            (
                "https://shop.example/products/42",
                Some("https://shop.example/products/42".into()),
            ),
            (
                "https://shop.example/blog/running-shoes-2024-edition-blue-large",
                Some("https://shop.example/blog/running-shoes-2024-edition-blue-large".into()),
            ),
            // IDN hosts: punycode, in either spelling.
            (
                "https://xn--bcher-kva.example/b%C3%BCcher",
                Some("https://xn--bcher-kva.example/b%C3%BCcher".into()),
            ),
            (
                "https://bücher.example/a",
                Some("https://xn--bcher-kva.example/a".into()),
            ),
            ("javascript:alert(1)", None),
            ("data:text/html,hi", None),
            ("not a url", None),
        ];
        for (raw, want) in cases {
            assert_eq!(scrub(raw), want, "{raw}");
        }
    }

    #[test]
    fn cached_links_belong_to_their_policy() {
        let keeps = UrlPolicy::new(&["q"], &[]).expect("policy");
        let masks = UrlPolicy::new(&[], &["secret"]).expect("policy");
        let link = "/search?q=shoes&x=secret";
        for _ in 0..3 {
            assert_eq!(keeps.scrub_link(link), keeps.scrub_link_now(link));
            assert_eq!(masks.scrub_link(link), masks.scrub_link_now(link));
        }
        assert_ne!(keeps.scrub_link(link), masks.scrub_link(link));
        let long = format!("/{}?email=ann@example.com", "a".repeat(CACHED_LINK_CHARS));
        assert_eq!(keeps.scrub_link(&long), keeps.scrub_link_now(&long));
        for i in 0..CACHED_LINKS + 10 {
            let l = format!("/p/{i}?t=1");
            assert_eq!(masks.scrub_link(&l), masks.scrub_link_now(&l));
        }
    }

    #[test]
    fn links_in_pages_keep_their_form() {
        let p = UrlPolicy::default();
        for (raw, want) in [
            ("", ""),
            ("#pricing", "#pricing"),
            ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
            ("javascript:void(0)", "javascript:void(0)"),
            ("mailto:ann@example.com?subject=hi", "mailto:[redacted]"),
            ("TEL:+15550100", "tel:[redacted]"),
            ("ftp://files.example/ann", "[redacted]"),
            (
                "https://shop.example/a?ref=x#top",
                "https://shop.example/a?ref=%5Bredacted%5D",
            ),
            (
                "//cdn.example/img.png?utm_source=n",
                "//cdn.example/img.png?utm_source=n",
            ),
            ("/orders/ann@example.com/items", "/orders/[redacted]/items"),
            (
                "/search?q=ann@example.com&page=2",
                "/search?q=%5Bredacted%5D&page=%5Bredacted%5D",
            ),
            ("img/logo.svg", "img/logo.svg"),
            ("/plain/path", "/plain/path"),
        ] {
            assert_eq!(p.scrub_link(raw), want, "{raw}");
        }
    }

    #[test]
    fn site_allow_list_and_patterns() {
        let policy =
            UrlPolicy::new(&["page"], &[r"/account/[^/?]+", r"ssn-\d{3}"]).expect("valid policy");
        assert_eq!(
            policy
                .scrub("https://shop.example/?page=2&ref=x")
                .as_deref(),
            Some("https://shop.example/?page=2&ref=%5Bredacted%5D")
        );
        // An allow-listed value still loses an email.
        assert_eq!(
            policy
                .scrub("https://shop.example/?page=a%40b.co")
                .as_deref(),
            Some("https://shop.example/?page=%5Bredacted%5D")
        );
        assert_eq!(
            policy
                .scrub("https://shop.example/account/jdoe/settings")
                .as_deref(),
            Some("https://shop.example[redacted]/settings")
        );
        assert_eq!(
            policy.scrub("https://shop.example/x/ssn-123").as_deref(),
            Some("https://shop.example/x/[redacted]")
        );
    }

    #[test]
    fn settings_are_checked() {
        assert!(valid_params(&["page".into(), "sort_by".into()]).is_ok());
        assert!(valid_params(&["a b".into()]).is_err());
        assert!(valid_params(&vec!["p".to_owned(); 51]).is_err());
        assert!(valid_patterns(&["(unclosed".into()]).is_err());
        assert!(valid_patterns(&[".*".into()]).is_err());
        assert!(valid_patterns(&["x".repeat(201)]).is_err());
        assert!(valid_patterns(&[r"order-\d+".into()]).is_ok());
    }
}
