//! The outbox table on both databases: an event commits or rolls back with its transaction; and
//! transactions begun ahead.

use std::time::Duration;

use gpubroker::persistence::begun::Begun;
use gpubroker::persistence::outbox::{self, NewOutboxEvent};
use sea_orm::{
    ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, Statement,
    TransactionTrait,
};

use crate::helpers::{eventually, fresh_postgres_database, spawn_app, spawn_app_sqlite};

fn event(id: &str) -> NewOutboxEvent {
    NewOutboxEvent {
        event_id: id.to_owned(),
        aggregate_type: "subscription",
        aggregate_id: "sub_test".to_owned(),
        event_type: "gpubroker.v1.SubscriptionCreated".into(),
        schema_version: 1,
        payload: vec![1, 2, 3],
        created_at: chrono::Utc::now(),
    }
}

async fn outbox_follows_the_transaction(db: &DatabaseConnection) {
    let committed = db.begin().await.unwrap();
    outbox::append(&committed, event("evt_committed"))
        .await
        .unwrap();
    committed.commit().await.unwrap();

    let rolled_back = db.begin().await.unwrap();
    outbox::append(&rolled_back, event("evt_rolled_back"))
        .await
        .unwrap();
    rolled_back.rollback().await.unwrap();

    outbox::append(db, event("evt_second")).await.unwrap();
    let rows = outbox::list(db, 10).await.unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.event_id.as_str()).collect();
    assert_eq!(ids, ["evt_committed", "evt_second"]);
    assert!(rows[0].seq < rows[1].seq);
    assert_eq!(rows[0].payload, vec![1, 2, 3]);
    assert!(rows[0].published_at.is_none());
    // Event ids are unique: a duplicate write fails instead of publishing twice.
    assert!(outbox::append(db, event("evt_committed")).await.is_err());
}

#[tokio::test]
async fn outbox_on_postgres() {
    let app = spawn_app().await;
    outbox_follows_the_transaction(&app.db).await;
}

#[tokio::test]
async fn outbox_on_sqlite() {
    let app = spawn_app_sqlite().await;
    outbox_follows_the_transaction(&app.db).await;
}

/// Transactions begun ahead (the budget writer's): the one lent next is the spare begun while the
/// previous one was in use, each applies all or nothing, and a spare nobody takes is rolled back,
/// so a quiet server keeps no connection idle in a transaction.
#[tokio::test]
async fn transactions_begun_ahead_are_whole_and_none_lingers_idle_in_one() {
    let url = fresh_postgres_database().await;
    let db = Database::connect(url).await.unwrap();
    db.execute_unprepared("CREATE TABLE t (v int)")
        .await
        .unwrap();
    let idle_pids = || idle_in_transaction(&db);

    // Spares kept for as long as the test takes.
    let begun = Begun::with_linger(db.clone(), Duration::from_secs(600));
    let first = begun.begin().await.unwrap();
    let lent = pid(&first).await;
    let spare = eventually(30, "a spare begun while the first is in use", || async {
        let pids = idle_pids().await;
        (pids.len() == 2).then(|| pids.into_iter().find(|p| *p != lent).unwrap())
    })
    .await;
    first
        .execute_unprepared("INSERT INTO t VALUES (1)")
        .await
        .unwrap();
    first.rollback().await.unwrap();
    let second = begun.begin().await.unwrap();
    assert_eq!(pid(&second).await, spare, "the spare is lent next");
    second
        .execute_unprepared("INSERT INTO t VALUES (2)")
        .await
        .unwrap();
    second.commit().await.unwrap();
    let spare_left = eventually(30, "the next spare begun", || async {
        let pids = idle_pids().await;
        (pids.len() == 1).then(|| pids[0])
    })
    .await;
    let sum = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT coalesce(sum(v), 0)::int FROM t",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i32>(0)
        .unwrap();
    assert_eq!(
        sum, 2,
        "the rolled-back insert is gone, the committed one kept"
    );

    // A spare left unused for its linger is rolled back (the first one lingers on meanwhile).
    let begun = Begun::with_linger(db.clone(), Duration::from_secs(2));
    begun.begin().await.unwrap().commit().await.unwrap();
    eventually(30, "the new spare begun", || async {
        (idle_pids().await.len() == 2).then_some(())
    })
    .await;
    eventually(30, "the unused spare rolled back", || async {
        (idle_pids().await == [spare_left]).then_some(())
    })
    .await;
}

/// The server processes of this test's database (each test has its own) idle in a transaction.
async fn idle_in_transaction(db: &DatabaseConnection) -> Vec<i32> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() \
             AND state LIKE 'idle in transaction%' ORDER BY pid",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| row.try_get_by_index::<i32>(0).unwrap())
        .collect()
}

/// The server process behind `txn`.
async fn pid(txn: &DatabaseTransaction) -> i32 {
    let stmt = Statement::from_string(DbBackend::Postgres, "SELECT pg_backend_pid()");
    let row = txn.query_one_raw(stmt).await.unwrap().unwrap();
    row.try_get_by_index::<i32>(0).unwrap()
}

/// Transactions lent for batches find rows by key with an index even on a table that is small
/// when the plan is made: a connection keeps a plan, and a sequential scan planned over a few
/// rows would be kept as the table grows (every reservation read to lock the few settled).
#[tokio::test]
async fn transactions_begun_ahead_find_rows_by_key_on_a_table_still_small() {
    let url = fresh_postgres_database().await;
    let db = Database::connect(url).await.unwrap();
    db.execute_unprepared(
        "CREATE TABLE k (id text PRIMARY KEY, v int); \
         INSERT INTO k SELECT 'k' || n, n FROM generate_series(1, 20) AS n; ANALYZE k",
    )
    .await
    .unwrap();
    let plan = |txn: DatabaseTransaction| async move {
        let rows = txn
            .query_all_raw(Statement::from_string(
                DbBackend::Postgres,
                "EXPLAIN SELECT id FROM k WHERE id = ANY('{k1,k2}'::text[]) ORDER BY id FOR UPDATE",
            ))
            .await
            .unwrap();
        txn.rollback().await.unwrap();
        rows.iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let alone = plan(db.begin().await.unwrap()).await;
    assert!(
        alone.contains("Seq Scan"),
        "the table is small enough for a scan outside a batch:\n{alone}"
    );
    let begun = Begun::with_linger(db.clone(), Duration::from_secs(600));
    let first = begun.begin().await.unwrap();
    let lent = pid(&first).await;
    // The first one is begun when asked for (there is no spare yet); wait for the spare begun
    // meanwhile, which is lent next.
    eventually(30, "a spare begun while the first is in use", || async {
        let pids = idle_in_transaction(&db).await;
        (pids.iter().filter(|p| **p != lent).count() == 1).then_some(())
    })
    .await;
    let spare = begun.begin().await.unwrap();
    assert_ne!(pid(&spare).await, lent);
    for (which, txn) in [("begun when asked", first), ("begun ahead", spare)] {
        let planned = plan(txn).await;
        assert!(
            planned.contains("Index Scan")
                && !planned.contains("Seq Scan")
                && !planned.contains("Bitmap"),
            "{which}: {planned}"
        );
    }
}
