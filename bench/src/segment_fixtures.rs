//! Twenty typed user attributes, a deterministic generator of identified visitors with all
//! of them, and segment rules of 2, 10 and 50 conditions over them.
//!
//! The 10-condition rule is block A below; the 50-condition rule combines blocks A and B
//! with other thresholds: `A0 ∧ (B0 ∨ A1) ∧ (B1 ∨ A2)`, nested five groups deep (the most
//! a rule may). Thresholds live in [`A`] and [`B`] so a hand-written check can use the
//! same ones.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{json, Value};

use api::domain::segments::eval::{AttrValue, Profile};
use api::domain::segments::rule::{self, fold, trunc, AttrKind, Catalog, Rule};
use api::error::AppResult;

/// Attribute ids in [`catalog`]: the position in [`ATTRIBUTES`] plus one.
pub mod id {
    pub const SPEND: i64 = 1;
    pub const PLAN: i64 = 2;
    pub const COUNTRY_CODE: i64 = 3;
    pub const IS_TRIAL: i64 = 4;
    pub const CUSTOMER_SINCE: i64 = 5;
    pub const SEATS: i64 = 6;
    pub const COMPANY: i64 = 7;
    pub const EMAIL: i64 = 8;
    pub const NEWSLETTER: i64 = 9;
    pub const LAST_LOGIN: i64 = 10;
    pub const LIFETIME_ORDERS: i64 = 11;
    pub const INDUSTRY: i64 = 12;
    pub const ROLE: i64 = 13;
    pub const VERIFIED: i64 = 14;
    pub const LAST_SEEN_IN_APP: i64 = 15;
    pub const NPS_SCORE: i64 = 16;
    pub const LANGUAGE: i64 = 17;
    pub const REFERRER: i64 = 18;
    pub const BETA_TESTER: i64 = 19;
    pub const LAST_PURCHASE: i64 = 20;
}

pub const ATTRIBUTES: [(&str, AttrKind); 20] = [
    ("spend", AttrKind::Number),
    ("plan", AttrKind::String),
    ("country_code", AttrKind::String),
    ("is_trial", AttrKind::Boolean),
    ("customer_since", AttrKind::Date),
    ("seats", AttrKind::Number),
    ("company", AttrKind::String),
    ("email", AttrKind::String),
    ("newsletter", AttrKind::Boolean),
    ("last_login", AttrKind::Date),
    ("lifetime_orders", AttrKind::Number),
    ("industry", AttrKind::String),
    ("role", AttrKind::String),
    ("verified", AttrKind::Boolean),
    ("last_seen_in_app", AttrKind::Date),
    ("nps_score", AttrKind::Number),
    ("language", AttrKind::String),
    ("referrer", AttrKind::String),
    ("beta_tester", AttrKind::Boolean),
    ("last_purchase", AttrKind::Date),
];

/// A site's catalog with the twenty attributes (ids 1–20) and no surveys.
pub fn catalog() -> Catalog {
    let mut c = Catalog::default();
    for (i, (name, kind)) in ATTRIBUTES.iter().enumerate() {
        c.attributes
            .insert((*name).to_owned(), (i as i64 + 1, *kind));
    }
    c
}

pub fn compile(rule: &Value) -> AppResult<Rule> {
    rule::compile(rule, &catalog(), "rule")
}

/// The instant the in-memory benchmarks evaluate at.
pub fn bench_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

/// SplitMix64: small, deterministic and good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

pub const PLANS: [&str; 4] = ["Free", "Basic", "Pro", "Team"];
pub const COUNTRIES: [&str; 8] = ["FR", "DE", "US", "GB", "ES", "IT", "NL", "BR"];
pub const DEVICES: [&str; 3] = ["desktop", "mobile", "tablet"];

fn text(s: &str) -> AttrValue {
    AttrValue::Text {
        raw: s.to_owned(),
        folded: fold(s),
    }
}

/// A date up to `max_days` whole days and 1–23 hours before `now`, at millisecond
/// precision like stored dates. Never within an hour of a whole-day boundary, so a
/// `WITHIN_LAST_DAYS` test gives the same answer for the next hour (the SQL bench
/// evaluates a little after it seeds).
fn days_ago(rng: &mut Rng, now: DateTime<Utc>, max_days: u64) -> AttrValue {
    let back = TimeDelta::days(rng.below(max_days) as i64)
        + TimeDelta::hours(1 + rng.below(22) as i64)
        + TimeDelta::milliseconds(rng.below(3_600_000) as i64);
    AttrValue::Time(trunc(now - back))
}

