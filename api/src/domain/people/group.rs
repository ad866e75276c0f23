//! A group of identify calls applied set-wise, inside the writer's transaction: per site,
//! the attribute definitions are read once and every call's attributes decided in order
//! in plain Rust (the same [`plan_attributes`] that [`apply`] uses, so a refused call is
//! refused with the same error and stores nothing); the visitor links and profiles of
//! all calls are read with one `IN (…)` each; new profiles, profile updates, links and
//! values are written with multi-row statements.
//!
//! Calls whose outcome depends on the order of the calls — a merge of an anonymous
//! profile, or two calls of the group touching the same visitor or profile — are left to
//! the per-call [`apply`] (a savepoint each, in their order) after the set-wise part;
//! every other call touches rows no other call of the group touches, so applying it
//! before them changes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{site_user, user_attribute, visitor_link};
use sea_orm::sea_query::{Condition, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    DbBackend, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, TransactionTrait,
};

use super::attributes::{definitions, AttrKind, AttrValue};
use super::group_pg as pg;
use super::identify::{
    apply, attribute_row, defines_any, insert_definitions, key, lock_definitions, plan_attributes,
    CheckedCall, Identified, SESSION_GAP,
};
use crate::domain::now;
use crate::error::{AppError, AppResult};

/// Keys per `IN (…)` lookup and rows per multi-row statement: far under SQLite's 32,766
/// bound variables (an attribute row binds 8, a profile row 9).
const ROWS: usize = 500;
const PROFILE_ROWS: usize = 200;

/// Applies `calls` (site id, checked call) inside `txn`: each call's outcome, in order. An
/// `Err` of the whole is a database failure; the caller rolls the transaction back.
pub async fn apply_all(
    txn: &DatabaseTransaction,
    calls: &[(i64, &CheckedCall)],
) -> AppResult<Vec<AppResult<Identified>>> {
    let mut out: Vec<Option<AppResult<Identified>>> = calls.iter().map(|_| None).collect();
    let mut sites: Vec<(i64, Vec<(usize, &CheckedCall)>)> = Vec::new();
    for (i, &(site_id, call)) in calls.iter().enumerate() {
        match sites.iter_mut().find(|(s, _)| *s == site_id) {
            Some((_, of_site)) => of_site.push((i, call)),
            None => sites.push((site_id, vec![(i, call)])),
        }
    }
    for (site_id, of_site) in &sites {
        apply_site(txn, *site_id, of_site, &mut out).await?;
    }
    out.into_iter()
        .map(|r| r.ok_or_else(|| AppError::internal(anyhow::anyhow!("identify call left out"))))
        .collect()
}

/// A call accepted by its plan: its index, the call, and its values by attribute id.
struct Planned<'a> {
    index: usize,
    call: &'a CheckedCall,
    values: Vec<(i64, Option<AttrValue>)>,
}

