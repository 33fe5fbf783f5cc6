//! Admin read models: dashboard, customers, costs and the pod list, computed from subscriptions
//! and payments of one mode. Revenue counts completed payments only; customers are distinct
//! emails; months are calendar months of the current year.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use super::{ServiceError, ServiceResult};
use crate::domain::{
    costs::FargatePricing,
    mode::PaymentMode,
    plan::Plan,
    subscription::{Subscription, SubscriptionStatus},
};
use crate::persistence::{
    budgets as budgets_repo,
    payments::{self, COMPLETED, PARTIALLY_REFUNDED, PaymentRow},
    subscriptions as subs_repo,
};

/// One customer: every subscription of one email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerSummary {
    pub email: String,
    pub name: String,
    pub latest: Subscription,
    pub subscription_count: i64,
    pub total_paid_cents: i64,
    pub first_seen_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dashboard {
    pub pods_running: i64,
    pub pods_provisioning: i64,
    pub pods_failed: i64,
    pub pods_total: i64,
    pub pods_created_today: i64,
    pub revenue_total_cents: i64,
    pub revenue_current_month_cents: i64,
    pub revenue_previous_month_cents: i64,
    pub payment_count: i64,
    pub average_payment_cents: i64,
    /// Month (1-12) of the current year → cents.
    pub monthly_cents: [i64; 12],
    pub year: i32,
    /// Current vs previous calendar month, in basis points; `None` when the previous month had none.
    pub growth_basis_points: Option<i64>,
    pub plan_counts: Vec<(Plan, i64)>,
    /// Every status, in [`SubscriptionStatus::ALL`]'s order, zeros included.
    pub status_counts: Vec<(SubscriptionStatus, i64)>,
    pub tokens: TokenTotals,
    pub customers_total: i64,
    pub customers_active: i64,
    pub customers_new_last_7_days: i64,
    pub recent_customers: Vec<CustomerSummary>,
    pub failed: Vec<Subscription>,
    /// The newest signups, status changes and payments, newest first.
    pub activity: Vec<Activity>,
}

/// The token budgets of one mode's subscriptions, summed over their current periods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenTotals {
    pub committed: i64,
    pub held: i64,
    pub limit: i64,
}

/// One line of the dashboard's recent activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Activity {
    /// A subscription as it is now (registered, started or cancelled).
    Subscription(Subscription),
    Payment(PaymentRow),
}

impl Activity {
    pub fn occurred_at(&self) -> DateTime<Utc> {
        match self {
            Self::Subscription(s) => s.updated_at,
            Self::Payment(p) => p.completed_at.unwrap_or(p.created_at),
        }
    }
}

/// The newest `n` of these subscriptions and payments, newest first (ties: subscriptions first).
fn recent_activity(
    subscriptions: &[Subscription],
    payments: &[&PaymentRow],
    n: usize,
) -> Vec<Activity> {
    let mut activity: Vec<Activity> = subscriptions
        .iter()
        .take(n)
        .cloned()
        .map(Activity::Subscription)
        .chain(
            payments
                .iter()
                .take(n)
                .map(|p| Activity::Payment((*p).clone())),
        )
        .collect();
    activity.sort_by_key(|a| std::cmp::Reverse(a.occurred_at()));
    activity.truncate(n);
    activity
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Costs {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub active_pods: i64,
    pub pod_runtime_seconds: i64,
    pub compute_cents: i64,
    pub other_cents: i64,
    pub total_cents: i64,
    pub revenue_cents: i64,
    pub profit_cents: i64,
    pub margin_basis_points: i64,
    pub per_pod_monthly_cents: i64,
    /// The subscriptions counted in `pod_runtime_seconds`, highest cost first.
    pub pods: Vec<PodCost>,
}

/// One pod's share of the compute cost over a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodCost {
    pub subscription: Subscription,
    pub runtime_seconds: i64,
    pub compute_cents: i64,
}

#[derive(Debug, Clone)]
pub struct AdminViews {
    db: DatabaseConnection,
    pricing: FargatePricing,
    other_monthly_cents: i64,
}

/// Money kept: completed captures, and partially refunded ones net of the refund.
fn is_completed(payment: &PaymentRow) -> bool {
    payment.status == COMPLETED || payment.status == PARTIALLY_REFUNDED
}

fn paid_at(payment: &PaymentRow) -> DateTime<Utc> {
    payment.completed_at.unwrap_or(payment.created_at)
}

fn month_start(year: i32, month: u32) -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::<Utc>::MIN_UTC, |d| Utc.from_utc_datetime(&d))
}

