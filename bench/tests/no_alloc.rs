//! The in-memory segment evaluator allocates nothing: `/widgets` runs it for every
//! targeted survey of every visitor. A counting global allocator counts the calls made by
//! the evaluating thread (a per-thread count, so other test threads cannot disturb it).
#![allow(clippy::expect_used)] // tests: a failed expectation is the report

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use chrono::TimeDelta;
use serde_json::json;

use api::domain::segments::eval::{AnswerFact, Profile, ResponseFact};
use api::domain::segments::rule::{self, Rule};
use api::domain::surveys::definition::QuestionType;
use loupe_bench::segment_fixtures::{self as fx, bench_now, visitors};

thread_local! {
    // Const-initialised and without a destructor: touching it never allocates.
    static CALLS: Cell<u64> = const { Cell::new(0) };
}

struct Counting;

fn count() {
    let _ = CALLS.try_with(|c| c.set(c.get() + 1));
}

// The only unsafe code of the crate: `GlobalAlloc` is an unsafe trait. Every call is
// counted and passed on to the system allocator unchanged.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        System.alloc_zeroed(layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count();
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocator calls (allocations, reallocations and frees) made by this thread in `f`.
fn calls_in(f: impl FnOnce()) -> u64 {
    let before = CALLS.with(Cell::get);
    f();
    CALLS.with(Cell::get) - before
}

const ROUNDS: usize = 20;

/// Evaluates `rule` on every profile `ROUNDS` times; returns (allocator calls, matches).
fn evaluate(rule: &Rule, profiles: &[Profile]) -> (u64, usize) {
    let now = bench_now();
    let mut matched = 0;
    let calls = calls_in(|| {
        for _ in 0..ROUNDS {
            for p in profiles {
                if black_box(rule).matches(black_box(p), black_box(now)) {
                    matched += 1;
                }
            }
        }
    });
    (calls, matched / ROUNDS)
}

#[test]
fn the_counter_sees_allocations() {
    let calls = calls_in(|| {
        black_box(vec![1u8; 16]);
    });
    assert_eq!(calls, 2, "one allocation and one free");
}

#[test]
fn benchmarked_rules_evaluate_without_allocating() {
    let profiles = visitors(500, 7, bench_now());
    for (conditions, json) in fx::rules() {
        let rule = fx::compile(&json).expect("the rule compiles");
        assert_eq!(rule.conditions, conditions);
        let (calls, matched) = evaluate(&rule, &profiles);
        assert_eq!(
            calls, 0,
            "{conditions} conditions: allocator calls while evaluating"
        );
        // Both outcomes occur, so both the short-circuit and the full paths ran.
        assert!(
            0 < matched && matched < profiles.len(),
            "{conditions} conditions: {matched} of {} matched",
            profiles.len()
        );
    }
}

