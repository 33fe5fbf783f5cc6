//! Token budgets: the figures, the alert thresholds, and the rules for reservations. Storage
//! enforces `committed + held <= limit` with conditional updates; this module says what to ask.

use chrono::{DateTime, Duration, Utc};

/// Alert thresholds in percent of the limit, each fired once per period.
pub const THRESHOLDS: [i32; 4] = [50, 75, 90, 100];

/// The largest token figure any request may carry (10^15, far beyond any plan): sums of a few of
/// them stay far inside a 64-bit integer, so no counter arithmetic can overflow in the database.
pub const MAX_TOKENS: i64 = 1_000_000_000_000_000;

/// A subscription's budget in its current period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub subscription_id: String,
    pub pod_id: String,
    pub limit_tokens: i64,
    pub committed_tokens: i64,
    pub held_tokens: i64,
    /// Bit `i` set: `THRESHOLDS[i]` was crossed this period.
    pub thresholds_mask: i32,
    pub period_start_at: DateTime<Utc>,
    pub period_end_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Budget {
    /// Moves tokens between the counters, `held += held_delta` and `committed += committed_delta`,
    /// only if the result stays within the limit and non-negative (the rule storage enforces
    /// too); returns whether it moved.
    pub fn try_move(&mut self, held_delta: i64, committed_delta: i64) -> bool {
        let held = self.held_tokens.checked_add(held_delta);
        let committed = self.committed_tokens.checked_add(committed_delta);
        match (held, committed) {
            (Some(held), Some(committed))
                if held >= 0
                    && committed >= 0
                    && held
                        .checked_add(committed)
                        .is_some_and(|t| t <= self.limit_tokens) =>
            {
                self.held_tokens = held;
                self.committed_tokens = committed;
                true
            }
            _ => false,
        }
    }

    pub fn remaining(&self) -> i64 {
        (self.limit_tokens - self.committed_tokens - self.held_tokens).max(0)
    }

    /// floor(100 × committed / limit); 0 for a zero limit.
    pub fn percent_used(&self) -> i32 {
        if self.limit_tokens <= 0 {
            return 0;
        }
        i32::try_from(self.committed_tokens.saturating_mul(100) / self.limit_tokens)
            .unwrap_or(i32::MAX)
    }

    pub fn thresholds_crossed(&self) -> Vec<i32> {
        THRESHOLDS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.thresholds_mask & (1 << i) != 0)
            .map(|(_, t)| *t)
            .collect()
    }

    /// Thresholds reached by the committed figure but not yet announced, and the mask with them.
    pub fn newly_crossed(&self) -> (Vec<i32>, i32) {
        let percent = self.percent_used();
        let mut mask = self.thresholds_mask;
        let mut crossed = Vec::new();
        if self.limit_tokens <= 0 {
            return (crossed, mask);
        }
        for (i, threshold) in THRESHOLDS.iter().enumerate() {
            if percent >= *threshold && mask & (1 << i) == 0 {
                mask |= 1 << i;
                crossed.push(*threshold);
            }
        }
        (crossed, mask)
    }
}

/// A reservation's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReservationStatus {
    Held,
    Committed,
    Released,
    Expired,
}

impl ReservationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Held => "held",
            Self::Committed => "committed",
            Self::Released => "released",
            Self::Expired => "expired",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Held, Self::Committed, Self::Released, Self::Expired]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// What the ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    Reserve,
    Commit,
    Release,
    Expire,
    /// RecordUsage (usage without a reservation).
    Usage,
}

impl LedgerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reserve => "reserve",
            Self::Commit => "commit",
            Self::Release => "release",
            Self::Expire => "expire",
            Self::Usage => "usage",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Reserve,
            Self::Commit,
            Self::Release,
            Self::Expire,
            Self::Usage,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// How a commit settles a reservation of `reserved` tokens for `actual` spent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// Tokens moved from held to committed.
    pub charge: i64,
    /// The excess over the reservation that must still fit in the budget (0 when within it).
    pub extra: i64,
}

pub fn settle(reserved: i64, actual: i64) -> Settlement {
    Settlement {
        charge: actual,
        extra: (actual - reserved).max(0),
    }
}

/// A reservation's lifetime: unset → `default`, otherwise within 1 s ..= `max`.
pub fn reservation_ttl(
    requested: Option<Duration>,
    default: Duration,
    max: Duration,
) -> Result<Duration, String> {
    match requested {
        None => Ok(default),
        Some(ttl) if ttl >= Duration::seconds(1) && ttl <= max => Ok(ttl),
        Some(_) => Err(format!(
            "must be between 1 and {} seconds",
            max.num_seconds()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(limit: i64, committed: i64, held: i64, mask: i32) -> Budget {
        Budget {
            subscription_id: "sub_1".into(),
            pod_id: "pod-1".into(),
            limit_tokens: limit,
            committed_tokens: committed,
            held_tokens: held,
            thresholds_mask: mask,
            period_start_at: Utc::now(),
            period_end_at: None,
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_move_happens_only_within_the_limit() {
        let mut b = budget(100, 40, 20, 0);
        assert!(b.try_move(40, 0), "exactly the limit fits");
        assert_eq!((b.held_tokens, b.committed_tokens), (60, 40));
        assert!(!b.try_move(1, 0), "one more does not");
        assert!(b.try_move(-30, 25), "a settlement under its hold");
        assert_eq!((b.held_tokens, b.committed_tokens), (30, 65));
        assert!(!b.try_move(-31, 0), "held cannot go negative");
        assert!(!b.try_move(0, -66), "committed cannot go negative");
        assert!(!b.try_move(i64::MAX, 0), "no overflow");
        assert_eq!(
            (b.held_tokens, b.committed_tokens),
            (30, 65),
            "refused moves change nothing"
        );
    }

    #[test]
    fn thresholds_fire_once_each_and_in_order() {
        let b = budget(1000, 760, 0, 0);
        let (crossed, mask) = b.newly_crossed();
        assert_eq!(crossed, vec![50, 75]);
        let b = Budget {
            thresholds_mask: mask,
            committed_tokens: 1000,
            ..b
        };
        assert_eq!(b.newly_crossed().0, vec![90, 100]);
        let b = Budget {
            thresholds_mask: 0b1111,
            ..b
        };
        assert!(b.newly_crossed().0.is_empty());
        assert_eq!(b.thresholds_crossed(), vec![50, 75, 90, 100]);
        assert!(budget(0, 0, 0, 0).newly_crossed().0.is_empty());
    }

    #[test]
    fn figures() {
        let b = budget(1000, 333, 100, 0);
        assert_eq!(b.remaining(), 567);
        assert_eq!(b.percent_used(), 33);
        assert_eq!(
            settle(100, 40),
            Settlement {
                charge: 40,
                extra: 0
            }
        );
        assert_eq!(
            settle(100, 140),
            Settlement {
                charge: 140,
                extra: 40
            }
        );
        let max = Duration::minutes(15);
        assert_eq!(
            reservation_ttl(None, Duration::seconds(60), max),
            Ok(Duration::seconds(60))
        );
        assert!(reservation_ttl(Some(Duration::zero()), Duration::seconds(60), max).is_err());
        assert!(reservation_ttl(Some(Duration::hours(1)), Duration::seconds(60), max).is_err());
    }
}
