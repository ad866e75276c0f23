//! Filtered survey summaries are counted from each response's summary facts
//! (`response.facts`); they must equal the summary counted from the answer, choice and tag
//! rows themselves (`summary::reference`) for every filter kind, after every kind of write
//! that changes what a response counts for — new responses, partial ones completed,
//! sentiment labels, tags added and removed — and after deletes. The responses list with
//! the same filters (answers read from the facts, segments checked row by row for a page)
//! lists exactly what the joins keep.

use api::domain::pagination::PageArgs;
use api::domain::surveys::responses;
use api::domain::surveys::sentiment;
use api::domain::surveys::store;
use api::domain::surveys::summary::{
    compute, reference, AnswerCondition, AnswerOp, ResponseFilter, SegmentChoice,
};
use chrono::{TimeDelta, Utc};
use entity::response;
use reqwest::StatusCode;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement, TransactionTrait,
};
use serde_json::{json, Value};

use crate::helpers::TestApp;

const TAG: &str =
    "mutation($id: ID!, $tags: [String!]!) { tagResponse(id: $id, tags: $tags) { id } }";
const UNTAG: &str =
    "mutation($id: ID!, $tags: [String!]!) { untagResponse(id: $id, tags: $tags) { id } }";
const MOBILE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1";
const DESKTOP: &str = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

async fn post(app: &TestApp, survey: &str, ua: &str, body: Value) -> Value {
    let resp = app
        .http
        .post(app.url(&format!("/v1/sites/1/surveys/{survey}/responses")))
        .header("User-Agent", ua)
        .json(&body)
        .send()
        .await
        .expect("respond");
    assert_eq!(resp.status(), StatusCode::CREATED);
    resp.json().await.expect("json")
}

fn cond(question_id: i64, op: AnswerOp, value: Option<&str>) -> AnswerCondition {
    AnswerCondition {
        question_id,
        op,
        value: value.map(str::to_owned),
    }
}

