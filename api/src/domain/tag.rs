//! The browser tag's side of a site: the settings `loupe.js` reads (recording, consent,
//! theme), the snippet a site owner pastes, and identity verification of identify calls.

use base64::Engine;
use entity::site;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::error::{AppError, AppResult};

/// Loupe's address as browsers reach it, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The configured URL (`http(s)://host[:port][/prefix]`), or `http://` + the bound
    /// address (`localhost` for an unspecified one).
    pub fn new(configured: Option<&str>, bound: std::net::SocketAddr) -> anyhow::Result<Self> {
        match configured.map(str::trim).filter(|s| !s.is_empty()) {
            Some(u) => {
                let parsed = url::Url::parse(u)
                    .map_err(|e| anyhow::anyhow!("LOUPE_PUBLIC_URL {u:?}: {e}"))?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                    anyhow::bail!("LOUPE_PUBLIC_URL {u:?} must be an http(s) URL");
                }
                Ok(PublicUrl(u.trim_end_matches('/').to_owned()))
            }
            None if bound.ip().is_unspecified() => {
                Ok(PublicUrl(format!("http://localhost:{}", bound.port())))
            }
            None => Ok(PublicUrl(format!("http://{bound}"))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The public page of a link survey.
    pub fn link(&self, token: &str) -> String {
        format!("{}/s/{token}", self.0)
    }
}

/// Where the widget sits on the page.
pub const POSITIONS: [&str; 3] = ["bottom-right", "bottom-left", "center"];
pub const MAX_FONT_CHARS: usize = 100;

/// The widget's look; every field optional, defaults filled in by [`Theme::resolved`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
}

pub const DEFAULT_PRIMARY: &str = "#4f46e5";
pub const DEFAULT_BACKGROUND: &str = "#ffffff";
pub const DEFAULT_TEXT: &str = "#111827";
pub const DEFAULT_FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

fn colour(field: &str, value: &str) -> AppResult<String> {
    let v = value.trim().to_ascii_lowercase();
    let hex = v.strip_prefix('#').unwrap_or("");
    if matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(v)
    } else {
        Err(AppError::bad_input(
            field,
            format!("{value:?} is not a colour: write #rgb or #rrggbb"),
        ))
    }
}

impl Theme {
    /// The stored theme of a site (an unreadable one reads as the default).
    pub fn of(site: &site::Model) -> Theme {
        serde_json::from_str(&site.theme).unwrap_or_default()
    }

