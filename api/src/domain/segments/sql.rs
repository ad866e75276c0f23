//! The SQL evaluator: turns a checked rule into a condition on `site_user` rows that the
//! database runs with its indexes. Attribute conditions are range scans of the
//! `(attribute_id, value, profile_id)` indexes; interactions go through the profile's
//! visitor links to their responses and answers.
//!
//! Three-valued logic lines up with the in-memory evaluator: an absent value makes a
//! comparison NULL, which a WHERE treats as false, exactly like "never matches an absent
//! value"; rules have no NOT over groups, so a NULL is never turned into true.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{answer, answer_choice, response, site_user, user_attribute, visitor_link};
use sea_orm::sea_query::{Expr, IntoColumnRef, Query, SelectStatement, SimpleExpr, UnionType};
use sea_orm::{ColumnTrait, DbBackend};

use super::rule::{
    AnswerTest, AttrTest, Bound, Check, Leaf, Node, NumTest, Rule, StrTest, TimeTest,
};

impl Rule {
    /// A condition on `site_user` (the table must be in scope under its own name), in
    /// the set form: each subquery is uncorrelated, so the database builds its profile set
    /// once. What a scan of many profiles wants (a count, a summary, a preview).
    pub fn sql(&self, backend: DbBackend, now: DateTime<Utc>) -> SimpleExpr {
        node(
            &self.root,
            Ctx {
                b: backend,
                now,
                row: false,
            },
        )
    }

    /// The same condition in the row form: each subquery is an `EXISTS` correlated on
    /// `site_user.id`, which follows that one profile's index entries (its attributes, its
    /// visitor links and their responses). What a test of a few profiles wants (a page),
    /// where the set form costs the whole set before the first row: SQLite builds an
    /// uncorrelated `IN` subquery in full even when the outer query stops after one row.
    pub fn row_sql(&self, backend: DbBackend, now: DateTime<Utc>) -> SimpleExpr {
        node(
            &self.root,
            Ctx {
                b: backend,
                now,
                row: true,
            },
        )
    }
}

/// How a condition is being built.
#[derive(Clone, Copy)]
struct Ctx {
    b: DbBackend,
    now: DateTime<Utc>,
    /// Correlated `EXISTS` rather than `IN` over a set.
    row: bool,
}

impl Ctx {
    /// `site_user.id IN (q)`, or in the row form `EXISTS (q AND profile = site_user.id)`,
    /// `profile` being the column of `q` that holds a profile id.
    fn of_profile(self, mut q: SelectStatement, profile: impl IntoColumnRef) -> SimpleExpr {
        if self.row {
            q.and_where(Expr::col(profile).equals((site_user::Entity, site_user::Column::Id)));
            Expr::exists(q)
        } else {
            Expr::expr(profile_id()).in_subquery(q)
        }
    }

    /// A leaf's own column, to compare with the leaf's value. In the row form on SQLite it
    /// is written `+column`, which no index serves: the subquery is then driven from the
    /// profile's key. Without statistics SQLite would otherwise start from a leaf index such
    /// as `answer(question_id, number_value)` and read every match once per tested row.
    fn column(self, col: impl IntoColumnRef) -> SimpleExpr {
        if self.row && self.b == DbBackend::Sqlite {
            Expr::cust_with_exprs("+?", [Expr::col(col).into()])
        } else {
            Expr::col(col).into()
        }
    }
}

fn node(n: &Node, c: Ctx) -> SimpleExpr {
    match n {
        Node::And(all) => and(all, c),
        Node::Or(any) => fold(any, c, SimpleExpr::or),
        Node::Leaf(l) => leaf(l, c),
    }
}

fn fold(nodes: &[Node], c: Ctx, join: fn(SimpleExpr, SimpleExpr) -> SimpleExpr) -> SimpleExpr {
    let mut exprs = nodes.iter().map(|n| node(n, c));
    let first = exprs.next().unwrap_or_else(|| Expr::value(true));
    exprs.fold(first, join)
}

/// The rows of `user_attribute` a positive attribute leaf selects, if it is one.
fn positive_attribute(n: &Node, c: Ctx) -> Option<SelectStatement> {
    match n {
        Node::Leaf(Leaf::Attr {
            id,
            check: Check::IsSet,
        }) => Some(attribute_rows(*id, None)),
        Node::Leaf(Leaf::Attr {
            id,
            check: Check::Is(t),
        }) => Some(attribute_rows(*id, Some(attr_test(t, c)))),
        _ => None,
    }
}

