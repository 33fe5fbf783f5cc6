//! The outbox table on both databases: an event commits or rolls back with its transaction.

use gpubroker::persistence::outbox::{self, NewOutboxEvent};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::helpers::{spawn_app, spawn_app_sqlite};

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
