//! Property test: random rules over random profiles, evaluated by the SQL back end in the
//! real database (SQLite or PostgreSQL, as the suite runs) and by the in-memory back end;
//! both must pick exactly the same profiles. Reproduce a failure with the printed seed:
//! `LOUPE_PROPERTY_SEED=<seed> cargo nextest run segments_property`.

use std::collections::BTreeSet;

use api::domain::people::identify::attribute_row;
use api::domain::segments::eval::{AttrValue, Profile};
use api::domain::segments::rule::{self, fold, AttrKind, Catalog};
use api::domain::segments::{self as segs};
use api::domain::surveys::definition::{QuestionConfig, QuestionDef, QuestionType};
use api::domain::surveys::store::{self, NewSurvey, QuestionInput};
use api::domain::surveys::targeting::Targeting;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use entity::{answer, answer_choice, response, site_user, user_attribute_def, visitor_link};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde_json::{json, Value};

use crate::helpers::TestDb;

const PROFILES: usize = 80;
const RULES_PER_SEED: usize = 250;

const PLANS: [&str; 8] = [
    "Pro",
    "pro",
    "PRO Team",
    "Basic",
    "Équipe",
    "ÉQUIPE verte",
    "Straße",
    "x_y%",
];
const PLAN_PROBES: [&str; 11] = [
    "pro", "PRO", "team", "équipe", "é", "basic", "%", "_", "straße", "ss", "pro team",
];
const SPENDS: [f64; 7] = [-5.0, 0.0, 10.0, 99.5, 100.0, 250.0, 1000.0];
const DEVICES: [&str; 3] = ["desktop", "mobile", "tablet"];
const COUNTRIES: [&str; 4] = ["FR", "DE", "US", "GB"];
const TEXTS: [&str; 5] = [
    "Too slow",
    "too slow at checkout",
    "Great!",
    "Ça va",
    "slow",
];
const TEXT_PROBES: [&str; 5] = ["slow", "Slow", "Great", "ç", "Too slow"];
const OPTIONS: [&str; 3] = ["Price", "Speed", "Support"];
const SENTIMENTS: [&str; 3] = ["POSITIVE", "NEUTRAL", "NEGATIVE"];

struct World {
    site_id: i64,
    surveys: [i64; 2],
    nps: i64,
    choice: i64,
    text: i64,
    now: DateTime<Utc>,
}

fn pick<'a, T>(rng: &mut StdRng, xs: &'a [T]) -> &'a T {
    xs.choose(rng).expect("non-empty")
}

/// A time within ±400 days of now, whole seconds.
fn some_time(rng: &mut StdRng, now: DateTime<Utc>) -> DateTime<Utc> {
    now - TimeDelta::seconds(rng.gen_range(-86_400 * 30..86_400 * 400))
}

async fn seed_world(db: &DatabaseConnection) -> World {
    let now = Utc::now().trunc_subsecs(0);
    let org = api::domain::organizations::create(db, "Prop", entity::organization::Plan::Scale)
        .await
        .expect("org");
    let site = api::domain::sites::create(
        db,
        org.id,
        api::domain::sites::NewSite {
            name: "Prop site".into(),
            ..Default::default()
        },
    )
    .await
    .expect("site");
    let q = |key: &str, kind: QuestionType, options: &[&str]| QuestionInput {
        id: None,
        def: QuestionDef {
            key: key.into(),
            kind,
            prompt: format!("{key}?"),
            required: false,
            config: QuestionConfig {
                options: options.iter().map(|s| (*s).to_owned()).collect(),
                ..Default::default()
            },
            logic: vec![],
        },
    };
    let mut surveys = [0; 2];
    let mut questions = vec![];
    for (i, slot) in surveys.iter_mut().enumerate() {
        let s = store::create(
            db,
            org.id,
            NewSurvey {
                site_id: site.id,
                kind: entity::survey::Kind::Survey,
                name: format!("S{i}"),
                thank_you: None,
                targeting: Targeting::default(),
                questions: vec![
                    q("nps", QuestionType::Nps, &[]),
                    q("why", QuestionType::MultipleChoice, &OPTIONS),
                    q("text", QuestionType::LongText, &[]),
                ],
                distribution: None,
                hidden_fields: vec![],
            },
        )
        .await
        .expect("survey");
        *slot = s.id;
        // Answers below go to the first survey's questions, responses to either survey.
        if i == 0 {
            questions = store::questions(db, s.id).await.expect("questions");
        }
    }
    World {
        site_id: site.id,
        surveys,
        nps: questions[0].id,
        choice: questions[1].id,
        text: questions[2].id,
        now,
    }
}