/// The twenty attribute values of one identified user, by position in [`ATTRIBUTES`].
pub fn attribute_values(rng: &mut Rng, n: u64, now: DateTime<Utc>) -> [AttrValue; 20] {
    let plan = match rng.below(100) {
        0..40 => PLANS[0],
        40..60 => PLANS[1],
        60..85 => PLANS[2],
        _ => PLANS[3],
    };
    let company = rng.pick(&[
        "Acme Corp",
        "Globex",
        "Initech",
        "Umbrella",
        "Hooli",
        "Stark Industries",
    ]);
    let domain = rng.pick(&[
        "acme.com",
        "gmail.com",
        "globex.io",
        "outlook.com",
        "hooli.xyz",
    ]);
    [
        AttrValue::Number(rng.below(200_000) as f64 / 100.0),
        text(plan),
        text(rng.pick(&COUNTRIES)),
        AttrValue::Bool(rng.chance(30)),
        days_ago(rng, now, 1500),
        AttrValue::Number((1 + rng.below(50)) as f64),
        text(company),
        text(&format!("User.{n}@{domain}")),
        AttrValue::Bool(rng.chance(70)),
        days_ago(rng, now, 60),
        AttrValue::Number(rng.below(100) as f64),
        text(rng.pick(&["SaaS", "SaaS", "Retail", "Finance", "Health", "Education"])),
        text(rng.pick(&[
            "Head of Product",
            "Software Engineer",
            "Product Manager",
            "CEO",
            "Designer",
            "Data Engineer",
        ])),
        AttrValue::Bool(rng.chance(80)),
        days_ago(rng, now, 30),
        // Scores lean high, as they do.
        AttrValue::Number(match rng.below(10) {
            0..4 => rng.below(7),
            4..7 => 7 + rng.below(2),
            _ => 9 + rng.below(2),
        } as f64),
        text(rng.pick(&["en", "fr", "de", "es"])),
        text(rng.pick(&[
            "https://www.google.com/",
            "https://news.ycombinator.com/",
            "https://twitter.com/",
            "newsletter",
        ])),
        AttrValue::Bool(rng.chance(20)),
        days_ago(rng, now, 365),
    ]
}

/// An identified visitor with all twenty attributes (ids as in [`catalog`]).
pub fn visitor(rng: &mut Rng, n: u64, now: DateTime<Utc>) -> Profile {
    let values = attribute_values(rng, n, now);
    let country = match &values[2] {
        AttrValue::Text { raw, .. } => Some(raw.clone()),
        _ => None,
    };
    Profile {
        id: n as i64,
        identified: true,
        device: Some(rng.pick(&DEVICES).to_owned()),
        country,
        first_seen: now - TimeDelta::days(rng.below(400) as i64),
        last_seen: now - TimeDelta::hours(rng.below(24 * 30) as i64),
        sessions: 1 + rng.below(60) as i64,
        attributes: values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i as i64 + 1, v))
            .collect(),
        responses: vec![],
        answers: vec![],
    }
}

pub fn visitors(count: u64, seed: u64, now: DateTime<Utc>) -> Vec<Profile> {
    let mut rng = Rng::new(seed);
    (0..count).map(|n| visitor(&mut rng, n, now)).collect()
}

