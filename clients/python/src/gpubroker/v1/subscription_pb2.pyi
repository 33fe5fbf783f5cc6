import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gpubroker.v1 import common_pb2 as _common_pb2
from gpubroker.v1 import rules_pb2 as _rules_pb2
from gpubroker.v1 import payment_pb2 as _payment_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AlertSeverity(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ALERT_SEVERITY_UNSPECIFIED: _ClassVar[AlertSeverity]
    ALERT_SEVERITY_INFO: _ClassVar[AlertSeverity]
    ALERT_SEVERITY_WARNING: _ClassVar[AlertSeverity]
    ALERT_SEVERITY_ERROR: _ClassVar[AlertSeverity]

class ActivityKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTIVITY_KIND_UNSPECIFIED: _ClassVar[ActivityKind]
    ACTIVITY_KIND_REGISTRATION: _ClassVar[ActivityKind]
    ACTIVITY_KIND_PAYMENT: _ClassVar[ActivityKind]
    ACTIVITY_KIND_POD_STARTED: _ClassVar[ActivityKind]
    ACTIVITY_KIND_POD_STOPPED: _ClassVar[ActivityKind]
    ACTIVITY_KIND_CANCELLATION: _ClassVar[ActivityKind]
    ACTIVITY_KIND_REFUND: _ClassVar[ActivityKind]
ALERT_SEVERITY_UNSPECIFIED: AlertSeverity
ALERT_SEVERITY_INFO: AlertSeverity
ALERT_SEVERITY_WARNING: AlertSeverity
ALERT_SEVERITY_ERROR: AlertSeverity
ACTIVITY_KIND_UNSPECIFIED: ActivityKind
ACTIVITY_KIND_REGISTRATION: ActivityKind
ACTIVITY_KIND_PAYMENT: ActivityKind
ACTIVITY_KIND_POD_STARTED: ActivityKind
ACTIVITY_KIND_POD_STOPPED: ActivityKind
ACTIVITY_KIND_CANCELLATION: ActivityKind
ACTIVITY_KIND_REFUND: ActivityKind

class PlanInfo(_message.Message):
    __slots__ = ("plan", "display_name", "price", "token_limit", "period", "requires_payment")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    plan: _common_pb2.Plan
    display_name: str
    price: _common_pb2.Money
    token_limit: int
    period: _duration_pb2.Duration
    requires_payment: bool
    def __init__(self, plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., display_name: _Optional[str] = ..., price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., token_limit: _Optional[int] = ..., period: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., requires_payment: _Optional[bool] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ("subscription_id", "plan", "status", "status_reason", "customer_email", "customer_name", "country_code", "tax_id", "phone_number", "language", "mode", "price", "token_limit", "tokens_used", "pod_id", "pod_url", "created_at", "updated_at", "activated_at", "period_start_at", "period_end_at", "cancelled_at", "destroyed_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    POD_URL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTIVATED_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_AT_FIELD_NUMBER: _ClassVar[int]
    DESTROYED_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    plan: _common_pb2.Plan
    status: _common_pb2.SubscriptionStatus
    status_reason: str
    customer_email: str
    customer_name: str
    country_code: str
    tax_id: str
    phone_number: str
    language: _common_pb2.Language
    mode: _common_pb2.PaymentMode
    price: _common_pb2.Money
    token_limit: int
    tokens_used: int
    pod_id: str
    pod_url: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    activated_at: _timestamp_pb2.Timestamp
    period_start_at: _timestamp_pb2.Timestamp
    period_end_at: _timestamp_pb2.Timestamp
    cancelled_at: _timestamp_pb2.Timestamp
    destroyed_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., status_reason: _Optional[str] = ..., customer_email: _Optional[str] = ..., customer_name: _Optional[str] = ..., country_code: _Optional[str] = ..., tax_id: _Optional[str] = ..., phone_number: _Optional[str] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., token_limit: _Optional[int] = ..., tokens_used: _Optional[int] = ..., pod_id: _Optional[str] = ..., pod_url: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., activated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_start_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancelled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., destroyed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ("email", "name", "country_code", "tax_id", "language", "subscription_count", "latest_subscription_id", "latest_plan", "latest_status", "latest_pod_id", "total_paid", "first_seen_at", "last_subscription_at")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    LATEST_SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    LATEST_PLAN_FIELD_NUMBER: _ClassVar[int]
    LATEST_STATUS_FIELD_NUMBER: _ClassVar[int]
    LATEST_POD_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAID_FIELD_NUMBER: _ClassVar[int]
    FIRST_SEEN_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_SUBSCRIPTION_AT_FIELD_NUMBER: _ClassVar[int]
    email: str
    name: str
    country_code: str
    tax_id: str
    language: _common_pb2.Language
    subscription_count: int
    latest_subscription_id: str
    latest_plan: _common_pb2.Plan
    latest_status: _common_pb2.SubscriptionStatus
    latest_pod_id: str
    total_paid: _common_pb2.Money
    first_seen_at: _timestamp_pb2.Timestamp
    last_subscription_at: _timestamp_pb2.Timestamp
    def __init__(self, email: _Optional[str] = ..., name: _Optional[str] = ..., country_code: _Optional[str] = ..., tax_id: _Optional[str] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ..., subscription_count: _Optional[int] = ..., latest_subscription_id: _Optional[str] = ..., latest_plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., latest_status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., latest_pod_id: _Optional[str] = ..., total_paid: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., first_seen_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_subscription_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPlansRequest(_message.Message):
    __slots__ = ("language",)
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    language: _common_pb2.Language
    def __init__(self, language: _Optional[_Union[_common_pb2.Language, str]] = ...) -> None: ...

class ListPlansResponse(_message.Message):
    __slots__ = ("plans",)
    PLANS_FIELD_NUMBER: _ClassVar[int]
    plans: _containers.RepeatedCompositeFieldContainer[PlanInfo]
    def __init__(self, plans: _Optional[_Iterable[_Union[PlanInfo, _Mapping]]] = ...) -> None: ...

class CreateSubscriptionRequest(_message.Message):
    __slots__ = ("email", "name", "plan", "country_code", "tax_id", "language", "idempotency_key", "phone_number", "phone_verification_token")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PHONE_VERIFICATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    email: str
    name: str
    plan: _common_pb2.Plan
    country_code: str
    tax_id: str
    language: _common_pb2.Language
    idempotency_key: str
    phone_number: str
    phone_verification_token: str
    def __init__(self, email: _Optional[str] = ..., name: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., country_code: _Optional[str] = ..., tax_id: _Optional[str] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ..., idempotency_key: _Optional[str] = ..., phone_number: _Optional[str] = ..., phone_verification_token: _Optional[str] = ...) -> None: ...

class CreateSubscriptionResponse(_message.Message):
    __slots__ = ("subscription_id", "status", "api_key", "activation_token_expires_at", "plan", "price", "token_limit")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    ACTIVATION_TOKEN_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    status: _common_pb2.SubscriptionStatus
    api_key: str
    activation_token_expires_at: _timestamp_pb2.Timestamp
    plan: _common_pb2.Plan
    price: _common_pb2.Money
    token_limit: int
    def __init__(self, subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., api_key: _Optional[str] = ..., activation_token_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., price: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., token_limit: _Optional[int] = ...) -> None: ...

class ActivateSubscriptionRequest(_message.Message):
    __slots__ = ("activation_token",)
    ACTIVATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activation_token: str
    def __init__(self, activation_token: _Optional[str] = ...) -> None: ...

class ResendActivationRequest(_message.Message):
    __slots__ = ("activation_token",)
    ACTIVATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    activation_token: str
    def __init__(self, activation_token: _Optional[str] = ...) -> None: ...

class ResendActivationResponse(_message.Message):
    __slots__ = ("subscription_id", "status", "activation_token_expires_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTIVATION_TOKEN_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    status: _common_pb2.SubscriptionStatus
    activation_token_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., activation_token_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ActivateSubscriptionResponse(_message.Message):
    __slots__ = ("subscription_id", "status", "pod_id", "pod_url", "period_end_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    POD_URL_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    status: _common_pb2.SubscriptionStatus
    pod_id: str
    pod_url: str
    period_end_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., pod_id: _Optional[str] = ..., pod_url: _Optional[str] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetSubscriptionStatusRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSubscriptionStatusResponse(_message.Message):
    __slots__ = ("subscription_id", "status", "progress_percent", "plan", "pod_id", "pod_url", "token_limit", "tokens_used", "tokens_remaining", "period_end_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    POD_URL_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    TOKENS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    status: _common_pb2.SubscriptionStatus
    progress_percent: int
    plan: _common_pb2.Plan
    pod_id: str
    pod_url: str
    token_limit: int
    tokens_used: int
    tokens_remaining: int
    period_end_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., progress_percent: _Optional[int] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., pod_id: _Optional[str] = ..., pod_url: _Optional[str] = ..., token_limit: _Optional[int] = ..., tokens_used: _Optional[int] = ..., tokens_remaining: _Optional[int] = ..., period_end_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelSubscriptionRequest(_message.Message):
    __slots__ = ("subscription_id", "reason", "idempotency_key")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    reason: str
    idempotency_key: str
    def __init__(self, subscription_id: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CancelSubscriptionResponse(_message.Message):
    __slots__ = ("subscription",)
    SUBSCRIPTION_FIELD_NUMBER: _ClassVar[int]
    subscription: Subscription
    def __init__(self, subscription: _Optional[_Union[Subscription, _Mapping]] = ...) -> None: ...

class RotateApiKeyRequest(_message.Message):
    __slots__ = ("idempotency_key",)
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    def __init__(self, idempotency_key: _Optional[str] = ...) -> None: ...

class RotateApiKeyResponse(_message.Message):
    __slots__ = ("api_key", "rotated_at")
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    ROTATED_AT_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    rotated_at: _timestamp_pb2.Timestamp
    def __init__(self, api_key: _Optional[str] = ..., rotated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ("subscription_id", "reason")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    reason: str
    def __init__(self, subscription_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ("subscription_id", "revoked_at", "recovery_expires_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    RECOVERY_EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    revoked_at: _timestamp_pb2.Timestamp
    recovery_expires_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., recovery_expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecoverApiKeyRequest(_message.Message):
    __slots__ = ("recovery_token",)
    RECOVERY_TOKEN_FIELD_NUMBER: _ClassVar[int]
    recovery_token: str
    def __init__(self, recovery_token: _Optional[str] = ...) -> None: ...

class RecoverApiKeyResponse(_message.Message):
    __slots__ = ("subscription_id", "api_key", "issued_at")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    api_key: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, subscription_id: _Optional[str] = ..., api_key: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListSubscriptionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "plan", "customer_email", "mode")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: _common_pb2.SubscriptionStatus
    plan: _common_pb2.Plan
    customer_email: str
    mode: _common_pb2.PaymentMode
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., customer_email: _Optional[str] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ...) -> None: ...

class ListSubscriptionsResponse(_message.Message):
    __slots__ = ("subscriptions", "next_page_token", "total_size")
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[Subscription]
    next_page_token: str
    total_size: int
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[Subscription, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "query", "mode")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    query: str
    mode: _common_pb2.PaymentMode
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., query: _Optional[str] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ...) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ("customers", "next_page_token", "total_size")
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[Customer]
    next_page_token: str
    total_size: int
    def __init__(self, customers: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetCustomerRequest(_message.Message):
    __slots__ = ("email",)
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    email: str
    def __init__(self, email: _Optional[str] = ...) -> None: ...

class GetCustomerResponse(_message.Message):
    __slots__ = ("customer", "subscriptions", "payments")
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    customer: Customer
    subscriptions: _containers.RepeatedCompositeFieldContainer[Subscription]
    payments: _containers.RepeatedCompositeFieldContainer[_payment_pb2.Payment]
    def __init__(self, customer: _Optional[_Union[Customer, _Mapping]] = ..., subscriptions: _Optional[_Iterable[_Union[Subscription, _Mapping]]] = ..., payments: _Optional[_Iterable[_Union[_payment_pb2.Payment, _Mapping]]] = ...) -> None: ...

class GetDashboardRequest(_message.Message):
    __slots__ = ("mode",)
    MODE_FIELD_NUMBER: _ClassVar[int]
    mode: _common_pb2.PaymentMode
    def __init__(self, mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ...) -> None: ...

class GetDashboardResponse(_message.Message):
    __slots__ = ("mode", "pods", "revenue", "plan_counts", "customers", "alerts", "activity", "generated_at", "subscription_counts", "tokens")
    MODE_FIELD_NUMBER: _ClassVar[int]
    PODS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    PLAN_COUNTS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    ALERTS_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_COUNTS_FIELD_NUMBER: _ClassVar[int]
    TOKENS_FIELD_NUMBER: _ClassVar[int]
    mode: _common_pb2.PaymentMode
    pods: DashboardPods
    revenue: DashboardRevenue
    plan_counts: _containers.RepeatedCompositeFieldContainer[PlanCount]
    customers: DashboardCustomers
    alerts: _containers.RepeatedCompositeFieldContainer[DashboardAlert]
    activity: _containers.RepeatedCompositeFieldContainer[DashboardActivity]
    generated_at: _timestamp_pb2.Timestamp
    subscription_counts: _containers.RepeatedCompositeFieldContainer[SubscriptionStatusCount]
    tokens: DashboardTokens
    def __init__(self, mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., pods: _Optional[_Union[DashboardPods, _Mapping]] = ..., revenue: _Optional[_Union[DashboardRevenue, _Mapping]] = ..., plan_counts: _Optional[_Iterable[_Union[PlanCount, _Mapping]]] = ..., customers: _Optional[_Union[DashboardCustomers, _Mapping]] = ..., alerts: _Optional[_Iterable[_Union[DashboardAlert, _Mapping]]] = ..., activity: _Optional[_Iterable[_Union[DashboardActivity, _Mapping]]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subscription_counts: _Optional[_Iterable[_Union[SubscriptionStatusCount, _Mapping]]] = ..., tokens: _Optional[_Union[DashboardTokens, _Mapping]] = ...) -> None: ...

class SubscriptionStatusCount(_message.Message):
    __slots__ = ("status", "count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    status: _common_pb2.SubscriptionStatus
    count: int
    def __init__(self, status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., count: _Optional[int] = ...) -> None: ...

class DashboardTokens(_message.Message):
    __slots__ = ("used", "held", "limit")
    USED_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    used: int
    held: int
    limit: int
    def __init__(self, used: _Optional[int] = ..., held: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class DashboardPods(_message.Message):
    __slots__ = ("running", "provisioning", "failed", "total", "created_today")
    RUNNING_FIELD_NUMBER: _ClassVar[int]
    PROVISIONING_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CREATED_TODAY_FIELD_NUMBER: _ClassVar[int]
    running: int
    provisioning: int
    failed: int
    total: int
    created_today: int
    def __init__(self, running: _Optional[int] = ..., provisioning: _Optional[int] = ..., failed: _Optional[int] = ..., total: _Optional[int] = ..., created_today: _Optional[int] = ...) -> None: ...

class DashboardRevenue(_message.Message):
    __slots__ = ("total", "current_month", "payment_count", "average_payment", "monthly", "previous_month", "growth_basis_points", "growth_defined")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    CURRENT_MONTH_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_PAYMENT_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_MONTH_FIELD_NUMBER: _ClassVar[int]
    GROWTH_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    GROWTH_DEFINED_FIELD_NUMBER: _ClassVar[int]
    total: _common_pb2.Money
    current_month: _common_pb2.Money
    payment_count: int
    average_payment: _common_pb2.Money
    monthly: _containers.RepeatedCompositeFieldContainer[MonthlyRevenue]
    previous_month: _common_pb2.Money
    growth_basis_points: int
    growth_defined: bool
    def __init__(self, total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., current_month: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., payment_count: _Optional[int] = ..., average_payment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., monthly: _Optional[_Iterable[_Union[MonthlyRevenue, _Mapping]]] = ..., previous_month: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., growth_basis_points: _Optional[int] = ..., growth_defined: _Optional[bool] = ...) -> None: ...

class MonthlyRevenue(_message.Message):
    __slots__ = ("year", "month", "amount")
    YEAR_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    year: int
    month: int
    amount: _common_pb2.Money
    def __init__(self, year: _Optional[int] = ..., month: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class PlanCount(_message.Message):
    __slots__ = ("plan", "count")
    PLAN_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    plan: _common_pb2.Plan
    count: int
    def __init__(self, plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., count: _Optional[int] = ...) -> None: ...

class DashboardCustomers(_message.Message):
    __slots__ = ("total", "active", "new_last_7_days", "recent")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    NEW_LAST_7_DAYS_FIELD_NUMBER: _ClassVar[int]
    RECENT_FIELD_NUMBER: _ClassVar[int]
    total: int
    active: int
    new_last_7_days: int
    recent: _containers.RepeatedCompositeFieldContainer[Customer]
    def __init__(self, total: _Optional[int] = ..., active: _Optional[int] = ..., new_last_7_days: _Optional[int] = ..., recent: _Optional[_Iterable[_Union[Customer, _Mapping]]] = ...) -> None: ...

class DashboardAlert(_message.Message):
    __slots__ = ("severity", "code", "message", "subscription_id", "pod_id", "payment_id", "occurred_at")
    SEVERITY_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    severity: AlertSeverity
    code: str
    message: str
    subscription_id: str
    pod_id: str
    payment_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, severity: _Optional[_Union[AlertSeverity, str]] = ..., code: _Optional[str] = ..., message: _Optional[str] = ..., subscription_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DashboardActivity(_message.Message):
    __slots__ = ("kind", "occurred_at", "subscription_id", "pod_id", "payment_id", "customer_email", "plan", "amount")
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    kind: ActivityKind
    occurred_at: _timestamp_pb2.Timestamp
    subscription_id: str
    pod_id: str
    payment_id: str
    customer_email: str
    plan: _common_pb2.Plan
    amount: _common_pb2.Money
    def __init__(self, kind: _Optional[_Union[ActivityKind, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., subscription_id: _Optional[str] = ..., pod_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., customer_email: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class GetCostsRequest(_message.Message):
    __slots__ = ("mode", "start_time", "end_time")
    MODE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    mode: _common_pb2.PaymentMode
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetCostsResponse(_message.Message):
    __slots__ = ("mode", "start_time", "end_time", "active_pods", "pod_runtime", "compute_cost", "other_costs", "total_costs", "revenue", "profit", "margin_basis_points", "profitable", "per_pod", "generated_at", "pods")
    MODE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_PODS_FIELD_NUMBER: _ClassVar[int]
    POD_RUNTIME_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_COST_FIELD_NUMBER: _ClassVar[int]
    OTHER_COSTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COSTS_FIELD_NUMBER: _ClassVar[int]
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    PROFIT_FIELD_NUMBER: _ClassVar[int]
    MARGIN_BASIS_POINTS_FIELD_NUMBER: _ClassVar[int]
    PROFITABLE_FIELD_NUMBER: _ClassVar[int]
    PER_POD_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    PODS_FIELD_NUMBER: _ClassVar[int]
    mode: _common_pb2.PaymentMode
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    active_pods: int
    pod_runtime: _duration_pb2.Duration
    compute_cost: _common_pb2.Money
    other_costs: _common_pb2.Money
    total_costs: _common_pb2.Money
    revenue: _common_pb2.Money
    profit: _common_pb2.Money
    margin_basis_points: int
    profitable: bool
    per_pod: PodCostEstimate
    generated_at: _timestamp_pb2.Timestamp
    pods: _containers.RepeatedCompositeFieldContainer[PodCost]
    def __init__(self, mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., active_pods: _Optional[int] = ..., pod_runtime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., compute_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., other_costs: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., total_costs: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., revenue: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., profit: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., margin_basis_points: _Optional[int] = ..., profitable: _Optional[bool] = ..., per_pod: _Optional[_Union[PodCostEstimate, _Mapping]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pods: _Optional[_Iterable[_Union[PodCost, _Mapping]]] = ...) -> None: ...

class PodCost(_message.Message):
    __slots__ = ("pod_id", "subscription_id", "customer_email", "plan", "subscription_status", "runtime", "compute_cost")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_STATUS_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_FIELD_NUMBER: _ClassVar[int]
    COMPUTE_COST_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    subscription_id: str
    customer_email: str
    plan: _common_pb2.Plan
    subscription_status: _common_pb2.SubscriptionStatus
    runtime: _duration_pb2.Duration
    compute_cost: _common_pb2.Money
    def __init__(self, pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., customer_email: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., subscription_status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., runtime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., compute_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class PodCostEstimate(_message.Message):
    __slots__ = ("cpu_units", "memory_mib", "vcpu_hour_price_usd", "gb_hour_price_usd", "monthly_cost")
    CPU_UNITS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MIB_FIELD_NUMBER: _ClassVar[int]
    VCPU_HOUR_PRICE_USD_FIELD_NUMBER: _ClassVar[int]
    GB_HOUR_PRICE_USD_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_COST_FIELD_NUMBER: _ClassVar[int]
    cpu_units: int
    memory_mib: int
    vcpu_hour_price_usd: str
    gb_hour_price_usd: str
    monthly_cost: _common_pb2.Money
    def __init__(self, cpu_units: _Optional[int] = ..., memory_mib: _Optional[int] = ..., vcpu_hour_price_usd: _Optional[str] = ..., gb_hour_price_usd: _Optional[str] = ..., monthly_cost: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ResendReceiptRequest(_message.Message):
    __slots__ = ("payment_id", "customer_email", "idempotency_key")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    customer_email: str
    idempotency_key: str
    def __init__(self, payment_id: _Optional[str] = ..., customer_email: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ResendReceiptResponse(_message.Message):
    __slots__ = ("payment_id", "sent_to", "message_id")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SENT_TO_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    sent_to: str
    message_id: str
    def __init__(self, payment_id: _Optional[str] = ..., sent_to: _Optional[str] = ..., message_id: _Optional[str] = ...) -> None: ...
