"""Retry policy against a local gRPC server built from the generated servicer: idempotent calls
are repeated on UNAVAILABLE, other calls never."""

from concurrent import futures

import grpc
import pytest

from gpubroker import Client, GpubrokerError
from gpubroker.v1 import subscription_pb2, validation_pb2, validation_pb2_grpc, subscription_pb2_grpc


class Flaky(validation_pb2_grpc.ValidationServiceServicer, subscription_pb2_grpc.SubscriptionServiceServicer):
    """Fails the first `failures` calls of each method with UNAVAILABLE, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: dict[str, int] = {}
        self.metadata: list[tuple] = []

    def _attempt(self, name, context):
        self.calls[name] = self.calls.get(name, 0) + 1
        self.metadata.append(tuple(context.invocation_metadata()))
        if self.calls[name] <= self.failures:
            context.abort(grpc.StatusCode.UNAVAILABLE, "try again")

    def ValidateRuc(self, request, context):
        self._attempt("ValidateRuc", context)
        return validation_pb2.ValidateRucResponse(valid=True)

    def CreateSubscription(self, request, context):
        self._attempt("CreateSubscription", context)
        return subscription_pb2.CreateSubscriptionResponse(subscription_id="sub_x")


@pytest.fixture
def flaky():
    servicer = Flaky(failures=2)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    validation_pb2_grpc.add_ValidationServiceServicer_to_server(servicer, server)
    subscription_pb2_grpc.add_SubscriptionServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield servicer, f"127.0.0.1:{port}"
    server.stop(None)


def test_idempotent_call_is_retried_with_credentials(flaky):
    servicer, target = flaky
    with Client(target, token="gpk_test") as client:
        answer = client.validation.ValidateRuc(validation_pb2.ValidateRucRequest(ruc="1790011674001"))
    assert answer.valid
    assert servicer.calls["ValidateRuc"] == 3
    assert all(("authorization", "Bearer gpk_test") in metadata for metadata in servicer.metadata)


def test_non_idempotent_call_is_not_retried(flaky):
    servicer, target = flaky
    with Client(target) as client:
        with pytest.raises(GpubrokerError) as failed:
            client.subscriptions.CreateSubscription(subscription_pb2.CreateSubscriptionRequest())
    assert failed.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.calls["CreateSubscription"] == 1


def test_retries_stop_at_max_attempts(flaky):
    servicer, target = flaky
    with Client(target, max_attempts=2) as client:
        with pytest.raises(GpubrokerError) as failed:
            client.validation.ValidateRuc(validation_pb2.ValidateRucRequest(ruc="1790011674001"))
    assert failed.value.code() == grpc.StatusCode.UNAVAILABLE
    assert servicer.calls["ValidateRuc"] == 2
