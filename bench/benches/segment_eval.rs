//! In-memory segment evaluation per visitor, for rules of 2, 10 and 50 conditions, next to
//! a hand-written Rust check of the same conditions on the same profiles.
//!
//! `cargo bench -p loupe-bench --bench segment_eval`
//!
//! Each iteration evaluates one visitor, cycling through a pool of 256 generated ones
//! (20 attributes each: numbers, strings, booleans, dates):
//! - `mixed`: visitors as generated, some matching and some not, so the `and`s stop
//!   early as often as they would in production;
//! - `matching`: only visitors the rule matches, so every `and` runs to its end (the
//!   expensive side).
//!
//! The hand-written checks do what a programmer would write for one fixed rule: the
//! same binary search of the attribute by id, comparisons with literal (already
//! lower-cased) constants, the date cut-off computed from `now` on each call as the
//! evaluator does, and the same order of conditions so they stop early where the rule
//! does. They are generic closures, so the compiler may inline them into the loop; the
//! evaluator is a call into the `api` crate that walks the rule's tree.

use std::hint::black_box;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use api::domain::segments::eval::{AttrValue, Profile};
use api::domain::segments::rule::Rule;
use loupe_bench::segment_fixtures::{self as fx, bench_now, id, Rng};

const POOL: usize = 256;

fn attr(p: &Profile, id: i64) -> Option<&AttrValue> {
    p.attributes
        .binary_search_by_key(&id, |(a, _)| *a)
        .ok()
        .map(|i| &p.attributes[i].1)
}

#[inline]
fn num(p: &Profile, id: i64, test: impl Fn(f64) -> bool) -> bool {
    matches!(attr(p, id), Some(AttrValue::Number(n)) if test(*n))
}

#[inline]
fn text(p: &Profile, id: i64, test: impl Fn(&str) -> bool) -> bool {
    matches!(attr(p, id), Some(AttrValue::Text { folded, .. }) if test(folded))
}

#[inline]
fn boolean(p: &Profile, id: i64, want: bool) -> bool {
    matches!(attr(p, id), Some(AttrValue::Bool(b)) if *b == want)
}

#[inline]
fn within_days(p: &Profile, id: i64, days: i64, now: DateTime<Utc>) -> bool {
    matches!(attr(p, id), Some(AttrValue::Time(t)) if *t >= now - TimeDelta::days(days) && *t <= now)
}

fn check_2(p: &Profile, _now: DateTime<Utc>) -> bool {
    p.identified && num(p, id::SPEND, |v| v > 100.0) && text(p, id::PLAN, |v| v == "pro")
}

/// Block A of the fixtures with literal thresholds.
#[inline]
#[allow(clippy::too_many_arguments)]
fn block_a(
    p: &Profile,
    now: DateTime<Utc>,
    spend_gt: f64,
    since_days: i64,
    plans: [&str; 2],
    seats_gte: f64,
    email_contains: &str,
    country: &str,
    login_days: i64,
) -> bool {
    num(p, id::SPEND, |v| v > spend_gt)
        && boolean(p, id::IS_TRIAL, false)
        && within_days(p, id::CUSTOMER_SINCE, since_days, now)
        && (text(p, id::PLAN, |v| v == plans[0])
            || text(p, id::PLAN, |v| v == plans[1])
            || num(p, id::SEATS, |v| v >= seats_gte))
        && (text(p, id::EMAIL, |v| v.contains(email_contains))
            || (text(p, id::COUNTRY_CODE, |v| v == country) && boolean(p, id::VERIFIED, true)))
        && within_days(p, id::LAST_LOGIN, login_days, now)
}

