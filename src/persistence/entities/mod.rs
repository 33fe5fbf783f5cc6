//! sea-orm entities: one module per table. Row types stay in this layer.

pub mod outbox_event;
