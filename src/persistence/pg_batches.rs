//! PostgreSQL's statements for the budget group writer. Each has one fixed SQL text whatever the
//! batch's size — rows travel as arrays and are unpacked by `UNNEST` — so a connection prepares
//! and plans it once and reuses it, where a multi-row `VALUES` list or an `IN (…)` list is a new
//! statement for every batch size (parsed, planned and evicted from the statement cache again and
//! again). SQLite keeps the generic statements of the callers in `budgets` and `outbox`.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DbBackend, DbErr, FromQueryResult, IdenStatic, Iterable, Statement,
    sea_query::{ArrayType, Value},
};

use super::budgets::{BatchRows, LedgerRow, Moved, ReservationRow};
use super::entities::{budget, budget_reservation, email_outbox, subscription};
use super::outbox::NewOutboxEvent;
use crate::domain::budget::{Budget, ReservationStatus};

/// True when `conn` talks to PostgreSQL (these statements apply).
pub(super) fn applies<C: ConnectionTrait>(conn: &C) -> bool {
    conn.get_database_backend() == DbBackend::Postgres
}

fn array<T>(ty: ArrayType, items: impl Iterator<Item = T>, value: impl Fn(T) -> Value) -> Value {
    Value::Array(ty, Some(Box::new(items.map(value).collect())))
}

fn texts<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    array(ArrayType::String, items, |s| {
        Value::String(Some(s.to_owned()))
    })
}

fn bigints(items: impl Iterator<Item = i64>) -> Value {
    array(ArrayType::BigInt, items, |n| Value::BigInt(Some(n)))
}

fn times(items: impl Iterator<Item = DateTime<Utc>>) -> Value {
    array(ArrayType::ChronoDateTimeUtc, items, |t| {
        Value::ChronoDateTimeUtc(Some(t))
    })
}

fn bools(items: impl Iterator<Item = bool>) -> Value {
    array(ArrayType::Bool, items, |b| Value::Bool(Some(b)))
}

async fn execute<C: ConnectionTrait>(
    conn: &C,
    sql: &str,
    values: Vec<Value>,
) -> Result<u64, DbErr> {
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    Ok(conn.execute_raw(stmt).await?.rows_affected())
}

/// Locks these reservations, then these budgets, each in id order (the order every one-by-one
/// settlement takes them), in one round trip. Answers each locked budget with, beside it, the
/// locked reservations of its subscription (a reservation of another subscription is locked but
/// not answered).
pub(super) async fn lock_settling<C: ConnectionTrait>(
    conn: &C,
    reservation_ids: &[&str],
    budget_ids: &[&str],
) -> Result<(Vec<budget::Model>, Vec<ReservationRow>), DbErr> {
    // `b` reads the count of `r` before it locks a budget row, so every reservation is locked
    // first; a materialised CTE is evaluated once, whoever reads it.
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let columns: Vec<String> = budget_reservation::Column::iter()
            .map(|c| format!("r.{0} AS r_{0}", c.as_str()))
            .collect();
        format!(
            "WITH r AS MATERIALIZED (SELECT * FROM budget_reservations WHERE id = ANY($1) \
                 ORDER BY id FOR UPDATE), \
             b AS MATERIALIZED (SELECT * FROM budgets WHERE subscription_id = ANY($2) \
                 AND (SELECT count(*) FROM r) >= 0 ORDER BY subscription_id FOR UPDATE) \
             SELECT b.*, {} FROM b LEFT JOIN r ON r.subscription_id = b.subscription_id",
            columns.join(", ")
        )
    });
    let values = [
        texts(reservation_ids.iter().copied()),
        texts(budget_ids.iter().copied()),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, SQL.as_str(), values);
    let mut budgets: Vec<budget::Model> = Vec::new();
    let mut reservations = Vec::new();
    for row in conn.query_all_raw(stmt).await? {
        if row.try_get::<Option<String>>("", "r_id")?.is_some() {
            reservations.push(ReservationRow::from_query_result(&row, "r_")?);
        }
        budgets.push(budget::Model::from_query_result(&row, "")?);
    }
    // A budget comes once per reservation of it.
    budgets.sort_unstable_by(|a, b| a.subscription_id.cmp(&b.subscription_id));
    budgets.dedup_by(|a, b| a.subscription_id == b.subscription_id);
    Ok((budgets, reservations))
}