/// AND: in the set form the positive attribute conditions become one `INTERSECT` of
/// index scans, so the database intersects sorted profile ids whatever its row estimates;
/// the rest are combined as usual. The row form tests each condition on the profile.
fn and(nodes: &[Node], c: Ctx) -> SimpleExpr {
    let (attrs, rest): (Vec<&Node>, Vec<&Node>) = nodes
        .iter()
        .partition(|n| positive_attribute(n, c).is_some());
    if c.row || attrs.len() < 2 {
        return fold(nodes, c, SimpleExpr::and);
    }
    let mut scans = attrs.iter().filter_map(|n| positive_attribute(n, c));
    let Some(mut first) = scans.next() else {
        return fold(nodes, c, SimpleExpr::and);
    };
    for s in scans {
        first.union(UnionType::Intersect, s);
    }
    let identified = Expr::col((site_user::Entity, site_user::Column::UserId)).is_not_null();
    let mut expr = identified.and(Expr::expr(profile_id()).in_subquery(first));
    for n in rest {
        expr = expr.and(node(n, c));
    }
    expr
}

fn attr_test(t: &AttrTest, c: Ctx) -> SimpleExpr {
    match t {
        AttrTest::Str(t) => string(t, user_attribute::Column::ValueFolded, c.b),
        AttrTest::Num(t) => num(t, user_attribute::Column::ValueNumber),
        AttrTest::Bool(v) => user_attribute::Column::ValueBool.eq(*v),
        AttrTest::Time(t) => time(t, user_attribute::Column::ValueTime, c.now),
    }
}

fn profile_id() -> SimpleExpr {
    Expr::col((site_user::Entity, site_user::Column::Id)).into()
}

fn attribute_rows(id: i64, test: Option<SimpleExpr>) -> SelectStatement {
    let mut q = Query::select();
    q.column((user_attribute::Entity, user_attribute::Column::ProfileId))
        .from(user_attribute::Entity)
        .and_where(user_attribute::Column::AttributeId.eq(id));
    if let Some(t) = test {
        q.and_where(t);
    }
    q.to_owned()
}

fn leaf(l: &Leaf, c: Ctx) -> SimpleExpr {
    let (b, now) = (c.b, c.now);
    let attribute_profile = (user_attribute::Entity, user_attribute::Column::ProfileId);
    let link_profile = (visitor_link::Entity, visitor_link::Column::ProfileId);
    match l {
        Leaf::Attr { id, check } => {
            let identified =
                Expr::col((site_user::Entity, site_user::Column::UserId)).is_not_null();
            let cond = match check {
                Check::IsSet => c.of_profile(attribute_rows(*id, None), attribute_profile),
                // The profile columns are never NULL, so this is `NOT IN` / `NOT EXISTS`.
                Check::IsNotSet => c
                    .of_profile(attribute_rows(*id, None), attribute_profile)
                    .not(),
                Check::Is(t) => c.of_profile(
                    attribute_rows(*id, Some(attr_test(t, c))),
                    attribute_profile,
                ),
            };
            identified.and(cond)
        }
        Leaf::Device(check) => fact(check, site_user::Column::Device, b),
        Leaf::Country(check) => fact(check, site_user::Column::Country, b),
        Leaf::FirstSeen(t) => time(t, (site_user::Entity, site_user::Column::FirstSeen), now),
        Leaf::LastSeen(t) => time(t, (site_user::Entity, site_user::Column::LastSeen), now),
        Leaf::Sessions(t) => num(t, (site_user::Entity, site_user::Column::Sessions)),
        Leaf::Responded {
            survey_id,
            within_days,
        } => {
            let mut q = responses_of_profiles();
            q.and_where(Expr::col((response::Entity, response::Column::IsComplete)).eq(true));
            if let Some(s) = survey_id {
                q.and_where(
                    Expr::expr(c.column((response::Entity, response::Column::SurveyId))).eq(*s),
                );
            }
            if let Some(d) = within_days {
                q.and_where(
                    Expr::col((response::Entity, response::Column::CreatedAt))
                        .gte(now - TimeDelta::days(*d)),
                );
            }
            c.of_profile(q, link_profile)
        }
        Leaf::Answer { question_id, test } => {
            let mut q = responses_of_profiles();
            if let AnswerTest::Choice(values) = test {
                q.inner_join(
                    answer_choice::Entity,
                    Expr::col((answer_choice::Entity, answer_choice::Column::ResponseId))
                        .equals((response::Entity, response::Column::Id)),
                )
                .and_where(
                    Expr::expr(
                        c.column((answer_choice::Entity, answer_choice::Column::QuestionId)),
                    )
                    .eq(*question_id),
                )
                .and_where(
                    Expr::col((answer_choice::Entity, answer_choice::Column::Choice))
                        .is_in(values.iter().cloned()),
                );
                return c.of_profile(q, link_profile);
            }
            join_answers(&mut q);
            q.and_where(
                Expr::expr(c.column((answer::Entity, answer::Column::QuestionId))).eq(*question_id),
            );
            let text = (answer::Entity, answer::Column::TextValue);
            match test {
                AnswerTest::Answered | AnswerTest::Choice(_) => {}
                AnswerTest::Num(t) => {
                    q.and_where(num(t, (answer::Entity, answer::Column::NumberValue)));
                }
                AnswerTest::TextEquals(x) => {
                    q.and_where(Expr::col(text).eq(x.clone()));
                }
                AnswerTest::TextContains(x) => {
                    q.and_where(string(&StrTest::Contains(x.clone()), text, b));
                }
            }
            c.of_profile(q, link_profile)
        }
        Leaf::Sentiment { question_id, label } => {
            let mut q = responses_of_profiles();
            join_answers(&mut q);
            if let Some(id) = question_id {
                q.and_where(
                    Expr::expr(c.column((answer::Entity, answer::Column::QuestionId))).eq(*id),
                );
            }
            q.and_where(
                Expr::col((answer::Entity, answer::Column::SentimentLabel)).eq(label.clone()),
            );
            c.of_profile(q, link_profile)
        }
    }
}

