//! AgentBudgetService: pods spend with their pod token; customers read their own budget with
//! their API key; admins read (viewer) and change limits (admin).

use std::{pin::Pin, sync::Arc, time::Duration as StdDuration};

use tokio_stream::{Stream, wrappers::ReceiverStream};
use tonic::{Request, Response, Status};

#[allow(clippy::wildcard_imports)]
use super::conversions::*;

use super::{context, field, guard::Guard, guard::next_page_token, guard::page};
use crate::domain::agent::{DecisionType, SessionStatus, Verdict};
use crate::domain::{pod::Pod, role::Role, secrets::API_KEY_PREFIX};
use crate::persistence::agents::DecisionFilter;
use crate::persistence::budgets::UsageFilter;
use crate::proto::{self, v1 as pb};
use crate::services::{
    agents::{Agents, Ender, NewDecision},
    budgets::{Budgets, ReserveInput, UsageInput},
    clock::Clock,
    pods::{Caller as PodCaller, POD_TOKEN_PREFIX, PodCallers, Pods},
    subscriptions::Subscriptions,
};
use pb::agent_budget_service_server::AgentBudgetService;

#[derive(Debug, Clone)]
pub struct BudgetApi {
    pub guard: Guard,
    pub budgets: Budgets,
    pub agents: Agents,
    pub pods: Pods,
    /// Pod tokens to their pods and subscriptions, remembered for a moment.
    pub callers: PodCallers,
    pub subscriptions: Subscriptions,
    pub clock: Arc<dyn Clock>,
}

/// Who calls, by the kind of bearer credential (with the subscription a pod or customer owns).
enum Caller {
    Pod(String),
    Customer(String),
    Admin,
}

/// How often a watcher re-reads its budget without a local change (changes made by other
/// processes reach it this way).
const WATCH_RESYNC: StdDuration = StdDuration::from_secs(5);

fn chrono_duration(
    value: Option<prost_types::Duration>,
    name: &str,
) -> Result<Option<chrono::Duration>, Status> {
    match value {
        None => Ok(None),
        Some(d) if d.seconds >= 0 && d.nanos >= 0 => chrono::Duration::try_seconds(d.seconds)
            .and_then(|s| s.checked_add(&chrono::Duration::nanoseconds(i64::from(d.nanos))))
            .map(Some)
            .ok_or_else(|| field::invalid(name, "is too long")),
        Some(_) => Err(field::invalid(name, "cannot be negative")),
    }
}

impl BudgetApi {
    async fn caller<T>(&self, request: &Request<T>, admin_role: Role) -> Result<Caller, Status> {
        let bearer = context::require_bearer(request)?;
        if bearer.starts_with(POD_TOKEN_PREFIX) {
            Ok(Caller::Pod(
                self.callers.by_token(bearer).await?.pod.subscription_id,
            ))
        } else if bearer.starts_with(API_KEY_PREFIX) {
            Ok(Caller::Customer(
                self.subscriptions.by_api_key(bearer).await?.id,
            ))
        } else {
            self.guard.admin(request, admin_role).await?;
            Ok(Caller::Admin)
        }
    }

    /// The pod behind a pod token; other callers cannot spend.
    async fn pod<T>(&self, request: &Request<T>, subscription_id: &str) -> Result<Pod, Status> {
        Ok(self.spender(request, subscription_id).await?.pod)
    }

    /// The pod behind a pod token with its subscription (as read at most a moment ago).
    async fn spender<T>(
        &self,
        request: &Request<T>,
        subscription_id: &str,
    ) -> Result<PodCaller, Status> {
        let bearer = context::require_bearer(request)?;
        if !bearer.starts_with(POD_TOKEN_PREFIX) {
            // A real credential of another kind may not spend (403); a token that is no
            // credential at all is not authenticated (401).
            self.caller(request, Role::Viewer).await?;
            return Err(Status::permission_denied(
                "only a pod (with its pod token) can spend tokens",
            ));
        }
        let caller = self.callers.by_token(bearer).await?;
        own(&caller.pod.subscription_id, subscription_id)?;
        Ok(caller)
    }

