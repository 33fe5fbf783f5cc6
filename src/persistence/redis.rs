//! The Redis connection shared by the Redis-backed stores (one-time codes, attempt counters).

use redis::aio::ConnectionManager;

/// A Redis connection that reconnects on its own, with bounded waits: a Redis outage answers
/// UNAVAILABLE quickly instead of hanging requests.
pub async fn connect(url: &str) -> Result<ConnectionManager, redis::RedisError> {
    let client = redis::Client::open(url)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(std::time::Duration::from_secs(2)))
        .set_response_timeout(Some(std::time::Duration::from_secs(2)))
        .set_number_of_retries(2);
    ConnectionManager::new_with_config(client, config).await
}
