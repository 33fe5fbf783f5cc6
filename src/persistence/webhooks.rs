//! Processed external events, by id: PayPal webhook deliveries (dedupe by event id), refunds
//! already applied (`refund:<id>`), and admin refund requests (`admin-refund:<payment>:<key>`).

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, Statement};

/// Records a delivery inside the caller's transaction. Returns false when the event id was
/// already recorded (a redelivery).
pub async fn record_once<C: ConnectionTrait>(
    conn: &C,
    event_id: &str,
    event_type: &str,
    resource_id: &str,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "INSERT INTO webhook_events (event_id, event_type, resource_id, outcome, received_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (event_id) DO NOTHING"
        }
        _ => {
            "INSERT INTO webhook_events (event_id, event_type, resource_id, outcome, received_at) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING"
        }
    };
    let result = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [
                event_id.into(),
                event_type.into(),
                resource_id.into(),
                outcome.into(),
                now.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The resource id and outcome recorded under `event_id`, if any.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    event_id: &str,
) -> Result<Option<(String, String)>, DbErr> {
    let backend = conn.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => {
            "SELECT resource_id, outcome FROM webhook_events WHERE event_id = $1"
        }
        _ => "SELECT resource_id, outcome FROM webhook_events WHERE event_id = ?",
    };
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [event_id.into()],
        ))
        .await?;
    row.map(|row| Ok((row.try_get("", "resource_id")?, row.try_get("", "outcome")?)))
        .transpose()
}