fn filters(q: &[i64]) -> Vec<(&'static str, ResponseFilter)> {
    let f = ResponseFilter::default;
    let now = Utc::now();
    vec![
        ("none", f()),
        (
            "device",
            ResponseFilter {
                device: Some("mobile".into()),
                ..f()
            },
        ),
        (
            "device none",
            ResponseFilter {
                device: Some("tv".into()),
                ..f()
            },
        ),
        (
            "complete",
            ResponseFilter {
                complete_only: true,
                ..f()
            },
        ),
        (
            "country",
            ResponseFilter {
                country: Some("fr".into()),
                ..f()
            },
        ),
        (
            "date",
            ResponseFilter {
                from: Some(now - TimeDelta::hours(1)),
                to: Some(now + TimeDelta::hours(1)),
                ..f()
            },
        ),
        (
            "date none",
            ResponseFilter {
                to: Some(now - TimeDelta::days(1)),
                ..f()
            },
        ),
        (
            "nps = 9",
            ResponseFilter {
                answers: vec![cond(q[0], AnswerOp::Equals, Some("9"))],
                ..f()
            },
        ),
        (
            "plan = Pro",
            ResponseFilter {
                answers: vec![cond(q[1], AnswerOp::Equals, Some("Pro"))],
                ..f()
            },
        ),
        (
            "pick = Speed",
            ResponseFilter {
                answers: vec![cond(q[2], AnswerOp::Equals, Some("Speed"))],
                ..f()
            },
        ),
        (
            "text contains",
            ResponseFilter {
                answers: vec![cond(q[4], AnswerOp::Contains, Some("SLOW"))],
                ..f()
            },
        ),
        (
            "other contains",
            ResponseFilter {
                answers: vec![cond(q[1], AnswerOp::Contains, Some("ent"))],
                ..f()
            },
        ),
        (
            "text equals, other case",
            ResponseFilter {
                answers: vec![cond(q[4], AnswerOp::Equals, Some(" GREAT "))],
                ..f()
            },
        ),
        (
            "choice with a quote (read through the answers)",
            ResponseFilter {
                answers: vec![cond(q[1], AnswerOp::Equals, Some("Pro\"s"))],
                ..f()
            },
        ),
        (
            "number on a choice question",
            ResponseFilter {
                answers: vec![cond(q[1], AnswerOp::Equals, Some("3"))],
                ..f()
            },
        ),
        (
            "nps skipped",
            ResponseFilter {
                answers: vec![cond(q[0], AnswerOp::Skipped, None)],
                ..f()
            },
        ),
        (
            "archived or foreign question",
            ResponseFilter {
                answers: vec![cond(q[4] + 1000, AnswerOp::Equals, Some("great"))],
                ..f()
            },
        ),
        (
            "segment: profile attribute",
            ResponseFilter {
                segment: Some(SegmentChoice::Inline(
                    json!({"attribute": "plan", "operator": "EQUALS", "value": "pro"}),
                )),
                ..f()
            },
        ),
        (
            "segment: attribute or detractor, + answer",
            ResponseFilter {
                answers: vec![cond(q[2], AnswerOp::Equals, Some("Price"))],
                segment: Some(SegmentChoice::Inline(json!({"or": [
                    {"attribute": "plan", "operator": "EQUALS", "value": "team"},
                    {"answer": {"question_id": q[0], "operator": "LTE", "value": 6}}
                ]}))),
                ..f()
            },
        ),
        (
            "rating answered",
            ResponseFilter {
                answers: vec![cond(q[3], AnswerOp::Answered, None)],
                ..f()
            },
        ),
        (
            "rating skipped",
            ResponseFilter {
                answers: vec![cond(q[3], AnswerOp::Skipped, None)],
                ..f()
            },
        ),
        (
            "two answers + device",
            ResponseFilter {
                device: Some("desktop".into()),
                answers: vec![
                    cond(q[3], AnswerOp::Answered, None),
                    cond(q[1], AnswerOp::Equals, Some("Basic")),
                ],
                ..f()
            },
        ),
        (
            "sentiment",
            ResponseFilter {
                sentiment: vec!["POSITIVE", "NEGATIVE"],
                ..f()
            },
        ),
        (
            "tags",
            ResponseFilter {
                tags: vec!["vip".into(), "bug".into()],
                ..f()
            },
        ),
        (
            "segment: detractors",
            ResponseFilter {
                segment: Some(SegmentChoice::Inline(
                    json!({"answer": {"question_id": q[0], "operator": "LTE", "value": 6}}),
                )),
                ..f()
            },
        ),
        (
            // Two attribute leaves (an INTERSECT in the set form), an answer and a response
            // leaf: the page's row form tests each on the profile's own rows.
            "segment: attributes, answer and responded",
            ResponseFilter {
                segment: Some(SegmentChoice::Inline(json!({"and": [
                    {"attribute": "plan", "operator": "IS_SET"},
                    {"attribute": "plan", "operator": "NOT_EQUALS", "value": "basic"},
                    {"answer": {"question_id": q[3], "operator": "GTE", "value": 2}},
                    {"responded": {"within_days": 30}}
                ]}))),
                ..f()
            },
        ),
        (
            // A negated attribute leaf (NOT IN / NOT EXISTS), a sentiment leaf, a choice.
            "segment: attribute not set, sentiment or a choice",
            ResponseFilter {
                segment: Some(SegmentChoice::Inline(json!({"or": [
                    {"attribute": "plan", "operator": "IS_NOT_SET"},
                    {"and": [
                        {"attribute": "plan", "operator": "IN", "value": ["pro", "team"]},
                        {"sentiment": {"value": "NEGATIVE"}}
                    ]},
                    {"answer": {"question_id": q[1], "operator": "IN", "value": ["Basic"]}}
                ]}))),
                ..f()
            },
        ),
        (
            "segment + device",
            ResponseFilter {
                device: Some("mobile".into()),
                segment: Some(SegmentChoice::Inline(
                    json!({"answer": {"question_id": q[1], "operator": "IN", "value": ["Pro", "Team"]}}),
                )),
                ..f()
            },
        ),
    ]
}

