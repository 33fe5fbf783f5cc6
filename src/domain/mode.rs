//! Sandbox or live: which PayPal environment payments go to, and which records the admin views
//! show by default.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PaymentMode {
    #[default]
    Sandbox,
    Live,
}

impl PaymentMode {
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMode::Sandbox => "sandbox",
            PaymentMode::Live => "live",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sandbox" => Some(PaymentMode::Sandbox),
            "live" => Some(PaymentMode::Live),
            _ => None,
        }
    }
}
