//! Per-question summaries computed in the database with GROUP BY queries: counts per
//! choice, NPS, rating distribution, answered/skipped — never by loading responses.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{answer, answer_choice, response, response_tag, survey};
use sea_orm::sea_query::{Expr, Func, LikeExpr, Query, SimpleExpr, UnionType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, JoinType, QueryFilter, QuerySelect,
    RelationDef, Select,
};

use super::answers::Question;
use super::definition::QuestionType;
use super::facts::Item;
use super::sentiment;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOp {
    /// Text (case-insensitive), number or a selected choice equals the value.
    Equals,
    /// Text, email or "other" text contains the value (case-insensitive).
    Contains,
    Answered,
    Skipped,
}

/// A condition on one question's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerCondition {
    pub question_id: i64,
    pub op: AnswerOp,
    pub value: Option<String>,
}

/// Which responses count. Empty: all of the survey's responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResponseFilter {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub complete_only: bool,
    pub device: Option<String>,
    pub country: Option<String>,
    /// All must hold.
    pub answers: Vec<AnswerCondition>,
    /// Only responses of visitors in a segment.
    pub segment: Option<SegmentChoice>,
    /// Only responses with at least one answer scored with one of these labels.
    pub sentiment: Vec<&'static str>,
    /// Only responses with at least one of these tags.
    pub tags: Vec<String>,
}

pub use crate::domain::segments::SegmentChoice;

impl ResponseFilter {
    /// Checks the filter's segment against the survey's site and compiles its rule.
    pub async fn resolve(mut self, db: &impl ConnectionTrait, site_id: i64) -> AppResult<Self> {
        if let Some(choice) = self.segment.take() {
            self.segment = Some(SegmentChoice::Resolved(choice.resolve(db, site_id).await?));
        }
        Ok(self)
    }
}

fn answered_by(question_id: i64, extra: Option<SimpleExpr>) -> sea_orm::sea_query::SelectStatement {
    let mut q = Query::select();
    q.column(answer::Column::ResponseId)
        .from(answer::Entity)
        .and_where(answer::Column::QuestionId.eq(question_id));
    if let Some(e) = extra {
        q.and_where(e);
    }
    q.to_owned()
}

/// `%value%` with LIKE's wildcards escaped, lower-cased.
fn like_pattern(value: &str) -> LikeExpr {
    let escaped = value
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn lower(col: answer::Column) -> SimpleExpr {
    SimpleExpr::from(Func::lower(Expr::col((answer::Entity, col))))
}

impl AnswerCondition {
    fn expr(&self) -> SimpleExpr {
        let id = response::Column::Id;
        let value = self.value.as_deref().map(str::trim).unwrap_or("");
        match self.op {
            AnswerOp::Answered => id.in_subquery(answered_by(self.question_id, None)),
            // Row by row through `answer(response_id)`: PostgreSQL runs a `NOT IN` over a
            // set larger than `work_mem` as a rescan per response (quadratic).
            AnswerOp::Skipped => {
                let mine = answered_by(
                    self.question_id,
                    Some(
                        Expr::col((answer::Entity, answer::Column::ResponseId))
                            .equals((response::Entity, response::Column::Id)),
                    ),
                );
                Expr::exists(mine).not()
            }
            AnswerOp::Contains => id.in_subquery(answered_by(
                self.question_id,
                Some(
                    Expr::expr(lower(answer::Column::TextValue))
                        .like(like_pattern(value))
                        .or(Expr::expr(lower(answer::Column::OtherText)).like(like_pattern(value))),
                ),
            )),
            AnswerOp::Equals => {
                let mut same =
                    Expr::expr(lower(answer::Column::TextValue)).eq(value.to_lowercase());
                if let Ok(n) = value.parse::<i32>() {
                    same = same.or(answer::Column::NumberValue.eq(n));
                }
                let chosen = Query::select()
                    .column(answer_choice::Column::ResponseId)
                    .from(answer_choice::Entity)
                    .and_where(answer_choice::Column::QuestionId.eq(self.question_id))
                    .and_where(answer_choice::Column::Choice.eq(value))
                    .to_owned();
                // One set (a UNION), not `IN (…) OR IN (…)`: PostgreSQL cannot turn an OR
                // of subqueries into a join, and rescans each per response once a set
                // outgrows `work_mem` (hours over a million responses).
                let mut either = answered_by(self.question_id, Some(same));
                either.union(UnionType::All, chosen);
                id.in_subquery(either)
            }
        }
    }
}

/// `response.facts` contains this text.
fn facts_contain(backend: DbBackend, needle: String) -> SimpleExpr {
    let template = if backend == DbBackend::Postgres {
        "strpos($1, $2)"
    } else {
        "instr(?, ?)"
    };
    let facts = SimpleExpr::from(Expr::col((response::Entity, response::Column::Facts)));
    Expr::expr(Expr::cust_with_exprs(
        template,
        [facts, Expr::value(needle)],
    ))
    .gt(0)
}

/// `response.facts` holds an item equal to `item` (`whole`) or starting with it, found in
/// the JSON text itself: an item is the string right after `[` or `,`, where every
/// encoder writes it as is unless it has a quote, a backslash or a control character
/// (`None` then: the caller keeps the join).
fn fact_item(backend: DbBackend, item: &str, whole: bool) -> Option<SimpleExpr> {
    if item
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        return None;
    }
    let end = if whole { "\"" } else { "" };
    Some(
        facts_contain(backend, format!("[\"{item}{end}"))
            .or(facts_contain(backend, format!(",\"{item}{end}"))),
    )
}