/// Locks these budgets, in id order (a batch of holds only: no reservation to lock).
pub(super) async fn lock_budgets<C: ConnectionTrait>(
    conn: &C,
    budget_ids: &[&str],
) -> Result<Vec<budget::Model>, DbErr> {
    const SQL: &str = "SELECT * FROM budgets WHERE subscription_id = ANY($1) \
         ORDER BY subscription_id FOR UPDATE";
    let stmt = Statement::from_sql_and_values(
        DbBackend::Postgres,
        SQL,
        [texts(budget_ids.iter().copied())],
    );
    budget::Model::find_by_statement(stmt).all(conn).await
}

/// One statement's text and values: run alone, or as one part of [`write_budget_batch`].
struct Part {
    sql: &'static str,
    values: Vec<Value>,
}

impl Part {
    async fn execute<C: ConnectionTrait>(self, conn: &C) -> Result<u64, DbErr> {
        execute(conn, self.sql, self.values).await
    }
}

fn commit_reservations_part(settled: &[(&str, i64, &str)], now: DateTime<Utc>) -> Part {
    Part {
        sql: "UPDATE budget_reservations AS r \
             SET status = $5, committed_tokens = v.charged, usage_id = v.usage_id, \
                 capped = FALSE, settled_at = $4 \
             FROM UNNEST($1::text[], $2::bigint[], $3::text[]) AS v(id, charged, usage_id) \
             WHERE r.id = v.id AND r.status = $6 AND (SELECT count(*) FROM lb) >= 0",
        values: vec![
            texts(settled.iter().map(|s| s.0)),
            bigints(settled.iter().map(|s| s.1)),
            texts(settled.iter().map(|s| s.2)),
            now.into(),
            ReservationStatus::Committed.as_str().into(),
            ReservationStatus::Held.as_str().into(),
        ],
    }
}

/// True when every row is a fresh hold, whose settlement columns [`insert_holds_part`] leaves
/// empty.
fn fresh_holds(rows: &[ReservationRow]) -> bool {
    rows.iter()
        .all(|r| r.committed_tokens.is_none() && r.usage_id.is_none() && r.settled_at.is_none())
}

/// Inserted once `lb` locked the budgets: a hold's idempotency key, unique per budget, is taken
/// only under its budget's lock, as on every other path.
fn insert_holds_part(rows: &[ReservationRow]) -> Part {
    Part {
        sql: "INSERT INTO budget_reservations \
             (id, subscription_id, pod_id, session_id, model, tokens, status, idempotency_key, \
              capped, period_start_at, created_at, expires_at) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                 $6::bigint[], $7::text[], $8::text[], $9::bool[], $10::timestamptz[], \
                 $11::timestamptz[], $12::timestamptz[]) \
             WHERE (SELECT count(*) FROM lb) >= 0",
        values: vec![
            texts(rows.iter().map(|r| r.id.as_str())),
            texts(rows.iter().map(|r| r.subscription_id.as_str())),
            texts(rows.iter().map(|r| r.pod_id.as_str())),
            texts(rows.iter().map(|r| r.session_id.as_str())),
            texts(rows.iter().map(|r| r.model.as_str())),
            bigints(rows.iter().map(|r| r.tokens)),
            texts(rows.iter().map(|r| r.status.as_str())),
            texts(rows.iter().map(|r| r.idempotency_key.as_str())),
            bools(rows.iter().map(|r| r.capped)),
            times(rows.iter().map(|r| r.period_start_at)),
            times(rows.iter().map(|r| r.created_at)),
            times(rows.iter().map(|r| r.expires_at)),
        ],
    }
}

