from gpubroker.v1 import rules_pb2 as _rules_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Plan(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLAN_UNSPECIFIED: _ClassVar[Plan]
    PLAN_TRIAL: _ClassVar[Plan]
    PLAN_BASIC: _ClassVar[Plan]
    PLAN_PRO: _ClassVar[Plan]
    PLAN_CORP: _ClassVar[Plan]
    PLAN_ENTERPRISE: _ClassVar[Plan]

class SubscriptionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUBSCRIPTION_STATUS_UNSPECIFIED: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_PENDING_PAYMENT: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_PENDING_ACTIVATION: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_PROVISIONING: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_RUNNING: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_SUSPENDED: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_CANCELLED: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_EXPIRED: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_FAILED: _ClassVar[SubscriptionStatus]
    SUBSCRIPTION_STATUS_DESTROYED: _ClassVar[SubscriptionStatus]

class PodStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    POD_STATUS_UNSPECIFIED: _ClassVar[PodStatus]
    POD_STATUS_PENDING: _ClassVar[PodStatus]
    POD_STATUS_PROVISIONING: _ClassVar[PodStatus]
    POD_STATUS_RUNNING: _ClassVar[PodStatus]
    POD_STATUS_STOPPING: _ClassVar[PodStatus]
    POD_STATUS_STOPPED: _ClassVar[PodStatus]
    POD_STATUS_FAILED: _ClassVar[PodStatus]
    POD_STATUS_DESTROYED: _ClassVar[PodStatus]

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_STATUS_UNSPECIFIED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_CREATED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_APPROVED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_PENDING: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_COMPLETED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_DENIED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_FAILED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_PARTIALLY_REFUNDED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_REFUNDED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_REVERSED: _ClassVar[PaymentStatus]

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROLE_UNSPECIFIED: _ClassVar[Role]
    ROLE_VIEWER: _ClassVar[Role]
    ROLE_ADMIN: _ClassVar[Role]
    ROLE_SUPER_ADMIN: _ClassVar[Role]

class PaymentMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_MODE_UNSPECIFIED: _ClassVar[PaymentMode]
    PAYMENT_MODE_SANDBOX: _ClassVar[PaymentMode]
    PAYMENT_MODE_LIVE: _ClassVar[PaymentMode]

class Language(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LANGUAGE_UNSPECIFIED: _ClassVar[Language]
    LANGUAGE_ES: _ClassVar[Language]
    LANGUAGE_EN: _ClassVar[Language]
PLAN_UNSPECIFIED: Plan
PLAN_TRIAL: Plan
PLAN_BASIC: Plan
PLAN_PRO: Plan
PLAN_CORP: Plan
PLAN_ENTERPRISE: Plan
SUBSCRIPTION_STATUS_UNSPECIFIED: SubscriptionStatus
SUBSCRIPTION_STATUS_PENDING_PAYMENT: SubscriptionStatus
SUBSCRIPTION_STATUS_PENDING_ACTIVATION: SubscriptionStatus
SUBSCRIPTION_STATUS_PROVISIONING: SubscriptionStatus
SUBSCRIPTION_STATUS_RUNNING: SubscriptionStatus
SUBSCRIPTION_STATUS_SUSPENDED: SubscriptionStatus
SUBSCRIPTION_STATUS_CANCELLED: SubscriptionStatus
SUBSCRIPTION_STATUS_EXPIRED: SubscriptionStatus
SUBSCRIPTION_STATUS_FAILED: SubscriptionStatus
SUBSCRIPTION_STATUS_DESTROYED: SubscriptionStatus
POD_STATUS_UNSPECIFIED: PodStatus
POD_STATUS_PENDING: PodStatus
POD_STATUS_PROVISIONING: PodStatus
POD_STATUS_RUNNING: PodStatus
POD_STATUS_STOPPING: PodStatus
POD_STATUS_STOPPED: PodStatus
POD_STATUS_FAILED: PodStatus
POD_STATUS_DESTROYED: PodStatus
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus
PAYMENT_STATUS_CREATED: PaymentStatus
PAYMENT_STATUS_APPROVED: PaymentStatus
PAYMENT_STATUS_PENDING: PaymentStatus
PAYMENT_STATUS_COMPLETED: PaymentStatus
PAYMENT_STATUS_DENIED: PaymentStatus
PAYMENT_STATUS_FAILED: PaymentStatus
PAYMENT_STATUS_PARTIALLY_REFUNDED: PaymentStatus
PAYMENT_STATUS_REFUNDED: PaymentStatus
PAYMENT_STATUS_REVERSED: PaymentStatus
ROLE_UNSPECIFIED: Role
ROLE_VIEWER: Role
ROLE_ADMIN: Role
ROLE_SUPER_ADMIN: Role
PAYMENT_MODE_UNSPECIFIED: PaymentMode
PAYMENT_MODE_SANDBOX: PaymentMode
PAYMENT_MODE_LIVE: PaymentMode
LANGUAGE_UNSPECIFIED: Language
LANGUAGE_ES: Language
LANGUAGE_EN: Language

class Money(_message.Message):
    __slots__ = ("currency_code", "amount_minor")
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_MINOR_FIELD_NUMBER: _ClassVar[int]
    currency_code: str
    amount_minor: int
    def __init__(self, currency_code: _Optional[str] = ..., amount_minor: _Optional[int] = ...) -> None: ...
