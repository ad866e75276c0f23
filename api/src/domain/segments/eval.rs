//! The in-memory evaluator: decides whether one visitor's profile matches a rule while
//! `/widgets` is served. It walks the checked tree and allocates nothing.

use chrono::{DateTime, TimeDelta, Utc};

pub use crate::domain::people::attributes::AttrValue;

use super::rule::{
    AnswerTest, AttrTest, Bound, Check, Leaf, Node, NumTest, Rule, StrTest, TimeTest,
};

/// One response of the profile's visitors.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseFact {
    pub survey_id: i64,
    pub at: DateTime<Utc>,
    pub complete: bool,
}

/// One answer of the profile's visitors, to a question a rule refers to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnswerFact {
    pub question_id: i64,
    pub number: Option<i32>,
    pub text: Option<String>,
    pub choices: Vec<String>,
    pub sentiment: Option<String>,
}

/// What is known of one visitor: their profile (identified user or anonymous), visit
/// facts, attributes and — when a rule needs them — survey interactions.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub id: i64,
    /// An identified user (`user_id` set); anonymous visitors never match attribute
    /// conditions.
    pub identified: bool,
    pub device: Option<String>,
    pub country: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub sessions: i64,
    /// Sorted by attribute id.
    pub attributes: Vec<(i64, AttrValue)>,
    pub responses: Vec<ResponseFact>,
    pub answers: Vec<AnswerFact>,
}

impl Profile {
    fn attribute(&self, id: i64) -> Option<&AttrValue> {
        self.attributes
            .binary_search_by_key(&id, |(a, _)| *a)
            .ok()
            .map(|i| &self.attributes[i].1)
    }
}

impl Rule {
    /// Whether `p` matches the rule at `now`.
    pub fn matches(&self, p: &Profile, now: DateTime<Utc>) -> bool {
        node(&self.root, p, now)
    }
}

fn node(n: &Node, p: &Profile, now: DateTime<Utc>) -> bool {
    match n {
        Node::And(all) => all.iter().all(|n| node(n, p, now)),
        Node::Or(any) => any.iter().any(|n| node(n, p, now)),
        Node::Leaf(l) => leaf(l, p, now),
    }
}

fn leaf(l: &Leaf, p: &Profile, now: DateTime<Utc>) -> bool {
    match l {
        Leaf::Attr { id, check } => {
            if !p.identified {
                return false;
            }
            match (check, p.attribute(*id)) {
                (Check::IsSet, v) => v.is_some(),
                (Check::IsNotSet, v) => v.is_none(),
                (Check::Is(_), None) => false,
                (Check::Is(t), Some(v)) => attr(t, v, now),
            }
        }
        Leaf::Device(c) => fact(c, p.device.as_deref()),
        Leaf::Country(c) => fact(c, p.country.as_deref()),
        Leaf::FirstSeen(t) => time(t, p.first_seen, now),
        Leaf::LastSeen(t) => time(t, p.last_seen, now),
        // Sessions are counted exactly; an i64 of realistic size converts exactly.
        Leaf::Sessions(t) => num(t, p.sessions as f64),
        Leaf::Responded {
            survey_id,
            within_days,
        } => p.responses.iter().any(|r| {
            r.complete
                && survey_id.is_none_or(|s| s == r.survey_id)
                && within_days.is_none_or(|d| r.at >= now - TimeDelta::days(d))
        }),
        Leaf::Answer { question_id, test } => p
            .answers
            .iter()
            .any(|a| a.question_id == *question_id && answer(test, a)),
        Leaf::Sentiment { question_id, label } => p.answers.iter().any(|a| {
            question_id.is_none_or(|q| q == a.question_id)
                && a.sentiment.as_deref() == Some(label.as_str())
        }),
    }
}

fn fact(c: &Check<StrTest>, v: Option<&str>) -> bool {
    match (c, v) {
        (Check::IsSet, v) => v.is_some(),
        (Check::IsNotSet, v) => v.is_none(),
        (Check::Is(_), None) => false,
        (Check::Is(t), Some(v)) => string(t, v),
    }
}

fn attr(t: &AttrTest, v: &AttrValue, now: DateTime<Utc>) -> bool {
    match (t, v) {
        (AttrTest::Str(t), AttrValue::Text { folded, .. }) => string(t, folded),
        (AttrTest::Num(t), AttrValue::Number(n)) => num(t, *n),
        (AttrTest::Bool(b), AttrValue::Bool(v)) => b == v,
        (AttrTest::Time(t), AttrValue::Time(v)) => time(t, *v, now),
        // A value of another type cannot exist for a checked attribute.
        _ => false,
    }
}

pub(crate) fn string(t: &StrTest, v: &str) -> bool {
    match t {
        StrTest::Eq(x) => v == x,
        StrTest::Ne(x) => v != x,
        StrTest::Contains(x) => v.contains(x.as_str()),
        StrTest::NotContains(x) => !v.contains(x.as_str()),
        StrTest::StartsWith(x) => v.starts_with(x.as_str()),
        StrTest::EndsWith(x) => v.ends_with(x.as_str()),
        StrTest::In(xs) => xs.iter().any(|x| x == v),
        StrTest::NotIn(xs) => !xs.iter().any(|x| x == v),
    }
}

pub(crate) fn num(t: &NumTest, v: f64) -> bool {
    match *t {
        NumTest::Eq(x) => v == x,
        NumTest::Ne(x) => v != x,
        NumTest::Gt(x) => v > x,
        NumTest::Gte(x) => v >= x,
        NumTest::Lt(x) => v < x,
        NumTest::Lte(x) => v <= x,
        NumTest::Between(lo, hi) => lo <= v && v <= hi,
    }
}

fn within(v: DateTime<Utc>, lo: Bound, hi: Bound) -> bool {
    lo.is_none_or(|(t, incl)| if incl { v >= t } else { v > t })
        && hi.is_none_or(|(t, incl)| if incl { v <= t } else { v < t })
}

fn time(t: &TimeTest, v: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let (lo, hi) = t.bounds(now);
    within(v, lo, hi)
}

fn answer(t: &AnswerTest, a: &AnswerFact) -> bool {
    match t {
        AnswerTest::Answered => true,
        AnswerTest::Num(t) => a.number.is_some_and(|n| num(t, f64::from(n))),
        AnswerTest::Choice(xs) => a.choices.iter().any(|c| xs.contains(c)),
        AnswerTest::TextEquals(x) => a.text.as_deref() == Some(x.as_str()),
        AnswerTest::TextContains(x) => a.text.as_deref().is_some_and(|t| t.contains(x.as_str())),
    }
}