fn ledger_part(rows: &[LedgerRow]) -> Part {
    Part {
        // Arrays carry no NULLs here: `has_event` says which rows have an event id.
        sql: "INSERT INTO budget_ledger \
             (id, subscription_id, pod_id, session_id, kind, reservation_id, event_id, \
              held_delta, committed_delta, tokens_in, tokens_out, tokens_cached, \
              tokens_reasoning, model, period_start_at, occurred_at, recorded_at) \
             SELECT id, subscription_id, pod_id, session_id, kind, reservation_id, \
                 CASE WHEN has_event THEN event_id END, held_delta, committed_delta, tokens_in, \
                 tokens_out, tokens_cached, tokens_reasoning, model, period_start_at, \
                 occurred_at, recorded_at \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::bool[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[], \
                 $12::bigint[], $13::bigint[], $14::bigint[], $15::text[], $16::timestamptz[], \
                 $17::timestamptz[], $18::timestamptz[]) \
             AS v(id, subscription_id, pod_id, session_id, kind, reservation_id, has_event, \
                 event_id, held_delta, committed_delta, tokens_in, tokens_out, tokens_cached, \
                 tokens_reasoning, model, period_start_at, occurred_at, recorded_at)",
        values: vec![
            texts(rows.iter().map(|r| r.id.as_str())),
            texts(rows.iter().map(|r| r.subscription_id.as_str())),
            texts(rows.iter().map(|r| r.pod_id.as_str())),
            texts(rows.iter().map(|r| r.session_id.as_str())),
            texts(rows.iter().map(|r| r.kind.as_str())),
            texts(rows.iter().map(|r| r.reservation_id.as_str())),
            bools(rows.iter().map(|r| r.event_id.is_some())),
            texts(rows.iter().map(|r| r.event_id.as_deref().unwrap_or(""))),
            bigints(rows.iter().map(|r| r.held_delta)),
            bigints(rows.iter().map(|r| r.committed_delta)),
            bigints(rows.iter().map(|r| r.tokens_in)),
            bigints(rows.iter().map(|r| r.tokens_out)),
            bigints(rows.iter().map(|r| r.tokens_cached)),
            bigints(rows.iter().map(|r| r.tokens_reasoning)),
            texts(rows.iter().map(|r| r.model.as_str())),
            times(rows.iter().map(|r| r.period_start_at)),
            times(rows.iter().map(|r| r.occurred_at)),
            times(rows.iter().map(|r| r.recorded_at)),
        ],
    }
}

/// Appends outbox events, their `seq` in the order given (the relay publishes by it).
pub(super) async fn append_events<C: ConnectionTrait>(
    conn: &C,
    events: &[NewOutboxEvent],
) -> Result<(), DbErr> {
    events_part(events).execute(conn).await?;
    Ok(())
}

fn events_part(events: &[NewOutboxEvent]) -> Part {
    Part {
        sql: "INSERT INTO outbox_events \
             (event_id, aggregate_type, aggregate_id, event_type, schema_version, payload, \
              created_at, attempts) \
             SELECT event_id, aggregate_type, aggregate_id, event_type, schema_version, payload, \
                 created_at, 0 \
             FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], \
                 $6::bytea[], $7::timestamptz[]) WITH ORDINALITY \
             AS v(event_id, aggregate_type, aggregate_id, event_type, schema_version, payload, \
                 created_at, n) \
             ORDER BY n",
        values: vec![
            texts(events.iter().map(|e| e.event_id.as_str())),
            texts(events.iter().map(|e| e.aggregate_type)),
            texts(events.iter().map(|e| e.aggregate_id.as_str())),
            texts(events.iter().map(|e| e.event_type.as_str())),
            array(ArrayType::Int, events.iter(), |e| {
                Value::Int(Some(e.schema_version))
            }),
            array(ArrayType::Bytes, events.iter(), |e| {
                Value::Bytes(Some(e.payload.clone()))
            }),
            times(events.iter().map(|e| e.created_at)),
        ],
    }
}

