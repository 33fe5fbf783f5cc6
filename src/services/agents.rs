//! Agent sessions (a bounded number per pod, idle ones ended) and agent decisions (high-impact
//! ones wait for an admin, whose verdict is audited).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};

use super::{
    ServiceError, ServiceResult,
    audit::AdminAction,
    clock::Clock,
    events,
    input::{multiline, required, text},
};
use crate::domain::{
    agent::{self, DecisionStatus, DecisionType, SessionStatus, Verdict},
    pod::Pod,
    secrets::new_id,
};
use crate::persistence::{
    agents::{self as repo, DecisionFilter, DecisionRow, SessionRow},
    is_unique_violation,
};

#[derive(Debug, Clone)]
pub struct AgentSettings {
    pub max_sessions_per_pod: i32,
    pub session_idle_timeout: Duration,
    pub default_review_window: Duration,
    pub max_review_window: Duration,
}

/// Who ends a session.
#[derive(Debug, Clone)]
pub enum Ender<'a> {
    Pod(&'a Pod),
    Admin(&'a AdminAction),
}

/// A decision as the agent logs it.
#[derive(Debug, Clone, Default)]
pub struct NewDecision {
    pub session_id: String,
    pub decision_type: Option<DecisionType>,
    pub title: String,
    pub description: String,
    pub reasoning: String,
    pub recommended_action: String,
    pub confidence_percent: i32,
    pub estimated_tokens: i64,
    pub estimated_cost_cents: Option<i64>,
    pub high_impact: bool,
    pub review_window: Option<Duration>,
    pub idempotency_key: String,
}

/// How much one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct AgentSweep {
    pub idle_sessions: usize,
    pub expired_proposals: usize,
}

#[derive(Clone)]
pub struct Agents {
    db: DatabaseConnection,
    clock: Arc<dyn Clock>,
    settings: Arc<AgentSettings>,
}

impl std::fmt::Debug for Agents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agents").finish_non_exhaustive()
    }
}

/// The largest cost estimate a decision may carry (US$ 10^13 in cents): far beyond any real one.
const MAX_CENTS: i64 = 1_000_000_000_000_000;

impl Agents {
    pub fn new(db: DatabaseConnection, clock: Arc<dyn Clock>, settings: AgentSettings) -> Self {
        Self {
            db,
            clock,
            settings: Arc::new(settings),
        }
    }

    pub fn max_sessions(&self) -> i32 {
        self.settings.max_sessions_per_pod
    }

    /// Opens a session if the pod has a free slot; a repeat with the same key returns it.
    pub async fn start_session(
        &self,
        pod: &Pod,
        external_session_id: &str,
        idempotency_key: &str,
    ) -> ServiceResult<(SessionRow, u64)> {
        let key = required("idempotency_key", idempotency_key, 128)?;
        let external = text("external_session_id", external_session_id, 128)?;
        if let Some(first) = repo::session_by_key(&self.db, &pod.pod_id, &key).await? {
            let active = repo::active_count(&self.db, &pod.pod_id).await?;
            return Ok((first, active));
        }
        let now = self.clock.now();
        let row = SessionRow {
            id: new_id("ses_"),
            pod_id: pod.pod_id.clone(),
            subscription_id: pod.subscription_id.clone(),
            status: SessionStatus::Active.as_str().to_owned(),
            external_session_id: external,
            idempotency_key: key.clone(),
            tokens_used: 0,
            started_at: now,
            last_activity_at: now,
            ended_at: None,
            end_reason: String::new(),
        };
        let txn = self.db.begin().await?;
        if let Err(error) = repo::insert_session(&txn, row.clone()).await {
            txn.rollback().await.ok();
            if is_unique_violation(&error)
                && let Some(first) = repo::session_by_key(&self.db, &pod.pod_id, &key).await?
            {
                let active = repo::active_count(&self.db, &pod.pod_id).await?;
                return Ok((first, active));
            }
            return Err(error.into());
        }
        if !repo::take_slot(&txn, &pod.pod_id, self.settings.max_sessions_per_pod).await? {
            txn.rollback().await.ok();
            return Err(ServiceError::LimitReached {
                reason: "TOO_MANY_SESSIONS",
                message: format!(
                    "the pod already has {} active sessions; end one first",
                    self.settings.max_sessions_per_pod
                ),
            });
        }
        events::agent_session_started(&txn, now, &row).await?;
        txn.commit().await?;
        let active = repo::active_count(&self.db, &pod.pod_id).await?;
        Ok((row, active))
    }

