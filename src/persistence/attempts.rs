//! Windowed attempt counters in the database (the store when no Redis is configured).

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::entities::attempt_counter::{ActiveModel, Column, Entity};

/// Adds `delta` to the count of `(scope, subject)` in the window starting at `window_start` and
/// returns the new count: one atomic upsert, so racing attempts each see a distinct count.
pub async fn add<C: ConnectionTrait>(
    conn: &C,
    scope: &str,
    subject: &str,
    window_start: i64,
    delta: i64,
) -> Result<i64, DbErr> {
    let row = ActiveModel {
        scope: Set(scope.to_owned()),
        subject: Set(subject.to_owned()),
        window_start: Set(window_start),
        count: Set(delta),
    };
    let saved = Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::Scope, Column::Subject, Column::WindowStart])
                .value(
                    Column::Count,
                    Expr::col((Entity, Column::Count)).add(Expr::cust("excluded.count")),
                )
                .to_owned(),
        )
        .exec_with_returning(conn)
        .await?;
    Ok(saved.count)
}

/// Forgets `(scope, subject)` in every window (a successful login clears its account's count).
pub async fn clear<C: ConnectionTrait>(conn: &C, scope: &str, subject: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Scope.eq(scope))
        .filter(Column::Subject.eq(subject))
        .exec(conn)
        .await?;
    Ok(())
}

/// Deletes windows that started before `before` (seconds since the epoch).
pub async fn prune<C: ConnectionTrait>(conn: &C, before: i64) -> Result<u64, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::WindowStart.lt(before))
        .exec(conn)
        .await?
        .rows_affected)
}
