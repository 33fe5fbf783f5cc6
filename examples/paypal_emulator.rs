//! The tests' PayPal emulator as a process of its own, for the browser tests (`web/test/run`):
//! `paypal_emulator [host:port]` listens (default a free loopback port) and prints its base URL
//! on the first line of stdout. The buyer's approval page is `GET /checkoutnow?token=<order>`;
//! `POST /emulator/next-capture {"status": "DECLINED"}` decides how the next capture ends.

#[allow(dead_code)]
#[path = "../tests/api/paypal_emulator.rs"]
mod paypal_emulator;

use std::io::Write;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let address = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let emulator = paypal_emulator::PaypalEmulator::start_on(&address).await;
    let mut out = std::io::stdout();
    writeln!(out, "{}", emulator.base_url)
        .and_then(|()| out.flush())
        .ok();
    // Serves until the test run kills it.
    std::future::pending::<()>().await;
}