fn counters_part(counters: &[Moved<'_>], now: DateTime<Utc>) -> Part {
    let was = |f: fn(&Budget) -> i64| bigints(counters.iter().map(|m| f(m.was)));
    Part {
        // Written only where the row is still exactly as the batch decided against it: a batch
        // decided from what its writer remembers ([`write_budget_batch`]) finds out here whether
        // anything else moved the budget since. Compared with the row as `lb` locked it — the
        // latest version, once an earlier batch's commit released it — not with `b`, which this
        // statement's snapshot may show as it was before that commit.
        sql: "UPDATE budgets AS b \
             SET held_tokens = v.held, committed_tokens = v.committed, updated_at = $4 \
             FROM UNNEST($1::text[], $2::bigint[], $3::bigint[], $5::text[], $6::bigint[], \
                 $7::bigint[], $8::bigint[], $9::int[], $10::timestamptz[], $11::bool[], \
                 $12::timestamptz[], $13::timestamptz[]) \
             AS v(id, held, committed, pod_id, limit_tokens, was_committed, was_held, mask, \
                 period_start_at, has_end, period_end_at, updated_at) \
             JOIN lb ON lb.subscription_id = v.id \
             WHERE b.subscription_id = v.id \
                 AND lb.pod_id = v.pod_id AND lb.limit_tokens = v.limit_tokens \
                 AND lb.committed_tokens = v.was_committed AND lb.held_tokens = v.was_held \
                 AND lb.thresholds_crossed = v.mask AND lb.period_start_at = v.period_start_at \
                 AND lb.period_end_at IS NOT DISTINCT FROM \
                     (CASE WHEN v.has_end THEN v.period_end_at END) \
                 AND lb.updated_at = v.updated_at",
        values: vec![
            texts(counters.iter().map(|m| m.now.subscription_id.as_str())),
            bigints(counters.iter().map(|m| m.now.held_tokens)),
            bigints(counters.iter().map(|m| m.now.committed_tokens)),
            now.into(),
            texts(counters.iter().map(|m| m.was.pod_id.as_str())),
            was(|b| b.limit_tokens),
            was(|b| b.committed_tokens),
            was(|b| b.held_tokens),
            array(ArrayType::Int, counters.iter(), |m| {
                Value::Int(Some(m.was.thresholds_mask))
            }),
            times(counters.iter().map(|m| m.was.period_start_at)),
            bools(counters.iter().map(|m| m.was.period_end_at.is_some())),
            times(
                counters
                    .iter()
                    .map(|m| m.was.period_end_at.unwrap_or(m.was.period_start_at)),
            ),
            times(counters.iter().map(|m| m.was.updated_at)),
        ],
    }
}

/// Locks the reservations a batch settles, in id order (the order every one-by-one settlement
/// takes them), before [`lock_moved_part`] locks its budgets.
fn lock_settled_part(settled: &[(&str, i64, &str)]) -> Part {
    Part {
        sql: "SELECT id FROM budget_reservations WHERE id = ANY($1) ORDER BY id FOR UPDATE",
        values: vec![texts(settled.iter().map(|s| s.0))],
    }
}

/// The budgets of `$1` locked in id order, read as locked, with `$extra` in the `WHERE` clause.
macro_rules! locked_budgets {
    ($extra:literal) => {
        concat!(
            "SELECT subscription_id, pod_id, limit_tokens, committed_tokens, held_tokens, \
                 thresholds_crossed, period_start_at, period_end_at, updated_at \
             FROM budgets WHERE subscription_id = ANY($1) ",
            $extra,
            "ORDER BY subscription_id FOR UPDATE"
        )
    };
}

/// Locks the budgets a batch moves, in id order, after the reservations of `lr` when there are
/// any (the writing parts read its count, so every lock is taken before any row is written), and
/// reads them as locked: the latest version of each.
fn lock_moved_part(counters: &[Moved<'_>], settling: bool) -> Part {
    Part {
        sql: if settling {
            locked_budgets!("AND (SELECT count(*) FROM lr) >= 0 ")
        } else {
            locked_budgets!("")
        },
        values: vec![texts(
            counters.iter().map(|m| m.now.subscription_id.as_str()),
        )],
    }
}

/// What [`write_budget_batch`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BatchCounts {
    /// Reservations marked committed (those still held).
    pub settled: u64,
    /// Budgets written (those still as the batch saw them).
    pub moved: u64,
}

/// Everything a budget batch writes, in one statement (one round trip): it locks the settled
/// reservations and then the budgets, each in id order, and writes the settled reservations, the
/// new holds, the ledger, the outbox events and the counters, each a data-modifying `WITH` part.
/// The parts touch different rows and read nothing another part writes, so running them under
/// one snapshot changes nothing; the database still applies all or none. A batch of holds only
/// has a statement of its own, without the parts it would leave empty (each part opens its table
/// and indexes even for no row). The holds must be [`fresh_holds`].
///
/// The counters are written only where a budget is still exactly as the batch saw it, and the
/// answer counts what was settled and moved: a caller that decided against remembered figures
/// rather than rows it locked rolls back when a count falls short.
pub(super) async fn write_budget_batch<C: ConnectionTrait>(
    conn: &C,
    rows: &BatchRows<'_>,
    now: DateTime<Utc>,
) -> Result<BatchCounts, DbErr> {
    if !fresh_holds(rows.holds) {
        return Err(DbErr::Custom("a batch inserts only fresh holds".to_owned()));
    }
    // The texts do not depend on the rows: built once, from none.
    static ALL: LazyLock<String> =
        LazyLock::new(|| combined(&all_parts(&BatchRows::default(), DateTime::UNIX_EPOCH)));
    static HOLDS: LazyLock<String> =
        LazyLock::new(|| combined(&holds_parts(&BatchRows::default(), DateTime::UNIX_EPOCH)));
    let holds_only = rows.settled.is_empty() && rows.events.is_empty();
    let (sql, parts): (&str, Vec<Cte>) = if holds_only {
        (&HOLDS, holds_parts(rows, now).into())
    } else {
        (&ALL, all_parts(rows, now).into())
    };
    let values: Vec<Value> = parts.into_iter().flat_map(|cte| cte.part.values).collect();
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    let row = conn
        .query_one_raw(stmt)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("the batch statement's counts".to_owned()))?;
    let count = |i| row.try_get_by_index::<i64>(i).map(i64::unsigned_abs);
    Ok(BatchCounts {
        // The holds-only statement's first count is of the holds it inserted.
        settled: if holds_only { 0 } else { count(0)? },
        moved: count(1)?,
    })
}

