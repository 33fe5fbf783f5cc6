//! Processed webhook deliveries (dedupe by PayPal event id).

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