impl AnswerCondition {
    /// The same condition read from `response.facts` where they say it exactly (answered,
    /// skipped, a number, a selected choice); text still goes through the answers, and
    /// only for questions that can have text (`kind` unknown: it may).
    fn fact_expr(&self, backend: DbBackend, kind: Option<QuestionType>) -> SimpleExpr {
        let q = self.question_id;
        let answered = || {
            fact_item(backend, &format!("a:{q}"), true)
                .zip(fact_item(backend, &format!("a:{q}:"), false))
                .map(|(a, b)| a.or(b))
        };
        let value = self.value.as_deref().map(str::trim).unwrap_or("");
        let fast = match self.op {
            AnswerOp::Answered => answered(),
            AnswerOp::Skipped => answered().map(SimpleExpr::not),
            AnswerOp::Contains => None,
            AnswerOp::Equals => {
                fact_item(backend, &format!("c:{q}:{value}"), true).map(|mut same| {
                    if let Ok(n) = value.parse::<i32>() {
                        if let Some(number) = fact_item(backend, &format!("a:{q}:{n}"), true) {
                            same = same.or(number);
                        }
                    }
                    let no_text = kind.is_some_and(|k| {
                        k.is_choice() || k.is_scale() || k == QuestionType::Statement
                    });
                    if !no_text {
                        let text =
                            Expr::expr(lower(answer::Column::TextValue)).eq(value.to_lowercase());
                        same =
                            same.or(response::Column::Id.in_subquery(answered_by(q, Some(text))));
                    }
                    same
                })
            }
        };
        fast.unwrap_or_else(|| self.expr())
    }
}

impl ResponseFilter {
    /// [`ResponseFilter::conditions`] with answer conditions read from `response.facts`
    /// where they can be (see [`AnswerCondition::fact_expr`]); `kinds` gives the type of
    /// the questions it knows.
    pub fn fact_conditions(
        &self,
        backend: DbBackend,
        kinds: &HashMap<i64, QuestionType>,
    ) -> Vec<SimpleExpr> {
        let rest = ResponseFilter {
            answers: vec![],
            ..self.clone()
        };
        let mut c = rest.conditions();
        c.extend(
            self.answers
                .iter()
                .map(|a| a.fact_expr(backend, kinds.get(&a.question_id).copied())),
        );
        c
    }

    pub fn is_empty(&self) -> bool {
        *self == ResponseFilter::default()
    }

