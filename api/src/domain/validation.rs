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

/// The one rule for control characters in text a client sends (answers, attributes, ids,
/// filters, names): U+0000–U+001F and U+007F are refused, except tab, line feed and
/// carriage return. (PostgreSQL cannot store NUL in text at all; the rest only hides text
/// from people reading it.)
pub fn forbidden_char(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

fn control_chars(field: &str) -> AppError {
    AppError::bad_input(
        field,
        format!(
            "`{field}` must not contain control characters (U+0000–U+001F other than tab and line breaks, U+007F)"
        ),
    )
}

/// Refuses text with a forbidden control character (see [`forbidden_char`]).
pub fn text(field: &str, value: &str) -> AppResult<()> {
    if value.chars().any(forbidden_char) {
        Err(control_chars(field))
    } else {
        Ok(())
    }
}

/// Refuses a JSON document holding a string (or key) with a forbidden control character,
/// naming its path (`answers.0.comment`). JSON can only carry them as `\u00XX` escapes or
/// a raw DEL, so documents without either are passed after one scan.
pub fn json_text(json: &[u8]) -> AppResult<()> {
    let suspicious =
        memchr::memchr(0x7f, json).is_some() || memchr::memmem::find(json, b"\\u00").is_some();
    if !suspicious {
        return Ok(());
    }
    match serde_json::from_slice::<serde_json::Value>(json) {
        Ok(v) => json_value_text(&v, ""),
        Err(_) => Ok(()), // not JSON: the parser that runs next says so
    }
}

/// [`json_text`] on a parsed value; `root` prefixes the paths (`variables`).
pub fn json_value_text(value: &serde_json::Value, root: &str) -> AppResult<()> {
    use serde_json::Value;
    let join = |key: &str| {
        if root.is_empty() {
            key.to_owned()
        } else {
            format!("{root}.{key}")
        }
    };
    match value {
        Value::String(s) => text(if root.is_empty() { "body" } else { root }, s),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| json_value_text(v, &join(&i.to_string()))),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            let path = join(k);
            text(&path, k)?;
            json_value_text(v, &path)
        }),
        _ => Ok(()),
    }
}

/// Refuses a URL query string whose decoded names or values hold a forbidden control
/// character, naming the parameter.
pub fn query_string(qs: &str) -> AppResult<()> {
    if !qs.contains('%') && !qs.chars().any(forbidden_char) {
        return Ok(());
    }
    for (name, value) in url::form_urlencoded::parse(qs.as_bytes()) {
        text(&name, &name)?;
        text(&name, &value)?;
    }
    Ok(())
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
    fn control_characters() {
        assert!(text("f", "tab\there\r\nok é 😀").is_ok());
        for bad in ["a\u{0}b", "\u{1b}[31m", "\u{7f}", "\u{b}"] {
            assert!(text("f", bad).is_err(), "{bad:?}");
        }
        let err = json_text(br#"{"answers":[{"comment":"ok"},{"comment":"a\u0000"}]}"#);
        assert!(
            matches!(err, Err(AppError::BadInput { field: Some(f), .. }) if f == "answers.1.comment")
        );
        assert!(json_text(br#"{"a":"\u00e9\u0009"}"#).is_ok());
        let err = json_text(br#"{"k\u0001":1}"#);
        assert!(matches!(err, Err(AppError::BadInput { field: Some(f), .. }) if f == "k\u{1}"));
        assert!(query_string("a=1&url=%2Fpricing").is_ok());
        let err = query_string("visitor_id=v%00");
        assert!(matches!(err, Err(AppError::BadInput { field: Some(f), .. }) if f == "visitor_id"));
    }

    #[test]
    fn names() {
        assert!(name("name", "  ", 10).is_err());
        assert!(name("name", "a\u{0}b", 10).is_err());
        assert!(name("name", &"x".repeat(11), 10).is_err());
        assert_eq!(name("name", " Shop ", 10).ok().as_deref(), Some("Shop"));
    }
}
