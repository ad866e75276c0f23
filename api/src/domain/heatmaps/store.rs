//! Writes heatmap facts: the recording's state between batches, and the aggregates, as
//! multi-row upserts (count += n) once per group commit.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use entity::{heatmap_element, heatmap_page, heatmap_recording, recording};
use sea_orm::sea_query::{Expr, OnConflict, Query, SimpleExpr};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::extract::{self, Deltas, HeatBatch, State};
use super::selector::NodeMap;
use super::Device;
use crate::error::{AppError, AppResult};

/// Rows per INSERT statement (well under SQLite's bound-parameter limit).
const ROWS: usize = 200;
/// Cells per INSERT statement (literals, no parameters).
const CELL_ROWS: usize = 2_000;

/// Element maps recently used, by (recording, snapshot batch): the writer applies a
/// session's batches one after another, so a click batch rarely reads its map back.
/// Bounded by the elements held; cleared when full.
struct NodeCache {
    maps: HashMap<(i64, i64), Arc<NodeMap>>,
    elements: usize,
}

const CACHE_ELEMENTS: usize = 400_000;

static NODES: LazyLock<Mutex<NodeCache>> = LazyLock::new(|| {
    Mutex::new(NodeCache {
        maps: HashMap::new(),
        elements: 0,
    })
});

fn cached(key: (i64, i64)) -> Option<Arc<NodeMap>> {
    NODES.lock().ok()?.maps.get(&key).cloned()
}

fn cache(key: (i64, i64), map: Arc<NodeMap>) {
    if let Ok(mut c) = NODES.lock() {
        if c.elements + map.nodes.len() > CACHE_ELEMENTS {
            c.maps.clear();
            c.elements = 0;
        }
        c.elements += map.nodes.len();
        c.maps.insert(key, map);
    }
}