/// Every filter: the facts' summary equals the reference, field by field.
async fn check_all(db: &DatabaseConnection, survey_id: i64, q: &[i64], when: &str) -> u64 {
    let questions: Vec<_> = store::questions(db, survey_id)
        .await
        .expect("questions")
        .iter()
        .map(|m| store::to_question(m).expect("question"))
        .collect();
    let mut all = 0;
    for (name, filter) in filters(q) {
        let fast = compute(db, survey_id, questions.clone(), &filter)
            .await
            .expect("compute");
        let slow = reference(db, survey_id, questions.clone(), &filter)
            .await
            .expect("reference");
        assert_eq!(
            format!("{fast:?}"),
            format!("{slow:?}"),
            "{when}: filter {name}"
        );
        if name == "none" {
            all = slow.responses;
        }
        if when == "after submissions" && (name.starts_with("segment") || name.starts_with("text"))
        {
            assert!(slow.responses > 0, "{name} keeps some responses");
        }
        same_list(db, survey_id, &filter, &format!("{when}: filter {name}")).await;
    }
    all
}

/// `responses(first: 7)` page by page lists exactly the responses the reference conditions
/// (joins) keep, newest first, with their total on every page.
async fn same_list(db: &DatabaseConnection, survey_id: i64, filter: &ResponseFilter, what: &str) {
    let survey = entity::survey::Entity::find_by_id(survey_id)
        .one(db)
        .await
        .expect("survey")
        .expect("exists");
    let resolved = filter
        .clone()
        .resolve(db, survey.site_id)
        .await
        .expect("resolve");
    let want: Vec<i64> = resolved
        .apply(response::Entity::find().filter(response::Column::SurveyId.eq(survey_id)))
        .select_only()
        .column(response::Column::Id)
        .order_by_desc(response::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .expect("reference ids");
    // With `totalCount` and without (a segment's page then tests row by row).
    for count in [true, false] {
        let (mut got, mut after) = (Vec::new(), None);
        loop {
            let page = responses::list(
                db,
                survey.organization_id,
                survey_id,
                filter,
                PageArgs { first: 7, after },
                count,
            )
            .await
            .expect("list");
            let total = if count { want.len() as u64 } else { 0 };
            assert_eq!(page.total_count, total, "{what}: totalCount");
            got.extend(page.items.iter().map(|(_, v)| v.response.id));
            if !page.has_next_page {
                break;
            }
            after = got.last().copied();
        }
        assert_eq!(got, want, "{what}: listed responses (count {count})");
    }
}

/// On SQLite, a page's segment test (the row form) reads each tested profile's own rows by
/// key: no full scan and no leaf index such as `answer(question_id, …)`, which without
/// statistics SQLite would otherwise read in full once per tested row (at 100k responses
/// that made one page take minutes).
async fn row_form_plans_follow_the_profile(db: &DatabaseConnection, survey_id: i64, q: &[i64]) {
    if db.get_database_backend() != DbBackend::Sqlite {
        return;
    }
    let survey = entity::survey::Entity::find_by_id(survey_id)
        .one(db)
        .await
        .expect("survey")
        .expect("exists");
    for (name, filter) in filters(q) {
        let Some(choice) = filter.segment else {
            continue;
        };
        let segment = choice.resolve(db, survey.site_id).await.expect("resolve");
        let page = response::Entity::find()
            .filter(response::Column::SurveyId.eq(survey_id))
            .filter(segment.row_expr())
            .build(DbBackend::Sqlite);
        let lines = sqlite_plan(db, page).await;
        for line in &lines[1..] {
            assert!(
                !line.starts_with("SCAN")
                    && !line.contains("idx_answer_question")
                    && !line.contains("idx_answer_choice_question"),
                "{name}: the row form's plan reads {line:?}: {lines:#?}"
            );
        }
        // A page of users with the segment walks the site's profiles in id order: no sort
        // of every match before the first row.
        let users = api::domain::segments::users_page_select(
            survey.site_id,
            Some(&segment.rule),
            DbBackend::Sqlite,
            chrono::Utc::now(),
        )
        .order_by_asc(entity::site_user::Column::Id)
        .limit(51)
        .build(DbBackend::Sqlite);
        let lines = sqlite_plan(db, users).await;
        assert!(
            lines[0].contains("idx_site_user_site_id")
                && lines
                    .iter()
                    .all(|l| !l.contains("TEMP B-TREE") && !l.starts_with("SCAN")),
            "{name}: the users page's plan: {lines:#?}"
        );
    }
}

/// SQLite's `EXPLAIN QUERY PLAN` of a statement, one line per step.
async fn sqlite_plan(db: &DatabaseConnection, stmt: Statement) -> Vec<String> {
    db.query_all(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!("EXPLAIN QUERY PLAN {}", stmt.sql),
        stmt.values.map(|v| v.0).unwrap_or_default(),
    ))
    .await
    .expect("plan")
    .iter()
    .map(|r| r.try_get::<String>("", "detail").expect("detail"))
    .collect()
}