/// Thresholds of a block A: billing and activity.
pub struct BlockA {
    pub spend_gt: f64,
    pub since_days: i64,
    pub plans: [&'static str; 2],
    pub seats_gte: f64,
    pub email_contains: &'static str,
    pub country: &'static str,
    pub login_days: i64,
}

/// Thresholds of a block B: engagement.
pub struct BlockB {
    pub orders_gt: f64,
    pub purchase_days: i64,
    pub industry: &'static str,
    pub role_contains: &'static str,
    pub nps_gte: f64,
    pub language: &'static str,
    pub referrer_contains: &'static str,
    pub in_app_days: i64,
}

pub const A: [BlockA; 3] = [
    BlockA {
        spend_gt: 100.0,
        since_days: 1200,
        plans: ["Pro", "Team"],
        seats_gte: 10.0,
        email_contains: ".com",
        country: "FR",
        login_days: 50,
    },
    BlockA {
        spend_gt: 250.0,
        since_days: 1095,
        plans: ["Team", "Basic"],
        seats_gte: 5.0,
        email_contains: "@globex",
        country: "DE",
        login_days: 45,
    },
    BlockA {
        spend_gt: 50.0,
        since_days: 1400,
        plans: ["Basic", "Pro"],
        seats_gte: 20.0,
        email_contains: "@gmail",
        country: "US",
        login_days: 55,
    },
];

pub const B: [BlockB; 2] = [
    BlockB {
        orders_gt: 5.0,
        purchase_days: 300,
        industry: "SaaS",
        role_contains: "product",
        nps_gte: 7.0,
        language: "en",
        referrer_contains: "google",
        in_app_days: 21,
    },
    BlockB {
        orders_gt: 10.0,
        purchase_days: 330,
        industry: "Retail",
        role_contains: "engineer",
        nps_gte: 8.0,
        language: "fr",
        referrer_contains: "news",
        in_app_days: 25,
    },
];

fn cond(attribute: &str, operator: &str, value: Value) -> Value {
    json!({"attribute": attribute, "operator": operator, "value": value})
}

fn flag(attribute: &str, operator: &str) -> Value {
    json!({"attribute": attribute, "operator": operator})
}

/// Ten conditions: paying, not on trial, a customer for a while, on a team plan or with
/// many seats, from a known company or a verified French account, recently logged in.
pub fn block_a(a: &BlockA) -> Value {
    json!({"and": [
        cond("spend", "GT", json!(a.spend_gt)),
        flag("is_trial", "IS_FALSE"),
        cond("customer_since", "WITHIN_LAST_DAYS", json!(a.since_days)),
        {"or": [
            cond("plan", "EQUALS", json!(a.plans[0])),
            cond("plan", "EQUALS", json!(a.plans[1])),
            cond("seats", "GTE", json!(a.seats_gte)),
        ]},
        {"or": [
            cond("email", "CONTAINS", json!(a.email_contains)),
            {"and": [
                cond("country_code", "EQUALS", json!(a.country)),
                flag("verified", "IS_TRUE"),
            ]},
        ]},
        cond("last_login", "WITHIN_LAST_DAYS", json!(a.login_days)),
    ]})
}

/// Ten conditions: repeat buyers on the newsletter who bought lately, in an industry or
/// role, promoters or English-speaking visitors from search, seen in the app lately.
pub fn block_b(b: &BlockB) -> Value {
    json!({"and": [
        cond("lifetime_orders", "GT", json!(b.orders_gt)),
        flag("newsletter", "IS_TRUE"),
        cond("last_purchase", "WITHIN_LAST_DAYS", json!(b.purchase_days)),
        {"or": [
            cond("industry", "EQUALS", json!(b.industry)),
            cond("role", "CONTAINS", json!(b.role_contains)),
        ]},
        {"or": [
            cond("nps_score", "GTE", json!(b.nps_gte)),
            {"and": [
                cond("language", "EQUALS", json!(b.language)),
                cond("referrer", "CONTAINS", json!(b.referrer_contains)),
                flag("beta_tester", "IS_FALSE"),
            ]},
        ]},
        cond("last_seen_in_app", "WITHIN_LAST_DAYS", json!(b.in_app_days)),
    ]})
}

pub fn rule_2() -> Value {
    json!({"and": [
        cond("spend", "GT", json!(100)),
        cond("plan", "EQUALS", json!("Pro")),
    ]})
}

pub fn rule_10() -> Value {
    block_a(&A[0])
}

pub fn rule_50() -> Value {
    json!({"and": [
        block_a(&A[0]),
        {"or": [block_b(&B[0]), block_a(&A[1])]},
        {"or": [block_b(&B[1]), block_a(&A[2])]},
    ]})
}

/// The benchmarked rules with their condition counts.
pub fn rules() -> [(usize, Value); 3] {
    [(2, rule_2()), (10, rule_10()), (50, rule_50())]
}
