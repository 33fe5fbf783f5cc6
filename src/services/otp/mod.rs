//! Phone verification by SMS one-time code (SPEC "Phone OTP"): `+593` mobiles only, a 6-digit
//! code from the OS CSPRNG, stored only as a keyed hash, valid 10 minutes, at most 3 sends per
//! number per hour and 5 wrong attempts per code, compared in constant time. State lives in an
//! [`OtpStore`] (Redis in production, in-process in the embedded default); SMS go through an
//! [`SmsSender`] (SNS in production, a log file in the embedded default).

pub mod redis;

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use tokio::sync::Mutex;

use super::{ServiceError, ServiceResult, clock::Clock};
use crate::domain::{
    phone::EcuadorMobile,
    secrets::{constant_time_eq, new_secret, secret_hash, sha256_hex},
    signup::Language,
};

/// Limits of the rules.
#[derive(Debug, Clone)]
pub struct OtpPolicy {
    pub code_ttl: Duration,
    pub send_window: Duration,
    pub max_sends: u32,
    pub max_attempts: u32,
    /// Lifetime of the proof of verification handed to CreateSubscription.
    pub proof_ttl: Duration,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            code_ttl: Duration::minutes(10),
            send_window: Duration::hours(1),
            max_sends: 3,
            max_attempts: 5,
            proof_ttl: Duration::hours(1),
        }
    }
}

/// A stored code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCode {
    pub hash: String,
    pub expires_at: DateTime<Utc>,
    pub attempts: u32,
}

/// What checking a code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeCheck {
    Verified,
    Wrong {
        attempts_left: u32,
    },
    /// No code, an expired one, or one locked by too many wrong attempts.
    Unusable,
}

/// Where OTP state lives. Implementations make each operation atomic per number.
#[async_trait::async_trait]
pub trait OtpStore: Send + Sync + std::fmt::Debug {
    /// Counts a send in the window; `None` when the number already had `max` sends in it.
    async fn register_send(
        &self,
        phone: &str,
        now: DateTime<Utc>,
        window: Duration,
        max: u32,
    ) -> ServiceResult<Option<u32>>;
    /// Stores a new code for the number, replacing any previous one.
    async fn save_code(&self, phone: &str, code: StoredCode) -> ServiceResult<()>;
    /// Checks `hash` against the stored code, counting a wrong attempt; a verified code is
    /// consumed.
    async fn check_code(
        &self,
        phone: &str,
        hash: &str,
        now: DateTime<Utc>,
        max_attempts: u32,
    ) -> ServiceResult<CodeCheck>;
    /// Records a proof of verification (hashed) until `expires_at`.
    async fn save_proof(
        &self,
        proof_hash: &str,
        phone: &str,
        expires_at: DateTime<Utc>,
    ) -> ServiceResult<()>;
    /// Consumes a proof: the phone it proves, if valid.
    async fn take_proof(
        &self,
        proof_hash: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<Option<String>>;
}

/// The embedded default: state in this process.
#[derive(Debug, Default)]
pub struct InProcessOtpStore {
    sends: Mutex<HashMap<String, Vec<DateTime<Utc>>>>,
    codes: Mutex<HashMap<String, StoredCode>>,
    proofs: Mutex<HashMap<String, (String, DateTime<Utc>)>>,
}

#[async_trait::async_trait]
impl OtpStore for InProcessOtpStore {
    async fn register_send(
        &self,
        phone: &str,
        now: DateTime<Utc>,
        window: Duration,
        max: u32,
    ) -> ServiceResult<Option<u32>> {
        let mut sends = self.sends.lock().await;
        let recent = sends.entry(phone.to_owned()).or_default();
        recent.retain(|at| *at > now - window);
        if recent.len() as u32 >= max {
            return Ok(None);
        }
        recent.push(now);
        Ok(Some(max - recent.len() as u32))
    }

    async fn save_code(&self, phone: &str, code: StoredCode) -> ServiceResult<()> {
        self.codes.lock().await.insert(phone.to_owned(), code);
        Ok(())
    }