    /// Conditions on `response` columns.
    pub fn conditions(&self) -> Vec<SimpleExpr> {
        let mut c = Vec::new();
        if let Some(from) = self.from {
            c.push(response::Column::CreatedAt.gte(from));
        }
        if let Some(to) = self.to {
            c.push(response::Column::CreatedAt.lt(to));
        }
        if self.complete_only {
            c.push(response::Column::IsComplete.eq(true));
        }
        if let Some(d) = &self.device {
            c.push(response::Column::Device.eq(d.to_ascii_lowercase()));
        }
        if let Some(country) = &self.country {
            c.push(response::Column::Country.eq(country.to_ascii_uppercase()));
        }
        c.extend(self.answers.iter().map(AnswerCondition::expr));
        if !self.sentiment.is_empty() {
            let scored = Query::select()
                .column(answer::Column::ResponseId)
                .from(answer::Entity)
                .and_where(answer::Column::SentimentLabel.is_in(self.sentiment.iter().copied()))
                .to_owned();
            c.push(response::Column::Id.in_subquery(scored));
        }
        if !self.tags.is_empty() {
            let tagged = Query::select()
                .column(response_tag::Column::ResponseId)
                .from(response_tag::Entity)
                .and_where(response_tag::Column::Tag.is_in(self.tags.iter().cloned()))
                .to_owned();
            c.push(response::Column::Id.in_subquery(tagged));
        }
        match &self.segment {
            Some(SegmentChoice::Resolved(f)) => c.push(f.expr()),
            // Never silently unfiltered: an unresolved segment keeps nothing.
            Some(_) => c.push(Expr::value(false)),
            None => {}
        }
        c
    }

    pub fn apply<E: EntityTrait>(&self, select: Select<E>) -> Select<E> {
        filter_all(select, self.conditions())
    }

    /// [`ResponseFilter::apply`] with [`ResponseFilter::fact_conditions`].
    pub fn apply_facts<E: EntityTrait>(
        &self,
        select: Select<E>,
        backend: DbBackend,
        kinds: &HashMap<i64, QuestionType>,
    ) -> Select<E> {
        filter_all(select, self.fact_conditions(backend, kinds))
    }
}

fn filter_all<E: EntityTrait>(mut select: Select<E>, conditions: Vec<SimpleExpr>) -> Select<E> {
    for c in conditions {
        select = select.filter(c);
    }
    select
}

#[derive(Debug, Clone, PartialEq)]
pub struct Nps {
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// % promoters − % detractors, from −100 to 100; `None` without answers.
    pub score: Option<f64>,
}