async fn apply_site(
    txn: &DatabaseTransaction,
    site_id: i64,
    calls: &[(usize, &CheckedCall)],
    out: &mut [Option<AppResult<Identified>>],
) -> AppResult<()> {
    // Definitions once; every call's attributes decided in the calls' order, as applying
    // them one after the other would (the first value of a new name fixes its type, the
    // limit counts the names of the calls before).
    let mut defs = definitions(txn, site_id).await?;
    if calls
        .iter()
        .any(|(_, c)| defines_any(c, |n| defs.contains_key(n)))
    {
        lock_definitions(txn, site_id).await?;
        defs = definitions(txn, site_id).await?;
    }
    let mut kinds: HashMap<String, AttrKind> =
        defs.iter().map(|(n, &(_, k))| (n.clone(), k)).collect();
    let mut new_defs: Vec<(String, AttrKind)> = Vec::new();
    let mut accepted = Vec::with_capacity(calls.len());
    for &(index, call) in calls {
        match plan_attributes(|n| kinds.get(n).copied(), kinds.len(), &call.own) {
            Err(e) => out[index] = Some(Err(e)),
            Ok(plan) => {
                for (name, kind) in plan.new {
                    kinds.insert(name.clone(), kind);
                    new_defs.push((name, kind));
                }
                accepted.push((index, call, plan.values));
            }
        }
    }
    if !new_defs.is_empty() {
        insert_definitions(txn, site_id, &new_defs).await?;
        defs = definitions(txn, site_id).await?;
    }
    let mut planned = Vec::with_capacity(accepted.len());
    for (index, call, values) in accepted {
        let mut by_id = Vec::with_capacity(values.len());
        for (name, value) in values {
            match defs.get(&name) {
                Some(&(id, kind)) if kinds.get(&name) == Some(&kind) => by_id.push((id, value)),
                _ => {
                    return Err(AppError::internal(anyhow::anyhow!(
                        "attribute {name} not as planned"
                    )))
                }
            }
        }
        planned.push(Planned {
            index,
            call,
            values: by_id,
        });
    }
    if planned.is_empty() {
        return Ok(());
    }

    // Links and profiles of every call, one lookup each.
    let visitors: Vec<&str> = planned.iter().map(|p| p.call.visitor.as_str()).collect();
    let links = links_of(txn, site_id, &visitors).await?;
    let linked_ids: Vec<i64> = links.values().map(|l| l.profile_id).collect();
    let linked = profiles_by_id(txn, &linked_ids).await?;
    let targets: Vec<String> = planned
        .iter()
        .map(|p| {
            let linked = links
                .get(&p.call.visitor)
                .and_then(|l| linked.get(&l.profile_id));
            // Null user_id: whoever this visitor already is (never a detach).
            match (&p.call.user, linked) {
                (None, Some(profile)) => profile.user_key.clone(),
                (user, _) => key(user.as_deref(), &p.call.visitor),
            }
        })
        .collect();
    let mut profiles = profiles_by_key(txn, site_id, &targets).await?;

    // A call goes set-wise when no other call of the group touches its visitor, its
    // profile or the profile its visitor was linked to, and it merges nothing.
    let touched: Vec<Vec<String>> = planned
        .iter()
        .zip(&targets)
        .map(|(p, target)| {
            let mut keys = vec![format!("v:{}", p.call.visitor), format!("p:{target}")];
            if let Some(l) = links
                .get(&p.call.visitor)
                .and_then(|l| linked.get(&l.profile_id))
            {
                keys.push(format!("p:{}", l.user_key));
            }
            keys.sort();
            keys.dedup();
            keys
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for k in touched.iter().flatten() {
        *uses.entry(k.as_str()).or_default() += 1;
    }
    let mut fast = Vec::with_capacity(planned.len());
    let mut slow = Vec::new();
    for ((p, target), keys) in planned.into_iter().zip(targets).zip(&touched) {
        let link = links.get(&p.call.visitor);
        let merges = link
            .and_then(|l| linked.get(&l.profile_id))
            .filter(|old| old.user_id.is_none())
            .is_some_and(|old| profiles.get(&target).map(|t| t.id) != Some(old.id));
        if merges || keys.iter().any(|k| uses.get(k.as_str()) != Some(&1)) {
            slow.push(p);
        } else {
            fast.push((p, target, link.map(|l| l.profile_id)));
        }
    }

    let at = now();
    // New profiles, then read back (one of them may have come from another node
    // meanwhile: then it is that one, as for a single call).
    let mut fresh: Vec<site_user::ActiveModel> = fast
        .iter()
        .filter(|(_, target, _)| !profiles.contains_key(target))
        .map(|(p, target, _)| new_profile(site_id, target, p.call, at))
        .collect();
    let mut created: Vec<String> = Vec::with_capacity(fresh.len());
    if !fresh.is_empty() {
        fresh.sort_by(|a, b| a.user_key.as_ref().cmp(b.user_key.as_ref()));
        if is_pg(txn) {
            pg::insert_profiles(txn, site_id, &fresh, at).await?;
        } else {
            for rows in fresh.chunks(PROFILE_ROWS) {
                site_user::Entity::insert_many(rows.iter().cloned())
                    .on_conflict(
                        OnConflict::columns([
                            site_user::Column::SiteId,
                            site_user::Column::UserKey,
                        ])
                        .do_nothing()
                        .to_owned(),
                    )
                    .exec_without_returning(txn)
                    .await?;
            }
        }
        created = fresh.iter().map(|r| r.user_key.as_ref().clone()).collect();
        profiles.extend(profiles_by_key(txn, site_id, &created).await?);
    }

    let mut updates = Vec::new();
    let mut new_links = Vec::new();
    let mut rows = Vec::new();
    let mut removals = Vec::new();
    for (p, target, linked_to) in fast {
        let profile = profiles.get(&target).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("profile {target} not found after insert"))
        })?;
        let is_new = created.binary_search(&target).is_ok();
        if let Some(updated) = visit(profile, is_new, p.call, at) {
            updates.push(updated);
        }
        if linked_to != Some(profile.id) {
            new_links.push(visitor_link::ActiveModel {
                site_id: Set(site_id),
                visitor_id: Set(p.call.visitor.clone()),
                profile_id: Set(profile.id),
                linked_at: Set(at),
            });
        }
        let mut attributes_set = 0;
        for (attribute_id, value) in &p.values {
            match value {
                Some(v) => {
                    attributes_set += 1;
                    rows.push(attribute_row(profile.id, *attribute_id, v, at));
                }
                None => removals.push((profile.id, *attribute_id)),
            }
        }
        out[p.index] = Some(Ok(Identified {
            profile_id: profile.id,
            user_id: profile.user_id.clone(),
            attributes_set,
        }));
    }
    write_profiles(txn, updates).await?;
    write_links(txn, new_links).await?;
    write_values(txn, rows, &removals).await?;

    // The rest one by one, in their order, each in a savepoint so a refused one stores
    // nothing.
    for p in slow {
        let savepoint = txn.begin().await?;
        match apply(&savepoint, site_id, p.call).await {
            Ok(done) => {
                savepoint.commit().await?;
                out[p.index] = Some(Ok(done));
            }
            Err(e) => {
                savepoint.rollback().await?;
                out[p.index] = Some(Err(e));
            }
        }
    }
    Ok(())
}