    /// Checks and normalises a theme as an admin sets it. Values end up as CSS custom
    /// properties, so only plain colours, known positions and a font list of names pass.
    pub fn validate(self) -> AppResult<Theme> {
        let opt = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let mut t = Theme::default();
        if let Some(v) = opt(self.primary) {
            t.primary = Some(colour("theme.primary", &v)?);
        }
        if let Some(v) = opt(self.background) {
            t.background = Some(colour("theme.background", &v)?);
        }
        if let Some(v) = opt(self.text) {
            t.text = Some(colour("theme.text", &v)?);
        }
        if let Some(v) = opt(self.position) {
            let v = v.to_ascii_lowercase();
            if !POSITIONS.contains(&v.as_str()) {
                return Err(AppError::bad_input(
                    "theme.position",
                    format!("position is one of {}", POSITIONS.join(", ")),
                ));
            }
            t.position = Some(v);
        }
        if let Some(v) = opt(self.font) {
            let ok = v.chars().count() <= MAX_FONT_CHARS
                && v.chars()
                    .all(|c| c.is_alphanumeric() || " ,-_'\"".contains(c));
            if !ok {
                return Err(AppError::bad_input(
                    "theme.font",
                    format!(
                        "a font list of at most {MAX_FONT_CHARS} characters: names, quotes, commas, spaces and hyphens"
                    ),
                ));
            }
            t.font = Some(v);
        }
        Ok(t)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// Every field, defaults filled in: what the tag and the link page use.
    pub fn resolved(&self) -> Theme {
        let or = |v: &Option<String>, d: &str| Some(v.clone().unwrap_or_else(|| d.to_owned()));
        Theme {
            primary: or(&self.primary, DEFAULT_PRIMARY),
            background: or(&self.background, DEFAULT_BACKGROUND),
            text: or(&self.text, DEFAULT_TEXT),
            position: or(&self.position, POSITIONS[0]),
            font: or(&self.font, DEFAULT_FONT),
        }
    }
}

/// What `loupe.js` asks for before doing anything else (`GET /v1/sites/{id}/config`).
pub fn config(site: &site::Model) -> Value {
    json!({
        "require_consent": site.require_consent,
        "identity_verification": site.identity_verification,
        "recording": {
            "enabled": site.recording_enabled,
            "sample_percent": site.recording_sample_percent,
            "mask_all_text": site.mask_all_text,
        },
        // On without recording too: the tag then sends clicks, moves and scroll depth
        // itself (`POST /v1/sites/{id}/heatmap`).
        "heatmaps": site.heatmaps_enabled,
        "theme": Theme::of(site).resolved(),
    })
}

/// The snippet to paste before `</head>`: a queue stub, so calls made before the tag
/// loads are kept, and the tag itself. `data-require-consent` lets the tag wait for
/// consent without asking Loupe anything first.
/// The queue stub: keeps calls made before `loupe.js` has loaded. Its CSP hash is in the
/// README (strict Content-Security-Policy); a test keeps the two in step.
pub const STUB: &str =
    "window.loupe=window.loupe||function(){(loupe.q=loupe.q||[]).push(arguments)};";
/// `'sha256-…'` of [`STUB`], for a site's `script-src`.
pub const STUB_CSP_HASH: &str = "sha256-4KtEugfvHfeegTKBlVxPRS3z2erpvIflLzBdus6sVnY=";

pub fn snippet(site_id: i64, require_consent: bool, public_url: &PublicUrl) -> String {
    let base = public_url.as_str();
    let consent = if require_consent {
        " data-require-consent"
    } else {
        ""
    };
    format!(
        "<script>{STUB}</script>\n\
         <script async src=\"{base}/v1/loupe.js\" data-site=\"{site_id}\"{consent}></script>"
    )
}

/// A new identity-verification secret: 256 random bits, prefixed so it is recognisable
/// in a secret scanner.
pub fn new_identity_secret() -> String {
    let mut buf = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    format!(
        "lis_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
    )
}

/// `HMAC-SHA256(secret, user_id)` as lower-case hex: what a site's backend computes.
pub fn user_hash(secret: &str, user_id: &str) -> String {
    hex::encode(mac(secret, user_id).finalize().into_bytes())
}

fn mac(secret: &str, user_id: &str) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(user_id.as_bytes());
    mac
}

/// Where the site requires verification, an identify call that names a user must carry
/// the right `user_hash` (compared in constant time); anything else is refused before
/// anything is stored. Un-identifying (`user_id: null`) needs no hash.
pub fn verify_identity(
    site: &site::Model,
    user_id: Option<&str>,
    hash: Option<&str>,
) -> AppResult<()> {
    if !site.identity_verification {
        return Ok(());
    }
    let Some(user_id) = user_id else {
        return Ok(());
    };
    let refused = |why: &str| AppError::FeatureDisabled {
        code: "IDENTITY_VERIFICATION_FAILED",
        message: format!(
            "this site requires identity verification: {why} \
             (user_hash = hex HMAC-SHA256 of the user id with the site's identity secret)"
        ),
    };
    let (Some(secret), Some(hash)) = (site.identity_secret.as_deref(), hash) else {
        return Err(refused("user_hash is missing"));
    };
    let Ok(given) = hex::decode(hash.trim()) else {
        return Err(refused("user_hash is not hex"));
    };
    mac(secret, user_id)
        .verify_slice(&given)
        .map_err(|_| refused("user_hash does not match this user id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes() {
        let t = Theme {
            primary: Some(" #FF0000 ".into()),
            position: Some("Bottom-Left".into()),
            font: Some("'Inter', sans-serif".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(t.primary.as_deref(), Some("#ff0000"));
        assert_eq!(t.position.as_deref(), Some("bottom-left"));
        for bad in [
            Theme {
                text: Some("red; background:url(x)".into()),
                ..Default::default()
            },
            Theme {
                font: Some("x;}body{display:none".into()),
                ..Default::default()
            },
            Theme {
                position: Some("top".into()),
                ..Default::default()
            },
        ] {
            assert!(bad.validate().is_err());
        }
    }

    #[test]
    fn the_stub_hash_in_the_readme_is_the_stubs() {
        use sha2::Digest;
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STUB));
        assert_eq!(format!("sha256-{hash}"), STUB_CSP_HASH);
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(STUB_CSP_HASH),
            "README's CSP line names the stub's hash"
        );
        assert!(readme.contains(STUB), "README shows the stub as served");
    }

    #[test]
    fn hashes() {
        // RFC 4231-style check against a value computed independently (Python hmac).
        assert_eq!(
            user_hash("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