    async fn check_code(
        &self,
        phone: &str,
        hash: &str,
        now: DateTime<Utc>,
        max_attempts: u32,
    ) -> ServiceResult<CodeCheck> {
        let mut codes = self.codes.lock().await;
        let Some(code) = codes.get_mut(phone) else {
            return Ok(CodeCheck::Unusable);
        };
        if code.expires_at <= now || code.attempts >= max_attempts {
            return Ok(CodeCheck::Unusable);
        }
        if constant_time_eq(&code.hash, hash) {
            codes.remove(phone);
            return Ok(CodeCheck::Verified);
        }
        code.attempts += 1;
        Ok(CodeCheck::Wrong {
            attempts_left: max_attempts - code.attempts,
        })
    }

    async fn save_proof(
        &self,
        proof_hash: &str,
        phone: &str,
        expires_at: DateTime<Utc>,
    ) -> ServiceResult<()> {
        self.proofs
            .lock()
            .await
            .insert(proof_hash.to_owned(), (phone.to_owned(), expires_at));
        Ok(())
    }

    async fn take_proof(
        &self,
        proof_hash: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<Option<String>> {
        Ok(self
            .proofs
            .lock()
            .await
            .remove(proof_hash)
            .filter(|(_, until)| *until > now)
            .map(|(phone, _)| phone))
    }
}

/// Sends one SMS.
#[async_trait::async_trait]
pub trait SmsSender: Send + Sync + std::fmt::Debug {
    /// Returns the provider's message id.
    async fn send(&self, phone: &EcuadorMobile, text: &str) -> ServiceResult<String>;
}

/// The embedded default: appends each SMS to `<dir>/sms.log` and the log.
#[derive(Debug, Clone)]
pub struct FileSmsSender {
    pub dir: PathBuf,
}

#[async_trait::async_trait]
impl SmsSender for FileSmsSender {
    async fn send(&self, phone: &EcuadorMobile, text: &str) -> ServiceResult<String> {
        use tokio::io::AsyncWriteExt;
        let id = crate::domain::secrets::new_id("sms_");
        tracing::info!(sms_id = %id, to = %phone, "SMS written to the local outbox");
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|_| ServiceError::Unavailable("SMS outbox"))?;
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("sms.log"))
            .await
            .map_err(|_| ServiceError::Unavailable("SMS outbox"))?;
        let line = format!("{} {id} {phone} {text}\n", Utc::now().to_rfc3339());
        // tokio writes in the background: flush, or the line may not be on disk yet.
        file.write_all(line.as_bytes())
            .await
            .map_err(|_| ServiceError::Unavailable("SMS outbox"))?;
        file.flush()
            .await
            .map_err(|_| ServiceError::Unavailable("SMS outbox"))?;
        Ok(id)
    }
}

/// The result of a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentCode {
    pub phone: EcuadorMobile,
    pub expires_at: DateTime<Utc>,
    pub sends_remaining: u32,
}

/// The result of a verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub verified: bool,
    pub attempts_remaining: u32,
    /// Single-use proof for CreateSubscription, when verified.
    pub proof: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PhoneVerification {
    store: Arc<dyn OtpStore>,
    sms: Arc<dyn SmsSender>,
    clock: Arc<dyn Clock>,
    policy: OtpPolicy,
    /// Keys the stored code hashes: a leaked store does not reveal codes by brute force.
    pepper: String,
}

/// Six uniform digits from the thread CSPRNG (ChaCha, seeded from the OS).
fn six_digits() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

impl PhoneVerification {
    pub fn new(
        store: Arc<dyn OtpStore>,
        sms: Arc<dyn SmsSender>,
        clock: Arc<dyn Clock>,
        policy: OtpPolicy,
        pepper: String,
    ) -> Self {
        Self {
            store,
            sms,
            clock,
            policy,
            pepper,
        }
    }

    fn code_hash(&self, phone: &EcuadorMobile, code: &str) -> String {
        sha256_hex(format!("{}\n{phone}\n{code}", self.pepper).as_bytes())
    }

    fn parse(phone: &str) -> ServiceResult<EcuadorMobile> {
        EcuadorMobile::parse(phone)
            .map_err(|e| ServiceError::invalid("phone_number", e.to_string()))
    }