/// `SELECT visitor_link.profile_id FROM visitor_link JOIN response ON (same site and visitor)`.
fn responses_of_profiles() -> SelectStatement {
    Query::select()
        .column((visitor_link::Entity, visitor_link::Column::ProfileId))
        .from(visitor_link::Entity)
        .inner_join(
            response::Entity,
            Expr::col((response::Entity, response::Column::SiteId))
                .equals((visitor_link::Entity, visitor_link::Column::SiteId))
                .and(
                    Expr::col((response::Entity, response::Column::VisitorId))
                        .equals((visitor_link::Entity, visitor_link::Column::VisitorId)),
                ),
        )
        .to_owned()
}

fn join_answers(q: &mut SelectStatement) {
    q.inner_join(
        answer::Entity,
        Expr::col((answer::Entity, answer::Column::ResponseId))
            .equals((response::Entity, response::Column::Id)),
    );
}

fn fact(c: &Check<StrTest>, col: site_user::Column, b: DbBackend) -> SimpleExpr {
    let col = (site_user::Entity, col);
    match c {
        Check::IsSet => Expr::col(col).is_not_null(),
        Check::IsNotSet => Expr::col(col).is_null(),
        Check::Is(t) => string(t, col, b),
    }
}

/// A string test on a column holding folded (or normalised) text.
fn string(t: &StrTest, col: impl IntoColumnRef + Clone, b: DbBackend) -> SimpleExpr {
    let c = || SimpleExpr::from(Expr::col(col.clone()));
    let pg = b == DbBackend::Postgres;
    // Character-based, case-sensitive functions that behave the same on both databases
    // (LIKE does not: it folds ASCII case on SQLite only, and needs escaping).
    let position = |x: &str| {
        let template = if pg { "strpos($1, $2)" } else { "instr(?, ?)" };
        Expr::cust_with_exprs(template, [c(), Expr::value(x.to_owned())])
    };
    match t {
        StrTest::Eq(x) => Expr::expr(c()).eq(x.clone()),
        StrTest::Ne(x) => Expr::expr(c()).ne(x.clone()),
        StrTest::In(xs) => Expr::expr(c()).is_in(xs.iter().cloned()),
        StrTest::NotIn(xs) => Expr::expr(c()).is_not_in(xs.iter().cloned()),
        StrTest::Contains(x) => Expr::expr(position(x)).gt(0),
        StrTest::NotContains(x) => Expr::expr(position(x)).eq(0),
        StrTest::StartsWith(x) => {
            let n = x.chars().count() as i32;
            let template = if pg {
                "substr($1, 1, $2)"
            } else {
                "substr(?, 1, ?)"
            };
            Expr::expr(Expr::cust_with_exprs(template, [c(), Expr::value(n)])).eq(x.clone())
        }
        StrTest::EndsWith(x) => {
            let n = x.chars().count() as i32;
            let tail = if pg {
                Expr::cust_with_exprs("right($1, $2)", [c(), Expr::value(n)])
            } else {
                Expr::cust_with_exprs("substr(?, ?)", [c(), Expr::value(-n)])
            };
            Expr::expr(tail).eq(x.clone())
        }
    }
}

fn num(t: &NumTest, col: impl IntoColumnRef) -> SimpleExpr {
    let c = Expr::col(col);
    match *t {
        NumTest::Eq(x) => c.eq(x),
        NumTest::Ne(x) => c.ne(x),
        NumTest::Gt(x) => c.gt(x),
        NumTest::Gte(x) => c.gte(x),
        NumTest::Lt(x) => c.lt(x),
        NumTest::Lte(x) => c.lte(x),
        NumTest::Between(lo, hi) => c.between(lo, hi),
    }
}

fn bound(col: impl IntoColumnRef + Clone, b: Bound, lower: bool) -> Option<SimpleExpr> {
    let (t, incl) = b?;
    let c = Expr::col(col);
    Some(match (lower, incl) {
        (true, true) => c.gte(t),
        (true, false) => c.gt(t),
        (false, true) => c.lte(t),
        (false, false) => c.lt(t),
    })
}

fn time(t: &TimeTest, col: impl IntoColumnRef + Clone, now: DateTime<Utc>) -> SimpleExpr {
    let (lo, hi) = t.bounds(now);
    match (bound(col.clone(), lo, true), bound(col, hi, false)) {
        (Some(a), Some(b)) => a.and(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => Expr::value(true),
    }
}