const ATTRS: [(&str, AttrKind); 5] = [
    ("plan", AttrKind::String),
    ("spend", AttrKind::Number),
    ("trial", AttrKind::Boolean),
    ("since", AttrKind::Date),
    ("nick", AttrKind::String),
];

async fn seed_profiles(db: &DatabaseConnection, w: &World, rng: &mut StdRng) {
    let mut attr_ids = vec![];
    for (name, kind) in ATTRS {
        let m = user_attribute_def::Entity::insert(user_attribute_def::ActiveModel {
            site_id: Set(w.site_id),
            name: Set(name.into()),
            kind: Set(kind.as_str().into()),
            created_at: Set(w.now),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("attribute def");
        attr_ids.push(m.last_insert_id);
    }
    for n in 0..PROFILES {
        let identified = rng.gen_bool(0.8);
        let visitor = format!("v{n}");
        let first = some_time(rng, w.now);
        let last = first.max(some_time(rng, w.now));
        let p = site_user::Entity::insert(site_user::ActiveModel {
            site_id: Set(w.site_id),
            user_key: Set(if identified {
                format!("u:{n}")
            } else {
                format!("v:{visitor}")
            }),
            user_id: Set(identified.then(|| n.to_string())),
            first_seen: Set(first),
            last_seen: Set(last),
            sessions: Set(rng.gen_range(1..10)),
            device: Set(rng.gen_bool(0.8).then(|| (*pick(rng, &DEVICES)).to_owned())),
            country: Set(rng
                .gen_bool(0.8)
                .then(|| (*pick(rng, &COUNTRIES)).to_owned())),
            ..Default::default()
        })
        .exec(db)
        .await
        .expect("profile")
        .last_insert_id;
        for (i, (_, kind)) in ATTRS.iter().enumerate() {
            if !rng.gen_bool(0.7) {
                continue;
            }
            let v = match kind {
                AttrKind::String => {
                    let s = *pick(rng, &PLANS);
                    AttrValue::Text {
                        raw: s.into(),
                        folded: fold(s),
                    }
                }
                AttrKind::Number => AttrValue::Number(*pick(rng, &SPENDS)),
                AttrKind::Boolean => AttrValue::Bool(rng.gen_bool(0.5)),
                AttrKind::Date => AttrValue::Time(some_time(rng, w.now)),
            };
            entity::user_attribute::Entity::insert(attribute_row(p, attr_ids[i], &v, w.now))
                .exec_without_returning(db)
                .await
                .expect("attribute");
        }
        let visitors = if rng.gen_bool(0.3) {
            vec![visitor.clone(), format!("{visitor}b")]
        } else {
            vec![visitor]
        };
        for v in &visitors {
            visitor_link::Entity::insert(visitor_link::ActiveModel {
                site_id: Set(w.site_id),
                visitor_id: Set(v.clone()),
                profile_id: Set(p),
                linked_at: Set(w.now),
            })
            .exec_without_returning(db)
            .await
            .expect("link");
            for _ in 0..rng.gen_range(0..3) {
                let survey_id = *pick(rng, &w.surveys);
                let r = response::Entity::insert(response::ActiveModel {
                    organization_id: Set(1),
                    survey_id: Set(survey_id),
                    site_id: Set(w.site_id),
                    visitor_id: Set(Some(v.clone())),
                    user_id: Set(None),
                    is_complete: Set(rng.gen_bool(0.7)),
                    device: Set(None),
                    browser: Set(None),
                    os: Set(None),
                    country: Set(None),
                    page_url: Set(None),
                    hidden_fields: Set(None),
                    created_at: Set(some_time(rng, w.now)),
                    updated_at: Set(w.now),
                    ..Default::default()
                })
                .exec(db)
                .await
                .expect("response")
                .last_insert_id;
                let base = answer::ActiveModel {
                    response_id: Set(r),
                    survey_id: Set(survey_id),
                    text_value: Set(None),
                    number_value: Set(None),
                    other_text: Set(None),
                    comment: Set(None),
                    sentiment_label: Set(None),
                    sentiment_score: Set(None),
                    created_at: Set(w.now),
                    ..Default::default()
                };
                let mut rows = vec![];
                if rng.gen_bool(0.7) {
                    let mut a = base.clone();
                    a.question_id = Set(w.nps);
                    a.number_value = Set(Some(rng.gen_range(0..=10)));
                    rows.push(a);
                }
                if rng.gen_bool(0.6) {
                    let mut a = base.clone();
                    a.question_id = Set(w.choice);
                    rows.push(a);
                    let chosen: Vec<&&str> = OPTIONS.iter().filter(|_| rng.gen_bool(0.4)).collect();
                    for c in chosen {
                        answer_choice::Entity::insert(answer_choice::ActiveModel {
                            response_id: Set(r),
                            survey_id: Set(survey_id),
                            question_id: Set(w.choice),
                            choice: Set((**c).to_owned()),
                            ..Default::default()
                        })
                        .exec_without_returning(db)
                        .await
                        .expect("choice");
                    }
                }
                if rng.gen_bool(0.6) {
                    let mut a = base.clone();
                    a.question_id = Set(w.text);
                    a.text_value = Set(Some((*pick(rng, &TEXTS)).to_owned()));
                    a.sentiment_label = Set(rng
                        .gen_bool(0.7)
                        .then(|| (*pick(rng, &SENTIMENTS)).to_owned()));
                    rows.push(a);
                }
                for a in rows {
                    answer::Entity::insert(a)
                        .exec_without_returning(db)
                        .await
                        .expect("answer");
                }
            }
        }
    }
}

fn time_value(rng: &mut StdRng, now: DateTime<Utc>) -> Value {
    let t = some_time(rng, now);
    match rng.gen_range(0..3) {
        0 => json!(t.format("%Y-%m-%d").to_string()),
        1 => json!(t.to_rfc3339()),
        _ => json!((t + TimeDelta::hours(2))
            .format("%Y-%m-%dT%H:%M:%S+02:00")
            .to_string()),
    }
}

fn ordered_pair(rng: &mut StdRng, xs: &[f64]) -> Value {
    let (a, b) = (*pick(rng, xs), *pick(rng, xs));
    json!([a.min(b), a.max(b)])
}

fn leaf(rng: &mut StdRng, w: &World) -> Value {
    match rng.gen_range(0..11) {
        0 | 1 => {
            let name = if rng.gen_bool(0.8) { "plan" } else { "nick" };
            let op = *pick(
                rng,
                &[
                    "EQUALS",
                    "NOT_EQUALS",
                    "CONTAINS",
                    "NOT_CONTAINS",
                    "STARTS_WITH",
                    "ENDS_WITH",
                    "IN",
                    "NOT_IN",
                    "IS_SET",
                    "IS_NOT_SET",
                ],
            );
            let mut probe = || {
                if rng.gen_bool(0.5) {
                    *pick(rng, &PLANS)
                } else {
                    *pick(rng, &PLAN_PROBES)
                }
            };
            let value = match op {
                "IN" | "NOT_IN" => json!([probe(), probe()]),
                "IS_SET" | "IS_NOT_SET" => Value::Null,
                _ => json!(probe()),
            };
            json!({"attribute": name, "operator": op, "value": value})
        }
        2 => {
            let op = *pick(
                rng,
                &[
                    "EQ",
                    "NEQ",
                    "GT",
                    "GTE",
                    "LT",
                    "LTE",
                    "BETWEEN",
                    "IS_SET",
                    "IS_NOT_SET",
                ],
            );
            let value = match op {
                "BETWEEN" => ordered_pair(rng, &SPENDS),
                "IS_SET" | "IS_NOT_SET" => Value::Null,
                _ => json!(*pick(rng, &SPENDS)),
            };
            json!({"attribute": "spend", "operator": op, "value": value})
        }
        3 => {
            json!({"attribute": "trial", "operator": *pick(rng, &["IS_TRUE", "IS_FALSE", "IS_SET", "IS_NOT_SET"])})
        }
        4 => {
            let op = *pick(
                rng,
                &[
                    "BEFORE",
                    "AFTER",
                    "BETWEEN",
                    "WITHIN_LAST_DAYS",
                    "MORE_THAN_DAYS_AGO",
                    "IS_SET",
                    "IS_NOT_SET",
                ],
            );
            let value = match op {
                "BETWEEN" => {
                    let (a, b) = (some_time(rng, w.now), some_time(rng, w.now));
                    json!([
                        a.min(b).to_rfc3339(),
                        a.max(b).format("%Y-%m-%d").to_string()
                    ])
                }
                "WITHIN_LAST_DAYS" | "MORE_THAN_DAYS_AGO" => json!(rng.gen_range(0..400)),
                "IS_SET" | "IS_NOT_SET" => Value::Null,
                _ => time_value(rng, w.now),
            };
            json!({"attribute": "since", "operator": op, "value": value})
        }
        5 => {
            let (fact, values): (&str, &[&str]) = if rng.gen_bool(0.5) {
                ("DEVICE", &DEVICES)
            } else {
                ("COUNTRY", &COUNTRIES)
            };
            let op = *pick(
                rng,
                &[
                    "EQUALS",
                    "NOT_EQUALS",
                    "IN",
                    "NOT_IN",
                    "IS_SET",
                    "IS_NOT_SET",
                ],
            );
            let value = match op {
                "IN" | "NOT_IN" => json!([*pick(rng, values), *pick(rng, values)]),
                "IS_SET" | "IS_NOT_SET" => Value::Null,
                _ => json!(pick(rng, values).to_lowercase()),
            };
            json!({"visit": fact, "operator": op, "value": value})
        }
        6 => {
            let fact = if rng.gen_bool(0.5) {
                "FIRST_SEEN"
            } else {
                "LAST_SEEN"
            };
            let op = *pick(
                rng,
                &["BEFORE", "AFTER", "WITHIN_LAST_DAYS", "MORE_THAN_DAYS_AGO"],
            );
            let value = match op {
                "WITHIN_LAST_DAYS" | "MORE_THAN_DAYS_AGO" => json!(rng.gen_range(0..400)),
                _ => time_value(rng, w.now),
            };
            json!({"visit": fact, "operator": op, "value": value})
        }
        7 => {
            let op = *pick(rng, &["EQ", "GT", "LTE", "BETWEEN"]);
            let value = if op == "BETWEEN" {
                ordered_pair(rng, &[1.0, 3.0, 5.0, 9.0])
            } else {
                json!(rng.gen_range(0..10))
            };
            json!({"visit": "SESSIONS", "operator": op, "value": value})
        }
        8 => {
            let survey = if rng.gen_bool(0.7) {
                json!(*pick(rng, &w.surveys))
            } else {
                Value::Null
            };
            let days = if rng.gen_bool(0.6) {
                json!(rng.gen_range(0..400))
            } else {
                Value::Null
            };
            json!({"responded": {"survey_id": survey, "within_days": days}})
        }
        9 => match rng.gen_range(0..3) {
            0 => {
                let op = *pick(
                    rng,
                    &["EQ", "NEQ", "GT", "GTE", "LT", "LTE", "BETWEEN", "ANSWERED"],
                );
                let value = match op {
                    "BETWEEN" => ordered_pair(rng, &[0.0, 3.0, 6.0, 8.0, 10.0]),
                    "ANSWERED" => Value::Null,
                    _ => json!(rng.gen_range(0..=10)),
                };
                json!({"answer": {"question_id": w.nps, "operator": op, "value": value}})
            }
            1 => {
                let op = *pick(rng, &["EQUALS", "IN", "ANSWERED"]);
                let value = match op {
                    "IN" => json!([*pick(rng, &OPTIONS), *pick(rng, &OPTIONS)]),
                    "ANSWERED" => Value::Null,
                    _ => json!(*pick(rng, &OPTIONS)),
                };
                json!({"answer": {"question_id": w.choice, "operator": op, "value": value}})
            }
            _ => {
                let op = *pick(rng, &["EQUALS", "CONTAINS", "ANSWERED"]);
                let value = if op == "ANSWERED" {
                    Value::Null
                } else {
                    json!(*pick(rng, &TEXT_PROBES))
                };
                json!({"answer": {"question_id": w.text, "operator": op, "value": value}})
            }
        },
        _ => {
            let q = if rng.gen_bool(0.5) {
                json!(w.text)
            } else {
                Value::Null
            };
            json!({"sentiment": {"question_id": q, "value": *pick(rng, &SENTIMENTS)}})
        }
    }
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        v => v,
    }
}

fn random_rule(rng: &mut StdRng, w: &World, depth: usize) -> Value {
    if depth >= 3 || rng.gen_bool(0.35) {
        return strip_nulls(leaf(rng, w));
    }
    let n = rng.gen_range(1..4);
    let children: Vec<Value> = (0..n).map(|_| random_rule(rng, w, depth + 1)).collect();
    if rng.gen_bool(0.5) {
        json!({"and": children})
    } else {
        json!({"or": children})
    }
}

#[tokio::test]
async fn sql_and_in_memory_evaluators_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tdb = TestDb::fresh(dir.path()).await;
    let db = api::db::connect_and_migrate(&tdb.url)
        .await
        .expect("database");
    let seeds: Vec<u64> = match std::env::var("LOUPE_PROPERTY_SEED") {
        Ok(s) => vec![s.parse().expect("a numeric seed")],
        Err(_) => vec![1, 2, 3],
    };
    for seed in seeds {
        let mut rng = StdRng::seed_from_u64(seed);
        let w = seed_world(&db).await;
        seed_profiles(&db, &w, &mut rng).await;
        let catalog: Catalog = segs::catalog(&db, w.site_id, &json!({"survey_id": w.surveys[0], "x": {"survey_id": w.surveys[1]}, "q": [{"question_id": w.nps}, {"question_id": w.choice}, {"question_id": w.text}]}))
            .await
            .expect("catalog");
        let rows = site_user::Entity::find()
            .filter(site_user::Column::SiteId.eq(w.site_id))
            .all(&db)
            .await
            .expect("profiles");
        let mut profiles: Vec<Profile> = vec![];
        for p in &rows {
            profiles.push(
                segs::load_profile(&db, p, true, &[w.nps, w.choice, w.text])
                    .await
                    .expect("profile"),
            );
        }
        let backend = db.get_database_backend();
        let mut matched_somewhere = 0;
        for i in 0..RULES_PER_SEED {
            let json = random_rule(&mut rng, &w, 0);
            let rule = rule::compile(&json, &catalog, "rule").unwrap_or_else(|e| {
                panic!("seed {seed} rule {i}: generated an invalid rule {json}: {e:?}")
            });
            let picked = |cond| {
                let (db, json) = (&db, &json);
                async move {
                    site_user::Entity::find()
                        .filter(site_user::Column::SiteId.eq(w.site_id))
                        .filter(cond)
                        .all(db)
                        .await
                        .unwrap_or_else(|e| panic!("seed {seed} rule {i}: {json}: {e}"))
                        .into_iter()
                        .map(|p| p.id)
                        .collect::<BTreeSet<i64>>()
                }
            };
            let in_sql = picked(rule.sql(backend, w.now)).await;
            // The row form (one profile at a time, what a page runs) picks the same.
            let in_rows = picked(rule.row_sql(backend, w.now)).await;
            assert_eq!(
                in_rows, in_sql,
                "seed {seed} rule {i} ({backend:?}): the row form disagrees on {json}"
            );
            let in_memory: BTreeSet<i64> = profiles
                .iter()
                .filter(|p| rule.matches(p, w.now))
                .map(|p| p.id)
                .collect();
            if in_sql != in_memory {
                let only_sql: Vec<&i64> = in_sql.difference(&in_memory).collect();
                let only_mem: Vec<&i64> = in_memory.difference(&in_sql).collect();
                let show: Vec<&Profile> = profiles
                    .iter()
                    .filter(|p| only_sql.contains(&&p.id) || only_mem.contains(&&p.id))
                    .take(3)
                    .collect();
                panic!("seed {seed} rule {i} ({backend:?}): evaluators disagree on {json}\nonly SQL: {only_sql:?}\nonly memory: {only_mem:?}\n{show:#?}");
            }
            if !in_sql.is_empty() && in_sql.len() < profiles.len() {
                matched_somewhere += 1;
            }
        }
        // The generator must produce discriminating rules, not only all-or-nothing ones.
        assert!(
            matched_somewhere > RULES_PER_SEED / 4,
            "seed {seed}: only {matched_somewhere} rules split the profiles"
        );
    }
}