fn new_profile(
    site_id: i64,
    user_key: &str,
    call: &CheckedCall,
    at: DateTime<Utc>,
) -> site_user::ActiveModel {
    site_user::ActiveModel {
        site_id: Set(site_id),
        user_key: Set(user_key.to_owned()),
        user_id: Set(call.user.clone()),
        first_seen: Set(at),
        last_seen: Set(at),
        sessions: Set(1),
        device: Set(call.context.device.map(str::to_owned)),
        country: Set(call.context.country.clone()),
        ..Default::default()
    }
}

/// The profile's visit facts after this call, where they change (as `upsert_profile`
/// sets them: a new session after [`SESSION_GAP`], the device and country when known).
fn visit(
    profile: &site_user::Model,
    is_new: bool,
    call: &CheckedCall,
    at: DateTime<Utc>,
) -> Option<site_user::Model> {
    let mut next = profile.clone();
    next.last_seen = at.max(profile.last_seen);
    if !is_new && at - profile.last_seen > SESSION_GAP {
        next.sessions += 1;
    }
    if let Some(d) = call.context.device {
        next.device = Some(d.to_owned());
    }
    if let Some(c) = &call.context.country {
        next.country = Some(c.clone());
    }
    (next != *profile).then_some(next)
}

async fn links_of(
    txn: &impl ConnectionTrait,
    site_id: i64,
    visitors: &[&str],
) -> AppResult<HashMap<String, visitor_link::Model>> {
    let mut out = HashMap::with_capacity(visitors.len());
    if is_pg(txn) {
        for l in pg::links(txn, site_id, visitors).await? {
            out.insert(l.visitor_id.clone(), l);
        }
        return Ok(out);
    }
    for part in visitors.chunks(ROWS) {
        for l in visitor_link::Entity::find()
            .filter(visitor_link::Column::SiteId.eq(site_id))
            .filter(visitor_link::Column::VisitorId.is_in(part.iter().copied()))
            .all(txn)
            .await?
        {
            out.insert(l.visitor_id.clone(), l);
        }
    }
    Ok(out)
}

async fn profiles_by_id(
    txn: &impl ConnectionTrait,
    ids: &[i64],
) -> AppResult<HashMap<i64, site_user::Model>> {
    let mut out = HashMap::with_capacity(ids.len());
    if is_pg(txn) {
        for p in pg::profiles_by_id(txn, ids).await? {
            out.insert(p.id, p);
        }
        return Ok(out);
    }
    for part in ids.chunks(ROWS) {
        for p in site_user::Entity::find()
            .filter(site_user::Column::Id.is_in(part.iter().copied()))
            .all(txn)
            .await?
        {
            out.insert(p.id, p);
        }
    }
    Ok(out)
}

