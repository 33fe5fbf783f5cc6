import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from gpubroker.v1 import common_pb2 as _common_pb2
from gpubroker.v1 import rules_pb2 as _rules_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Pod(_message.Message):
    __slots__ = ("pod_id", "subscription_id", "status", "status_reason", "plan", "subscription_status", "customer_email", "mode", "pod_url", "public_ip", "task_arn", "cpu_units", "memory_mib", "token_limit", "tokens_used", "created_at", "updated_at", "started_at", "stopped_at", "destroyed_at")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_STATUS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    POD_URL_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_IP_FIELD_NUMBER: _ClassVar[int]
    TASK_ARN_FIELD_NUMBER: _ClassVar[int]
    CPU_UNITS_FIELD_NUMBER: _ClassVar[int]
    MEMORY_MIB_FIELD_NUMBER: _ClassVar[int]
    TOKEN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    TOKENS_USED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STOPPED_AT_FIELD_NUMBER: _ClassVar[int]
    DESTROYED_AT_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    subscription_id: str
    status: _common_pb2.PodStatus
    status_reason: str
    plan: _common_pb2.Plan
    subscription_status: _common_pb2.SubscriptionStatus
    customer_email: str
    mode: _common_pb2.PaymentMode
    pod_url: str
    public_ip: str
    task_arn: str
    cpu_units: int
    memory_mib: int
    token_limit: int
    tokens_used: int
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    started_at: _timestamp_pb2.Timestamp
    stopped_at: _timestamp_pb2.Timestamp
    destroyed_at: _timestamp_pb2.Timestamp
    def __init__(self, pod_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., status_reason: _Optional[str] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., subscription_status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ..., customer_email: _Optional[str] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., pod_url: _Optional[str] = ..., public_ip: _Optional[str] = ..., task_arn: _Optional[str] = ..., cpu_units: _Optional[int] = ..., memory_mib: _Optional[int] = ..., token_limit: _Optional[int] = ..., tokens_used: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., stopped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., destroyed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetPodRequest(_message.Message):
    __slots__ = ("pod_id",)
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    def __init__(self, pod_id: _Optional[str] = ...) -> None: ...

class GetPodResponse(_message.Message):
    __slots__ = ("pod",)
    POD_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class ListPodsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "plan", "subscription_id", "customer_email", "mode", "include_destroyed")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_DESTROYED_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: _common_pb2.PodStatus
    plan: _common_pb2.Plan
    subscription_id: str
    customer_email: str
    mode: _common_pb2.PaymentMode
    include_destroyed: bool
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., subscription_id: _Optional[str] = ..., customer_email: _Optional[str] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., include_destroyed: _Optional[bool] = ...) -> None: ...

class ListPodsResponse(_message.Message):
    __slots__ = ("pods", "next_page_token", "total_size")
    PODS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    pods: _containers.RepeatedCompositeFieldContainer[Pod]
    next_page_token: str
    total_size: int
    def __init__(self, pods: _Optional[_Iterable[_Union[Pod, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class StartPodRequest(_message.Message):
    __slots__ = ("pod_id", "idempotency_key")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    idempotency_key: str
    def __init__(self, pod_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StartPodResponse(_message.Message):
    __slots__ = ("pod",)
    POD_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class StopPodRequest(_message.Message):
    __slots__ = ("pod_id", "reason", "idempotency_key")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    reason: str
    idempotency_key: str
    def __init__(self, pod_id: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StopPodResponse(_message.Message):
    __slots__ = ("pod",)
    POD_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class DestroyPodRequest(_message.Message):
    __slots__ = ("pod_id", "reason", "idempotency_key")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    reason: str
    idempotency_key: str
    def __init__(self, pod_id: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DestroyPodResponse(_message.Message):
    __slots__ = ("pod",)
    POD_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ...) -> None: ...

class GetPodMetricsRequest(_message.Message):
    __slots__ = ("pod_id", "window", "step")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    window: _duration_pb2.Duration
    step: _duration_pb2.Duration
    def __init__(self, pod_id: _Optional[str] = ..., window: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., step: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ...) -> None: ...

class MetricPoint(_message.Message):
    __slots__ = ("at", "percent")
    AT_FIELD_NUMBER: _ClassVar[int]
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    at: _timestamp_pb2.Timestamp
    percent: float
    def __init__(self, at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., percent: _Optional[float] = ...) -> None: ...

class GetPodMetricsResponse(_message.Message):
    __slots__ = ("pod_id", "status", "public_ip", "private_ip", "uptime", "cpu", "memory", "cost_so_far", "monthly_cost_estimate", "generated_at")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_IP_FIELD_NUMBER: _ClassVar[int]
    PRIVATE_IP_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    CPU_FIELD_NUMBER: _ClassVar[int]
    MEMORY_FIELD_NUMBER: _ClassVar[int]
    COST_SO_FAR_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_COST_ESTIMATE_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    status: _common_pb2.PodStatus
    public_ip: str
    private_ip: str
    uptime: _duration_pb2.Duration
    cpu: _containers.RepeatedCompositeFieldContainer[MetricPoint]
    memory: _containers.RepeatedCompositeFieldContainer[MetricPoint]
    cost_so_far: _common_pb2.Money
    monthly_cost_estimate: _common_pb2.Money
    generated_at: _timestamp_pb2.Timestamp
    def __init__(self, pod_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., public_ip: _Optional[str] = ..., private_ip: _Optional[str] = ..., uptime: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., cpu: _Optional[_Iterable[_Union[MetricPoint, _Mapping]]] = ..., memory: _Optional[_Iterable[_Union[MetricPoint, _Mapping]]] = ..., cost_so_far: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., monthly_cost_estimate: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., generated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class WatchPodRequest(_message.Message):
    __slots__ = ("pod_id",)
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    def __init__(self, pod_id: _Optional[str] = ...) -> None: ...

class WatchPodResponse(_message.Message):
    __slots__ = ("pod", "previous_status", "occurred_at", "initial")
    POD_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    INITIAL_FIELD_NUMBER: _ClassVar[int]
    pod: Pod
    previous_status: _common_pb2.PodStatus
    occurred_at: _timestamp_pb2.Timestamp
    initial: bool
    def __init__(self, pod: _Optional[_Union[Pod, _Mapping]] = ..., previous_status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., initial: _Optional[bool] = ...) -> None: ...

class ListPodHistoryRequest(_message.Message):
    __slots__ = ("pod_id", "page_size")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    page_size: int
    def __init__(self, pod_id: _Optional[str] = ..., page_size: _Optional[int] = ...) -> None: ...

class PodStatusChange(_message.Message):
    __slots__ = ("previous_status", "status", "reason", "occurred_at")
    PREVIOUS_STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    previous_status: _common_pb2.PodStatus
    status: _common_pb2.PodStatus
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, previous_status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., status: _Optional[_Union[_common_pb2.PodStatus, str]] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListPodHistoryResponse(_message.Message):
    __slots__ = ("pod_id", "changes")
    POD_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    pod_id: str
    changes: _containers.RepeatedCompositeFieldContainer[PodStatusChange]
    def __init__(self, pod_id: _Optional[str] = ..., changes: _Optional[_Iterable[_Union[PodStatusChange, _Mapping]]] = ...) -> None: ...
