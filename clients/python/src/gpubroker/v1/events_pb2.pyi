import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gpubroker.v1 import budget_pb2 as _budget_pb2
from gpubroker.v1 import common_pb2 as _common_pb2
from gpubroker.v1 import payment_pb2 as _payment_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EventMetadata(_message.Message):
    __slots__ = ("event_id", "aggregate_id", "occurred_at", "schema_version", "mode", "actor_id", "correlation_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEMA_VERSION_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    CORRELATION_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    aggregate_id: str
    occurred_at: _timestamp_pb2.Timestamp
    schema_version: int
    mode: _common_pb2.PaymentMode
    actor_id: str
    correlation_id: str
    def __init__(self, event_id: _Optional[str] = ..., aggregate_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., schema_version: _Optional[int] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., actor_id: _Optional[str] = ..., correlation_id: _Optional[str] = ...) -> None: ...

class DomainEvent(_message.Message):
    __slots__ = ("metadata", "subscription_created", "subscription_status_changed", "api_key_rotated", "api_key_revoked", "payment_order_created", "payment_status_changed", "payment_captured", "payment_refunded", "pod_status_changed", "usage_recorded", "budget_threshold_crossed", "budget_reset", "budget_limit_changed", "agent_session_started", "agent_session_ended", "agent_decision_logged", "agent_decision_reviewed", "admin_user_created", "mode_switched")
    METADATA_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_CREATED_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_STATUS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    API_KEY_ROTATED_FIELD_NUMBER: _ClassVar[int]
    API_KEY_REVOKED_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ORDER_CREATED_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_STATUS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_CAPTURED_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_REFUNDED_FIELD_NUMBER: _ClassVar[int]
    POD_STATUS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    USAGE_RECORDED_FIELD_NUMBER: _ClassVar[int]
    BUDGET_THRESHOLD_CROSSED_FIELD_NUMBER: _ClassVar[int]
    BUDGET_RESET_FIELD_NUMBER: _ClassVar[int]
    BUDGET_LIMIT_CHANGED_FIELD_NUMBER: _ClassVar[int]
    AGENT_SESSION_STARTED_FIELD_NUMBER: _ClassVar[int]
    AGENT_SESSION_ENDED_FIELD_NUMBER: _ClassVar[int]
    AGENT_DECISION_LOGGED_FIELD_NUMBER: _ClassVar[int]
    AGENT_DECISION_REVIEWED_FIELD_NUMBER: _ClassVar[int]
    ADMIN_USER_CREATED_FIELD_NUMBER: _ClassVar[int]
    MODE_SWITCHED_FIELD_NUMBER: _ClassVar[int]
    metadata: EventMetadata
    subscription_created: SubscriptionCreated
    subscription_status_changed: SubscriptionStatusChanged
    api_key_rotated: ApiKeyRotated
    api_key_revoked: ApiKeyRevoked
    payment_order_created: PaymentOrderCreated
    payment_status_changed: PaymentStatusChanged
    payment_captured: PaymentCaptured
    payment_refunded: PaymentRefunded
    pod_status_changed: PodStatusChanged
    usage_recorded: UsageRecorded
    budget_threshold_crossed: BudgetThresholdCrossed
    budget_reset: BudgetReset
    budget_limit_changed: BudgetLimitChanged
    agent_session_started: AgentSessionStarted
    agent_session_ended: AgentSessionEnded
    agent_decision_logged: AgentDecisionLogged
    agent_decision_reviewed: AgentDecisionReviewed
    admin_user_created: AdminUserCreated
    mode_switched: ModeSwitched
    def __init__(self, metadata: _Optional[_Union[EventMetadata, _Mapping]] = ..., subscription_created: _Optional[_Union[SubscriptionCreated, _Mapping]] = ..., subscription_status_changed: _Optional[_Union[SubscriptionStatusChanged, _Mapping]] = ..., api_key_rotated: _Optional[_Union[ApiKeyRotated, _Mapping]] = ..., api_key_revoked: _Optional[_Union[ApiKeyRevoked, _Mapping]] = ..., payment_order_created: _Optional[_Union[PaymentOrderCreated, _Mapping]] = ..., payment_status_changed: _Optional[_Union[PaymentStatusChanged, _Mapping]] = ..., payment_captured: _Optional[_Union[PaymentCaptured, _Mapping]] = ..., payment_refunded: _Optional[_Union[PaymentRefunded, _Mapping]] = ..., pod_status_changed: _Optional[_Union[PodStatusChanged, _Mapping]] = ..., usage_recorded: _Optional[_Union[UsageRecorded, _Mapping]] = ..., budget_threshold_crossed: _Optional[_Union[BudgetThresholdCrossed, _Mapping]] = ..., budget_reset: _Optional[_Union[BudgetReset, _Mapping]] = ..., budget_limit_changed: _Optional[_Union[BudgetLimitChanged, _Mapping]] = ..., agent_session_started: _Optional[_Union[AgentSessionStarted, _Mapping]] = ..., agent_session_ended: _Optional[_Union[AgentSessionEnded, _Mapping]] = ..., agent_decision_logged: _Optional[_Union[AgentDecisionLogged, _Mapping]] = ..., agent_decision_reviewed: _Optional[_Union[AgentDecisionReviewed, _Mapping]] = ..., admin_user_created: _Optional[_Union[AdminUserCreated, _Mapping]] = ..., mode_switched: _Optional[_Union[ModeSwitched, _Mapping]] = ...) -> None: ...

class SubscriptionCreated(_message.Message):
    __slots__ = ("subscription_id", "plan", "status", "customer_email", "country_code", "language", "price", "token_limit")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    plan: _common_pb2.Plan
    status: _common_pb2.SubscriptionStatus
    customer_email: str
    country_code: str
    language: _common_pb2.Language
    price: _common_pb2.Money
    token_limit: int
    def __init__(self, subscription_id: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., customer_email: _Optional[str] = ..., country_code: _Optional[str] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ..., price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., token_limit: _Optional[int] = ...) -> None: ...

class SubscriptionStatusChanged(_message.Message):
    __slots__ = ("subscription_id", "previous_status", "status", "reason", "pod_id", "period_start_at", "period_end_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    previous_status: _common_pb2.SubscriptionStatus
    status: _common_pb2.SubscriptionStatus
    reason: str
    pod_id: str
    period_start_at: _timestamp_pb2.Timestamp
    period_end_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., previous_status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., reason: _Optional[str] = ..., pod_id: _Optional[str] = ..., period_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApiKeyRotated(_message.Message):
    __slots__ = ("subscription_id",)
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    def __init__(self, subscription_id: _Optional[str] = ...) -> None: ...

class ApiKeyRevoked(_message.Message):
    __slots__ = ("subscription_id", "by_admin")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    BY_ADMIN_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    by_admin: bool
    def __init__(self, subscription_id: _Optional[str] = ..., by_admin: _Optional[bool] = ...) -> None: ...

class PaymentOrderCreated(_message.Message):
    __slots__ = ("payment_id", "subscription_id", "paypal_order_id", "amount", "plan")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PAYPAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    subscription_id: str
    paypal_order_id: str
    amount: _common_pb2.Money
    plan: _common_pb2.Plan
    def __init__(self, payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., paypal_order_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ...) -> None: ...

class PaymentStatusChanged(_message.Message):
    __slots__ = ("payment_id", "subscription_id", "previous_status", "status", "source", "reason")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    subscription_id: str
    previous_status: _common_pb2.PaymentStatus
    status: _common_pb2.PaymentStatus
    source: str
    reason: str
    def __init__(self, payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., previous_status: _Optional[_Union[_common_pb2.PaymentStatus, str]] = ..., status: _Optional[_Union[_common_pb2.PaymentStatus, str]] = ..., source: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PaymentCaptured(_message.Message):
    __slots__ = ("payment_id", "subscription_id", "transaction_id", "paypal_order_id", "paypal_capture_id", "amount", "plan", "customer_email")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PAYPAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAYPAL_CAPTURE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    subscription_id: str
    transaction_id: str
    paypal_order_id: str
    paypal_capture_id: str
    amount: _common_pb2.Money
    plan: _common_pb2.Plan
    customer_email: str
    def __init__(self, payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., transaction_id: _Optional[str] = ..., paypal_order_id: _Optional[str] = ..., paypal_capture_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., customer_email: _Optional[str] = ...) -> None: ...

class PaymentRefunded(_message.Message):
    __slots__ = ("payment_id", "subscription_id", "transaction_id", "kind", "amount", "refunded_total", "reason")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    subscription_id: str
    transaction_id: str
    kind: _payment_pb2.TransactionKind
    amount: _common_pb2.Money
    refunded_total: _common_pb2.Money
    reason: str
    def __init__(self, payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., transaction_id: _Optional[str] = ..., kind: _Optional[_Union[_payment_pb2.TransactionKind, str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., refunded_total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class PodStatusChanged(_message.Message):
    __slots__ = ("pod_id", "subscription_id", "previous_status", "status", "reason", "task_arn", "public_ip", "plan")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TASK_ARN_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_IP_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    subscription_id: str
    previous_status: _common_pb2.PodStatus
    status: _common_pb2.PodStatus
    reason: str
    task_arn: str
    public_ip: str
    plan: _common_pb2.Plan
    def __init__(self, pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., previous_status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., reason: _Optional[str] = ..., task_arn: _Optional[str] = ..., public_ip: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ...) -> None: ...

class UsageRecorded(_message.Message):
    __slots__ = ("usage_id", "subscription_id", "pod_id", "session_id", "source", "tokens", "tokens_in", "tokens_out", "model", "committed_tokens", "limit_tokens", "tokens_cached", "tokens_reasoning")
    USAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_IN_FIELD_NUMBER: _ClassVar[int]
    TOKENS_OUT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_CACHED_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REASONING_FIELD_NUMBER: _ClassVar[int]
    usage_id: str
    subscription_id: str
    pod_id: str
    session_id: str
    source: _budget_pb2.UsageSource
    tokens: int
    tokens_in: int
    tokens_out: int
    model: str
    committed_tokens: int
    limit_tokens: int
    tokens_cached: int
    tokens_reasoning: int
    def __init__(self, usage_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., session_id: _Optional[str] = ..., source: _Optional[_Union[_budget_pb2.UsageSource, str]] = ..., tokens: _Optional[int] = ..., tokens_in: _Optional[int] = ..., tokens_out: _Optional[int] = ..., model: _Optional[str] = ..., committed_tokens: _Optional[int] = ..., limit_tokens: _Optional[int] = ..., tokens_cached: _Optional[int] = ..., tokens_reasoning: _Optional[int] = ...) -> None: ...

class BudgetThresholdCrossed(_message.Message):
    __slots__ = ("subscription_id", "threshold_percent", "committed_tokens", "limit_tokens", "period_start_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    COMMITTED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    threshold_percent: int
    committed_tokens: int
    limit_tokens: int
    period_start_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., threshold_percent: _Optional[int] = ..., committed_tokens: _Optional[int] = ..., limit_tokens: _Optional[int] = ..., period_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BudgetReset(_message.Message):
    __slots__ = ("subscription_id", "previous_committed_tokens", "limit_tokens", "period_start_at", "period_end_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_COMMITTED_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    previous_committed_tokens: int
    limit_tokens: int
    period_start_at: _timestamp_pb2.Timestamp
    period_end_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., previous_committed_tokens: _Optional[int] = ..., limit_tokens: _Optional[int] = ..., period_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BudgetLimitChanged(_message.Message):
    __slots__ = ("subscription_id", "previous_limit_tokens", "limit_tokens", "reason")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    previous_limit_tokens: int
    limit_tokens: int
    reason: str
    def __init__(self, subscription_id: _Optional[str] = ..., previous_limit_tokens: _Optional[int] = ..., limit_tokens: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class AgentSessionStarted(_message.Message):
    __slots__ = ("session_id", "pod_id", "subscription_id")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    pod_id: str
    subscription_id: str
    def __init__(self, session_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ...) -> None: ...

class AgentSessionEnded(_message.Message):
    __slots__ = ("session_id", "pod_id", "subscription_id", "status", "tokens_used", "reason")
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    session_id: str
    pod_id: str
    subscription_id: str
    status: _budget_pb2.AgentSessionStatus
    tokens_used: int
    reason: str
    def __init__(self, session_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., status: _Optional[_Union[_budget_pb2.AgentSessionStatus, str]] = ..., tokens_used: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class AgentDecisionLogged(_message.Message):
    __slots__ = ("decision_id", "pod_id", "subscription_id", "decision_type", "status", "requires_approval", "title")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    DECISION_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_APPROVAL_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    pod_id: str
    subscription_id: str
    decision_type: _budget_pb2.DecisionType
    status: _budget_pb2.DecisionStatus
    requires_approval: bool
    title: str
    def __init__(self, decision_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., decision_type: _Optional[_Union[_budget_pb2.DecisionType, str]] = ..., status: _Optional[_Union[_budget_pb2.DecisionStatus, str]] = ..., requires_approval: _Optional[bool] = ..., title: _Optional[str] = ...) -> None: ...

class AgentDecisionReviewed(_message.Message):
    __slots__ = ("decision_id", "pod_id", "status", "reviewed_by_user_id")
    DECISION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REVIEWED_BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    decision_id: str
    pod_id: str
    status: _budget_pb2.DecisionStatus
    reviewed_by_user_id: str
    def __init__(self, decision_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., status: _Optional[_Union[_budget_pb2.DecisionStatus, str]] = ..., reviewed_by_user_id: _Optional[str] = ...) -> None: ...

class AdminUserCreated(_message.Message):
    __slots__ = ("user_id", "email", "role")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email: str
    role: _common_pb2.Role
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ..., role: _Optional[_Union[_common_pb2.Role, str]] = ...) -> None: ...

class ModeSwitched(_message.Message):
    __slots__ = ("previous_mode", "mode", "switched_by_user_id")
    PREVIOUS_MODE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    SWITCHED_BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    previous_mode: _common_pb2.PaymentMode
    mode: _common_pb2.PaymentMode
    switched_by_user_id: str
    def __init__(self, previous_mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., switched_by_user_id: _Optional[str] = ...) -> None: ...