    /// Sends a new code (replacing any earlier one).
    pub async fn send_code(&self, phone: &str, language: Language) -> ServiceResult<SentCode> {
        let phone = Self::parse(phone)?;
        let now = self.clock.now();
        let Some(remaining) = self
            .store
            .register_send(
                phone.as_str(),
                now,
                self.policy.send_window,
                self.policy.max_sends,
            )
            .await?
        else {
            return Err(ServiceError::ResourceExhausted {
                message: format!(
                    "at most {} codes per number per hour; try later",
                    self.policy.max_sends
                ),
                retry_after_secs: self.policy.send_window.num_seconds().unsigned_abs(),
            });
        };
        let code = six_digits();
        let expires_at = now + self.policy.code_ttl;
        self.store
            .save_code(
                phone.as_str(),
                StoredCode {
                    hash: self.code_hash(&phone, &code),
                    expires_at,
                    attempts: 0,
                },
            )
            .await?;
        let minutes = self.policy.code_ttl.num_minutes();
        let text = match language {
            Language::Spanish => format!(
                "GPUBROKER: tu código de verificación es {code}. Vence en {minutes} minutos."
            ),
            Language::English => format!(
                "GPUBROKER: your verification code is {code}. It expires in {minutes} minutes."
            ),
        };
        self.sms.send(&phone, &text).await?;
        Ok(SentCode {
            phone,
            expires_at,
            sends_remaining: remaining,
        })
    }

    /// Checks a code. A wrong code is `verified: false`; an expired, missing or locked one is
    /// FAILED_PRECONDITION.
    pub async fn verify_code(&self, phone: &str, code: &str) -> ServiceResult<Verification> {
        let phone = Self::parse(phone)?;
        let code = code.trim();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServiceError::invalid(
                "code",
                "must be the 6 digits of the SMS",
            ));
        }
        let now = self.clock.now();
        match self
            .store
            .check_code(
                phone.as_str(),
                &self.code_hash(&phone, code),
                now,
                self.policy.max_attempts,
            )
            .await?
        {
            CodeCheck::Verified => {
                let proof = new_secret("pvt_");
                self.store
                    .save_proof(
                        &secret_hash(&proof),
                        phone.as_str(),
                        now + self.policy.proof_ttl,
                    )
                    .await?;
                Ok(Verification {
                    verified: true,
                    attempts_remaining: 0,
                    proof: Some(proof),
                })
            }
            CodeCheck::Wrong { attempts_left } => Ok(Verification {
                verified: false,
                attempts_remaining: attempts_left,
                proof: None,
            }),
            CodeCheck::Unusable => Err(ServiceError::FailedPrecondition(
                "no valid code for this number (expired, used up or never sent); request a new one"
                    .into(),
            )),
        }
    }

    /// Consumes a proof of verification for `phone` (CreateSubscription).
    pub async fn consume_proof(&self, proof: &str, phone: &str) -> ServiceResult<EcuadorMobile> {
        let phone = Self::parse(phone)?;
        match self
            .store
            .take_proof(&secret_hash(proof.trim()), self.clock.now())
            .await?
        {
            Some(proven) if proven == phone.as_str() => Ok(phone),
            _ => Err(ServiceError::invalid(
                "phone_verification_token",
                "is missing, expired, already used or for another number",
            )),
        }
    }
}

/// SMS through AWS SNS `Publish` (transactional).
#[derive(Debug, Clone)]
pub struct SnsSmsSender {
    pub client: aws_sdk_sns::Client,
}

#[async_trait::async_trait]
impl SmsSender for SnsSmsSender {
    async fn send(&self, phone: &EcuadorMobile, text: &str) -> ServiceResult<String> {
        use aws_sdk_sns::types::MessageAttributeValue;
        let sms_type = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let output = self
            .client
            .publish()
            .phone_number(phone.as_str())
            .message(text)
            .message_attributes("AWS.SNS.SMS.SMSType", sms_type)
            .send()
            .await
            .map_err(|e| {
                tracing::warn!(error = %aws_sdk_sns::error::DisplayErrorContext(&e), "SNS publish failed");
                ServiceError::Unavailable("SMS (SNS)")
            })?;
        Ok(output.message_id().unwrap_or_default().to_owned())
    }
}