fn previous_month(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

/// Groups subscriptions (newest first) by email.
fn customers(subscriptions: &[Subscription], payments: &[PaymentRow]) -> Vec<CustomerSummary> {
    let mut paid: BTreeMap<&str, i64> = BTreeMap::new();
    for payment in payments.iter().filter(|p| is_completed(p)) {
        *paid.entry(payment.customer_email.as_str()).or_default() +=
            payment.amount_cents - payment.refunded_cents;
    }
    let mut by_email: BTreeMap<&str, CustomerSummary> = BTreeMap::new();
    for sub in subscriptions {
        let entry = by_email
            .entry(sub.email.as_str())
            .or_insert_with(|| CustomerSummary {
                email: sub.email.to_string(),
                name: String::new(),
                latest: sub.clone(),
                subscription_count: 0,
                total_paid_cents: paid.get(sub.email.as_str()).copied().unwrap_or(0),
                first_seen_at: sub.created_at,
            });
        entry.subscription_count += 1;
        entry.first_seen_at = entry.first_seen_at.min(sub.created_at);
        if entry.name.is_empty() && !sub.name.is_empty() {
            entry.name = sub.name.clone();
        }
    }
    let mut list: Vec<CustomerSummary> = by_email.into_values().collect();
    for customer in &mut list {
        if customer.name.is_empty() {
            customer.name = customer.latest.email.local_part().to_owned();
        }
    }
    list.sort_by(|a, b| {
        b.latest
            .created_at
            .cmp(&a.latest.created_at)
            .then(a.email.cmp(&b.email))
    });
    list
}

impl AdminViews {
    pub fn new(db: DatabaseConnection, pricing: FargatePricing, other_monthly_cents: i64) -> Self {
        Self {
            db,
            pricing,
            other_monthly_cents,
        }
    }

    pub fn pricing(&self) -> &FargatePricing {
        &self.pricing
    }

    async fn load(&self, mode: PaymentMode) -> ServiceResult<(Vec<Subscription>, Vec<PaymentRow>)> {
        Ok((
            subs_repo::all_in_mode(&self.db, mode).await?,
            payments::in_mode(&self.db, mode).await?,
        ))
    }

    pub async fn dashboard(
        &self,
        mode: PaymentMode,
        now: DateTime<Utc>,
    ) -> ServiceResult<Dashboard> {
        let (subscriptions, payments) = self.load(mode).await?;
        let (committed, held, limit) = budgets_repo::totals_in_mode(&self.db, mode).await?;
        let count = |status: SubscriptionStatus| {
            subscriptions.iter().filter(|s| s.status == status).count() as i64
        };
        let today = now.date_naive();
        let (year, month) = (now.year(), now.month());
        let (prev_year, prev_month) = previous_month(year, month);
        let completed: Vec<&PaymentRow> = payments.iter().filter(|p| is_completed(p)).collect();
        let net = |p: &PaymentRow| p.amount_cents - p.refunded_cents;
        let in_month = |p: &PaymentRow, y: i32, m: u32| {
            let at = paid_at(p);
            at.year() == y && at.month() == m
        };
        let mut monthly_cents = [0i64; 12];
        for payment in completed.iter().filter(|p| paid_at(p).year() == year) {
            monthly_cents[paid_at(payment).month0() as usize] += net(payment);
        }
        let revenue_total_cents: i64 = completed.iter().map(|p| net(p)).sum();
        let current: i64 = completed
            .iter()
            .filter(|p| in_month(p, year, month))
            .map(|p| net(p))
            .sum();
        let previous: i64 = completed
            .iter()
            .filter(|p| in_month(p, prev_year, prev_month))
            .map(|p| net(p))
            .sum();
        let payment_count = completed.len() as i64;
        let all_customers = customers(&subscriptions, &payments);
        let week_ago = now - Duration::days(7);
        Ok(Dashboard {
            pods_running: count(SubscriptionStatus::Running),
            pods_provisioning: count(SubscriptionStatus::Provisioning),
            pods_failed: count(SubscriptionStatus::Failed),
            pods_total: subscriptions
                .iter()
                .filter(|s| s.activated_at.is_some() && s.status != SubscriptionStatus::Destroyed)
                .count() as i64,
            pods_created_today: subscriptions
                .iter()
                .filter(|s| s.activated_at.is_some_and(|at| at.date_naive() == today))
                .count() as i64,
            revenue_total_cents,
            revenue_current_month_cents: current,
            revenue_previous_month_cents: previous,
            payment_count,
            average_payment_cents: if payment_count > 0 {
                revenue_total_cents / payment_count
            } else {
                0
            },
            monthly_cents,
            year,
            growth_basis_points: (previous > 0).then(|| (current - previous) * 10_000 / previous),
            plan_counts: Plan::ALL
                .iter()
                .map(|plan| {
                    (
                        *plan,
                        subscriptions.iter().filter(|s| s.plan == *plan).count() as i64,
                    )
                })
                .collect(),
            status_counts: SubscriptionStatus::ALL
                .into_iter()
                .map(|status| (status, count(status)))
                .collect(),
            tokens: TokenTotals {
                committed,
                held,
                limit,
            },
            customers_total: all_customers.len() as i64,
            customers_active: all_customers
                .iter()
                .filter(|c| {
                    subscriptions.iter().any(|s| {
                        s.email.as_str() == c.email
                            && (s.status.has_pod() || s.status == SubscriptionStatus::Suspended)
                    })
                })
                .count() as i64,
            customers_new_last_7_days: all_customers
                .iter()
                .filter(|c| c.first_seen_at >= week_ago)
                .count() as i64,
            recent_customers: all_customers.into_iter().take(5).collect(),
            failed: subscriptions
                .iter()
                .filter(|s| s.status == SubscriptionStatus::Failed)
                .take(20)
                .cloned()
                .collect(),
            activity: recent_activity(&subscriptions, &completed, 10),
        })
    }

    /// Customers matching `query` (substring of email or name), newest first.
    pub async fn customers(
        &self,
        mode: PaymentMode,
        query: &str,
    ) -> ServiceResult<Vec<CustomerSummary>> {
        let (subscriptions, payments) = self.load(mode).await?;
        let query = query.trim().to_lowercase();
        Ok(customers(&subscriptions, &payments)
            .into_iter()
            .filter(|c| {
                query.is_empty()
                    || c.email.contains(&query)
                    || c.name.to_lowercase().contains(&query)
            })
            .collect())
    }

    /// One customer (any mode), with their subscriptions and payments.
    pub async fn customer(
        &self,
        email: &str,
    ) -> ServiceResult<(CustomerSummary, Vec<Subscription>, Vec<PaymentRow>)> {
        let email = crate::domain::email::EmailAddress::parse(email)
            .map_err(|e| ServiceError::invalid("email", e.to_string()))?;
        let filter = subs_repo::ListFilter {
            email: Some(email.to_string()),
            ..Default::default()
        };
        let (subscriptions, _) = subs_repo::list(&self.db, &filter, 0, 1_000).await?;
        let payments = payments::for_email(&self.db, email.as_str()).await?;
        let summary = customers(&subscriptions, &payments)
            .into_iter()
            .next()
            .ok_or_else(|| ServiceError::NotFound(format!("no customer {email}")))?;
        Ok((summary, subscriptions, payments))
    }

    /// Costs and profitability over `[start, end)` (default: this calendar month up to now).
    pub async fn costs(
        &self,
        mode: PaymentMode,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> ServiceResult<Costs> {
        let start = start.unwrap_or_else(|| month_start(now.year(), now.month()));
        let end = end.unwrap_or(now).min(now);
        if end <= start {
            return Err(ServiceError::invalid(
                "end_time",
                "must be after start_time",
            ));
        }
        let (subscriptions, payments) = self.load(mode).await?;
        let active: Vec<&Subscription> = subscriptions
            .iter()
            .filter(|s| s.status.has_pod())
            .collect();
        let mut pods: Vec<PodCost> = active
            .iter()
            .filter_map(|s| {
                let since = s.provisioning_started_at.or(s.activated_at)?;
                let runtime_seconds = (end - since.max(start)).num_seconds().max(0);
                Some(PodCost {
                    subscription: (*s).clone(),
                    runtime_seconds,
                    compute_cents: self.pricing.cost_cents(runtime_seconds),
                })
            })
            .collect();
        pods.sort_by(|a, b| {
            (b.compute_cents, &a.subscription.id).cmp(&(a.compute_cents, &b.subscription.id))
        });
        let runtime: i64 = pods.iter().map(|p| p.runtime_seconds).sum();
        let compute_cents = self.pricing.cost_cents(runtime);
        let window_days = Decimal::from((end - start).num_seconds()) / Decimal::from(86_400 * 30);
        let other_cents =
            i64::try_from((Decimal::from(self.other_monthly_cents) * window_days).round())
                .unwrap_or(0);
        let revenue_cents: i64 = payments
            .iter()
            .filter(|p| is_completed(p) && paid_at(p) >= start && paid_at(p) < end)
            .map(|p| p.amount_cents - p.refunded_cents)
            .sum();
        let total_cents = compute_cents + other_cents;
        let profit_cents = revenue_cents - total_cents;
        Ok(Costs {
            start,
            end,
            active_pods: active.len() as i64,
            pod_runtime_seconds: runtime,
            compute_cents,
            other_cents,
            total_cents,
            revenue_cents,
            profit_cents,
            margin_basis_points: if revenue_cents > 0 {
                profit_cents * 10_000 / revenue_cents
            } else {
                0
            },
            per_pod_monthly_cents: self.pricing.monthly_cents(),
            pods,
        })
    }
}