    /// The subscription whose budget a reader may see.
    async fn readable<T>(&self, request: &Request<T>, requested: &str) -> Result<String, Status> {
        match self.caller(request, Role::Viewer).await? {
            Caller::Pod(id) | Caller::Customer(id) => own(&id, requested),
            Caller::Admin => Ok(field::required("subscription_id", requested)?
                .trim()
                .to_owned()),
        }
    }
}

/// A pod or customer may name only its own subscription (or none).
fn own(mine: &str, requested: &str) -> Result<String, Status> {
    let requested = requested.trim();
    if !requested.is_empty() && requested != mine {
        return Err(Status::permission_denied("not your budget"));
    }
    Ok(mine.to_owned())
}

type WatchStream = Pin<Box<dyn Stream<Item = Result<pb::WatchBudgetResponse, Status>> + Send>>;

#[tonic::async_trait]
impl AgentBudgetService for BudgetApi {
    async fn get_budget(
        &self,
        request: Request<pb::GetBudgetRequest>,
    ) -> Result<Response<pb::GetBudgetResponse>, Status> {
        field::check(request.get_ref())?;
        let id = self
            .readable(&request, &request.get_ref().subscription_id)
            .await?;
        let budget = self.budgets.get(&id).await?;
        Ok(Response::new(pb::GetBudgetResponse {
            budget: Some(budget_to_pb(&budget)),
        }))
    }

    async fn reserve(
        &self,
        request: Request<pb::ReserveRequest>,
    ) -> Result<Response<pb::ReserveResponse>, Status> {
        let PodCaller {
            pod, subscription, ..
        } = self
            .spender(&request, &request.get_ref().subscription_id)
            .await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        let session_id = body.session_id.trim().to_owned();
        let reserved = self
            .budgets
            .reserve_as(
                &pod,
                &subscription,
                ReserveInput {
                    tokens: body.tokens,
                    ttl: chrono_duration(body.ttl, "ttl")?,
                    idempotency_key: body.idempotency_key,
                    session_id: body.session_id,
                    model: body.model,
                },
            )
            .await?;
        self.agents
            .touch(&pod.pod_id, &session_id, 0, self.clock.now())
            .await?;
        Ok(Response::new(pb::ReserveResponse {
            reservation_id: reserved.reservation.id,
            tokens: reserved.reservation.tokens,
            expires_at: Some(proto::timestamp(reserved.reservation.expires_at)),
            remaining_tokens: reserved.remaining,
        }))
    }

    async fn commit(
        &self,
        request: Request<pb::CommitRequest>,
    ) -> Result<Response<pb::CommitResponse>, Status> {
        let PodCaller {
            pod, subscription, ..
        } = self.spender(&request, "").await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        let committed = self
            .budgets
            .commit_as(
                (&pod, &subscription),
                &body.reservation_id,
                UsageInput {
                    tokens: body.actual_tokens,
                    model: body.model,
                    tokens_in: body.tokens_in,
                    tokens_out: body.tokens_out,
                    session_id: String::new(),
                    ..UsageInput::default()
                },
            )
            .await?;
        Ok(Response::new(pb::CommitResponse {
            reservation_id: committed.reservation_id,
            committed_tokens: committed.committed_tokens,
            usage_id: committed.usage_id,
            remaining_tokens: committed.remaining,
        }))
    }

    async fn release(
        &self,
        request: Request<pb::ReleaseRequest>,
    ) -> Result<Response<pb::ReleaseResponse>, Status> {
        let pod = self.pod(&request, "").await?;
        field::check(request.get_ref())?;
        let id = request.into_inner().reservation_id;
        let (released, remaining) = self.budgets.release(&pod, &id).await?;
        Ok(Response::new(pb::ReleaseResponse {
            reservation_id: id.trim().to_owned(),
            released_tokens: released,
            remaining_tokens: remaining,
        }))
    }