/// Applies one stored batch to its recording's heatmap state (`rec.heatmap_state`, which
/// the caller writes back with the row) and gives the aggregate increments and the new
/// state. The snapshot's element map is written here when the batch has one.
pub async fn ingest(
    txn: &impl ConnectionTrait,
    rec: &recording::Model,
    batch: &HeatBatch,
) -> AppResult<(Deltas, Option<String>)> {
    if batch.events.is_empty() {
        return Ok((Deltas::default(), None));
    }
    let mut state: State = rec
        .heatmap_state
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let stored = match state.nodes_seq {
        Some(seq) if batch.needs_stored_nodes() => match cached((rec.id, seq)) {
            Some(m) => Some(m),
            None => {
                let row = heatmap_recording::Entity::find_by_id(rec.id)
                    .one(txn)
                    .await?;
                row.filter(|r| r.sequence == seq).map(|r| {
                    let m = Arc::new(NodeMap::decode(&r.nodes));
                    cache((rec.id, seq), m.clone());
                    m
                })
            }
        },
        _ => None,
    };
    let deltas = extract::apply(&mut state, stored.as_deref(), batch, rec.site_id, rec.id);
    if let (Some(bytes), Some(last)) = (&batch.last_snapshot, batch.snapshots.last()) {
        heatmap_recording::Entity::insert(heatmap_recording::ActiveModel {
            recording_id: Set(rec.id),
            sequence: Set(batch.sequence),
            nodes: Set(bytes.clone()),
            updated_at: Set(crate::domain::now()),
        })
        .on_conflict(
            OnConflict::column(heatmap_recording::Column::RecordingId)
                .update_columns([
                    heatmap_recording::Column::Sequence,
                    heatmap_recording::Column::Nodes,
                    heatmap_recording::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        state.nodes_seq = Some(batch.sequence);
        cache((rec.id, batch.sequence), Arc::new(last.clone()));
    }
    let json = serde_json::to_string(&state).map_err(AppError::internal)?;
    Ok((deltas, Some(json)))
}

fn add(table: &str, col: &str) -> SimpleExpr {
    Expr::cust(format!("\"{table}\".\"{col}\" + \"excluded\".\"{col}\""))
}

fn greatest(table: &str, col: &str) -> SimpleExpr {
    Expr::cust(format!(
        "CASE WHEN \"excluded\".\"{col}\" > \"{table}\".\"{col}\" THEN \"excluded\".\"{col}\" ELSE \"{table}\".\"{col}\" END"
    ))
}

/// The newest snapshot wins; a row without one keeps its own.
fn newer_snapshot(col: &str) -> SimpleExpr {
    Expr::cust(format!(
        "CASE WHEN \"excluded\".\"snapshot_ts\" IS NOT NULL AND (\"heatmap_page\".\"snapshot_ts\" IS NULL OR \"excluded\".\"snapshot_ts\" >= \"heatmap_page\".\"snapshot_ts\") THEN \"excluded\".\"{col}\" ELSE \"heatmap_page\".\"{col}\" END"
    ))
}

async fn exec(db: &impl ConnectionTrait, q: &sea_orm::sea_query::InsertStatement) -> AppResult<()> {
    db.execute(db.get_database_backend().build(q)).await?;
    Ok(())
}

/// Adds the increments to the aggregates.
#[tracing::instrument(skip_all, fields(rows = deltas.0.len()))]
pub async fn flush(db: &impl ConnectionTrait, deltas: Deltas) -> AppResult<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    use heatmap_page::Column as P;
    let rows: Vec<_> = deltas.0.into_iter().collect();
    for chunk in rows.chunks(ROWS) {
        let mut q = Query::insert();
        q.into_table(heatmap_page::Entity).columns([
            P::SiteId,
            P::Page,
            P::Device,
            P::Day,
            P::PageViews,
            P::Clicks,
            P::RageClicks,
            P::DeadClicks,
            P::Moves,
            P::DocumentWidth,
            P::DocumentHeight,
            P::ScrollViews,
            P::FoldSum,
            P::SnapshotRecordingId,
            P::SnapshotSequence,
            P::SnapshotTs,
        ]);
        for ((site, page, device, day), d) in chunk {
            q.values([
                (*site).into(),
                page.clone().into(),
                device.as_str().into(),
                (*day).into(),
                d.page_views.into(),
                d.clicks.into(),
                d.rage_clicks.into(),
                d.dead_clicks.into(),
                d.moves.into(),
                d.document_width.into(),
                d.document_height.into(),
                d.scroll_views.into(),
                d.fold_sum.into(),
                d.snapshot.map(|s| s.0).into(),
                d.snapshot.map(|s| s.1).into(),
                d.snapshot.map(|s| s.2).into(),
            ])
            .map_err(AppError::internal)?;
        }
        let t = "heatmap_page";
        q.on_conflict(
            OnConflict::columns([P::SiteId, P::Page, P::Device, P::Day])
                .value(P::PageViews, add(t, "page_views"))
                .value(P::Clicks, add(t, "clicks"))
                .value(P::RageClicks, add(t, "rage_clicks"))
                .value(P::DeadClicks, add(t, "dead_clicks"))
                .value(P::Moves, add(t, "moves"))
                .value(P::DocumentWidth, greatest(t, "document_width"))
                .value(P::DocumentHeight, greatest(t, "document_height"))
                .value(P::ScrollViews, add(t, "scroll_views"))
                .value(P::FoldSum, add(t, "fold_sum"))
                .value(
                    P::SnapshotRecordingId,
                    newer_snapshot("snapshot_recording_id"),
                )
                .value(P::SnapshotSequence, newer_snapshot("snapshot_sequence"))
                // Last: the CASEs above compare the old snapshot_ts.
                .value(P::SnapshotTs, newer_snapshot("snapshot_ts"))
                .to_owned(),
        );
        exec(db, &q).await?;
    }
    // The rows' ids, for their cells and elements.
    let mut ids: HashMap<(i64, String, Device, i32), i64> = HashMap::new();
    let mut by_site: HashMap<i64, Vec<&String>> = HashMap::new();
    for ((site, page, _, _), _) in &rows {
        by_site.entry(*site).or_default().push(page);
    }
    for (site, mut pages) in by_site {
        pages.sort();
        pages.dedup();
        let days: Vec<i32> = rows.iter().map(|((_, _, _, d), _)| *d).collect();
        for chunk in pages.chunks(ROWS) {
            let found: Vec<(i64, String, String, i32)> = heatmap_page::Entity::find()
                .select_only()
                .columns([P::Id, P::Page, P::Device, P::Day])
                .filter(P::SiteId.eq(site))
                .filter(P::Page.is_in(chunk.iter().map(|p| (*p).clone())))
                .filter(P::Day.is_in(days.iter().copied()))
                .into_tuple()
                .all(db)
                .await?;
            for (id, page, device, day) in found {
                if let Some(device) = Device::parse(&device) {
                    ids.insert((site, page, device, day), id);
                }
            }
        }
    }
    let mut cells = Vec::new();
    let mut elements = Vec::new();
    for (key, d) in &rows {
        let Some(id) = ids.get(key).copied() else {
            return Err(AppError::internal(anyhow::anyhow!("heatmap row vanished")));
        };
        cells.extend(d.cells.iter().map(|((k, x, y), n)| (id, *k, *x, *y, *n)));
        elements.extend(d.elements.iter().map(|(s, n)| (id, s.clone(), *n)));
    }
    stage_cells(db, &cells).await?;
    for chunk in elements.chunks(ROWS) {
        use heatmap_element::Column as E;
        let mut q = Query::insert();
        q.into_table(heatmap_element::Entity).columns([
            E::PageId,
            E::Selector,
            E::Clicks,
            E::RageClicks,
            E::DeadClicks,
        ]);
        for (id, s, n) in chunk {
            q.values([
                (*id).into(),
                s.clone().into(),
                n[0].into(),
                n[1].into(),
                n[2].into(),
            ])
            .map_err(AppError::internal)?;
        }
        let t = "heatmap_element";
        q.on_conflict(
            OnConflict::columns([E::PageId, E::Selector])
                .value(E::Clicks, add(t, "clicks"))
                .value(E::RageClicks, add(t, "rage_clicks"))
                .value(E::DeadClicks, add(t, "dead_clicks"))
                .to_owned(),
        );
        exec(db, &q).await?;
    }
    Ok(())
}

/// Appends cell increments to `heatmap_cell_staged`, which has no key to check: the
/// request path pays an append, and [`roll_up`] later folds many batches' increments into
/// one upsert per cell. Cells are integers and a fixed kind name, so they are written as
/// literals (SQLite) or literal arrays (PostgreSQL, whose planner is slow on long VALUES
/// lists) instead of five bound parameters per row.
async fn stage_cells(
    db: &impl ConnectionTrait,
    cells: &[(i64, super::Kind, i32, i32, i64)],
) -> AppResult<()> {
    use std::fmt::Write;
    for chunk in cells.chunks(CELL_ROWS) {
        let mut sql = String::with_capacity(128 + chunk.len() * 40);
        sql.push_str("INSERT INTO heatmap_cell_staged (page_id, kind, x, y, count) ");
        if db.get_database_backend() == sea_orm::DbBackend::Postgres {
            let column = |sql: &mut String, ty: &str, f: &dyn Fn(&mut String, usize)| {
                sql.push_str("'{");
                for i in 0..chunk.len() {
                    if i > 0 {
                        sql.push(',');
                    }
                    f(sql, i);
                }
                let _ = write!(sql, "}}'::{ty}[]");
            };
            sql.push_str("SELECT * FROM unnest(");
            column(&mut sql, "bigint", &|s, i| {
                let _ = write!(s, "{}", chunk[i].0);
            });
            sql.push(',');
            column(&mut sql, "varchar", &|s, i| s.push_str(chunk[i].1.as_str()));
            sql.push(',');
            column(&mut sql, "int", &|s, i| {
                let _ = write!(s, "{}", chunk[i].2);
            });
            sql.push(',');
            column(&mut sql, "int", &|s, i| {
                let _ = write!(s, "{}", chunk[i].3);
            });
            sql.push(',');
            column(&mut sql, "bigint", &|s, i| {
                let _ = write!(s, "{}", chunk[i].4);
            });
            sql.push(')');
        } else {
            sql.push_str("VALUES ");
            for (i, (id, k, x, y, n)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                let _ = write!(sql, "({id},'{}',{x},{y},{n})", k.as_str());
            }
        }
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Folds the staged cell increments into `heatmap_cell`, summed per cell, in one
/// transaction; increments of pages deleted meanwhile are dropped. Returns the cells
/// written. Safe to run on several nodes at once (each moves rows no other one moved).
#[tracing::instrument(skip(db))]
pub async fn roll_up(db: &sea_orm::DatabaseConnection) -> AppResult<u64> {
    const FOLD: &str = "INSERT INTO heatmap_cell (page_id, kind, x, y, count) \
        SELECT s.page_id, s.kind, s.x, s.y, SUM(s.count) FROM {FROM} s \
        JOIN heatmap_page p ON p.id = s.page_id {WHERE} GROUP BY s.page_id, s.kind, s.x, s.y \
        ON CONFLICT (page_id, kind, x, y) DO UPDATE SET count = heatmap_cell.count + excluded.count";
    let txn = crate::db::begin_write(db).await?;
    let written = if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let sql = format!(
            "WITH moved AS (DELETE FROM heatmap_cell_staged RETURNING *) {}",
            FOLD.replace("{FROM}", "moved").replace("{WHERE}", "")
        );
        txn.execute_unprepared(&sql).await?.rows_affected()
    } else {
        // Under the write lock nothing is staged meanwhile: fold, then empty.
        let sql = FOLD
            .replace("{FROM}", "heatmap_cell_staged")
            .replace("{WHERE}", "WHERE true");
        let n = txn.execute_unprepared(&sql).await?.rows_affected();
        txn.execute_unprepared("DELETE FROM heatmap_cell_staged")
            .await?;
        n
    };
    txn.commit().await?;
    Ok(written)
}

/// Deletes a site's aggregates of the UTC days in `[from_day, to_day]` (None: open).
pub async fn delete_days(
    db: &impl ConnectionTrait,
    site_id: i64,
    from_day: Option<i32>,
    to_day: Option<i32>,
) -> AppResult<u64> {
    let mut q =
        heatmap_page::Entity::delete_many().filter(heatmap_page::Column::SiteId.eq(site_id));
    if let Some(d) = from_day {
        q = q.filter(heatmap_page::Column::Day.gte(d));
    }
    if let Some(d) = to_day {
        q = q.filter(heatmap_page::Column::Day.lte(d));
    }
    Ok(q.exec(db).await?.rows_affected)
}