/// The facts the writer stored equal those the SQL definition (the migration's backfill)
/// computes from the rows, as sets of items.
async fn stored_facts_match_rows(db: &DatabaseConnection, survey_id: i64) {
    let read = |db: &DatabaseConnection| {
        let db = db.clone();
        async move {
            let rows: Vec<(i64, Option<String>)> = response::Entity::find()
                .filter(response::Column::SurveyId.eq(survey_id))
                .select_only()
                .column(response::Column::Id)
                .column(response::Column::Facts)
                .order_by_asc(response::Column::Id)
                .into_tuple()
                .all(&db)
                .await
                .expect("facts");
            rows.into_iter()
                .map(|(id, f)| {
                    let mut items: Vec<String> =
                        serde_json::from_str(f.as_deref().expect("facts set")).expect("json");
                    items.sort();
                    (id, items)
                })
                .collect::<Vec<_>>()
        }
    };
    let stored = read(db).await;
    let ids: Vec<i64> = stored.iter().map(|(id, _)| *id).collect();
    api::domain::surveys::facts::refresh(db, &ids)
        .await
        .expect("recompute");
    assert_eq!(stored, read(db).await, "stored facts equal the rows'");
}

#[tokio::test]
async fn filtered_summaries_equal_the_reference_after_every_kind_of_write() {
    let app = TestApp::spawn_with(&[("LOUPE_SENTIMENT_WORKER", "false")]).await;
    let token = app.admin_token().await;
    let (survey, q) = app
        .active_survey(
            &token,
            json!({"name": "Facts", "questions": [
                {"type": "NPS", "prompt": "Recommend?"},
                {"type": "SINGLE_CHOICE", "prompt": "Plan?", "options": ["Basic", "Pro", "Team"], "allowOther": true},
                {"type": "MULTIPLE_CHOICE", "prompt": "Why?", "options": ["Speed", "Price", "Support"]},
                {"type": "RATING", "prompt": "Rate"},
                {"type": "SHORT_TEXT", "prompt": "Anything else?"}]}),
        )
        .await;
    let survey_id: i64 = survey.parse().expect("id");
    let (_, b) = app
        .gql(
            &token,
            "mutation($id: ID!) { setSurveySentiment(id: $id, enabled: true) { sentimentEnabled } }",
            json!({"id": survey}),
        )
        .await;
    assert_eq!(
        b["data"]["setSurveySentiment"]["sentimentEnabled"], true,
        "{b}"
    );
    let db = app.db_conn().await;

    // Half the visitors identified, with a plan attribute (for segments over profiles).
    app.enable_identify(&token, 1).await;
    for v in 0..10 {
        let plan = ["Pro", "Team", "Basic"][v % 3];
        let resp = app
            .http
            .post(app.url("/v1/sites/1/identify"))
            .header("User-Agent", DESKTOP)
            .json(
                &json!({"visitor_id": format!("v{v}"), "user_id": format!("user-{v}"),
                "attributes": {"plan": plan}}),
            )
            .send()
            .await
            .expect("identify");
        assert_eq!(resp.status(), StatusCode::OK);
    }

    let plans = ["Basic", "Pro", "Team"];
    let picks = ["Speed", "Price", "Support"];
    let texts = ["too slow", "great", "Slow checkout", "fine"];
    let mut ids = Vec::new();
    let mut partials = Vec::new();
    for i in 0..48usize {
        let mut answers = vec![json!({"question_id": q[0], "value": (i * 7) % 11})];
        match i % 6 {
            0 => {}
            1 => answers.push(json!({"question_id": q[1], "other": "Enterprise"})),
            _ => answers.push(json!({"question_id": q[1], "value": plans[i % 3]})),
        }
        if i % 4 != 0 {
            let chosen: Vec<&str> = picks.iter().copied().skip(i % 3).take(1 + i % 2).collect();
            answers.push(json!({"question_id": q[2], "value": chosen}));
        }
        if i % 2 == 0 {
            answers.push(json!({"question_id": q[3], "value": 1 + i % 5}));
        }
        if i % 3 != 1 {
            answers.push(json!({"question_id": q[4], "value": texts[i % 4]}));
        }
        let partial = i % 8 == 5;
        let body = json!({"visitor_id": format!("v{}", i % 20), "is_complete": !partial, "answers": answers});
        let b = post(
            &app,
            &survey,
            if i % 3 == 0 { MOBILE } else { DESKTOP },
            body,
        )
        .await;
        let id = b["response_id"].as_i64().expect("id");
        ids.push(id);
        if partial {
            partials.push((id, format!("v{}", i % 20)));
        }
    }
    assert!(check_all(&db, survey_id, &q, "after submissions").await >= 48);
    stored_facts_match_rows(&db, survey_id).await;
    row_form_plans_follow_the_profile(&db, survey_id, &q).await;

    // Partial responses completed: answers replaced and added.
    for (id, visitor) in &partials {
        post(
            &app,
            &survey,
            DESKTOP,
            json!({"visitor_id": visitor, "response_id": id, "answers": [
                {"question_id": q[1], "value": "Team"},
                {"question_id": q[3], "value": 2},
                {"question_id": q[4], "value": "slow again"}]}),
        )
        .await;
    }
    check_all(&db, survey_id, &q, "after completions").await;

    // Sentiment labels, stored the way the worker stores them.
    let txn = db.begin().await.expect("txn");
    let jobs = sentiment::claim(&txn, 1000).await.expect("claim");
    assert!(!jobs.is_empty(), "text answers were queued for scoring");
    let labels = ["POSITIVE", "NEUTRAL", "NEGATIVE"];
    let results: Vec<_> = jobs
        .into_iter()
        .enumerate()
        .map(|(i, j)| (j, (i % 4 != 3).then_some((labels[i % 3], 0.9))))
        .collect();
    sentiment::finish(&txn, &results).await.expect("finish");
    txn.commit().await.expect("commit");
    check_all(&db, survey_id, &q, "after labels").await;

    // Tags added and removed.
    for (i, id) in ids.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let tags = if i % 2 == 0 {
            json!(["vip", "bug"])
        } else {
            json!(["vip"])
        };
        let (_, b) = app
            .gql(&token, TAG, json!({"id": id.to_string(), "tags": tags}))
            .await;
        assert!(b["errors"].is_null(), "{b}");
    }
    for id in ids.iter().step_by(6) {
        let (_, b) = app
            .gql(
                &token,
                UNTAG,
                json!({"id": id.to_string(), "tags": ["vip"]}),
            )
            .await;
        assert!(b["errors"].is_null(), "{b}");
    }
    check_all(&db, survey_id, &q, "after tags").await;
    stored_facts_match_rows(&db, survey_id).await;

    // The GraphQL field answers from the same counts.
    let (_, b) = app
        .gql(
            &token,
            "query($id: ID!, $f: ResponseFilterInput) { survey(id: $id) { summary(filter: $f) { responses tags { tag count } questions { answered choices { choice count } } } } }",
            json!({"id": survey, "f": {"device": "mobile", "tags": ["vip"]}}),
        )
        .await;
    let s = &b["data"]["survey"]["summary"];
    let questions: Vec<_> = store::questions(&db, survey_id)
        .await
        .expect("questions")
        .iter()
        .map(|m| store::to_question(m).expect("question"))
        .collect();
    let want = reference(
        &db,
        survey_id,
        questions,
        &ResponseFilter {
            device: Some("mobile".into()),
            tags: vec!["vip".into()],
            ..Default::default()
        },
    )
    .await
    .expect("reference");
    assert_eq!(s["responses"], want.responses, "{b}");
    assert!(want.responses > 0, "the filter keeps some responses");
    assert_eq!(s["tags"][0]["count"], want.tags[0].1, "{b}");

    // Deletes (the path of GDPR erasure, retention and purges) take the facts with them.
    let some: Vec<i64> = ids.iter().copied().skip(1).step_by(5).collect();
    api::domain::surveys::responses::delete_ids(&db, &some)
        .await
        .expect("delete");
    let left = check_all(&db, survey_id, &q, "after deletes").await;
    assert!(left < 48 && left > 20, "{left} responses left");
}
