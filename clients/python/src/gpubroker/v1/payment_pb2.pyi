import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
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

class TransactionKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_KIND_UNSPECIFIED: _ClassVar[TransactionKind]
    TRANSACTION_KIND_CAPTURE: _ClassVar[TransactionKind]
    TRANSACTION_KIND_REFUND: _ClassVar[TransactionKind]
    TRANSACTION_KIND_REVERSAL: _ClassVar[TransactionKind]

class TransactionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TRANSACTION_STATUS_UNSPECIFIED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_PENDING: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_COMPLETED: _ClassVar[TransactionStatus]
    TRANSACTION_STATUS_FAILED: _ClassVar[TransactionStatus]
TRANSACTION_KIND_UNSPECIFIED: TransactionKind
TRANSACTION_KIND_CAPTURE: TransactionKind
TRANSACTION_KIND_REFUND: TransactionKind
TRANSACTION_KIND_REVERSAL: TransactionKind
TRANSACTION_STATUS_UNSPECIFIED: TransactionStatus
TRANSACTION_STATUS_PENDING: TransactionStatus
TRANSACTION_STATUS_COMPLETED: TransactionStatus
TRANSACTION_STATUS_FAILED: TransactionStatus

class Payment(_message.Message):
    __slots__ = ("payment_id", "subscription_id", "status", "amount", "refunded_amount", "plan", "mode", "customer_email", "paypal_order_id", "paypal_capture_id", "status_reason", "created_at", "updated_at", "completed_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PAYPAL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PAYPAL_CAPTURE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    subscription_id: str
    status: _common_pb2.PaymentStatus
    amount: _common_pb2.Money
    refunded_amount: _common_pb2.Money
    plan: _common_pb2.Plan
    mode: _common_pb2.PaymentMode
    customer_email: str
    paypal_order_id: str
    paypal_capture_id: str
    status_reason: str
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.PaymentStatus, str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., refunded_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., customer_email: _Optional[str] = ..., paypal_order_id: _Optional[str] = ..., paypal_capture_id: _Optional[str] = ..., status_reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Transaction(_message.Message):
    __slots__ = ("transaction_id", "payment_id", "subscription_id", "kind", "status", "amount", "plan", "mode", "customer_email", "customer_name", "provider_reference", "reason", "actor_user_id", "created_at", "completed_at")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    payment_id: str
    subscription_id: str
    kind: TransactionKind
    status: TransactionStatus
    amount: _common_pb2.Money
    plan: _common_pb2.Plan
    mode: _common_pb2.PaymentMode
    customer_email: str
    customer_name: str
    provider_reference: str
    reason: str
    actor_user_id: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, transaction_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., kind: _Optional[_Union[TransactionKind, str]] = ..., status: _Optional[_Union[TransactionStatus, str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., plan: _Optional[_Union[_common_pb2.Plan, str]] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., customer_email: _Optional[str] = ..., customer_name: _Optional[str] = ..., provider_reference: _Optional[str] = ..., reason: _Optional[str] = ..., actor_user_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreatePaypalOrderRequest(_message.Message):
    __slots__ = ("subscription_id", "idempotency_key")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    idempotency_key: str
    def __init__(self, subscription_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CreatePaypalOrderResponse(_message.Message):
    __slots__ = ("payment_id", "order_id", "approve_url", "status", "amount")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVE_URL_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    order_id: str
    approve_url: str
    status: _common_pb2.PaymentStatus
    amount: _common_pb2.Money
    def __init__(self, payment_id: _Optional[str] = ..., order_id: _Optional[str] = ..., approve_url: _Optional[str] = ..., status: _Optional[_Union[_common_pb2.PaymentStatus, str]] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class CapturePaypalOrderRequest(_message.Message):
    __slots__ = ("order_id", "idempotency_key")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    idempotency_key: str
    def __init__(self, order_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CapturePaypalOrderResponse(_message.Message):
    __slots__ = ("payment", "subscription_id", "subscription_status")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_STATUS_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    subscription_id: str
    subscription_status: _common_pb2.SubscriptionStatus
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., subscription_id: _Optional[str] = ..., subscription_status: _Optional[_Union[_common_pb2.SubscriptionStatus, str]] = ...) -> None: ...

class HandlePaypalWebhookRequest(_message.Message):
    __slots__ = ("body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    body: bytes
    headers: _containers.ScalarMap[str, str]
    def __init__(self, body: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class HandlePaypalWebhookResponse(_message.Message):
    __slots__ = ("event_id", "event_type", "duplicate", "handled")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    HANDLED_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    event_type: str
    duplicate: bool
    handled: bool
    def __init__(self, event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., duplicate: _Optional[bool] = ..., handled: _Optional[bool] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ("payment_id",)
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class GetPaymentResponse(_message.Message):
    __slots__ = ("payment",)
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class ListTransactionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "subscription_id", "payment_id", "customer_email", "kind", "status", "mode", "start_time", "end_time")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    subscription_id: str
    payment_id: str
    customer_email: str
    kind: TransactionKind
    status: TransactionStatus
    mode: _common_pb2.PaymentMode
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., subscription_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., customer_email: _Optional[str] = ..., kind: _Optional[_Union[TransactionKind, str]] = ..., status: _Optional[_Union[TransactionStatus, str]] = ..., mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListTransactionsResponse(_message.Message):
    __slots__ = ("transactions", "next_page_token", "total_size")
    TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SIZE_FIELD_NUMBER: _ClassVar[int]
    transactions: _containers.RepeatedCompositeFieldContainer[Transaction]
    next_page_token: str
    total_size: int
    def __init__(self, transactions: _Optional[_Iterable[_Union[Transaction, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., total_size: _Optional[int] = ...) -> None: ...

class GetTransactionRequest(_message.Message):
    __slots__ = ("transaction_id",)
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    def __init__(self, transaction_id: _Optional[str] = ...) -> None: ...

class GetTransactionResponse(_message.Message):
    __slots__ = ("transaction", "payment")
    TRANSACTION_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    transaction: Transaction
    payment: Payment
    def __init__(self, transaction: _Optional[_Union[Transaction, _Mapping]] = ..., payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class RefundPaymentRequest(_message.Message):
    __slots__ = ("payment_id", "amount", "reason", "idempotency_key")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    amount: _common_pb2.Money
    reason: str
    idempotency_key: str
    def __init__(self, payment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RefundPaymentResponse(_message.Message):
    __slots__ = ("payment", "refund")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    refund: Transaction
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., refund: _Optional[_Union[Transaction, _Mapping]] = ...) -> None: ...

class GetPaymentConfigRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetPaymentConfigResponse(_message.Message):
    __slots__ = ("mode", "configured", "client_id", "currency_code")
    MODE_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_CODE_FIELD_NUMBER: _ClassVar[int]
    mode: _common_pb2.PaymentMode
    configured: bool
    client_id: str
    currency_code: str
    def __init__(self, mode: _Optional[_Union[_common_pb2.PaymentMode, str]] = ..., configured: _Optional[bool] = ..., client_id: _Optional[str] = ..., currency_code: _Optional[str] = ...) -> None: ...
