import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gpubroker.v1 import common_pb2 as _common_pb2
from gpubroker.v1 import rules_pb2 as _rules_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UsageSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    USAGE_SOURCE_UNSPECIFIED: _ClassVar[UsageSource]
    USAGE_SOURCE_COMMIT: _ClassVar[UsageSource]
    USAGE_SOURCE_RECORDED: _ClassVar[UsageSource]

class BudgetChangeKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUDGET_CHANGE_KIND_UNSPECIFIED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_SNAPSHOT: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_RESERVED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_COMMITTED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_RELEASED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_EXPIRED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_USAGE_RECORDED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_LIMIT_CHANGED: _ClassVar[BudgetChangeKind]
    BUDGET_CHANGE_KIND_RESET: _ClassVar[BudgetChangeKind]

class AgentSessionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AGENT_SESSION_STATUS_UNSPECIFIED: _ClassVar[AgentSessionStatus]
    AGENT_SESSION_STATUS_ACTIVE: _ClassVar[AgentSessionStatus]
    AGENT_SESSION_STATUS_COMPLETED: _ClassVar[AgentSessionStatus]
    AGENT_SESSION_STATUS_FAILED: _ClassVar[AgentSessionStatus]
    AGENT_SESSION_STATUS_TERMINATED: _ClassVar[AgentSessionStatus]

class DecisionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_TYPE_UNSPECIFIED: _ClassVar[DecisionType]
    DECISION_TYPE_GPU_RECOMMENDATION: _ClassVar[DecisionType]
    DECISION_TYPE_PROVIDER_SELECTION: _ClassVar[DecisionType]
    DECISION_TYPE_COST_OPTIMIZATION: _ClassVar[DecisionType]
    DECISION_TYPE_SCALING_SUGGESTION: _ClassVar[DecisionType]
    DECISION_TYPE_ALERT_RESPONSE: _ClassVar[DecisionType]

class DecisionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_STATUS_UNSPECIFIED: _ClassVar[DecisionStatus]
    DECISION_STATUS_PROPOSED: _ClassVar[DecisionStatus]
    DECISION_STATUS_APPROVED: _ClassVar[DecisionStatus]
    DECISION_STATUS_REJECTED: _ClassVar[DecisionStatus]
    DECISION_STATUS_EXECUTED: _ClassVar[DecisionStatus]
    DECISION_STATUS_EXPIRED: _ClassVar[DecisionStatus]

