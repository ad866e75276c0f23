//! Shared pieces of the benchmarks: the segment rules and visitor profiles that the
//! in-memory bench (`benches/segment_eval.rs`), the allocation test (`tests/no_alloc.rs`)
//! and the SQL bench (`src/segment_sql.rs`) all use, so their figures are about the same
//! rules and the same data. Also the organization and site every database bench seeds first.

pub mod rrweb_fixtures;
pub mod segment_fixtures;

/// One organization on plan SCALE (every feature) with one site: what a database bench
/// seeds before its own data.
pub async fn scale_site(
    db: &sea_orm::DatabaseConnection,
) -> Result<(entity::organization::Model, entity::site::Model), String> {
    let fail = |e: api::error::AppError| format!("{e:?}");
    let org = api::domain::organizations::create(db, "bench", entity::organization::Plan::Scale)
        .await
        .map_err(fail)?;
    let site = api::domain::sites::create(
        db,
        org.id,
        api::domain::sites::NewSite {
            name: "bench".into(),
            ..Default::default()
        },
    )
    .await
    .map_err(fail)?;
    Ok((org, site))
}

/// An active survey with these questions on the site; returns it and its question ids in order.
pub async fn survey(
    db: &sea_orm::DatabaseConnection,
    organization_id: i64,
    site_id: i64,
    questions: Vec<api::domain::surveys::store::QuestionInput>,
) -> Result<(entity::survey::Model, Vec<i64>), String> {
    use api::domain::surveys::store;
    let fail = |e: api::error::AppError| format!("{e:?}");
    let survey = store::create(
        db,
        organization_id,
        store::NewSurvey {
            site_id,
            kind: entity::survey::Kind::Survey,
            name: "bench".into(),
            thank_you: None,
            targeting: Default::default(),
            questions,
            distribution: None,
            hidden_fields: vec![],
        },
    )
    .await
    .map_err(fail)?;
    let ids = store::questions(db, survey.id)
        .await
        .map_err(fail)?
        .iter()
        .map(|q| q.id)
        .collect();
    Ok((survey, ids))
}
