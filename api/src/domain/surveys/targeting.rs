//! Who sees a survey or poll, and when. Pure decisions over the survey's targeting and
//! what is known of the visitor; the caller gathers that state in a few queries.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, AppResult};

pub const MAX_URL_RULES: usize = 50;
pub const MAX_RULE_CHARS: usize = 500;
/// Compiled-size bound for REGEX rules (the `regex` engine runs in linear time).
const REGEX_SIZE_LIMIT: usize = 256 * 1024;
pub use crate::domain::visitor::agent::DEVICES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UrlMatch {
    Exact,
    Contains,
    StartsWith,
    EndsWith,
    Regex,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UrlRule {
    pub kind: UrlMatch,
    pub value: String,
    /// An exclude rule hides the survey on matching pages.
    #[serde(default)]
    pub exclude: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Frequency {
    /// Shown once to a visitor, answered or not.
    Once,
    /// Shown until the visitor completes a response or dismisses it.
    #[default]
    UntilResponded,
    /// Shown on every matching page view.
    Always,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Targeting {
    #[serde(default)]
    pub url_rules: Vec<UrlRule>,
    /// Empty: every device.
    #[serde(default)]
    pub devices: Vec<String>,
    /// Hook for the segments issue: a segment the visitor must be in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<i64>,
    #[serde(default = "hundred")]
    pub sampling_percent: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub frequency: Frequency,
}

fn hundred() -> u8 {
    100
}

impl Default for Targeting {
    fn default() -> Self {
        Targeting {
            url_rules: vec![],
            devices: vec![],
            segment_id: None,
            sampling_percent: 100,
            starts_at: None,
            ends_at: None,
            frequency: Frequency::default(),
        }
    }
}

impl Targeting {
    /// Stored JSON, tolerant of an empty object.
    pub fn from_json(s: &str) -> AppResult<Self> {
        serde_json::from_str(s).map_err(AppError::internal)
    }

    pub fn to_json(&self) -> AppResult<String> {
        serde_json::to_string(self).map_err(AppError::internal)
    }

    /// Checks and normalises targeting before it is saved.
    pub fn validate(mut self) -> AppResult<Self> {
        if self.url_rules.len() > MAX_URL_RULES {
            return Err(AppError::bad_input(
                "targeting.urlRules",
                format!("at most {MAX_URL_RULES} URL rules"),
            ));
        }
        for (i, rule) in self.url_rules.iter_mut().enumerate() {
            let field = format!("targeting.urlRules[{i}].value");
            rule.value = rule.value.trim().to_owned();
            if rule.value.is_empty() || rule.value.chars().count() > MAX_RULE_CHARS {
                return Err(AppError::bad_input(
                    field,
                    format!("a URL rule needs 1–{MAX_RULE_CHARS} characters"),
                ));
            }
            if rule.kind == UrlMatch::Regex {
                compile(&rule.value).map_err(|e| {
                    AppError::bad_input(field, format!("invalid regular expression: {e}"))
                })?;
            }
        }
        let mut devices = Vec::new();
        for d in &self.devices {
            let d = d.trim().to_ascii_lowercase();
            if !DEVICES.contains(&d.as_str()) {
                return Err(AppError::bad_input(
                    "targeting.devices",
                    format!("device {d:?} is not one of desktop, mobile, tablet"),
                ));
            }
            if !devices.contains(&d) {
                devices.push(d);
            }
        }
        self.devices = devices;
        if self.sampling_percent > 100 {
            return Err(AppError::bad_input(
                "targeting.samplingPercent",
                "sampling is a percentage from 0 to 100",
            ));
        }
        if let (Some(s), Some(e)) = (self.starts_at, self.ends_at) {
            if e <= s {
                return Err(AppError::bad_input(
                    "targeting.endsAt",
                    "the schedule must end after it starts",
                ));
            }
        }
        Ok(self)
    }
}

fn compile(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .case_insensitive(true)
        .build()
}

/// Compiled REGEX rules, so the public widgets endpoint does not compile them per call.
fn cached_regex(pattern: &str) -> Option<regex::Regex> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = cache.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(re) = map.get(pattern) {
        return re.clone();
    }
    if map.len() >= 1000 {
        map.clear();
    }
    let re = compile(pattern).ok();
    map.insert(pattern.to_owned(), re.clone());
    re
}

fn normalise(url: &str) -> String {
    let url = url.split('#').next().unwrap_or("");
    url.trim().trim_end_matches('/').to_lowercase()
}

pub fn url_matches(rule: &UrlRule, url: &str) -> bool {
    let url = normalise(url);
    match rule.kind {
        UrlMatch::Exact => url == normalise(&rule.value),
        UrlMatch::Contains => url.contains(&rule.value.to_lowercase()),
        UrlMatch::StartsWith => url.starts_with(&rule.value.to_lowercase()),
        UrlMatch::EndsWith => url.ends_with(rule.value.to_lowercase().trim_end_matches('/')),
        UrlMatch::Regex => cached_regex(&rule.value).is_some_and(|re| re.is_match(&url)),
    }
}

/// Stable bucket 0–99 for (survey, visitor): a visitor is in or out of a sample for good.
pub fn sample_bucket(survey_id: i64, visitor_id: &str) -> u8 {
    // FNV-1a: stable across processes and versions, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in survey_id.to_le_bytes().iter().chain(visitor_id.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % 100) as u8
}

/// What is known of the visitor for one survey.
#[derive(Debug, Clone, Default)]
pub struct VisitorState<'a> {
    pub visitor_id: Option<&'a str>,
    pub url: &'a str,
    pub device: Option<&'a str>,
    pub shown_before: bool,
    pub dismissed: bool,
    pub responded: bool,
    /// Last time any other survey of the site was shown to the visitor.
    pub last_other_display: Option<DateTime<Utc>>,
    /// Segment membership, when the survey targets a segment and it could be evaluated.
    pub in_segment: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Schedule,
    Url,
    Device,
    Segment,
    Sampling,
    Frequency,
    CoolDown,
}

/// Whether to show the survey now: `Ok(())`, or the first rule that hides it.
pub fn decide(
    t: &Targeting,
    survey_id: i64,
    v: &VisitorState<'_>,
    cooldown_days: i32,
    now: DateTime<Utc>,
) -> Result<(), Hidden> {
    if t.starts_at.is_some_and(|s| now < s) || t.ends_at.is_some_and(|e| now >= e) {
        return Err(Hidden::Schedule);
    }
    let (includes, excludes): (Vec<&UrlRule>, Vec<&UrlRule>) =
        t.url_rules.iter().partition(|r| !r.exclude);
    if (!includes.is_empty() && !includes.iter().any(|r| url_matches(r, v.url)))
        || excludes.iter().any(|r| url_matches(r, v.url))
    {
        return Err(Hidden::Url);
    }
    if !t.devices.is_empty() && !v.device.is_some_and(|d| t.devices.iter().any(|x| x == d)) {
        return Err(Hidden::Device);
    }
    if t.segment_id.is_some() && v.in_segment != Some(true) {
        return Err(Hidden::Segment);
    }
    if t.sampling_percent < 100 {
        // Without a visitor id there is nothing stable to sample on.
        let inside = v
            .visitor_id
            .is_some_and(|id| sample_bucket(survey_id, id) < t.sampling_percent);
        if !inside {
            return Err(Hidden::Sampling);
        }
    }
    let done = match t.frequency {
        Frequency::Once => v.shown_before,
        Frequency::UntilResponded => v.responded || v.dismissed,
        Frequency::Always => false,
    };
    if done {
        return Err(Hidden::Frequency);
    }
    if cooldown_days > 0
        && v.last_other_display
            .is_some_and(|at| now - at < TimeDelta::days(i64::from(cooldown_days)))
    {
        return Err(Hidden::CoolDown);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: UrlMatch, value: &str, exclude: bool) -> UrlRule {
        UrlRule {
            kind,
            value: value.into(),
            exclude,
        }
    }

    #[test]
    fn url_rules() {
        let url = "https://Shop.example/checkout/step-2?x=1#top";
        let cases = [
            (
                rule(
                    UrlMatch::Exact,
                    "https://shop.example/checkout/step-2?x=1",
                    false,
                ),
                true,
            ),
            (
                rule(UrlMatch::Exact, "https://shop.example/checkout", false),
                false,
            ),
            (rule(UrlMatch::Contains, "/CHECKOUT/", false), true),
            (
                rule(UrlMatch::StartsWith, "https://shop.example/check", false),
                true,
            ),
            (
                rule(UrlMatch::StartsWith, "https://blog.example", false),
                false,
            ),
            (rule(UrlMatch::EndsWith, "x=1", false), true),
            (rule(UrlMatch::Regex, r"/checkout/step-\d+", false), true),
            (rule(UrlMatch::Regex, r"^https://blog\.", false), false),
        ];
        for (r, want) in cases {
            assert_eq!(url_matches(&r, url), want, "{r:?}");
        }
    }

    #[test]
    fn validation() {
        let t = Targeting {
            url_rules: vec![rule(UrlMatch::Regex, "(unclosed", false)],
            ..Default::default()
        };
        assert!(t.validate().is_err());
        let huge = Targeting {
            url_rules: vec![rule(UrlMatch::Regex, "(a{1,1000}){1,1000}", false)],
            ..Default::default()
        };
        assert!(huge.validate().is_err(), "compiled size is bounded");
        let dev = Targeting {
            devices: vec!["Phone".into()],
            ..Default::default()
        };
        assert!(dev.validate().is_err());
        let t = Targeting {
            devices: vec!["Mobile".into(), "mobile".into()],
            ..Default::default()
        }
        .validate()
        .expect("ok");
        assert_eq!(t.devices, ["mobile"]);
        let now = Utc::now();
        let backwards = Targeting {
            starts_at: Some(now),
            ends_at: Some(now - TimeDelta::hours(1)),
            ..Default::default()
        };
        assert!(backwards.validate().is_err());
        assert_eq!(Targeting::from_json("{}").ok(), Some(Targeting::default()));
    }

    #[test]
    fn decisions() {
        let now = Utc::now();
        let base = Targeting::default();
        let hour = TimeDelta::hours(1);
        type Case = (Targeting, VisitorState<'static>, i32, Result<(), Hidden>);
        let with = |f: &dyn Fn(&mut VisitorState<'static>)| {
            let mut v = VisitorState {
                visitor_id: Some("v1"),
                url: "https://shop.example/pricing",
                device: Some("mobile"),
                ..Default::default()
            };
            f(&mut v);
            v
        };
        let cases: Vec<Case> = vec![
            (base.clone(), with(&|_| {}), 0, Ok(())),
            (
                Targeting {
                    starts_at: Some(now + hour),
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Schedule),
            ),
            (
                Targeting {
                    ends_at: Some(now - hour),
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Schedule),
            ),
            (
                Targeting {
                    url_rules: vec![rule(UrlMatch::Contains, "/pricing", false)],
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Ok(()),
            ),
            (
                Targeting {
                    url_rules: vec![rule(UrlMatch::Contains, "/blog", false)],
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Url),
            ),
            (
                Targeting {
                    url_rules: vec![
                        rule(UrlMatch::Contains, "shop", false),
                        rule(UrlMatch::EndsWith, "/pricing", true),
                    ],
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Url),
            ),
            (
                Targeting {
                    devices: vec!["desktop".into()],
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Device),
            ),
            (
                Targeting {
                    devices: vec!["mobile".into()],
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Ok(()),
            ),
            (
                Targeting {
                    segment_id: Some(1),
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Segment),
            ),
            (
                Targeting {
                    segment_id: Some(1),
                    ..base.clone()
                },
                with(&|v| v.in_segment = Some(true)),
                0,
                Ok(()),
            ),
            (
                Targeting {
                    sampling_percent: 0,
                    ..base.clone()
                },
                with(&|_| {}),
                0,
                Err(Hidden::Sampling),
            ),
            (
                Targeting {
                    frequency: Frequency::Once,
                    ..base.clone()
                },
                with(&|v| v.shown_before = true),
                0,
                Err(Hidden::Frequency),
            ),
            (
                Targeting {
                    frequency: Frequency::UntilResponded,
                    ..base.clone()
                },
                with(&|v| v.shown_before = true),
                0,
                Ok(()),
            ),
            (
                Targeting {
                    frequency: Frequency::UntilResponded,
                    ..base.clone()
                },
                with(&|v| v.responded = true),
                0,
                Err(Hidden::Frequency),
            ),
            (
                Targeting {
                    frequency: Frequency::UntilResponded,
                    ..base.clone()
                },
                with(&|v| v.dismissed = true),
                0,
                Err(Hidden::Frequency),
            ),
            (
                Targeting {
                    frequency: Frequency::Always,
                    ..base.clone()
                },
                with(&|v| v.responded = true),
                0,
                Ok(()),
            ),
            (
                base.clone(),
                with(&|v| v.last_other_display = Some(Utc::now() - TimeDelta::days(2))),
                3,
                Err(Hidden::CoolDown),
            ),
            (
                base.clone(),
                with(&|v| v.last_other_display = Some(Utc::now() - TimeDelta::days(4))),
                3,
                Ok(()),
            ),
            (
                base.clone(),
                with(&|v| v.last_other_display = Some(Utc::now())),
                0,
                Ok(()),
            ),
        ];
        for (i, (t, v, cooldown, want)) in cases.into_iter().enumerate() {
            assert_eq!(decide(&t, 7, &v, cooldown, now), want, "case {i}");
        }
    }

    #[test]
    fn sampling_is_stable_and_roughly_proportional() {
        assert_eq!(sample_bucket(1, "abc"), sample_bucket(1, "abc"));
        let inside = (0..10_000)
            .filter(|i| sample_bucket(42, &format!("visitor-{i}")) < 30)
            .count();
        assert!((2_700..3_300).contains(&inside), "{inside}");
    }
}
