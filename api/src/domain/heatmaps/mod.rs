//! Heatmaps: where visitors click, move and how far they scroll, per page and device.
//!
//! Facts are extracted from recording batches as they are ingested ([`extract`], in the
//! pass `recordings::metadata` makes) and kept as compact aggregates per (site, page,
//! device, UTC day) ([`store`]): a month of a page reads a few thousand rows, not every
//! click. The aggregates hold counts only — no visitor, session or recording — so they are
//! not personal data and stay when a recording is deleted; they go with their site,
//! retention, time-range and URL purges. See the README's Privacy section.

pub mod events;
pub mod extract;
pub mod query;
pub mod segmented;
pub mod selector;
pub mod store;

use serde::{Deserialize, Serialize};

/// Points are binned on a grid of this many CSS pixels at the reference width.
pub const BIN_PX: i32 = 20;
/// Mouse moves, far more numerous and spread, on a coarser grid: a month of a page's move
/// map stays a few hundred thousand bins at most.
pub const MOVE_BIN_PX: i32 = 40;
/// The scroll map's steps: 5 % each.
pub const SCROLL_STEPS: i32 = 20;

/// The device bucket of a page view, by viewport width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Device {
    Desktop,
    Tablet,
    Mobile,
}

impl Device {
    /// < 768 px mobile, < 1024 px tablet, else desktop.
    pub fn of_width(width: f64) -> Device {
        if width > 0.0 && width < 768.0 {
            Device::Mobile
        } else if width > 0.0 && width < 1024.0 {
            Device::Tablet
        } else {
            Device::Desktop
        }
    }

    /// The width every position of this device is scaled to.
    pub fn reference_width(self) -> i32 {
        match self {
            Device::Desktop => 1280,
            Device::Tablet => 768,
            Device::Mobile => 375,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Device::Desktop => "desktop",
            Device::Tablet => "tablet",
            Device::Mobile => "mobile",
        }
    }

    pub fn parse(s: &str) -> Option<Device> {
        match s {
            "desktop" => Some(Device::Desktop),
            "tablet" => Some(Device::Tablet),
            "mobile" => Some(Device::Mobile),
            _ => None,
        }
    }
}

/// What a heatmap shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Click,
    RageClick,
    DeadClick,
    Move,
    Scroll,
}

impl Kind {
    /// The grid of this kind's points, in CSS px at the reference width.
    pub fn bin_px(self) -> i32 {
        match self {
            Kind::Move => MOVE_BIN_PX,
            _ => BIN_PX,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Click => "CLICK",
            Kind::RageClick => "RAGE_CLICK",
            Kind::DeadClick => "DEAD_CLICK",
            Kind::Move => "MOVE",
            Kind::Scroll => "SCROLL",
        }
    }
}

/// The page a URL is counted under: scrubbed like every stored URL (the site's policy),
/// without query or fragment. None for what is not an http(s) URL.
pub fn page_of(urls: &crate::domain::visitor::url::UrlPolicy, href: &str) -> Option<String> {
    let scrubbed = urls.scrub(href)?;
    let end = scrubbed.find(['?', '#']).unwrap_or(scrubbed.len());
    Some(scrubbed[..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_by_width() {
        for (w, d) in [
            (375.0, Device::Mobile),
            (767.0, Device::Mobile),
            (768.0, Device::Tablet),
            (1023.0, Device::Tablet),
            (1024.0, Device::Desktop),
            (2560.0, Device::Desktop),
            (0.0, Device::Desktop),
        ] {
            assert_eq!(Device::of_width(w), d, "{w}");
        }
    }

    #[test]
    fn pages_lose_query_and_fragment() {
        let p = crate::domain::visitor::url::UrlPolicy::default();
        assert_eq!(
            page_of(&p, "https://shop.example/cart?email=ann@example.com#top").as_deref(),
            Some("https://shop.example/cart")
        );
        assert_eq!(
            page_of(&p, "https://shop.example/u/ann@example.com").as_deref(),
            page_of(&p, "https://shop.example/u/bob@example.org").as_deref(),
            "emails in paths are masked, so one page"
        );
        assert_eq!(page_of(&p, "javascript:alert(1)"), None);
    }
}