    async fn record_usage(
        &self,
        request: Request<pb::RecordUsageRequest>,
    ) -> Result<Response<pb::RecordUsageResponse>, Status> {
        let pod = self
            .pod(&request, &request.get_ref().subscription_id)
            .await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        let occurred_at = field::timestamp(body.occurred_at, "occurred_at")?;
        let session_id = body.session_id.trim().to_owned();
        let recorded = self
            .budgets
            .record_usage(
                &pod,
                &body.event_id,
                occurred_at,
                UsageInput {
                    tokens: body.tokens,
                    model: body.model,
                    tokens_in: body.tokens_in,
                    tokens_out: body.tokens_out,
                    session_id: body.session_id,
                    ..UsageInput::default()
                },
            )
            .await?;
        if !recorded.duplicate {
            self.agents
                .touch(
                    &pod.pod_id,
                    &session_id,
                    recorded.record.committed_delta,
                    self.clock.now(),
                )
                .await?;
        }
        Ok(Response::new(pb::RecordUsageResponse {
            record: Some(usage_to_pb(&recorded.record)),
            duplicate: recorded.duplicate,
            remaining_tokens: recorded.remaining,
        }))
    }

    async fn set_budget(
        &self,
        request: Request<pb::SetBudgetRequest>,
    ) -> Result<Response<pb::SetBudgetResponse>, Status> {
        let (_, admin) = self.guard.operator(&request).await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        field::required("subscription_id", &body.subscription_id)?;
        let budget = self
            .budgets
            .set_budget(
                body.subscription_id.trim(),
                body.limit_tokens,
                body.reset_period,
                &body.reason,
                &body.idempotency_key,
                &admin,
            )
            .await?;
        Ok(Response::new(pb::SetBudgetResponse {
            budget: Some(budget_to_pb(&budget)),
        }))
    }

    async fn list_usage(
        &self,
        request: Request<pb::ListUsageRequest>,
    ) -> Result<Response<pb::ListUsageResponse>, Status> {
        field::check(request.get_ref())?;
        let id = self
            .readable(&request, &request.get_ref().subscription_id)
            .await?;
        let body = request.into_inner();
        let (offset, limit) = page(body.page_size, &body.page_token)?;
        let kind =
            match pb::UsageSource::try_from(body.source).unwrap_or(pb::UsageSource::Unspecified) {
                pb::UsageSource::Unspecified => None,
                pb::UsageSource::Commit => Some("commit"),
                pb::UsageSource::Recorded => Some("usage"),
            };
        let filter = UsageFilter {
            subscription_id: id,
            session_id: field::optional("session_id", &body.session_id)?,
            model: field::optional("model", &body.model)?,
            kind,
            start: field::timestamp(body.start_time, "start_time")?,
            end: field::timestamp(body.end_time, "end_time")?,
        };
        let (rows, total, tokens) = self.budgets.list_usage(&filter, offset, limit).await?;
        Ok(Response::new(pb::ListUsageResponse {
            records: rows.iter().map(usage_to_pb).collect(),
            next_page_token: next_page_token(offset, rows.len(), total),
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
            total_tokens: tokens,
        }))
    }

