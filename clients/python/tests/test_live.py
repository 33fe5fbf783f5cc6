"""The client against a live server (GPUBROKER_TARGET): validation, plans, a trial signup and its
budget stream, admin login and dashboard, and typed errors."""

import grpc
import pytest

from gpubroker import Client, GpubrokerError
from gpubroker.v1 import (
    auth_pb2,
    budget_pb2,
    common_pb2,
    subscription_pb2,
    validation_pb2,
)


def test_validates_a_ruc(client):
    good = client.validation.ValidateRuc(validation_pb2.ValidateRucRequest(ruc="1790011674001"))
    assert good.valid
    bad = client.validation.ValidateRuc(validation_pb2.ValidateRucRequest(ruc="1790011674000"))
    assert not bad.valid
    assert bad.message


def test_lists_plans(client):
    plans = {p.plan: p for p in client.subscriptions.ListPlans(subscription_pb2.ListPlansRequest()).plans}
    trial = plans[common_pb2.PLAN_TRIAL]
    assert trial.token_limit == 1_000_000
    assert not trial.requires_payment
    assert plans[common_pb2.PLAN_PRO].price.currency_code == "USD"


def test_trial_signup_activation_and_budget_stream(client, target, unique, emailed_activation_token):
    email = f"py-{unique}@example.com"
    created = client.subscriptions.CreateSubscription(subscription_pb2.CreateSubscriptionRequest(
        email=email, name="Python client test",
        plan=common_pb2.PLAN_TRIAL, tax_id="1790011674001"))
    assert created.status == common_pb2.SUBSCRIPTION_STATUS_PENDING_ACTIVATION
    assert created.api_key.startswith("gpk_")

    activated = client.subscriptions.ActivateSubscription(
        subscription_pb2.ActivateSubscriptionRequest(activation_token=emailed_activation_token(email)))
    assert activated.subscription_id == created.subscription_id

    with Client(target, token=created.api_key) as customer:
        status = customer.subscriptions.GetSubscriptionStatus(
            subscription_pb2.GetSubscriptionStatusRequest())
        assert status.subscription_id == created.subscription_id
        stream = customer.budgets.WatchBudget(budget_pb2.WatchBudgetRequest())
        first = next(stream)
        stream.cancel()
    assert first.change == budget_pb2.BUDGET_CHANGE_KIND_SNAPSHOT
    assert first.budget.subscription_id == created.subscription_id
    assert first.budget.limit_tokens == 1_000_000
    assert first.budget.remaining_tokens == 1_000_000


def test_admin_login_and_dashboard(client, target, admin_credentials):
    email, password = admin_credentials
    login = client.auth.Login(auth_pb2.LoginRequest(email=email, password=password))
    assert login.token_type == "Bearer"
    assert login.role == common_pb2.ROLE_SUPER_ADMIN
    with Client(target, token=lambda: login.access_token) as admin:
        dashboard = admin.subscriptions.GetDashboard(subscription_pb2.GetDashboardRequest())
    assert dashboard.HasField("generated_at")
    assert dashboard.HasField("pods")


def test_errors_are_typed_with_code_and_field(client):
    with pytest.raises(GpubrokerError) as refused:
        client.subscriptions.CreateSubscription(subscription_pb2.CreateSubscriptionRequest(
            email="not-an-email", plan=common_pb2.PLAN_TRIAL, tax_id="1790011674001"))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in refused.value.field_violations] == ["email"]

    with pytest.raises(GpubrokerError) as anonymous:
        client.subscriptions.GetDashboard(subscription_pb2.GetDashboardRequest())
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_stream_errors_are_typed(client):
    stream = client.budgets.WatchBudget(budget_pb2.WatchBudgetRequest())
    with pytest.raises(GpubrokerError) as refused:
        next(stream)
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