    /// Ends a session (a pod its own, an admin any); ending an ended session returns it.
    pub async fn end_session(
        &self,
        ender: Ender<'_>,
        session_id: &str,
        requested: Option<SessionStatus>,
        reason: &str,
    ) -> ServiceResult<SessionRow> {
        let reason = text("reason", reason, 500)?;
        let session = repo::session(&self.db, session_id.trim())
            .await?
            .filter(|s| match &ender {
                Ender::Pod(pod) => s.pod_id == pod.pod_id,
                Ender::Admin(_) => true,
            })
            .ok_or_else(|| {
                ServiceError::NotFound(format!("session {} not found", session_id.trim()))
            })?;
        let status = match (&ender, requested) {
            (Ender::Admin(_), _) => SessionStatus::Terminated,
            (Ender::Pod(_), None | Some(SessionStatus::Completed)) => SessionStatus::Completed,
            (Ender::Pod(_), Some(SessionStatus::Failed)) => SessionStatus::Failed,
            (Ender::Pod(_), Some(_)) => {
                return Err(ServiceError::invalid(
                    "final_status",
                    "a pod ends its sessions COMPLETED or FAILED",
                ));
            }
        };
        let admin = match ender {
            Ender::Admin(admin) => Some(admin),
            Ender::Pod(_) => None,
        };
        self.finish(&session, status, &reason, admin, None).await?;
        repo::session(&self.db, &session.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("session vanished".into()))
    }

    /// Ends an active session once, freeing its slot, with its event (and audit for admins).
    async fn finish(
        &self,
        session: &SessionRow,
        status: SessionStatus,
        reason: &str,
        admin: Option<&AdminAction>,
        idle_before: Option<DateTime<Utc>>,
    ) -> ServiceResult<bool> {
        let now = self.clock.now();
        let txn = self.db.begin().await?;
        if !repo::end_session(&txn, &session.id, status, reason, idle_before, now).await? {
            txn.rollback().await.ok();
            return Ok(false);
        }
        repo::free_slot(&txn, &session.pod_id).await?;
        events::agent_session_ended(&txn, now, session, status, reason).await?;
        if let Some(admin) = admin {
            admin
                .record(
                    &txn,
                    now,
                    "agent.session.terminate",
                    ("agent_session", &session.id),
                    serde_json::json!({"reason": reason}),
                )
                .await?;
        }
        txn.commit().await?;
        Ok(true)
    }

    /// Logs a decision: PROPOSED when it needs approval, EXECUTED (for the record) otherwise.
    pub async fn log_decision(&self, pod: &Pod, input: NewDecision) -> ServiceResult<DecisionRow> {
        let key = required("idempotency_key", &input.idempotency_key, 128)?;
        let kind = input
            .decision_type
            .ok_or_else(|| ServiceError::invalid("decision_type", "is required"))?;
        let title = required("title", &input.title, 200)?;
        if !(0..=100).contains(&input.confidence_percent) {
            return Err(ServiceError::invalid(
                "confidence_percent",
                "must be between 0 and 100",
            ));
        }
        super::budgets::token_count("estimated_tokens", input.estimated_tokens, 0)?;
        if input
            .estimated_cost_cents
            .is_some_and(|c| !(0..=MAX_CENTS).contains(&c))
        {
            return Err(ServiceError::invalid(
                "estimated_cost_cents",
                format!("must be between 0 and {MAX_CENTS}"),
            ));
        }
        if input.estimated_tokens < 0 {
            return Err(ServiceError::invalid(
                "estimated_tokens",
                "estimates cannot be negative",
            ));
        }
        let window = match input.review_window {
            None => self.settings.default_review_window,
            Some(w) if w >= Duration::minutes(1) && w <= self.settings.max_review_window => w,
            Some(_) => {
                return Err(ServiceError::invalid(
                    "review_window",
                    format!(
                        "must be between 60 and {} seconds",
                        self.settings.max_review_window.num_seconds()
                    ),
                ));
            }
        };
        if let Some(first) = repo::decision_by_key(&self.db, &pod.pod_id, &key).await? {
            return Ok(first);
        }
        let needs_approval = agent::requires_approval(kind, input.high_impact);
        let now = self.clock.now();
        let row = DecisionRow {
            id: new_id("dec_"),
            pod_id: pod.pod_id.clone(),
            subscription_id: pod.subscription_id.clone(),
            session_id: text("session_id", &input.session_id, 40)?,
            decision_type: kind.as_str().to_owned(),
            status: if needs_approval {
                DecisionStatus::Proposed
            } else {
                DecisionStatus::Executed
            }
            .as_str()
            .to_owned(),
            requires_approval: needs_approval,
            title,
            description: multiline("description", &input.description, 4000)?,
            reasoning: multiline("reasoning", &input.reasoning, 4000)?,
            recommended_action: multiline(
                "recommended_action",
                &input.recommended_action,
                16 * 1024,
            )?,
            confidence_percent: input.confidence_percent,
            estimated_tokens: input.estimated_tokens,
            estimated_cost_cents: input.estimated_cost_cents,
            idempotency_key: key.clone(),
            created_at: now,
            expires_at: needs_approval.then_some(now + window),
            reviewed_by_user_id: String::new(),
            reviewed_at: None,
            review_notes: String::new(),
        };
        let txn = self.db.begin().await?;
        if let Err(error) = repo::insert_decision(&txn, row.clone()).await {
            txn.rollback().await.ok();
            if is_unique_violation(&error)
                && let Some(first) = repo::decision_by_key(&self.db, &pod.pod_id, &key).await?
            {
                return Ok(first);
            }
            return Err(error.into());
        }
        events::agent_decision_logged(&txn, now, &row).await?;
        txn.commit().await?;
        Ok(row)
    }