/// NPS from a 0–10 distribution: promoters 9–10, passives 7–8, detractors 0–6.
pub fn nps(distribution: &[(i32, u64)]) -> Nps {
    let sum = |range: std::ops::RangeInclusive<i32>| {
        distribution
            .iter()
            .filter(|(v, _)| range.contains(v))
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    let (promoters, passives, detractors) = (sum(9..=10), sum(7..=8), sum(0..=6));
    let total = promoters + passives + detractors;
    let score = (total > 0).then(|| (promoters as f64 - detractors as f64) * 100.0 / total as f64);
    Nps {
        promoters,
        passives,
        detractors,
        score,
    }
}

#[derive(Debug, Clone)]
pub struct QuestionSummary {
    pub question: Question,
    pub answered: u64,
    pub skipped: u64,
    /// Every offered option with its count (zero included), in option order.
    pub choices: Vec<(String, u64)>,
    pub other: u64,
    /// NPS and RATING: count per value, every value of the scale included.
    pub distribution: Vec<(i32, u64)>,
    pub average: Option<f64>,
    pub nps: Option<Nps>,
    /// Text answers received (text and email questions).
    pub text_answers: Option<u64>,
    /// Scored answers by label and the text answers not scored (SHORT_TEXT, LONG_TEXT).
    pub sentiment: Option<SentimentCounts>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentimentCounts {
    pub positive: u64,
    pub neutral: u64,
    pub negative: u64,
    /// Answered before sentiment was enabled, empty, or still queued.
    pub unscored: u64,
}

#[derive(Debug, Clone)]
pub struct SurveySummary {
    pub responses: u64,
    pub complete: u64,
    pub questions: Vec<QuestionSummary>,
    /// Every text question's sentiment together.
    pub sentiment: SentimentCounts,
    /// Responses per tag, most used first (then by tag).
    pub tags: Vec<(String, u64)>,
}

/// response → answer (declared from the answer side, then reversed).
fn response_answers() -> RelationDef {
    let def: RelationDef = answer::Entity::belongs_to(response::Entity)
        .from(answer::Column::ResponseId)
        .to(response::Column::Id)
        .into();
    def.rev()
}

fn response_tags() -> RelationDef {
    let def: RelationDef = response_tag::Entity::belongs_to(response::Entity)
        .from(response_tag::Column::ResponseId)
        .to(response::Column::Id)
        .into();
    def.rev()
}

fn response_choices() -> RelationDef {
    let def: RelationDef = answer_choice::Entity::belongs_to(response::Entity)
        .from(answer_choice::Column::ResponseId)
        .to(response::Column::Id)
        .into();
    def.rev()
}

/// Additive counts over a set of responses, before they are shaped per question. Both
/// ways of counting ([`raw_counts`], [`fact_counts`]) fill it for the same questions.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    total: u64,
    complete: u64,
    /// (question, number value or none) → answers.
    answers: HashMap<(i64, Option<i32>), u64>,
    /// (question, choice) → selections.
    choices: HashMap<(i64, String), u64>,
    /// question → "other" answers, for questions that allow it.
    other: HashMap<i64, u64>,
    /// (question, label) → scored answers, for text questions.
    labels: HashMap<(i64, String), u64>,
    tags: HashMap<String, u64>,
}

/// Which questions each kind of count is for.
struct Scope {
    ids: Vec<i64>,
    with_other: Vec<i64>,
    text: Vec<i64>,
}

impl Scope {
    fn of(questions: &[Question]) -> Scope {
        let pick = |f: &dyn Fn(&Question) -> bool| {
            questions.iter().filter(|q| f(q)).map(|q| q.id).collect()
        };
        Scope {
            ids: pick(&|_| true),
            with_other: pick(&|q| q.def.config.allow_other),
            text: pick(&|q| crate::domain::surveys::sentiment::applies_to(q.def.kind)),
        }
    }
}

/// Resolves the filter's segment against the survey's site.
async fn resolved(
    db: &impl ConnectionTrait,
    survey_id: i64,
    filter: &ResponseFilter,
) -> AppResult<Option<ResponseFilter>> {
    if filter.segment.is_none() {
        return Ok(None);
    }
    let site_id = survey::Entity::find_by_id(survey_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?
        .site_id;
    Ok(Some(filter.clone().resolve(db, site_id).await?))
}

/// Summary of `questions` (the survey's current ones) over the responses that `filter` keeps.
///
/// Unfiltered, the counts come from covering indexes on `(question_id, …)`. Filtered, the
/// matching responses are grouped by their summary facts (`response.facts`) and the items
/// of each distinct set counted once ([`fact_counts`]): no join from every match to its
/// answers, choices and tags.
pub async fn compute(
    db: &impl ConnectionTrait,
    survey_id: i64,
    questions: Vec<Question>,
    filter: &ResponseFilter,
) -> AppResult<SurveySummary> {
    let resolved = resolved(db, survey_id, filter).await?;
    let filter = resolved.as_ref().unwrap_or(filter);
    let scope = Scope::of(&questions);
    let counts = if filter.is_empty() {
        raw_counts(db, survey_id, &scope, filter).await?
    } else {
        let kinds = questions.iter().map(|q| (q.id, q.def.kind)).collect();
        fact_counts(db, survey_id, &scope, filter, &kinds).await?
    };
    Ok(assemble(questions, counts))
}

/// The same summary counted from the answer, choice and tag rows themselves (joins from
/// every matching response): the reference the facts are checked against.
pub async fn reference(
    db: &impl ConnectionTrait,
    survey_id: i64,
    questions: Vec<Question>,
    filter: &ResponseFilter,
) -> AppResult<SurveySummary> {
    let resolved = resolved(db, survey_id, filter).await?;
    let filter = resolved.as_ref().unwrap_or(filter);
    let scope = Scope::of(&questions);
    let counts = raw_counts(db, survey_id, &scope, filter).await?;
    Ok(assemble(questions, counts))
}

fn filtered(survey_id: i64, filter: &ResponseFilter) -> Select<response::Entity> {
    filter.apply(response::Entity::find().filter(response::Column::SurveyId.eq(survey_id)))
}

fn complete_expr() -> SimpleExpr {
    Expr::case(
        Expr::col((response::Entity, response::Column::IsComplete)).eq(true),
        1,
    )
    .finally(0)
    .into()
}

/// One statement: the matching responses grouped by their facts (materialised), then
/// the totals and every item of every distinct set, weighted by how many responses hold it.
async fn fact_counts(
    db: &impl ConnectionTrait,
    survey_id: i64,
    scope: &Scope,
    filter: &ResponseFilter,
    kinds: &HashMap<i64, QuestionType>,
) -> AppResult<Counts> {
    use sea_orm::{QueryTrait, Statement};
    let backend = db.get_database_backend();
    let inner = filter
        .apply_facts(
            response::Entity::find().filter(response::Column::SurveyId.eq(survey_id)),
            backend,
            kinds,
        )
        .select_only()
        .column(response::Column::Facts)
        .column_as(
            Expr::col((response::Entity, response::Column::Id)).count(),
            "n",
        )
        .column_as(SimpleExpr::from(Func::sum(complete_expr())), "c")
        .group_by(response::Column::Facts)
        .build(backend);
    let sql = match backend {
        DbBackend::Postgres => format!(
            "WITH g AS MATERIALIZED ({}) \
             SELECT NULL::text AS item, SUM(g.n)::bigint AS n, SUM(g.c)::bigint AS c FROM g \
             UNION ALL \
             SELECT j.item, SUM(g.n)::bigint, 0::bigint FROM g \
             CROSS JOIN LATERAL jsonb_array_elements_text(g.facts::jsonb) AS j(item) \
             GROUP BY j.item",
            inner.sql
        ),
        _ => format!(
            "WITH g AS MATERIALIZED ({}) \
             SELECT NULL AS item, CAST(SUM(g.n) AS BIGINT) AS n, CAST(SUM(g.c) AS BIGINT) AS c \
             FROM g \
             UNION ALL \
             SELECT j.value, CAST(SUM(g.n) AS BIGINT), 0 FROM g, json_each(g.facts) AS j \
             GROUP BY j.value",
            inner.sql
        ),
    };
    let rows = db
        .query_all(Statement {
            sql,
            values: inner.values,
            db_backend: backend,
        })
        .await?;
    let mut counts = Counts::default();
    for row in rows {
        let item: Option<String> = row.try_get("", "item")?;
        let n = row.try_get::<Option<i64>>("", "n")?.unwrap_or(0).max(0) as u64;
        let Some(item) = item else {
            counts.total = n;
            counts.complete = row.try_get::<Option<i64>>("", "c")?.unwrap_or(0).max(0) as u64;
            continue;
        };
        match Item::parse(&item) {
            Some(Item::Answer(q, v)) if scope.ids.contains(&q) => {
                *counts.answers.entry((q, v)).or_default() += n;
            }
            Some(Item::Choice(q, c)) if scope.ids.contains(&q) => {
                *counts.choices.entry((q, c.to_owned())).or_default() += n;
            }
            Some(Item::Other(q)) if scope.with_other.contains(&q) => {
                *counts.other.entry(q).or_default() += n;
            }
            Some(Item::Label(q, l)) if scope.text.contains(&q) => {
                *counts.labels.entry((q, l.to_owned())).or_default() += n;
            }
            Some(Item::Tag(t)) => *counts.tags.entry(t.to_owned()).or_default() += n,
            _ => {}
        }
    }
    Ok(counts)
}

/// Counts from the rows: unfiltered from covering indexes on `(question_id, …)`,
/// filtered by joining the matching responses into `(response_id, question_id, …)`.
async fn raw_counts(
    db: &impl ConnectionTrait,
    survey_id: i64,
    scope: &Scope,
    filter: &ResponseFilter,
) -> AppResult<Counts> {
    let ids = &scope.ids;
    let responses = filtered(survey_id, filter);
    let (total, complete): (i64, Option<i64>) = responses
        .clone()
        .select_only()
        .column_as(
            Expr::col((response::Entity, response::Column::Id)).count(),
            "n",
        )
        .column_as(SimpleExpr::from(Func::sum(complete_expr())), "complete")
        .into_tuple()
        .one(db)
        .await?
        .unwrap_or((0, None));
    let mut counts = Counts {
        total: total as u64,
        complete: complete.unwrap_or(0) as u64,
        ..Default::default()
    };

    // (question, value) → answers; value is null for text and choice answers.
    let count = || Expr::col((answer::Entity, answer::Column::QuestionId)).count();
    let rows: Vec<(i64, Option<i32>, i64)> = if filter.is_empty() {
        answer::Entity::find()
            .select_only()
            .column(answer::Column::QuestionId)
            .column(answer::Column::NumberValue)
            .column_as(count(), "n")
            .filter(answer::Column::QuestionId.is_in(ids.clone()))
            .group_by(answer::Column::QuestionId)
            .group_by(answer::Column::NumberValue)
            .into_tuple()
            .all(db)
            .await?
    } else {
        responses
            .clone()
            .select_only()
            .column(answer::Column::QuestionId)
            .column(answer::Column::NumberValue)
            .column_as(count(), "n")
            .join(JoinType::InnerJoin, response_answers())
            .filter(answer::Column::QuestionId.is_in(ids.clone()))
            .group_by(answer::Column::QuestionId)
            .group_by(answer::Column::NumberValue)
            .into_tuple()
            .all(db)
            .await?
    };
    for (q, v, n) in rows {
        counts.answers.insert((q, v), n as u64);
    }

    let choice_count =
        || Expr::col((answer_choice::Entity, answer_choice::Column::QuestionId)).count();
    let choice_rows: Vec<(i64, String, i64)> = if filter.is_empty() {
        answer_choice::Entity::find()
            .select_only()
            .column(answer_choice::Column::QuestionId)
            .column(answer_choice::Column::Choice)
            .column_as(choice_count(), "n")
            .filter(answer_choice::Column::QuestionId.is_in(ids.clone()))
            .group_by(answer_choice::Column::QuestionId)
            .group_by(answer_choice::Column::Choice)
            .into_tuple()
            .all(db)
            .await?
    } else {
        responses
            .clone()
            .select_only()
            .column(answer_choice::Column::QuestionId)
            .column(answer_choice::Column::Choice)
            .column_as(choice_count(), "n")
            .join(JoinType::InnerJoin, response_choices())
            .filter(answer_choice::Column::QuestionId.is_in(ids.clone()))
            .group_by(answer_choice::Column::QuestionId)
            .group_by(answer_choice::Column::Choice)
            .into_tuple()
            .all(db)
            .await?
    };
    for (q, c, n) in choice_rows {
        counts.choices.insert((q, c), n as u64);
    }

    // "Other" answers, only for the questions that offer it.
    if !scope.with_other.is_empty() {
        let other_rows: Vec<(i64, i64)> = responses
            .clone()
            .select_only()
            .column(answer::Column::QuestionId)
            .column_as(count(), "n")
            .join(JoinType::InnerJoin, response_answers())
            .filter(answer::Column::QuestionId.is_in(scope.with_other.clone()))
            .filter(answer::Column::OtherText.is_not_null())
            .group_by(answer::Column::QuestionId)
            .into_tuple()
            .all(db)
            .await?;
        counts.other = other_rows.into_iter().map(|(q, n)| (q, n as u64)).collect();
    }

    // Scored text answers by (question, label).
    if !scope.text.is_empty() {
        let label_count = || Expr::col((answer::Entity, answer::Column::QuestionId)).count();
        let label_rows: Vec<(i64, String, i64)> = responses
            .clone()
            .select_only()
            .column(answer::Column::QuestionId)
            .column(answer::Column::SentimentLabel)
            .column_as(label_count(), "n")
            .join(JoinType::InnerJoin, response_answers())
            .filter(answer::Column::QuestionId.is_in(scope.text.clone()))
            .filter(answer::Column::SentimentLabel.is_not_null())
            .group_by(answer::Column::QuestionId)
            .group_by(answer::Column::SentimentLabel)
            .into_tuple()
            .all(db)
            .await?;
        for (q, l, n) in label_rows {
            counts.labels.insert((q, l), n as u64);
        }
    }

    let tag_count = || Expr::col((response_tag::Entity, response_tag::Column::Tag)).count();
    let tags: Vec<(String, i64)> = responses
        .clone()
        .select_only()
        .column(response_tag::Column::Tag)
        .column_as(tag_count(), "n")
        .join(JoinType::InnerJoin, response_tags())
        .group_by(response_tag::Column::Tag)
        .into_tuple()
        .all(db)
        .await?;
    counts.tags = tags.into_iter().map(|(t, n)| (t, n as u64)).collect();
    Ok(counts)
}

/// Shapes the counts per question: every option and scale value listed (zero included),
/// averages, NPS, skipped, sentiment.
fn assemble(questions: Vec<Question>, mut counts: Counts) -> SurveySummary {
    let total = counts.total;
    let mut by_question: HashMap<i64, Vec<(Option<i32>, u64)>> = HashMap::new();
    for ((q, v), n) in counts.answers.drain() {
        by_question.entry(q).or_default().push((v, n));
    }
    let mut labels: HashMap<i64, SentimentCounts> = HashMap::new();
    for ((qid, label), n) in counts.labels.drain() {
        let c = labels.entry(qid).or_default();
        match sentiment::Label::parse(&label) {
            Some(sentiment::Label::Positive) => c.positive += n,
            Some(sentiment::Label::Neutral) => c.neutral += n,
            _ => c.negative += n,
        }
    }
    let mut overall = SentimentCounts::default();
    let mut choice_counts: HashMap<i64, HashMap<String, u64>> = HashMap::new();
    for ((qid, choice), n) in counts.choices.drain() {
        choice_counts.entry(qid).or_default().insert(choice, n);
    }
    let summaries = questions
        .into_iter()
        .map(|q| {
            let rows = by_question.remove(&q.id).unwrap_or_default();
            let answered: u64 = rows.iter().map(|(_, n)| n).sum();
            // "Other" text sits on choice answers (no number value).
            let other = if rows.iter().any(|(v, _)| v.is_none()) {
                counts.other.get(&q.id).copied().unwrap_or(0)
            } else {
                0
            };
            let mut choices_of = choice_counts.remove(&q.id).unwrap_or_default();
            let choices = if q.def.kind.is_choice() {
                q.def
                    .config
                    .options
                    .iter()
                    .map(|o| (o.clone(), choices_of.remove(o).unwrap_or(0)))
                    .collect()
            } else {
                vec![]
            };
            let (distribution, average) = match q.def.scale() {
                Some((low, high)) => {
                    let dist: Vec<(i32, u64)> = (low..=high)
                        .map(|v| {
                            (
                                v,
                                rows.iter()
                                    .filter(|(x, _)| *x == Some(v))
                                    .map(|(_, n)| n)
                                    .sum(),
                            )
                        })
                        .collect();
                    let n: u64 = dist.iter().map(|(_, n)| n).sum();
                    let avg = (n > 0).then(|| {
                        dist.iter()
                            .map(|(v, c)| f64::from(*v) * *c as f64)
                            .sum::<f64>()
                            / n as f64
                    });
                    (dist, avg)
                }
                None => (vec![], None),
            };
            let nps = (q.def.kind == QuestionType::Nps).then(|| nps(&distribution));
            let text_answers =
                (q.def.kind.is_text() || q.def.kind == QuestionType::Email).then_some(answered);
            let sentiment = crate::domain::surveys::sentiment::applies_to(q.def.kind).then(|| {
                let mut c = labels.remove(&q.id).unwrap_or_default();
                c.unscored = answered.saturating_sub(c.positive + c.neutral + c.negative);
                overall.positive += c.positive;
                overall.neutral += c.neutral;
                overall.negative += c.negative;
                overall.unscored += c.unscored;
                c
            });
            QuestionSummary {
                skipped: if q.def.kind == QuestionType::Statement {
                    0
                } else {
                    total.saturating_sub(answered)
                },
                question: q,
                answered,
                choices,
                other,
                distribution,
                average,
                nps,
                text_answers,
                sentiment,
            }
        })
        .collect();
    let mut tags: Vec<(String, u64)> = counts.tags.into_iter().filter(|(_, n)| *n > 0).collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    SurveySummary {
        responses: total,
        complete: counts.complete,
        questions: summaries,
        sentiment: overall,
        tags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_by_hand() {
        // 5 promoters (9, 10, 10, 9, 9), 2 passives (7, 8), 3 detractors (0, 6, 3): (5 − 3) / 10 = +20.
        let dist = [(0, 1), (3, 1), (6, 1), (7, 1), (8, 1), (9, 3), (10, 2)];
        let n = nps(&dist);
        assert_eq!((n.promoters, n.passives, n.detractors), (5, 2, 3));
        assert_eq!(n.score, Some(20.0));
        assert_eq!(nps(&[(0, 4)]).score, Some(-100.0));
        assert_eq!(nps(&[(10, 1)]).score, Some(100.0));
        assert_eq!(nps(&[]).score, None);
        // 1 promoter, 2 detractors of 3: −33.33…
        let third = nps(&[(9, 1), (1, 2)]).score.expect("score");
        assert!((third + 100.0 / 3.0).abs() < 1e-9);
    }
}
