//! Input checks shared by every entry point. Each error names the offending field.

use crate::error::{AppError, AppResult};

pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DOMAINS: usize = 50;

/// A trimmed, non-empty name of at most `max` characters without control characters.
pub fn name(field: &str, value: &str, max: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` must not be empty"),
        ));
    }
    if value.chars().count() > max {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` must be at most {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(AppError::bad_input(
            field,
            format!("`{field}` must not contain control characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Host names a site's pages may be served from: `example.com`, `*.example.com`,
/// `localhost:3000`. Lower-cased and de-duplicated, order kept.
pub fn domains(field: &str, values: &[String]) -> AppResult<Vec<String>> {
    if values.len() > MAX_DOMAINS {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_DOMAINS} domains are allowed"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for raw in values {
        let d = raw.trim().to_ascii_lowercase();
        if !is_domain_pattern(&d) {
            return Err(AppError::bad_input(
                field,
                format!(
                    "{raw:?} is not a host name (use `example.com`, `*.example.com` or `host:port`; \
                     internationalised names in their xn-- form)"
                ),
            ));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

fn is_domain_pattern(d: &str) -> bool {
    let wildcard = d.starts_with("*.");
    let host_port = d.strip_prefix("*.").unwrap_or(d);
    let (host, port) = match host_port.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (host_port, None),
    };
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |n| n == 0)) {
        return false;
    }
    // `*.com` would allow every site under a top-level domain.
    if wildcard && !host.contains('.') {
        return false;
    }
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

pub fn retention_days(field: &str, days: i32) -> AppResult<i32> {
    if (1..=3650).contains(&days) {
        Ok(days)
    } else {
        Err(AppError::bad_input(
            field,
            format!("`{field}` must be between 1 and 3650"),
        ))
    }
}

/// Parses a GraphQL/REST id that must be a positive integer; anything else cannot name
/// an existing object, so it is simply not found.
pub fn id(value: &str) -> AppResult<i64> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_patterns() {
        let ok = [
            "example.com",
            "*.example.com",
            "localhost",
            "localhost:3000",
            "xn--bcher-kva.example",
            "a-b.c",
        ];
        for d in ok {
            assert!(is_domain_pattern(d), "{d}");
        }
        let bad = [
            "",
            "*.",
            "exa mple.com",
            "-a.com",
            "a..b",
            "http://a.com",
            "a.com/path",
            "bücher.de",
            "a.com:0",
            "a.com:99999",
            "*.*.a.com",
            "*.com",
            "*.localhost",
        ];
        for d in bad {
            assert!(!is_domain_pattern(d), "{d}");
        }
    }

    #[test]
    fn domains_normalise_and_dedupe() {
        let got = domains(
            "allowedDomains",
            &["Example.COM ".into(), "example.com".into()],
        )
        .ok();
        assert_eq!(got, Some(vec!["example.com".to_owned()]));
    }

    #[test]
    fn names() {
        assert!(name("name", "  ", 10).is_err());
        assert!(name("name", "a\u{0}b", 10).is_err());
        assert!(name("name", &"x".repeat(11), 10).is_err());
        assert_eq!(name("name", " Shop ", 10).ok().as_deref(), Some("Shop"));
    }
}