/// Profiles by user key; on PostgreSQL locked in id order, so that no other node deletes
/// (erases, merges) one before this transaction's multi-row update meets it.
async fn profiles_by_key(
    txn: &impl ConnectionTrait,
    site_id: i64,
    keys: &[String],
) -> AppResult<HashMap<String, site_user::Model>> {
    let mut out = HashMap::with_capacity(keys.len());
    if is_pg(txn) {
        for p in pg::profiles_by_key(txn, site_id, keys).await? {
            out.insert(p.user_key.clone(), p);
        }
        return Ok(out);
    }
    for part in keys.chunks(ROWS) {
        let find = site_user::Entity::find()
            .filter(site_user::Column::SiteId.eq(site_id))
            .filter(site_user::Column::UserKey.is_in(part.iter().cloned()))
            .order_by_asc(site_user::Column::Id);
        for p in find.all(txn).await? {
            out.insert(p.user_key.clone(), p);
        }
    }
    Ok(out)
}

/// Visit facts of existing (locked) profiles: an upsert of the whole row on its id that
/// always meets its row, so it updates the visit facts and nothing else.
async fn write_profiles(
    txn: &impl ConnectionTrait,
    mut rows: Vec<site_user::Model>,
) -> AppResult<()> {
    use site_user::Column as C;
    if rows.is_empty() {
        return Ok(());
    }
    rows.sort_by_key(|r| r.id);
    if is_pg(txn) {
        return pg::update_profiles(txn, &rows).await;
    }
    for part in rows.chunks(PROFILE_ROWS) {
        site_user::Entity::insert_many(
            part.iter()
                .map(|r| r.clone().into_active_model().reset_all()),
        )
        .on_conflict(
            OnConflict::column(C::Id)
                .update_columns([
                    C::FirstSeen,
                    C::LastSeen,
                    C::Sessions,
                    C::Device,
                    C::Country,
                ])
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

async fn write_links(
    txn: &impl ConnectionTrait,
    mut rows: Vec<visitor_link::ActiveModel>,
) -> AppResult<()> {
    use visitor_link::Column as C;
    rows.sort_by(|a, b| a.visitor_id.as_ref().cmp(b.visitor_id.as_ref()));
    if is_pg(txn) {
        let (site_id, at) = match rows.first() {
            Some(r) => (*r.site_id.as_ref(), *r.linked_at.as_ref()),
            None => return Ok(()),
        };
        let pairs: Vec<(&str, i64)> = rows
            .iter()
            .map(|r| (r.visitor_id.as_ref().as_str(), *r.profile_id.as_ref()))
            .collect();
        return pg::write_links(txn, site_id, &pairs, at).await;
    }
    for part in rows.chunks(ROWS) {
        visitor_link::Entity::insert_many(part.iter().cloned())
            .on_conflict(
                OnConflict::columns([C::SiteId, C::VisitorId])
                    .update_columns([C::ProfileId, C::LinkedAt])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

async fn write_values(
    txn: &impl ConnectionTrait,
    mut rows: Vec<user_attribute::ActiveModel>,
    removals: &[(i64, i64)],
) -> AppResult<()> {
    use user_attribute::Column as C;
    rows.sort_by_key(|r| (*r.profile_id.as_ref(), *r.attribute_id.as_ref()));
    if is_pg(txn) {
        if !rows.is_empty() {
            pg::write_values(txn, &rows).await?;
        }
        if !removals.is_empty() {
            pg::delete_values(txn, removals).await?;
        }
        return Ok(());
    }
    for part in rows.chunks(ROWS) {
        user_attribute::Entity::insert_many(part.iter().cloned())
            .on_conflict(super::identify::value_upsert())
            .exec_without_returning(txn)
            .await?;
    }
    for part in removals.chunks(ROWS) {
        let mut any = Condition::any();
        for &(profile_id, attribute_id) in part {
            any = any.add(
                Condition::all()
                    .add(C::ProfileId.eq(profile_id))
                    .add(C::AttributeId.eq(attribute_id)),
            );
        }
        user_attribute::Entity::delete_many()
            .filter(any)
            .exec(txn)
            .await?;
    }
    Ok(())
}

fn is_pg(txn: &impl ConnectionTrait) -> bool {
    txn.get_database_backend() == DbBackend::Postgres
}