/// One `WITH` part of [`write_budget_batch`]'s statement.
struct Cte {
    name: &'static str,
    /// Locks rows: evaluated once, whoever reads it.
    locks: bool,
    /// Its rows are counted in the answer.
    counted: bool,
    part: Part,
}

fn cte(name: &'static str, part: Part) -> Cte {
    Cte {
        name,
        locks: false,
        counted: false,
        part,
    }
}

fn lock(name: &'static str, part: Part) -> Cte {
    Cte {
        locks: true,
        ..cte(name, part)
    }
}

fn counted(name: &'static str, part: Part) -> Cte {
    Cte {
        counted: true,
        ..cte(name, part)
    }
}

/// The parts of [`write_budget_batch`]; the settled reservations' and the counters' counted.
fn all_parts(rows: &BatchRows<'_>, now: DateTime<Utc>) -> [Cte; 7] {
    [
        lock("lr", lock_settled_part(&rows.settled)),
        lock("lb", lock_moved_part(&rows.counters, true)),
        counted("p0", commit_reservations_part(&rows.settled, now)),
        cte("p1", insert_holds_part(rows.holds)),
        cte("p2", ledger_part(&rows.ledger)),
        cte("p3", events_part(&rows.events)),
        counted("p4", counters_part(&rows.counters, now)),
    ]
}

/// The parts of a batch of holds only; the holds' and the counters' counted.
fn holds_parts(rows: &BatchRows<'_>, now: DateTime<Utc>) -> [Cte; 4] {
    [
        lock("lb", lock_moved_part(&rows.counters, false)),
        counted("p0", insert_holds_part(rows.holds)),
        cte("p1", ledger_part(&rows.ledger)),
        counted("p2", counters_part(&rows.counters, now)),
    ]
}

