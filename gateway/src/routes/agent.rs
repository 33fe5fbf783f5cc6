//! Agent routes: pods spend their budget with their pod token (`Bearer gpt_…`); customers read
//! their own with their API key; admins read (viewer) and set limits (admin).

use axum::{extract::State, routing};
use http::Method;

use super::RestRoute;
use crate::body::{JsonMessage, ProtoJson};
use crate::context::CallContext;
use crate::proto::v1 as pb;
use crate::query::QueryMessage;
use crate::{ApiError, Gateway};

query_route!(
    "agent",
    BUDGET,
    "/api/v2/agent/budget",
    "The budget: limit, committed, held, remaining, period (pod token, API key or viewer).",
    GetBudgetRequest,
    GetBudgetResponse,
    budgets,
    get_budget
);
body_route!(
    "agent",
    RESERVE,
    "/api/v2/agent/budget/reserve",
    "Hold tokens until commit, release or expiry (pod token); idempotent by `idempotency_key`; 429 with reason BUDGET_EXCEEDED when they do not fit.",
    ReserveRequest,
    ReserveResponse,
    budgets,
    reserve
);
body_route!(
    "agent",
    COMMIT,
    "/api/v2/agent/budget/commit",
    "Settle a reservation with the tokens really spent (pod token); repeat-safe.",
    CommitRequest,
    CommitResponse,
    budgets,
    commit
);
body_route!(
    "agent",
    RELEASE,
    "/api/v2/agent/budget/release",
    "Free a held reservation (pod token); repeat-safe.",
    ReleaseRequest,
    ReleaseResponse,
    budgets,
    release
);
body_route!(
    "agent",
    RECORD_USAGE,
    "/api/v2/agent/usage",
    "Record usage without a reservation (pod token); idempotent by `event_id`.",
    RecordUsageRequest,
    RecordUsageResponse,
    budgets,
    record_usage
);
query_route!(
    "agent",
    USAGE,
    "/api/v2/agent/usage",
    "The usage ledger, newest first (pod token, API key, or viewer with `subscription_id`).",
    ListUsageRequest,
    ListUsageResponse,
    budgets,
    list_usage
);
body_route!(
    "admin",
    SET_BUDGET,
    "/api/v2/admin/budget",
    "Change a budget's limit and/or start a new period (admin); `reason` required; audited.",
    SetBudgetRequest,
    SetBudgetResponse,
    budgets,
    set_budget
);
body_route!(
    "agent",
    START_SESSION,
    "/api/v2/agent/sessions",
    "Open an agent session (pod token); at most 10 active per pod (429, reason TOO_MANY_SESSIONS); idempotent by `idempotency_key`.",
    StartSessionRequest,
    StartSessionResponse,
    budgets,
    start_session
);
body_route!(
    "agent",
    END_SESSION,
    "/api/v2/agent/sessions/end",
    "End a session: the pod its own (COMPLETED or FAILED), an admin any (TERMINATED, audited); repeat-safe.",
    EndSessionRequest,
    EndSessionResponse,
    budgets,
    end_session
);
body_route!(
    "agent",
    LOG_DECISION,
    "/api/v2/agent/decisions",
    "Log a decision (pod token). High-impact ones start PROPOSED and must wait for an admin's approval; idempotent by `idempotency_key`.",
    LogDecisionRequest,
    LogDecisionResponse,
    budgets,
    log_decision
);
query_route!(
    "agent",
    DECISIONS,
    "/api/v2/agent/decisions",
    "Decisions, newest first (pod token: its own; viewer: any).",
    ListDecisionsRequest,
    ListDecisionsResponse,
    budgets,
    list_decisions
);
body_route!(
    "agent",
    REVIEW_DECISION,
    "/api/v2/agent/decisions/review",
    "Approve or reject a proposed decision (admin; notes required to reject); audited.",
    ReviewDecisionRequest,
    ReviewDecisionResponse,
    budgets,
    review_decision
);