class DecisionVerdict(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DECISION_VERDICT_UNSPECIFIED: _ClassVar[DecisionVerdict]
    DECISION_VERDICT_APPROVE: _ClassVar[DecisionVerdict]
    DECISION_VERDICT_REJECT: _ClassVar[DecisionVerdict]
USAGE_SOURCE_UNSPECIFIED: UsageSource
USAGE_SOURCE_COMMIT: UsageSource
USAGE_SOURCE_RECORDED: UsageSource
BUDGET_CHANGE_KIND_UNSPECIFIED: BudgetChangeKind
BUDGET_CHANGE_KIND_SNAPSHOT: BudgetChangeKind
BUDGET_CHANGE_KIND_RESERVED: BudgetChangeKind
BUDGET_CHANGE_KIND_COMMITTED: BudgetChangeKind
BUDGET_CHANGE_KIND_RELEASED: BudgetChangeKind
BUDGET_CHANGE_KIND_EXPIRED: BudgetChangeKind
BUDGET_CHANGE_KIND_USAGE_RECORDED: BudgetChangeKind
BUDGET_CHANGE_KIND_LIMIT_CHANGED: BudgetChangeKind
BUDGET_CHANGE_KIND_RESET: BudgetChangeKind
AGENT_SESSION_STATUS_UNSPECIFIED: AgentSessionStatus
AGENT_SESSION_STATUS_ACTIVE: AgentSessionStatus
AGENT_SESSION_STATUS_COMPLETED: AgentSessionStatus
AGENT_SESSION_STATUS_FAILED: AgentSessionStatus
AGENT_SESSION_STATUS_TERMINATED: AgentSessionStatus
DECISION_TYPE_UNSPECIFIED: DecisionType
DECISION_TYPE_GPU_RECOMMENDATION: DecisionType
DECISION_TYPE_PROVIDER_SELECTION: DecisionType
DECISION_TYPE_COST_OPTIMIZATION: DecisionType
DECISION_TYPE_SCALING_SUGGESTION: DecisionType
DECISION_TYPE_ALERT_RESPONSE: DecisionType
DECISION_STATUS_UNSPECIFIED: DecisionStatus
DECISION_STATUS_PROPOSED: DecisionStatus
DECISION_STATUS_APPROVED: DecisionStatus
DECISION_STATUS_REJECTED: DecisionStatus
DECISION_STATUS_EXECUTED: DecisionStatus
DECISION_STATUS_EXPIRED: DecisionStatus
DECISION_VERDICT_UNSPECIFIED: DecisionVerdict
DECISION_VERDICT_APPROVE: DecisionVerdict
DECISION_VERDICT_REJECT: DecisionVerdict

class Budget(_message.Message):
    __slots__ = ("subscription_id", "pod_id", "limit_tokens", "committed_tokens", "held_tokens", "remaining_tokens", "percent_used", "thresholds_crossed", "period_start_at", "period_end_at", "updated_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    HELD_TOKENS_FIELD_NUMBER: _ClassVar[int]
    REMAINING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    PERCENT_USED_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_CROSSED_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    pod_id: str
    limit_tokens: int
    committed_tokens: int
    held_tokens: int
    remaining_tokens: int
    percent_used: int
    thresholds_crossed: _containers.RepeatedScalarFieldContainer[int]
    period_start_at: _timestamp_pb2.Timestamp
    period_end_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., limit_tokens: _Optional[int] = ..., committed_tokens: _Optional[int] = ..., held_tokens: _Optional[int] = ..., remaining_tokens: _Optional[int] = ..., percent_used: _Optional[int] = ..., thresholds_crossed: _Optional[_Iterable[int]] = ..., period_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetBudgetRequest(_message.Message):
    __slots__ = ("subscription_id",)
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    def __init__(self, subscription_id: _Optional[str] = ...) -> None: ...

class GetBudgetResponse(_message.Message):
    __slots__ = ("budget",)
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class ReserveRequest(_message.Message):
    __slots__ = ("subscription_id", "tokens", "ttl", "idempotency_key", "session_id", "model")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    tokens: int
    ttl: _duration_pb2.Duration
    idempotency_key: str
    session_id: str
    model: str
    def __init__(self, subscription_id: _Optional[str] = ..., tokens: _Optional[int] = ..., ttl: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., idempotency_key: _Optional[str] = ..., session_id: _Optional[str] = ..., model: _Optional[str] = ...) -> None: ...

class ReserveResponse(_message.Message):
    __slots__ = ("reservation_id", "tokens", "expires_at", "remaining_tokens")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REMAINING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    tokens: int
    expires_at: _timestamp_pb2.Timestamp
    remaining_tokens: int
    def __init__(self, reservation_id: _Optional[str] = ..., tokens: _Optional[int] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., remaining_tokens: _Optional[int] = ...) -> None: ...

class CommitRequest(_message.Message):
    __slots__ = ("reservation_id", "actual_tokens", "model", "tokens_in", "tokens_out", "idempotency_key")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TOKENS_IN_FIELD_NUMBER: _ClassVar[int]
    TOKENS_OUT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    actual_tokens: int
    model: str
    tokens_in: int
    tokens_out: int
    idempotency_key: str
    def __init__(self, reservation_id: _Optional[str] = ..., actual_tokens: _Optional[int] = ..., model: _Optional[str] = ..., tokens_in: _Optional[int] = ..., tokens_out: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CommitResponse(_message.Message):
    __slots__ = ("reservation_id", "committed_tokens", "usage_id", "remaining_tokens")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    USAGE_ID_FIELD_NUMBER: _ClassVar[int]
    REMAINING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    committed_tokens: int
    usage_id: str
    remaining_tokens: int
    def __init__(self, reservation_id: _Optional[str] = ..., committed_tokens: _Optional[int] = ..., usage_id: _Optional[str] = ..., remaining_tokens: _Optional[int] = ...) -> None: ...

class ReleaseRequest(_message.Message):
    __slots__ = ("reservation_id", "idempotency_key")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    idempotency_key: str
    def __init__(self, reservation_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReleaseResponse(_message.Message):
    __slots__ = ("reservation_id", "released_tokens", "remaining_tokens")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    RELEASED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    REMAINING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    released_tokens: int
    remaining_tokens: int
    def __init__(self, reservation_id: _Optional[str] = ..., released_tokens: _Optional[int] = ..., remaining_tokens: _Optional[int] = ...) -> None: ...

class RecordUsageRequest(_message.Message):
    __slots__ = ("event_id", "subscription_id", "tokens", "model", "tokens_in", "tokens_out", "session_id", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    TOKENS_IN_FIELD_NUMBER: _ClassVar[int]
    TOKENS_OUT_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    subscription_id: str
    tokens: int
    model: str
    tokens_in: int
    tokens_out: int
    session_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., tokens: _Optional[int] = ..., model: _Optional[str] = ..., tokens_in: _Optional[int] = ..., tokens_out: _Optional[int] = ..., session_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordUsageResponse(_message.Message):
    __slots__ = ("record", "duplicate", "remaining_tokens")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    REMAINING_TOKENS_FIELD_NUMBER: _ClassVar[int]
    record: UsageRecord
    duplicate: bool
    remaining_tokens: int
    def __init__(self, record: _Optional[_Union[UsageRecord, _Mapping]] = ..., duplicate: _Optional[bool] = ..., remaining_tokens: _Optional[int] = ...) -> None: ...

class UsageRecord(_message.Message):
    __slots__ = ("usage_id", "subscription_id", "pod_id", "session_id", "source", "reservation_id", "event_id", "tokens", "tokens_in", "tokens_out", "model", "occurred_at", "recorded_at", "tokens_cached", "tokens_reasoning")
    USAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_IN_FIELD_NUMBER: _ClassVar[int]
    TOKENS_OUT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    TOKENS_CACHED_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REASONING_FIELD_NUMBER: _ClassVar[int]
    usage_id: str
    subscription_id: str
    pod_id: str
    session_id: str
    source: UsageSource
    reservation_id: str
    event_id: str
    tokens: int
    tokens_in: int
    tokens_out: int
    model: str
    occurred_at: _timestamp_pb2.Timestamp
    recorded_at: _timestamp_pb2.Timestamp
    tokens_cached: int
    tokens_reasoning: int
    def __init__(self, usage_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., session_id: _Optional[str] = ..., source: _Optional[_Union[UsageSource, str]] = ..., reservation_id: _Optional[str] = ..., event_id: _Optional[str] = ..., tokens: _Optional[int] = ..., tokens_in: _Optional[int] = ..., tokens_out: _Optional[int] = ..., model: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., tokens_cached: _Optional[int] = ..., tokens_reasoning: _Optional[int] = ...) -> None: ...

class SetBudgetRequest(_message.Message):
    __slots__ = ("subscription_id", "limit_tokens", "reset_period", "reason", "idempotency_key")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    RESET_PERIOD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    limit_tokens: int
    reset_period: bool
    reason: str
    idempotency_key: str
    def __init__(self, subscription_id: _Optional[str] = ..., limit_tokens: _Optional[int] = ..., reset_period: _Optional[bool] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SetBudgetResponse(_message.Message):
    __slots__ = ("budget",)
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ...) -> None: ...

class ListUsageRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "subscription_id", "session_id", "model", "source", "start_time", "end_time")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    subscription_id: str
    session_id: str
    model: str
    source: UsageSource
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., subscription_id: _Optional[str] = ..., session_id: _Optional[str] = ..., model: _Optional[str] = ..., source: _Optional[_Union[UsageSource, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListUsageResponse(_message.Message):
    __slots__ = ("records", "next_page_token", "total_size", "total_tokens")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[UsageRecord]
    next_page_token: str
    total_size: int
    total_tokens: int
    def __init__(self, records: _Optional[_Iterable[_Union[UsageRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ..., total_tokens: _Optional[int] = ...) -> None: ...

class WatchBudgetRequest(_message.Message):
    __slots__ = ("subscription_id",)
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    def __init__(self, subscription_id: _Optional[str] = ...) -> None: ...

class WatchBudgetResponse(_message.Message):
    __slots__ = ("budget", "change", "threshold_crossed", "occurred_at")
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_CROSSED_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    budget: Budget
    change: BudgetChangeKind
    threshold_crossed: int
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, budget: _Optional[_Union[Budget, _Mapping]] = ..., change: _Optional[_Union[BudgetChangeKind, str]] = ..., threshold_crossed: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AgentSession(_message.Message):
    __slots__ = ("session_id", "pod_id", "subscription_id", "status", "external_session_id", "tokens_used", "started_at", "last_activity_at", "ended_at", "end_reason")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_ACTIVITY_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    pod_id: str
    subscription_id: str
    status: AgentSessionStatus
    external_session_id: str
    tokens_used: int
    started_at: _timestamp_pb2.Timestamp
    last_activity_at: _timestamp_pb2.Timestamp
    ended_at: _timestamp_pb2.Timestamp
    end_reason: str
    def __init__(self, session_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., status: _Optional[_Union[AgentSessionStatus, str]] = ..., external_session_id: _Optional[str] = ..., tokens_used: _Optional[int] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_activity_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ended_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_reason: _Optional[str] = ...) -> None: ...

class StartSessionRequest(_message.Message):
    __slots__ = ("external_session_id", "idempotency_key")
    EXTERNAL_SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    external_session_id: str
    idempotency_key: str
    def __init__(self, external_session_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StartSessionResponse(_message.Message):
    __slots__ = ("session", "active_sessions", "max_sessions")
    SESSION_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    MAX_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    session: AgentSession
    active_sessions: int
    max_sessions: int
    def __init__(self, session: _Optional[_Union[AgentSession, _Mapping]] = ..., active_sessions: _Optional[int] = ..., max_sessions: _Optional[int] = ...) -> None: ...

class EndSessionRequest(_message.Message):
    __slots__ = ("session_id", "final_status", "reason")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    FINAL_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    final_status: AgentSessionStatus
    reason: str
    def __init__(self, session_id: _Optional[str] = ..., final_status: _Optional[_Union[AgentSessionStatus, str]] = ..., reason: _Optional[str] = ...) -> None: ...

class EndSessionResponse(_message.Message):
    __slots__ = ("session",)
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: AgentSession
    def __init__(self, session: _Optional[_Union[AgentSession, _Mapping]] = ...) -> None: ...

class AgentDecision(_message.Message):
    __slots__ = ("decision_id", "pod_id", "subscription_id", "session_id", "decision_type", "status", "requires_approval", "title", "description", "reasoning", "recommended_action", "confidence_percent", "estimated_tokens", "estimated_cost", "created_at", "expires_at", "reviewed_by_user_id", "reviewed_at", "review_notes")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_ACTION_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COST_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_AT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_NOTES_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    pod_id: str
    subscription_id: str
    session_id: str
    decision_type: DecisionType
    status: DecisionStatus
    requires_approval: bool
    title: str
    description: str
    reasoning: str
    recommended_action: str
    confidence_percent: int
    estimated_tokens: int
    estimated_cost: _common_pb2.Money
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    reviewed_by_user_id: str
    reviewed_at: _timestamp_pb2.Timestamp
    review_notes: str
    def __init__(self, decision_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., session_id: _Optional[str] = ..., decision_type: _Optional[_Union[DecisionType, str]] = ..., status: _Optional[_Union[DecisionStatus, str]] = ..., requires_approval: _Optional[bool] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., reasoning: _Optional[str] = ..., recommended_action: _Optional[str] = ..., confidence_percent: _Optional[int] = ..., estimated_tokens: _Optional[int] = ..., estimated_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., reviewed_by_user_id: _Optional[str] = ..., reviewed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., review_notes: _Optional[str] = ...) -> None: ...

class LogDecisionRequest(_message.Message):
    __slots__ = ("session_id", "decision_type", "title", "description", "reasoning", "recommended_action", "confidence_percent", "estimated_tokens", "estimated_cost", "high_impact", "review_window", "idempotency_key")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    REASONING_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_ACTION_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COST_FIELD_NUMBER: _ClassVar[int]
    HIGH_IMPACT_FIELD_NUMBER: _ClassVar[int]
    REVIEW_WINDOW_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    decision_type: DecisionType
    title: str
    description: str
    reasoning: str
    recommended_action: str
    confidence_percent: int
    estimated_tokens: int
    estimated_cost: _common_pb2.Money
    high_impact: bool
    review_window: _duration_pb2.Duration
    idempotency_key: str
    def __init__(self, session_id: _Optional[str] = ..., decision_type: _Optional[_Union[DecisionType, str]] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., reasoning: _Optional[str] = ..., recommended_action: _Optional[str] = ..., confidence_percent: _Optional[int] = ..., estimated_tokens: _Optional[int] = ..., estimated_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., high_impact: _Optional[bool] = ..., review_window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class LogDecisionResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: AgentDecision
    def __init__(self, decision: _Optional[_Union[AgentDecision, _Mapping]] = ...) -> None: ...

class ListDecisionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "pod_id", "session_id", "status", "decision_type", "requires_approval_only", "decision_ids")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    DECISION_IDS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    pod_id: str
    session_id: str
    status: DecisionStatus
    decision_type: DecisionType
    requires_approval_only: bool
    decision_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., pod_id: _Optional[str] = ..., session_id: _Optional[str] = ..., status: _Optional[_Union[DecisionStatus, str]] = ..., decision_type: _Optional[_Union[DecisionType, str]] = ..., requires_approval_only: _Optional[bool] = ..., decision_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ListDecisionsResponse(_message.Message):
    __slots__ = ("decisions", "next_page_token", "total_size")
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    decisions: _containers.RepeatedCompositeFieldContainer[AgentDecision]
    next_page_token: str
    total_size: int
    def __init__(self, decisions: _Optional[_Iterable[_Union[AgentDecision, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class ReviewDecisionRequest(_message.Message):
    __slots__ = ("decision_id", "verdict", "notes", "idempotency_key")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    VERDICT_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    verdict: DecisionVerdict
    notes: str
    idempotency_key: str
    def __init__(self, decision_id: _Optional[str] = ..., verdict: _Optional[_Union[DecisionVerdict, str]] = ..., notes: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ReviewDecisionResponse(_message.Message):
    __slots__ = ("decision",)
    DECISION_FIELD_NUMBER: _ClassVar[int]
    decision: AgentDecision
    def __init__(self, decision: _Optional[_Union[AgentDecision, _Mapping]] = ...) -> None: ...
