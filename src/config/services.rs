//! Each settings section as the settings of the use case it configures: seconds become
//! durations, and the few values one section borrows from another are named here once.

use chrono::Duration;
use secrecy::SecretString;

use super::{AuthConfig, BudgetsConfig, PaypalSettings, Settings};
use crate::domain::{
    costs::FargatePricing,
    mode::PaymentMode,
    plan::{Plan, PlanCatalogue},
};
use crate::services::{
    agents::AgentSettings,
    auth::AuthSettings,
    budgets::BudgetSettings,
    payments::PaymentSettings,
    pods::{AgentLlm, PodSettings},
    subscriptions::SubscriptionSettings,
};

impl AuthConfig {
    /// Admin sign-in, signing tokens with `jwt_secret`.
    pub fn service(&self, jwt_secret: SecretString) -> AuthSettings {
        AuthSettings {
            jwt_secret,
            access_ttl: Duration::seconds(self.access_ttl_secs),
            refresh_ttl: Duration::seconds(self.refresh_ttl_secs),
            max_failed_logins: self.max_failed_logins,
            lockout: Duration::seconds(self.lockout_secs),
            ip_max_failures: self.ip_max_failures,
            ip_window: Duration::seconds(self.ip_window_secs),
        }
    }
}

impl BudgetsConfig {
    /// Holds and their limits; alerts go to `vendor_email`.
    pub fn service(&self, vendor_email: Option<String>, plans: PlanCatalogue) -> BudgetSettings {
        BudgetSettings {
            default_ttl: Duration::seconds(self.default_reservation_ttl_secs),
            max_ttl: Duration::seconds(self.max_reservation_ttl_secs),
            vendor_email,
            plans,
        }
    }

    /// Agent sessions and decisions.
    pub fn agents(&self) -> AgentSettings {
        AgentSettings {
            max_sessions_per_pod: self.max_sessions_per_pod,
            session_idle_timeout: Duration::seconds(self.session_idle_timeout_secs),
            default_review_window: Duration::seconds(self.default_review_window_secs),
            max_review_window: Duration::seconds(self.max_review_window_secs),
        }
    }
}

impl PaypalSettings {
    /// Where buyers return, and how long a capture holds its payment.
    pub fn service(&self) -> PaymentSettings {
        PaymentSettings {
            return_url: self.return_url.clone(),
            cancel_url: self.cancel_url.clone(),
            brand_name: "GPUBROKER".into(),
            // Two PayPal calls (capture, then a look at the order) and some slack.
            capture_claim: Duration::seconds(
                i64::try_from(self.timeout_secs)
                    .unwrap_or(60)
                    .saturating_mul(2)
                    + 30,
            ),
        }
    }
}

impl Settings {
    /// The subscription use cases (they borrow the deployment's country and the vendor address).
    pub fn subscription_service(&self) -> SubscriptionSettings {
        let s = &self.subscriptions;
        SubscriptionSettings {
            activation_ttl: Duration::seconds(s.activation_ttl_secs),
            unpaid_ttl: Duration::seconds(s.unpaid_ttl_secs),
            pod_domain: s.pod_domain.clone(),
            public_base_url: s.public_base_url.clone(),
            default_country: self.deployment.country_code.clone(),
            vendor_email: self.email.vendor_to.clone(),
            default_mode: PaymentMode::from(s.default_mode),
        }
    }

    /// The pod service (the provisioning timeout is a subscription setting).
    pub fn pod_service(&self, pricing: FargatePricing, token_key: String) -> PodSettings {
        let p = &self.pods;
        PodSettings {
            provisioning_timeout: Duration::seconds(self.subscriptions.provisioning_timeout_secs),
            max_redeploys: p.max_redeploys,
            stable_after: Duration::seconds(p.stable_after_secs),
            stop_timeout: Duration::seconds(p.stop_timeout_secs),
            budget_url: p.budget_url.clone(),
            agent_llm: self.llm.enabled.then(|| self.agent_llm()),
            reconcile_page_size: p.reconcile_page_size,
            pricing,
            token_key,
        }
    }

    /// Why pods may be unable to reach the LLM proxy: its address is this machine's loopback while
    /// pods run in containers (ECS tasks, or a local command that starts one with docker).
    pub fn llm_unreachable_by_pods(&self) -> Option<String> {
        if !self.llm.enabled {
            return None;
        }
        let api_base = self.agent_llm().api_base;
        let authority = api_base
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        let contained = self.pods.driver == super::PodDriverChoice::Ecs
            || self.pods.local.command.trim_start().starts_with("docker");
        (loopback && contained).then(|| {
            format!(
                "pods run in containers but reach the LLM proxy at {api_base}, which is their own \
                 loopback: set llm.public_url (or subscriptions.public_base_url) to an address \
                 the pods can reach"
            )
        })
    }

    /// The proxy as pods reach it, and each plan's model.
    fn agent_llm(&self) -> AgentLlm {
        let llm = &self.llm;
        let api_base = llm.public_url.clone().unwrap_or_else(|| {
            format!(
                "{}{}",
                self.subscriptions.public_base_url.trim_end_matches('/'),
                llm.path_prefix
            )
        });
        let models = Plan::ALL
            .iter()
            .map(|plan| {
                let name = plan.as_str();
                (name.to_owned(), llm.agent_model_for(name).to_owned())
            })
            .collect();
        AgentLlm { api_base, models }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PodDriverChoice;

    #[test]
    fn a_loopback_proxy_address_is_flagged_for_pods_in_containers() {
        let mut settings = Settings::default();
        settings.llm.enabled = true;
        settings.subscriptions.public_base_url = "http://127.0.0.1:8080".into();
        settings.pods.local.command = "docker run --rm agent0ai/agent-zero".into();
        let warning = settings.llm_unreachable_by_pods().unwrap();
        assert!(warning.contains("llm.public_url"), "{warning}");
        settings.pods.local.command = "python3 pod.py".into();
        assert_eq!(settings.llm_unreachable_by_pods(), None);
        settings.pods.driver = PodDriverChoice::Ecs;
        assert!(settings.llm_unreachable_by_pods().is_some());
        settings.llm.public_url = Some("https://llm.gpubroker.site/llm/v1".into());
        assert_eq!(settings.llm_unreachable_by_pods(), None);
    }
}
