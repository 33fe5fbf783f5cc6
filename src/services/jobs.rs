//! Background passes: run one every interval until the process ends, only while this process
//! leads the job (one leader per job across replicas), log what a pass did, and log a failing
//! dependency once per outage instead of once per tick.

use std::{fmt::Debug, future::Future, time::Duration};

use super::ServiceResult;
use crate::persistence::leadership::Leadership;

/// Spawns `pass` every `every` while this process leads `name`. A pass that returns the default
/// report did nothing and is quiet.
pub fn every<R, F, Fut>(name: &'static str, every: Duration, leadership: Leadership, pass: F)
where
    R: Debug + Default + PartialEq + Send + 'static,
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ServiceResult<R>> + Send,
{
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            ticker.tick().await;
            if !leadership.lead(name).await {
                continue;
            }
            match pass().await {
                Ok(report) => {
                    if failing {
                        tracing::info!(job = name, "recovered");
                    }
                    failing = false;
                    if report != R::default() {
                        tracing::info!(job = name, ?report, "pass");
                    }
                }
                Err(error) => {
                    if !failing {
                        tracing::warn!(job = name, error = %error, "pass failed; retrying");
                    }
                    failing = true;
                }
            }
        }
    });
}