    pub async fn list_decisions(
        &self,
        filter: &DecisionFilter,
        offset: u64,
        limit: u64,
    ) -> ServiceResult<(Vec<DecisionRow>, u64)> {
        Ok(repo::decisions(&self.db, filter, offset, limit).await?)
    }

    /// Admin: approves or rejects a proposal, audited. The same verdict again is a no-op.
    pub async fn review_decision(
        &self,
        decision_id: &str,
        verdict: Option<Verdict>,
        notes: &str,
        admin: &AdminAction,
    ) -> ServiceResult<DecisionRow> {
        let verdict = verdict.ok_or_else(|| ServiceError::invalid("verdict", "is required"))?;
        let notes = multiline("notes", notes, 2000)?;
        if verdict == Verdict::Reject && notes.is_empty() {
            return Err(ServiceError::invalid("notes", "are required to reject"));
        }
        let decision = repo::decision(&self.db, decision_id.trim())
            .await?
            .ok_or_else(|| {
                ServiceError::NotFound(format!("decision {} not found", decision_id.trim()))
            })?;
        let status = DecisionStatus::parse(&decision.status)
            .ok_or_else(|| ServiceError::Internal("corrupt decision status".into()))?;
        let now = self.clock.now();
        let Some(to) = agent::review(status, decision.expires_at, now, verdict)
            .map_err(ServiceError::FailedPrecondition)?
        else {
            return Ok(decision);
        };
        let txn = self.db.begin().await?;
        if !repo::settle_decision(&txn, &decision.id, to, &admin.actor.user_id, &notes, now).await?
        {
            txn.rollback().await.ok();
            return Box::pin(self.review_decision(decision_id, Some(verdict), &notes, admin)).await;
        }
        events::agent_decision_reviewed(&txn, now, &decision, to, &admin.actor.user_id).await?;
        admin
            .record(
                &txn,
                now,
                "agent.decision.review",
                ("agent_decision", &decision.id),
                serde_json::json!({"verdict": to.as_str(), "notes": notes}),
            )
            .await?;
        txn.commit().await?;
        repo::decision(&self.db, &decision.id)
            .await?
            .ok_or_else(|| ServiceError::Internal("decision vanished".into()))
    }

    /// One pass: idle sessions are terminated, overdue proposals expire.
    pub async fn sweep_once(&self) -> ServiceResult<AgentSweep> {
        let now = self.clock.now();
        let mut report = AgentSweep::default();
        let cutoff = now - self.settings.session_idle_timeout;
        for session in repo::idle_sessions(&self.db, cutoff, 500).await? {
            // Still idle when ended (activity in between keeps it open); one failure does not
            // stop the pass.
            match self
                .finish(
                    &session,
                    SessionStatus::Terminated,
                    "idle timeout",
                    None,
                    Some(cutoff),
                )
                .await
            {
                Ok(true) => report.idle_sessions += 1,
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(session = %session.id, error = %error, "cannot end an idle session")
                }
            }
        }
        for decision in repo::overdue_proposals(&self.db, now, 500).await? {
            let txn = self.db.begin().await?;
            if repo::settle_decision(&txn, &decision.id, DecisionStatus::Expired, "", "", now)
                .await?
            {
                events::agent_decision_reviewed(&txn, now, &decision, DecisionStatus::Expired, "")
                    .await?;
                txn.commit().await?;
                report.expired_proposals += 1;
            }
        }
        Ok(report)
    }

    /// Marks activity in a session (tokens spent under it).
    pub async fn touch(
        &self,
        pod_id: &str,
        session_id: &str,
        tokens: i64,
        now: DateTime<Utc>,
    ) -> ServiceResult<()> {
        if !session_id.is_empty() {
            repo::touch_session(&self.db, pod_id, session_id, tokens, now).await?;
        }
        Ok(())
    }
}