/// `WITH lb AS MATERIALIZED (…), p0 AS (… RETURNING 1), p1 AS (…), … SELECT (SELECT count(*)
/// FROM p0), …` — a count per counted part — each part's placeholders renumbered after the
/// previous parts'.
fn combined(ctes: &[Cte]) -> String {
    let mut sql = String::from("WITH ");
    let mut offset = 0;
    for (i, cte) in ctes.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        let materialized = if cte.locks { "MATERIALIZED " } else { "" };
        let returning = if cte.counted { " RETURNING 1" } else { "" };
        sql.push_str(&format!(
            "{} AS {materialized}({}{returning})",
            cte.name,
            renumbered(cte.part.sql, offset)
        ));
        offset += cte.part.values.len();
    }
    let counts: Vec<String> = ctes
        .iter()
        .filter(|cte| cte.counted)
        .map(|cte| format!("(SELECT count(*) FROM {})", cte.name))
        .collect();
    sql.push_str(&format!(" SELECT {}", counts.join(", ")));
    sql
}

/// `sql` with every placeholder `$n` made `$(n + by)`.
fn renumbered(sql: &str, by: usize) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..=at]);
        rest = &rest[at + 1..];
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        match rest[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + by).to_string()),
            Err(_) => out.push_str(&rest[..digits]),
        }
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

