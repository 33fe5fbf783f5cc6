//! What a Fargate pod costs, from configured unit prices (decimal arithmetic, never floats).

use rust_decimal::{Decimal, RoundingStrategy};

/// Fargate unit prices and the size of one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FargatePricing {
    pub vcpu_hour_usd: Decimal,
    pub gb_hour_usd: Decimal,
    pub vcpu: Decimal,
    pub memory_gb: Decimal,
}

impl Default for FargatePricing {
    /// SPEC §5: $0.04048 per vCPU-hour, $0.004445 per GB-hour, 0.25 vCPU, 0.5 GB.
    fn default() -> Self {
        Self {
            vcpu_hour_usd: Decimal::new(4048, 5),
            gb_hour_usd: Decimal::new(4445, 6),
            vcpu: Decimal::new(25, 2),
            memory_gb: Decimal::new(5, 1),
        }
    }
}

/// Hours in the 30-day month used for monthly estimates.
pub const HOURS_PER_MONTH: i64 = 720;

impl FargatePricing {
    /// Cost of one pod for one hour.
    pub fn hourly_usd(&self) -> Decimal {
        self.vcpu * self.vcpu_hour_usd + self.memory_gb * self.gb_hour_usd
    }

    /// Cost of one pod running for `seconds`, in cents (rounded half away from zero).
    pub fn cost_cents(&self, seconds: i64) -> i64 {
        let hours = Decimal::from(seconds) / Decimal::from(3600);
        to_cents(self.hourly_usd() * hours)
    }

    /// Cost of one pod for a 720-hour month, in cents.
    pub fn monthly_cents(&self) -> i64 {
        to_cents(self.hourly_usd() * Decimal::from(HOURS_PER_MONTH))
    }
}

fn to_cents(usd: Decimal) -> i64 {
    let cents = (usd * Decimal::from(100))
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(cents).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_pod_costs_8_89_a_month() {
        // 720×0.25×0.04048 + 720×0.5×0.004445 = 8.8866
        assert_eq!(FargatePricing::default().monthly_cents(), 889);
        assert_eq!(FargatePricing::default().cost_cents(3600 * 720), 889);
        assert_eq!(FargatePricing::default().cost_cents(0), 0);
    }
}