/// Every leaf kind and operator, including visit facts and survey interactions.
#[test]
fn every_operator_evaluates_without_allocating() {
    let mut catalog = fx::catalog();
    catalog.questions.insert(90, (QuestionType::Nps, vec![]));
    catalog.questions.insert(
        91,
        (
            QuestionType::MultipleChoice,
            vec!["Price".into(), "Speed".into()],
        ),
    );
    catalog
        .questions
        .insert(92, (QuestionType::LongText, vec![]));
    catalog
        .questions
        .insert(93, (QuestionType::ShortText, vec![]));
    catalog.surveys = vec![70, 71];
    let a = |attribute: &str, operator: &str, value: serde_json::Value| json!({"attribute": attribute, "operator": operator, "value": value});
    let set =
        |attribute: &str, operator: &str| json!({"attribute": attribute, "operator": operator});
    let visit = |fact: &str, operator: &str, value: serde_json::Value| json!({"visit": fact, "operator": operator, "value": value});
    // Each group is an OR whose conditions fail until one near the end, which every
    // visitor passes (in the last group: half of them), so every condition runs.
    let groups = json!({"and": [
        {"or": [
            a("plan", "EQUALS", json!("enterprise")),
            a("plan", "NOT_EQUALS", json!("pro")),
            a("email", "CONTAINS", json!("@nowhere")),
            a("email", "NOT_CONTAINS", json!("@")),
            a("company", "STARTS_WITH", json!("zz")),
            a("company", "ENDS_WITH", json!("zz")),
            a("country_code", "IN", json!(["JP", "KR"])),
            a("country_code", "NOT_IN", json!(["JP", "KR"])),
        ]},
        {"or": [
            a("spend", "EQ", json!(-1)),
            a("spend", "LT", json!(-1)),
            a("spend", "LTE", json!(-1)),
            a("spend", "GTE", json!(1e9)),
            a("spend", "BETWEEN", json!([-2, -1])),
            a("spend", "NEQ", json!(-1)),
        ]},
        {"or": [
            set("is_trial", "IS_NOT_SET"),
            set("beta_tester", "IS_TRUE"),
            set("newsletter", "IS_FALSE"),
            set("is_trial", "IS_SET"),
        ]},
        {"or": [
            a("customer_since", "BEFORE", json!("2000-01-01")),
            a("customer_since", "AFTER", json!("2100-01-01T00:00:00Z")),
            a("customer_since", "BETWEEN", json!(["2000-01-01", "2000-12-31"])),
            a("customer_since", "MORE_THAN_DAYS_AGO", json!(36_000)),
            a("customer_since", "WITHIN_LAST_DAYS", json!(36_000)),
        ]},
        {"or": [
            visit("COUNTRY", "EQUALS", json!("JP")),
            {"visit": "COUNTRY", "operator": "IS_NOT_SET"},
            visit("FIRST_SEEN", "BEFORE", json!("2000-01-01")),
            visit("LAST_SEEN", "MORE_THAN_DAYS_AGO", json!(36_000)),
            visit("SESSIONS", "GT", json!(1000)),
            visit("DEVICE", "IN", json!(["tablet"])),
            visit("DEVICE", "NOT_EQUALS", json!("tablet")),
        ]},
        {"or": [
            {"responded": {"survey_id": 71, "within_days": 1}},
            {"answer": {"question_id": 90, "operator": "LTE", "value": 6}},
            {"answer": {"question_id": 91, "operator": "IN", "value": ["Speed"]}},
            {"answer": {"question_id": 92, "operator": "EQUALS", "value": "nope"}},
            {"answer": {"question_id": 92, "operator": "CONTAINS", "value": "nope"}},
            {"answer": {"question_id": 93, "operator": "ANSWERED"}},
            {"sentiment": {"question_id": 92, "value": "NEGATIVE"}},
            {"sentiment": {"value": "NEUTRAL"}},
            {"responded": {"survey_id": 70}},
        ]},
    ]});
    let rule = rule::compile(&groups, &catalog, "rule").expect("the rule compiles");
    let now = bench_now();
    let mut profiles = visitors(100, 11, now);
    for (i, p) in profiles.iter_mut().enumerate() {
        p.responses = vec![ResponseFact {
            survey_id: 70,
            at: now - TimeDelta::days(3),
            complete: i % 2 == 0,
        }];
        p.answers = vec![
            AnswerFact {
                question_id: 90,
                number: Some(9),
                ..Default::default()
            },
            AnswerFact {
                question_id: 91,
                choices: vec!["Price".into()],
                ..Default::default()
            },
            AnswerFact {
                question_id: 92,
                text: Some("Too slow on mobile".into()),
                sentiment: Some("POSITIVE".into()),
                ..Default::default()
            },
        ];
    }
    let (calls, matched) = evaluate(&rule, &profiles);
    assert_eq!(calls, 0, "allocator calls while evaluating");
    // Half the visitors have a complete response to survey 70; the rest match nothing in
    // the last group.
    assert_eq!(matched, profiles.len() / 2);
}
