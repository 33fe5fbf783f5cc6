//! One-time-code state in Redis. Each operation is one Lua script, so it is atomic across every
//! server process sharing the Redis. Times come from the service clock (not Redis's), so expiry
//! follows the same clock as the rest of the service; Redis TTLs only collect garbage.

use chrono::{DateTime, Duration, Utc};
use redis::{Script, aio::ConnectionManager};

use crate::services::{
    ServiceError, ServiceResult,
    otp::{CodeCheck, OtpStore, StoredCode},
};

#[derive(Clone)]
pub struct RedisOtpStore {
    connection: ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for RedisOtpStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisOtpStore")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

fn unavailable(error: redis::RedisError) -> ServiceError {
    tracing::warn!(error = %error, "Redis call failed");
    ServiceError::Unavailable("Redis")
}

/// Garbage-collection horizon for keys whose logical expiry is checked in the scripts.
const KEEP_MS: i64 = 24 * 3600 * 1000;

const REGISTER_SEND: &str = r"
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then return -1 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return tonumber(ARGV[3]) - count - 1
";

const SAVE_CODE: &str = r"
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'hash', ARGV[1], 'expires', ARGV[2], 'attempts', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
";

// -2: unusable, -1: verified (consumed), n >= 0: wrong, n attempts left. The hashes compared are
// keyed digests of the code, so a timing difference reveals nothing about the code itself.
const CHECK_CODE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -2 end
local stored = redis.call('HGET', KEYS[1], 'hash')
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires'))
local attempts = tonumber(redis.call('HGET', KEYS[1], 'attempts'))
local max = tonumber(ARGV[3])
if expires <= tonumber(ARGV[2]) or attempts >= max then return -2 end
if stored == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return -1
end
attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return max - attempts
";

const TAKE_PROOF: &str = r"
local value = redis.call('GET', KEYS[1])
if not value then return false end
redis.call('DEL', KEYS[1])
return value
";

impl RedisOtpStore {
    /// Connects (and reconnects on its own afterwards).
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, redis::RedisError> {
        Ok(Self::with_connection(
            crate::persistence::redis::connect(url).await?,
            prefix,
        ))
    }

    /// A store on an open connection (shared with the other Redis users of the process).
    pub fn with_connection(connection: ConnectionManager, prefix: &str) -> Self {
        Self {
            connection,
            prefix: prefix.to_owned(),
        }
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}otp:{kind}:{id}", self.prefix)
    }
}

#[async_trait::async_trait]
impl OtpStore for RedisOtpStore {
    async fn register_send(
        &self,
        phone: &str,
        now: DateTime<Utc>,
        window: Duration,
        max: u32,
    ) -> ServiceResult<Option<u32>> {
        let mut connection = self.connection.clone();
        let member = crate::domain::secrets::new_id("s");
        let left: i64 = Script::new(REGISTER_SEND)
            .key(self.key("sends", phone))
            .arg(now.timestamp_millis())
            .arg(window.num_milliseconds())
            .arg(max)
            .arg(member)
            .arg(window.num_milliseconds() + KEEP_MS)
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(u32::try_from(left).ok())
    }

    async fn save_code(&self, phone: &str, code: StoredCode) -> ServiceResult<()> {
        let mut connection = self.connection.clone();
        let _: i64 = Script::new(SAVE_CODE)
            .key(self.key("code", phone))
            .arg(code.hash)
            .arg(code.expires_at.timestamp_millis())
            .arg(KEEP_MS)
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn check_code(
        &self,
        phone: &str,
        hash: &str,
        now: DateTime<Utc>,
        max_attempts: u32,
    ) -> ServiceResult<CodeCheck> {
        let mut connection = self.connection.clone();
        let result: i64 = Script::new(CHECK_CODE)
            .key(self.key("code", phone))
            .arg(hash)
            .arg(now.timestamp_millis())
            .arg(max_attempts)
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(match result {
            -1 => CodeCheck::Verified,
            left if left >= 0 => CodeCheck::Wrong {
                attempts_left: u32::try_from(left).unwrap_or(0),
            },
            _ => CodeCheck::Unusable,
        })
    }

    async fn save_proof(
        &self,
        proof_hash: &str,
        phone: &str,
        expires_at: DateTime<Utc>,
    ) -> ServiceResult<()> {
        let mut connection = self.connection.clone();
        let value = format!("{}|{phone}", expires_at.timestamp_millis());
        let _: () = redis::cmd("SET")
            .arg(self.key("proof", proof_hash))
            .arg(value)
            .arg("PX")
            .arg(KEEP_MS)
            .query_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn take_proof(
        &self,
        proof_hash: &str,
        now: DateTime<Utc>,
    ) -> ServiceResult<Option<String>> {
        let mut connection = self.connection.clone();
        let value: Option<String> = Script::new(TAKE_PROOF)
            .key(self.key("proof", proof_hash))
            .invoke_async(&mut connection)
            .await
            .map_err(unavailable)?;
        Ok(value.and_then(|value| {
            let (expires, phone) = value.split_once('|')?;
            (expires.parse::<i64>().ok()? > now.timestamp_millis()).then(|| phone.to_owned())
        }))
    }
}
