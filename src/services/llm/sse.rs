//! Server-sent events as OpenAI streams them (`data: {json}` events, `data: [DONE]` last), cut out
//! of arbitrary network chunks, and the meter that reads each event on its way to the pod.

use bytes::{Bytes, BytesMut};
use serde_json::Value;

use crate::domain::llm::{self, Usage};

/// One complete event of the upstream's stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A `data:` payload other than `[DONE]`, and the event's bytes as received (re-sent as they
    /// are, so what the pod reads is what the upstream wrote).
    Data { payload: String, raw: Bytes },
    /// `data: [DONE]`.
    Done(Bytes),
    /// A comment or an event without data (keep-alives such as `: OPENROUTER PROCESSING`).
    Other(Bytes),
}

/// Splits a byte stream into events at blank lines (`\n\n` or `\r\n\r\n`).
#[derive(Default)]
pub struct Splitter {
    buffer: BytesMut,
}

impl Splitter {
    /// Adds a chunk and returns the events it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Event> {
        self.buffer.extend_from_slice(chunk);
        let mut events = Vec::new();
        while let Some((end, separator)) = boundary(&self.buffer) {
            let raw = self.buffer.split_to(end + separator).freeze();
            events.push(parse(raw));
        }
        events
    }

    /// Bytes of an event the stream ended in the middle of.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
}

fn boundary(buffer: &[u8]) -> Option<(usize, usize)> {
    let lf = buffer.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let crlf = buffer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse(raw: Bytes) -> Event {
    let text = String::from_utf8_lossy(&raw);
    let data: Vec<&str> = text
        .lines()
        .filter_map(|line| line.strip_prefix("data:"))
        .map(|value| value.strip_prefix(' ').unwrap_or(value))
        .collect();
    if data.is_empty() {
        return Event::Other(raw);
    }
    let payload = data.join("\n");
    if payload.trim() == "[DONE]" {
        Event::Done(raw)
    } else {
        Event::Data { payload, raw }
    }
}

/// What happens to an event after the meter has read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Send it to the pod.
    Forward,
    /// The usage-only chunk the proxy asked for and the pod did not: drop it.
    Strip,
    /// An error event: forward it and end the stream.
    Failed,
}

/// Reads a chat stream's events: the usage chunk, or failing that the completion received.
pub struct Meter {
    caller_wants_usage: bool,
    usage: Option<Usage>,
    completion_chunks: i64,
    completion_bytes: usize,
}

impl Meter {
    pub fn new(caller_wants_usage: bool) -> Self {
        Self {
            caller_wants_usage,
            usage: None,
            completion_chunks: 0,
            completion_bytes: 0,
        }
    }

    pub fn observe(&mut self, payload: &str) -> Verdict {
        let Ok(chunk) = serde_json::from_str::<Value>(payload) else {
            return Verdict::Forward;
        };
        if !chunk["error"].is_null() {
            return Verdict::Failed;
        }
        if let Some(usage) = Usage::from_json(&chunk["usage"]) {
            self.usage = Some(usage);
        }
        let choices = chunk["choices"].as_array();
        let mut produced = 0;
        for choice in choices.into_iter().flatten() {
            let delta = &choice["delta"];
            for key in ["content", "reasoning", "reasoning_content", "refusal"] {
                produced += delta[key].as_str().map_or(0, str::len);
            }
            for call in delta["tool_calls"].as_array().into_iter().flatten() {
                produced += call["function"]["arguments"].as_str().map_or(0, str::len);
                produced += call["function"]["name"].as_str().map_or(0, str::len);
            }
        }
        if produced > 0 {
            self.completion_chunks += 1;
            self.completion_bytes += produced;
        }
        let usage_only = choices.is_some_and(Vec::is_empty) && !chunk["usage"].is_null();
        if usage_only && !self.caller_wants_usage {
            Verdict::Strip
        } else {
            Verdict::Forward
        }
    }

    /// The upstream's usage, if its usage chunk arrived.
    pub fn usage(&self) -> Option<Usage> {
        self.usage
    }

    /// Completion tokens counted from the deltas received: a chunk usually carries one token, so
    /// the larger of the chunk count and the byte estimate (never an under-count by much).
    pub fn counted_completion(&self) -> i64 {
        self.completion_chunks
            .max(llm::bytes_tokens(self.completion_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_cut_out_of_any_chunking() {
        let stream = b"data: {\"a\":1}\n\n: keep-alive\n\ndata: {\"b\":2}\r\n\r\ndata: [DONE]\n\n";
        let mut whole = Splitter::default();
        let events = whole.push(stream);
        let mut split = Splitter::default();
        let mut one_by_one = Vec::new();
        for byte in stream {
            one_by_one.extend(split.push(&[*byte]));
        }
        assert_eq!(events, one_by_one);
        assert_eq!(events.len(), 4);
        assert!(matches!(&events[0], Event::Data { payload, .. } if payload == "{\"a\":1}"));
        assert!(matches!(&events[1], Event::Other(_)));
        assert!(matches!(&events[3], Event::Done(_)));
        assert_eq!(split.pending(), 0);
        let mut partial = Splitter::default();
        assert!(partial.push(b"data: {\"c\"").is_empty());
        assert_eq!(partial.pending(), 10);
    }

    #[test]
    fn the_meter_reads_usage_strips_what_was_not_asked_and_counts_deltas() {
        let mut meter = Meter::new(false);
        let delta = r#"{"choices":[{"index":0,"delta":{"content":"Hello there"}}],"usage":null}"#;
        assert_eq!(meter.observe(delta), Verdict::Forward);
        let tool = r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\":"}}]}}]}"#;
        assert_eq!(meter.observe(tool), Verdict::Forward);
        assert_eq!(meter.counted_completion(), 6);
        let usage =
            r#"{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"#;
        assert_eq!(meter.observe(usage), Verdict::Strip);
        assert_eq!(meter.usage().unwrap().completion_tokens, 3);
        assert_eq!(Meter::new(true).observe(usage), Verdict::Forward);
        let failed = r#"{"error":{"message":"boom","type":"server_error"}}"#;
        assert_eq!(meter.observe(failed), Verdict::Failed);
    }
}