/// Block B of the fixtures with literal thresholds.
#[inline]
#[allow(clippy::too_many_arguments)]
fn block_b(
    p: &Profile,
    now: DateTime<Utc>,
    orders_gt: f64,
    purchase_days: i64,
    industry: &str,
    role_contains: &str,
    nps_gte: f64,
    language: &str,
    referrer_contains: &str,
    in_app_days: i64,
) -> bool {
    num(p, id::LIFETIME_ORDERS, |v| v > orders_gt)
        && boolean(p, id::NEWSLETTER, true)
        && within_days(p, id::LAST_PURCHASE, purchase_days, now)
        && (text(p, id::INDUSTRY, |v| v == industry)
            || text(p, id::ROLE, |v| v.contains(role_contains)))
        && (num(p, id::NPS_SCORE, |v| v >= nps_gte)
            || (text(p, id::LANGUAGE, |v| v == language)
                && text(p, id::REFERRER, |v| v.contains(referrer_contains))
                && boolean(p, id::BETA_TESTER, false)))
        && within_days(p, id::LAST_SEEN_IN_APP, in_app_days, now)
}

#[inline]
fn a0(p: &Profile, now: DateTime<Utc>) -> bool {
    block_a(p, now, 100.0, 1200, ["pro", "team"], 10.0, ".com", "fr", 50)
}

fn check_10(p: &Profile, now: DateTime<Utc>) -> bool {
    p.identified && a0(p, now)
}

fn check_50(p: &Profile, now: DateTime<Utc>) -> bool {
    p.identified
        && a0(p, now)
        && (block_b(p, now, 5.0, 300, "saas", "product", 7.0, "en", "google", 21)
            || block_a(
                p,
                now,
                250.0,
                1095,
                ["team", "basic"],
                5.0,
                "@globex",
                "de",
                45,
            ))
        && (block_b(
            p, now, 10.0, 330, "retail", "engineer", 8.0, "fr", "news", 25,
        ) || block_a(
            p,
            now,
            50.0,
            1400,
            ["basic", "pro"],
            20.0,
            "@gmail",
            "us",
            55,
        ))
}

/// `POOL` visitors the rule matches, drawn from the same generator.
fn matching(rule: &Rule, now: DateTime<Utc>) -> Vec<Profile> {
    let mut rng = Rng::new(2);
    let mut out = Vec::with_capacity(POOL);
    let mut n = 0;
    while out.len() < POOL {
        let p = fx::visitor(&mut rng, n, now);
        n += 1;
        if rule.matches(&p, now) {
            out.push(p);
        }
    }
    eprintln!(
        "{} conditions: {POOL} matching visitors out of {n} generated ({:.1} %)",
        rule.conditions,
        100.0 * POOL as f64 / n as f64
    );
    out
}

fn bench_rule(
    c: &mut Criterion,
    json: &serde_json::Value,
    check: impl Fn(&Profile, DateTime<Utc>) -> bool + Copy,
) {
    let now = bench_now();
    let rule = fx::compile(json).expect("the rule compiles");
    let pools = [
        ("mixed", fx::visitors(POOL as u64, 1, now)),
        ("matching", matching(&rule, now)),
    ];
    // The comparison is only fair if both decide the same.
    for (_, pool) in &pools {
        for p in pool {
            assert_eq!(rule.matches(p, now), check(p, now), "visitor {}", p.id);
        }
    }
    let mut group = c.benchmark_group(format!("segment_eval/{}_conditions", rule.conditions));
    for (label, pool) in &pools {
        group.bench_with_input(BenchmarkId::new("rule", label), pool, |b, pool| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % POOL;
                black_box(&rule).matches(black_box(&pool[i]), black_box(now))
            })
        });
        group.bench_with_input(BenchmarkId::new("closure", label), pool, |b, pool| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % POOL;
                check(black_box(&pool[i]), black_box(now))
            })
        });
    }
    group.finish();
}

fn segment_eval(c: &mut Criterion) {
    bench_rule(c, &fx::rule_2(), check_2);
    bench_rule(c, &fx::rule_10(), check_10);
    bench_rule(c, &fx::rule_50(), check_50);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = segment_eval
}
criterion_main!(benches);
