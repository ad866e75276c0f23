//! URL scrubbing: the one function every stored URL goes through. Fragments and user
//! info are dropped; query values are masked except an allow-list (`utm_*` plus the
//! caller's); emails, long digit runs and token-like strings are masked anywhere.

const MASK: &str = "[redacted]";
pub const MAX_URL_CHARS: usize = 2000;

/// The scrubbed URL, or `None` for something that is not an http(s) URL.
pub fn scrub(raw: &str, allowed_params: &[&str]) -> Option<String> {
    let mut url = ::url::Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let path: Vec<String> = url
        .path_segments()
        .map(|segs| segs.map(|s| mask_segment(&percent_decode(s))).collect())
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
                let allowed = k.to_ascii_lowercase().starts_with("utm_")
                    || allowed_params.contains(&k.as_str());
                let v = if allowed {
                    mask_segment(&v)
                } else {
                    MASK.to_owned()
                };
                (mask_segment(&k), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let out: String = url.to_string();
    Some(out.chars().take(MAX_URL_CHARS).collect())
}

fn percent_decode(s: &str) -> String {
    ::url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// Masks personal data inside one path segment or query value.
fn mask_segment(s: &str) -> String {
    if s.contains('@') && looks_like_email(s) {
        return MASK.to_owned();
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let longest_run = s
        .split(|c: char| !(c.is_ascii_digit() || c == '-' || c == ' ' || c == '.'))
        .map(|run| run.chars().filter(char::is_ascii_digit).count())
        .max()
        .unwrap_or(0);
    if longest_run >= 7 {
        return MASK.to_owned(); // phone numbers, card-like numbers
    }
    if s.len() >= 24
        && digits > 0
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && !s.contains(' ')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.=".contains(c))
    {
        return MASK.to_owned(); // token-like
    }
    s.to_owned()
}

fn looks_like_email(s: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || c == '/' || c == '=' || c == '&')
        .any(|w| {
            crate::domain::surveys::answers::is_email(
                w.trim_matches(|c: char| !c.is_alphanumeric()),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_personal_data() {
        let cases = [
            (
                "https://shop.example/checkout#step2",
                Some("https://shop.example/checkout"),
            ),
            (
                "https://user:pw@shop.example/",
                Some("https://shop.example/"),
            ),
            (
                "https://shop.example/?utm_source=mail&email=a%40b.co&q=shoes",
                Some("https://shop.example/?utm_source=mail&email=%5Bredacted%5D&q=%5Bredacted%5D"),
            ),
            (
                "https://shop.example/users/jane.doe%40mail.example/orders",
                Some("https://shop.example/users/[redacted]/orders"),
            ),
            (
                "https://shop.example/u/jane+news@mail.example",
                Some("https://shop.example/u/[redacted]"),
            ),
            (
                "https://shop.example/call/+44-20-7946-0958",
                Some("https://shop.example/call/[redacted]"),
            ),
            (
                "https://shop.example/reset/eyJhbGciOiJIUzI1NiJ9abc123XYZ",
                Some("https://shop.example/reset/[redacted]"),
            ),
            (
                "https://shop.example/products/42",
                Some("https://shop.example/products/42"),
            ),
            (
                "https://xn--bcher-kva.example/b%C3%BCcher",
                Some("https://xn--bcher-kva.example/b%C3%BCcher"),
            ),
            ("javascript:alert(1)", None),
            ("not a url", None),
        ];
        for (raw, want) in cases {
            assert_eq!(scrub(raw, &[]).as_deref(), want, "{raw}");
        }
        assert_eq!(
            scrub("https://shop.example/?page=2&ref=x", &["page"]).as_deref(),
            Some("https://shop.example/?page=2&ref=%5Bredacted%5D")
        );
    }
}
