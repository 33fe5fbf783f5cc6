"""A thin layer over the generated stubs: ``authorization`` metadata on every call, gRPC's own
retry policy for calls that are safe to repeat, and :class:`GpubrokerError` for failures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from gpubroker.v1 import (
    auth_pb2_grpc,
    budget_pb2_grpc,
    payment_pb2_grpc,
    pod_pb2_grpc,
    subscription_pb2_grpc,
    validation_pb2_grpc,
)

# Calls that may be repeated without changing the outcome: reads, streams, and writes the
# contract makes idempotent (activation, required idempotency keys, serialised captures).
IDEMPOTENT_METHODS: dict[str, tuple[str, ...]] = {
    "gpubroker.v1.ValidationService": (
        "ValidateCedula", "ValidateRuc", "ValidateIdentity", "GetSignupRequirements",
    ),
    "gpubroker.v1.SubscriptionService": (
        "ListPlans", "ActivateSubscription", "GetSubscriptionStatus", "ListSubscriptions",
        "ListCustomers", "GetCustomer", "GetDashboard", "GetCosts",
    ),
    "gpubroker.v1.PaymentService": (
        "CapturePaypalOrder", "GetPayment", "ListTransactions", "GetTransaction", "GetPaymentConfig",
    ),
    "gpubroker.v1.PodService": ("GetPod", "ListPods", "GetPodMetrics", "WatchPod"),
    "gpubroker.v1.AgentBudgetService": (
        "GetBudget", "Reserve", "Commit", "Release", "RecordUsage", "ListUsage", "WatchBudget",
        "ListDecisions",
    ),
    "gpubroker.v1.AuthService": ("ListAuditLog",),
}

Token = Union[str, Callable[[], Optional[str]], None]


@dataclass(frozen=True)
class FieldViolation:
    """A field the server rejected (google.rpc.BadRequest)."""

    field: str
    description: str


class GpubrokerError(grpc.RpcError):
    """A failed call: the gRPC status code, the message, and the decoded error details —
    ``reason`` (google.rpc.ErrorInfo, e.g. ``BUDGET_EXCEEDED``) and ``field_violations``."""

    def __init__(self, code: grpc.StatusCode, message: str, reason: Optional[str] = None,
                 field_violations: tuple[FieldViolation, ...] = ()) -> None:
        super().__init__(f"{code.name}: {message}")
        self.status_code = code
        self.message = message
        self.reason = reason
        self.field_violations = field_violations

    def code(self) -> grpc.StatusCode:
        return self.status_code

    def details(self) -> str:
        return self.message

    @classmethod
    def from_call(cls, error: grpc.RpcError) -> "GpubrokerError":
        if isinstance(error, GpubrokerError):
            return error
        reason = None
        violations: list[FieldViolation] = []
        status = rpc_status.from_call(error) if isinstance(error, grpc.Call) else None
        for detail in status.details if status else ():
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason = info.reason
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations += [FieldViolation(v.field, v.description) for v in bad.field_violations]
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        message = error.details() if hasattr(error, "details") else str(error)
        return cls(code, message or "", reason, tuple(violations))


class _Credentials(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds ``authorization: Bearer <token>`` and turns failures into :class:`GpubrokerError`."""

    def __init__(self, token: Token) -> None:
        self._token = token

    def _details(self, details: grpc.ClientCallDetails) -> grpc.ClientCallDetails:
        token = self._token() if callable(self._token) else self._token
        metadata = list(details.metadata or ())
        if token and not any(key == "authorization" for key, _ in metadata):
            metadata.append(("authorization", f"Bearer {token}"))
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            details.wait_for_ready, details.compression)

    def intercept_unary_unary(self, continuation, client_call_details, request):
        outcome = continuation(self._details(client_call_details), request)
        error = outcome.exception()
        if isinstance(error, grpc.RpcError):
            raise GpubrokerError.from_call(error)
        return outcome

    def intercept_unary_stream(self, continuation, client_call_details, request):
        return _Stream(continuation(self._details(client_call_details), request))


class _Stream:
    """A server stream whose failure surfaces as :class:`GpubrokerError` while iterating."""

    def __init__(self, call: Any) -> None:
        self._call = call

    def __iter__(self) -> "_Stream":
        return self

    def __next__(self) -> Any:
        try:
            return next(self._call)
        except grpc.RpcError as error:
            raise GpubrokerError.from_call(error) from None

    def cancel(self) -> bool:
        return self._call.cancel()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._call, name)


@dataclass(frozen=True)
class _CallDetails(grpc.ClientCallDetails):
    method: str
    timeout: Optional[float]
    metadata: Any
    credentials: Any
    wait_for_ready: Optional[bool]
    compression: Any


def _service_config(max_attempts: int) -> str:
    names = [{"service": service, "method": method}
             for service, methods in IDEMPOTENT_METHODS.items() for method in methods]
    return json.dumps({"methodConfig": [{
        "name": names,
        "retryPolicy": {
            "maxAttempts": max_attempts,
            "initialBackoff": "0.1s",
            "maxBackoff": "2s",
            "backoffMultiplier": 2,
            "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }]})


class Client:
    """One typed stub per service over one channel.

    ``target`` is ``host:port``. ``token`` is an admin access token, a customer API key
    (``gpk_…``) or a pod token (``gpt_…``), or a function returning the current one. Idempotent
    calls (:data:`IDEMPOTENT_METHODS`) are retried on UNAVAILABLE up to ``max_attempts`` times
    with exponential back-off; other calls are never repeated by the client.
    """

    def __init__(self, target: str, token: Token = None, *,
                 credentials: Optional[grpc.ChannelCredentials] = None,
                 max_attempts: int = 4) -> None:
        options = [("grpc.enable_retries", 1), ("grpc.service_config", _service_config(max_attempts))]
        channel = (grpc.secure_channel(target, credentials, options=options) if credentials
                   else grpc.insecure_channel(target, options=options))
        self._raw_channel = channel
        self.channel = grpc.intercept_channel(channel, _Credentials(token))
        self.validation = validation_pb2_grpc.ValidationServiceStub(self.channel)
        self.subscriptions = subscription_pb2_grpc.SubscriptionServiceStub(self.channel)
        self.payments = payment_pb2_grpc.PaymentServiceStub(self.channel)
        self.pods = pod_pb2_grpc.PodServiceStub(self.channel)
        self.budgets = budget_pb2_grpc.AgentBudgetServiceStub(self.channel)
        self.auth = auth_pb2_grpc.AuthServiceStub(self.channel)

    def close(self) -> None:
        self._raw_channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
