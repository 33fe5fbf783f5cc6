//! Plans: what each costs and how many tokens it grants per period. The server is the only source
//! of prices and limits; a client names a plan and nothing else.

use std::fmt;

/// The plans on sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Plan {
    Trial,
    Basic,
    Pro,
    Corp,
    Enterprise,
}

impl Plan {
    pub const ALL: [Plan; 5] = [
        Plan::Trial,
        Plan::Basic,
        Plan::Pro,
        Plan::Corp,
        Plan::Enterprise,
    ];

    /// The stored and original-API name (`trial`, `basic`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Trial => "trial",
            Plan::Basic => "basic",
            Plan::Pro => "pro",
            Plan::Corp => "corp",
            Plan::Enterprise => "enterprise",
        }
    }

    /// Parses a stored name. Unknown names are an error, never a fallback plan.
    pub fn parse(name: &str) -> Option<Plan> {
        Plan::ALL
            .into_iter()
            .find(|plan| plan.as_str().eq_ignore_ascii_case(name.trim()))
    }

    pub fn display_name(self, spanish: bool) -> &'static str {
        match (self, spanish) {
            (Plan::Trial, true) => "Prueba Gratuita",
            (Plan::Trial, false) => "Free Trial",
            (Plan::Basic, true) => "Básico",
            (Plan::Basic, false) => "Basic",
            (Plan::Pro, true) => "Profesional",
            (Plan::Pro, false) => "Professional",
            (Plan::Corp, true) => "Corporativo",
            (Plan::Corp, false) => "Corporate",
            (Plan::Enterprise, _) => "Enterprise",
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Price and token allowance of one plan for one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanTerms {
    /// US cents per period.
    pub price_cents: i64,
    pub token_limit: i64,
}

/// A token figure as people read it: `1 M`, `2.5 M` (`2,5 M` in Spanish) from a million up,
/// else the number with thousands grouped (`12,345`; `12.345` in Spanish).
pub fn token_amount(tokens: i64, spanish: bool) -> String {
    let (decimal, group) = if spanish { (',', '.') } else { ('.', ',') };
    if tokens >= 1_000_000 && tokens % 100_000 == 0 {
        let tenths = tokens / 100_000;
        return match tenths % 10 {
            0 => format!("{} M", tenths / 10),
            rest => format!("{}{decimal}{rest} M", tenths / 10),
        };
    }
    let digits = tokens.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    if tokens < 0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// The plan table in force (SPEC §5 by default, configurable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCatalogue {
    terms: [PlanTerms; 5],
    /// Length of a paid-for period.
    pub period_days: i64,
}

pub const CURRENCY: &str = "USD";

impl Default for PlanCatalogue {
    fn default() -> Self {
        let terms = |price_cents, token_limit| PlanTerms {
            price_cents,
            token_limit,
        };
        Self {
            terms: [
                terms(0, 1_000_000),
                terms(2_000, 5_000_000),
                terms(4_000, 10_000_000),
                terms(9_900, 50_000_000),
                terms(29_900, 200_000_000),
            ],
            period_days: 30,
        }
    }
}

impl PlanCatalogue {
    pub fn new(terms: [PlanTerms; 5], period_days: i64) -> Self {
        Self { terms, period_days }
    }

    pub fn terms(&self, plan: Plan) -> PlanTerms {
        self.terms[plan as usize]
    }

    /// A plan needs a verified payment before activation when it costs anything.
    pub fn requires_payment(&self, plan: Plan) -> bool {
        self.terms(plan).price_cents > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_table_is_the_default() {
        let catalogue = PlanCatalogue::default();
        let expected = [
            (Plan::Trial, 0, 1_000_000),
            (Plan::Basic, 2_000, 5_000_000),
            (Plan::Pro, 4_000, 10_000_000),
            (Plan::Corp, 9_900, 50_000_000),
            (Plan::Enterprise, 29_900, 200_000_000),
        ];
        for (plan, cents, tokens) in expected {
            assert_eq!(catalogue.terms(plan).price_cents, cents, "{plan}");
            assert_eq!(catalogue.terms(plan).token_limit, tokens, "{plan}");
        }
        assert!(!catalogue.requires_payment(Plan::Trial));
        assert!(catalogue.requires_payment(Plan::Pro));
    }

    #[test]
    fn token_figures_read_as_millions_or_grouped() {
        assert_eq!(token_amount(1_000_000, false), "1 M");
        assert_eq!(token_amount(200_000_000, false), "200 M");
        assert_eq!(token_amount(2_500_000, false), "2.5 M");
        assert_eq!(token_amount(2_500_000, true), "2,5 M");
        assert_eq!(token_amount(1_234_567, false), "1,234,567");
        assert_eq!(token_amount(1_234_567, true), "1.234.567");
        assert_eq!(token_amount(999, false), "999");
        assert_eq!(token_amount(0, false), "0");
    }

    #[test]
    fn names_round_trip_and_unknown_plans_are_refused() {
        for plan in Plan::ALL {
            assert_eq!(Plan::parse(plan.as_str()), Some(plan));
        }
        assert_eq!(Plan::parse("PRO"), Some(Plan::Pro));
        assert_eq!(Plan::parse("platinum"), None);
    }
}