/// Inserts new subscriptions, skipping any that a unique index refuses (a live trial for the
/// email, a repeated idempotency key, …); answers the ids inserted, or `None` (nothing written)
/// when a row is not a fresh signup, whose later columns this statement leaves empty.
pub(super) async fn insert_signups<C: ConnectionTrait>(
    conn: &C,
    rows: &[subscription::Model],
) -> Result<Option<Vec<String>>, DbErr> {
    let fresh = |r: &subscription::Model| {
        r.api_key_rotated_at.is_none()
            && r.key_recovery_token_hash.is_none()
            && r.key_recovery_expires_at.is_none()
            && r.activated_at.is_none()
            && r.provisioning_started_at.is_none()
            && r.period_start_at.is_none()
            && r.period_end_at.is_none()
            && r.cancelled_at.is_none()
            && r.destroyed_at.is_none()
            && r.activation_token_hash.is_some() == r.activation_token_expires_at.is_some()
            && [
                &r.activation_token_hash,
                &r.idempotency_key,
                &r.request_fingerprint,
                &r.live_trial_email,
            ]
            .iter()
            .all(|v| v.as_deref() != Some(""))
    };
    if !rows.iter().all(fresh) {
        return Ok(None);
    }
    // Text arrays carry no NULLs: an empty string stands for one (no such value is ever empty).
    const SQL: &str = "INSERT INTO subscriptions \
         (id, email, name, plan, status, status_reason, country_code, tax_id, phone_number, \
          language, mode, price_cents, currency, token_limit, tokens_used, pod_id, api_key_hash, \
          activation_token_hash, activation_token_expires_at, idempotency_key, \
          request_fingerprint, live_trial_email, created_at, updated_at) \
         SELECT id, email, name, plan, status, status_reason, country_code, tax_id, phone_number, \
             language, mode, price_cents, currency, token_limit, tokens_used, pod_id, \
             api_key_hash, NULLIF(activation_token_hash, ''), \
             CASE WHEN activation_token_hash = '' THEN NULL ELSE activation_token_expires_at END, \
             NULLIF(idempotency_key, ''), NULLIF(request_fingerprint, ''), \
             NULLIF(live_trial_email, ''), created_at, updated_at \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
             $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], \
             $13::text[], $14::bigint[], $15::bigint[], $16::text[], $17::text[], $18::text[], \
             $19::timestamptz[], $20::text[], $21::text[], $22::text[], $23::timestamptz[], \
             $24::timestamptz[]) \
         AS v(id, email, name, plan, status, status_reason, country_code, tax_id, phone_number, \
             language, mode, price_cents, currency, token_limit, tokens_used, pod_id, \
             api_key_hash, activation_token_hash, activation_token_expires_at, idempotency_key, \
             request_fingerprint, live_trial_email, created_at, updated_at) \
         ON CONFLICT DO NOTHING \
         RETURNING id";
    let text = |f: fn(&subscription::Model) -> &str| texts(rows.iter().map(f));
    let optional = |f: fn(&subscription::Model) -> &Option<String>| {
        texts(rows.iter().map(|r| f(r).as_deref().unwrap_or("")))
    };
    let values = vec![
        text(|r| &r.id),
        text(|r| &r.email),
        text(|r| &r.name),
        text(|r| &r.plan),
        text(|r| &r.status),
        text(|r| &r.status_reason),
        text(|r| &r.country_code),
        text(|r| &r.tax_id),
        text(|r| &r.phone_number),
        text(|r| &r.language),
        text(|r| &r.mode),
        bigints(rows.iter().map(|r| r.price_cents)),
        text(|r| &r.currency),
        bigints(rows.iter().map(|r| r.token_limit)),
        bigints(rows.iter().map(|r| r.tokens_used)),
        text(|r| &r.pod_id),
        text(|r| &r.api_key_hash),
        optional(|r| &r.activation_token_hash),
        times(
            rows.iter()
                .map(|r| r.activation_token_expires_at.unwrap_or(r.created_at)),
        ),
        optional(|r| &r.idempotency_key),
        optional(|r| &r.request_fingerprint),
        optional(|r| &r.live_trial_email),
        times(rows.iter().map(|r| r.created_at)),
        times(rows.iter().map(|r| r.updated_at)),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, SQL, values);
    let inserted = conn.query_all_raw(stmt).await?;
    inserted
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// Inserts queued emails.
pub(super) async fn insert_emails<C: ConnectionTrait>(
    conn: &C,
    rows: &[email_outbox::Model],
) -> Result<Option<()>, DbErr> {
    let fresh = |r: &email_outbox::Model| {
        r.sent_at.is_none() && r.provider_message_id.is_none() && r.last_error.is_none()
    };
    if !rows.iter().all(fresh) {
        return Ok(None);
    }
    const SQL: &str = "INSERT INTO email_outbox \
         (id, recipient, subject, text_body, html_body, attempts, next_attempt_at, created_at) \
         SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
             $6::int[], $7::timestamptz[], $8::timestamptz[])";
    execute(
        conn,
        SQL,
        vec![
            texts(rows.iter().map(|r| r.id.as_str())),
            texts(rows.iter().map(|r| r.recipient.as_str())),
            texts(rows.iter().map(|r| r.subject.as_str())),
            texts(rows.iter().map(|r| r.text_body.as_str())),
            texts(rows.iter().map(|r| r.html_body.as_str())),
            array(ArrayType::Int, rows.iter(), |r| {
                Value::Int(Some(r.attempts))
            }),
            times(rows.iter().map(|r| r.next_attempt_at)),
            times(rows.iter().map(|r| r.created_at)),
        ],
    )
    .await?;
    Ok(Some(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_after_the_previous_parts() {
        assert_eq!(
            renumbered("a = $1 AND b = $12::int[], $", 5),
            "a = $6 AND b = $17::int[], $"
        );
        let parts = [
            lock(
                "l",
                Part {
                    sql: "SELECT id FROM t WHERE id = $1 FOR UPDATE",
                    values: vec![1.into()],
                },
            ),
            counted(
                "p0",
                Part {
                    sql: "UPDATE t SET a = $1",
                    values: vec![2.into()],
                },
            ),
            cte(
                "p1",
                Part {
                    sql: "INSERT INTO u SELECT $1, $2",
                    values: vec![3.into(), 4.into()],
                },
            ),
            counted(
                "p2",
                Part {
                    sql: "DELETE FROM v WHERE a = $1",
                    values: vec![5.into()],
                },
            ),
        ];
        assert_eq!(
            combined(&parts),
            "WITH l AS MATERIALIZED (SELECT id FROM t WHERE id = $1 FOR UPDATE), \
             p0 AS (UPDATE t SET a = $2 RETURNING 1), p1 AS (INSERT INTO u SELECT $3, $4), \
             p2 AS (DELETE FROM v WHERE a = $5 RETURNING 1) \
             SELECT (SELECT count(*) FROM p0), (SELECT count(*) FROM p2)"
        );
    }
}