    async fn watch_budget(
        &self,
        request: Request<pb::WatchBudgetRequest>,
    ) -> Result<Response<WatchStream>, Status> {
        field::check(request.get_ref())?;
        let id = self
            .readable(&request, &request.get_ref().subscription_id)
            .await?;
        let budget = self.budgets.get(&id).await?;
        let mut changes = self.budgets.subscribe();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let first = pb::WatchBudgetResponse {
            budget: Some(budget_to_pb(&budget)),
            change: pb::BudgetChangeKind::Snapshot as i32,
            threshold_crossed: 0,
            occurred_at: Some(proto::timestamp(self.clock.now())),
        };
        let api = self.clone();
        let credentials = context::credentials_of(&request);
        let asked = request.get_ref().subscription_id.clone();
        tokio::spawn(async move {
            if tx.send(Ok(first)).await.is_err() {
                return;
            }
            let mut last = budget;
            // One timer for the stream's life: other subscriptions' changes must not postpone it.
            let mut resync = tokio::time::interval(WATCH_RESYNC);
            resync.tick().await;
            loop {
                let (kind, threshold, at) = tokio::select! {
                    changed = changes.recv() => match changed {
                        Ok(change) if change.subscription_id != id => continue,
                        Ok(change) => (Some(change.kind), change.threshold, Some(change.at)),
                        Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => (None, None, None),
                    },
                    _ = resync.tick() => (None, None, None),
                    () = tx.closed() => break,
                };
                match context::recheck(api.readable(&credentials, &asked).await, &tx).await {
                    context::Recheck::Go => {}
                    context::Recheck::Skip => continue,
                    context::Recheck::End => break,
                }
                let Ok(now) = api.budgets.get(&id).await else {
                    continue;
                };
                if kind.is_none() && now == last {
                    continue;
                }
                let message = pb::WatchBudgetResponse {
                    budget: Some(budget_to_pb(&now)),
                    change: kind.map_or(pb::BudgetChangeKind::Unspecified, change_to_pb) as i32,
                    threshold_crossed: threshold.unwrap_or(0),
                    occurred_at: Some(proto::timestamp(at.unwrap_or(now.updated_at))),
                };
                last = now;
                if tx.send(Ok(message)).await.is_err() {
                    break;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
    async fn start_session(
        &self,
        request: Request<pb::StartSessionRequest>,
    ) -> Result<Response<pb::StartSessionResponse>, Status> {
        let pod = self.pod(&request, "").await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        let (session, active) = self
            .agents
            .start_session(&pod, &body.external_session_id, &body.idempotency_key)
            .await?;
        Ok(Response::new(pb::StartSessionResponse {
            session: Some(session_to_pb(&session)),
            active_sessions: i32::try_from(active).unwrap_or(i32::MAX),
            max_sessions: self.agents.max_sessions(),
        }))
    }

    async fn end_session(
        &self,
        request: Request<pb::EndSessionRequest>,
    ) -> Result<Response<pb::EndSessionResponse>, Status> {
        field::check(request.get_ref())?;
        field::required("session_id", &request.get_ref().session_id)?;
        let bearer = context::require_bearer(&request)?;
        let requested = match pb::AgentSessionStatus::try_from(request.get_ref().final_status)
            .unwrap_or(pb::AgentSessionStatus::Unspecified)
        {
            pb::AgentSessionStatus::Unspecified => None,
            pb::AgentSessionStatus::Active => Some(SessionStatus::Active),
            pb::AgentSessionStatus::Completed => Some(SessionStatus::Completed),
            pb::AgentSessionStatus::Failed => Some(SessionStatus::Failed),
            pb::AgentSessionStatus::Terminated => Some(SessionStatus::Terminated),
        };
        let body = request.get_ref();
        let session = if bearer.starts_with(POD_TOKEN_PREFIX) {
            let pod = self.pods.by_token(bearer).await?;
            self.agents
                .end_session(Ender::Pod(&pod), &body.session_id, requested, &body.reason)
                .await?
        } else {
            let (_, admin) = self.guard.operator(&request).await?;
            self.agents
                .end_session(
                    Ender::Admin(&admin),
                    &body.session_id,
                    requested,
                    &body.reason,
                )
                .await?
        };
        Ok(Response::new(pb::EndSessionResponse {
            session: Some(session_to_pb(&session)),
        }))
    }

    async fn log_decision(
        &self,
        request: Request<pb::LogDecisionRequest>,
    ) -> Result<Response<pb::LogDecisionResponse>, Status> {
        let pod = self.pod(&request, "").await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        let estimated_cost_cents = match body.estimated_cost {
            None => None,
            Some(money) if money.currency_code.is_empty() || money.currency_code == "USD" => {
                Some(money.amount_minor)
            }
            Some(_) => return Err(field::invalid("estimated_cost", "must be in USD")),
        };
        let decision = self
            .agents
            .log_decision(
                &pod,
                NewDecision {
                    session_id: body.session_id,
                    decision_type: decision_type_from_pb(body.decision_type),
                    title: body.title,
                    description: body.description,
                    reasoning: body.reasoning,
                    recommended_action: body.recommended_action,
                    confidence_percent: body.confidence_percent,
                    estimated_tokens: body.estimated_tokens,
                    estimated_cost_cents,
                    high_impact: body.high_impact,
                    review_window: chrono_duration(body.review_window, "review_window")?,
                    idempotency_key: body.idempotency_key,
                },
            )
            .await?;
        Ok(Response::new(pb::LogDecisionResponse {
            decision: Some(decision_to_pb(&decision)),
        }))
    }

    async fn list_decisions(
        &self,
        request: Request<pb::ListDecisionsRequest>,
    ) -> Result<Response<pb::ListDecisionsResponse>, Status> {
        field::check(request.get_ref())?;
        let bearer = context::require_bearer(&request)?;
        let requested = field::optional("pod_id", &request.get_ref().pod_id)?.unwrap_or_default();
        let pod_id = if bearer.starts_with(POD_TOKEN_PREFIX) {
            let pod = self.pods.by_token(bearer).await?;
            if !requested.is_empty() && requested != pod.pod_id {
                return Err(Status::permission_denied("not your pod"));
            }
            Some(pod.pod_id)
        } else {
            self.guard.admin(&request, Role::Viewer).await?;
            (!requested.is_empty()).then_some(requested)
        };
        let body = request.into_inner();
        if body.decision_ids.len() > 100 {
            return Err(field::invalid("decision_ids", "at most 100 ids"));
        }
        let (offset, limit) = page(body.page_size, &body.page_token)?;
        let filter = DecisionFilter {
            pod_id,
            session_id: field::optional("session_id", &body.session_id)?,
            status: decision_status_from_pb(body.status),
            decision_type: decision_type_from_pb(body.decision_type).map(DecisionType::as_str),
            requires_approval_only: body.requires_approval_only,
            ids: body
                .decision_ids
                .iter()
                .map(|id| field::required("decision_ids", id).map(str::to_owned))
                .collect::<Result<_, _>>()?,
        };
        let (rows, total) = self.agents.list_decisions(&filter, offset, limit).await?;
        Ok(Response::new(pb::ListDecisionsResponse {
            decisions: rows.iter().map(decision_to_pb).collect(),
            next_page_token: next_page_token(offset, rows.len(), total),
            total_size: i64::try_from(total).unwrap_or(i64::MAX),
        }))
    }

    async fn review_decision(
        &self,
        request: Request<pb::ReviewDecisionRequest>,
    ) -> Result<Response<pb::ReviewDecisionResponse>, Status> {
        let (_, admin) = self.guard.operator(&request).await?;
        field::check(request.get_ref())?;
        let body = request.into_inner();
        field::required("decision_id", &body.decision_id)?;
        let verdict = match pb::DecisionVerdict::try_from(body.verdict)
            .unwrap_or(pb::DecisionVerdict::Unspecified)
        {
            pb::DecisionVerdict::Unspecified => None,
            pb::DecisionVerdict::Approve => Some(Verdict::Approve),
            pb::DecisionVerdict::Reject => Some(Verdict::Reject),
        };
        let decision = self
            .agents
            .review_decision(&body.decision_id, verdict, &body.notes, &admin)
            .await?;
        Ok(Response::new(pb::ReviewDecisionResponse {
            decision: Some(decision_to_pb(&decision)),
        }))
    }
}
