//! Device, browser and OS families from a User-Agent header. Only the families are kept.

/// The device families Loupe tells apart; targeting and segments accept only these.
pub const DEVICES: [&str; 3] = ["desktop", "mobile", "tablet"];

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Families {
    pub device: Option<&'static str>,
    pub browser: Option<&'static str>,
    pub os: Option<&'static str>,
}

pub fn families(user_agent: Option<&str>) -> Families {
    let Some(ua) = user_agent.filter(|u| !u.trim().is_empty()) else {
        return Families::default();
    };
    let has = |needle: &str| ua.contains(needle);
    let os = if has("iPhone") || has("iPad") || has("iPod") {
        Some("iOS")
    } else if has("Android") {
        Some("Android")
    } else if has("CrOS") {
        Some("ChromeOS")
    } else if has("Windows") {
        Some("Windows")
    } else if has("Macintosh") || has("Mac OS X") {
        Some("macOS")
    } else if has("Linux") || has("X11") {
        Some("Linux")
    } else {
        None
    };
    let browser = if has("Edg/") || has("Edge/") {
        Some("Edge")
    } else if has("OPR/") || has("Opera") {
        Some("Opera")
    } else if has("SamsungBrowser") {
        Some("Samsung Internet")
    } else if has("Firefox/") || has("FxiOS") {
        Some("Firefox")
    } else if has("Chrome/") || has("CriOS") {
        Some("Chrome")
    } else if has("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let lower = ua.to_ascii_lowercase();
    let device = if lower.contains("bot") || lower.contains("spider") || lower.contains("crawl") {
        Some("bot")
    } else if has("iPad") || has("Tablet") || (has("Android") && !has("Mobile")) {
        Some("tablet")
    } else if has("Mobi") || has("iPhone") || has("iPod") {
        Some("mobile")
    } else {
        Some("desktop")
    };
    Families {
        device,
        browser,
        os,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_agents() {
        let cases = [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36", ("desktop", "Chrome", "Windows")),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", ("desktop", "Safari", "macOS")),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1", ("mobile", "Safari", "iOS")),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36", ("mobile", "Chrome", "Android")),
            ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/119.0 Safari/537.36", ("tablet", "Chrome", "Android")),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", ("desktop", "Firefox", "Linux")),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0", ("desktop", "Edge", "Windows")),
            ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ("bot", "", "")),
        ];
        for (ua, (device, browser, os)) in cases {
            let f = families(Some(ua));
            assert_eq!(f.device, Some(device), "{ua}");
            assert_eq!(f.browser.unwrap_or(""), browser, "{ua}");
            assert_eq!(f.os.unwrap_or(""), os, "{ua}");
        }
        assert_eq!(families(None), Families::default());
    }
}
