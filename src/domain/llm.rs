//! The arithmetic of metering an LLM call: how many budget tokens to hold before forwarding
//! (prompt estimate + output cap × choices, times the model's weight), whether a smaller output
//! cap still fits what is left, and what the real usage charges afterwards.
//!
//! Budget tokens are weighted LLM tokens: `ceil((prompt + completion) × weight)`, so an operator
//! can charge an expensive model more. Cached prompt tokens and reasoning tokens are part of
//! prompt and completion (as OpenAI bills them) and are recorded apart, never charged twice.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::Value;

/// Bytes of text per estimated token. Byte-level BPE vocabularies average about four bytes of
/// English per token; three over-estimates most text (so holds are rarely short) while keeping
/// Agent Zero's several-thousand-token prompts affordable on small budgets. The commit charges
/// the real figure either way; a short hold only means the commit has to find the difference.
const BYTES_PER_TOKEN: usize = 3;
/// What a message costs beyond its text (role, separators), as in OpenAI's cookbook count.
const TOKENS_PER_MESSAGE: i64 = 4;
/// The reply's priming tokens.
const TOKENS_PER_REPLY: i64 = 3;

/// How text is counted in tokens: a model's own byte-pair encoding when it is known, else a
/// conservative estimate from its length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Counter {
    /// [`BYTES_PER_TOKEN`] bytes a token, rounded up.
    #[default]
    Bytes,
    /// OpenAI's `o200k_base` (GPT-4o, GPT-4.1, o-series).
    O200k,
    /// OpenAI's `cl100k_base` (GPT-4, GPT-3.5, text-embedding-3).
    Cl100k,
}

impl Counter {
    /// Tokens of `text`. A tokenizer's tables load on its first use (tens of MB, once).
    pub fn count(self, text: &str) -> i64 {
        let exact = match self {
            Self::Bytes => return bytes_tokens(text.len()),
            Self::O200k => bpe_openai::o200k_base().count(text),
            Self::Cl100k => bpe_openai::cl100k_base().count(text),
        };
        i64::try_from(exact).unwrap_or(i64::MAX)
    }
}

/// A prompt's estimated token count: every message's text (string content, text parts, tool
/// calls, names) and the tool definitions, counted by `counter`, plus the framing tokens of
/// each message.
pub fn estimate_chat_prompt(request: &Value, counter: Counter) -> i64 {
    let messages = request["messages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut tokens = TOKENS_PER_REPLY;
    for message in messages {
        tokens += TOKENS_PER_MESSAGE + text_tokens(&message["content"], counter);
        tokens += text_tokens(&message["name"], counter);
        if !message["tool_calls"].is_null() {
            tokens += json_tokens(&message["tool_calls"], counter);
        }
    }
    for key in ["tools", "functions", "response_format"] {
        if !request[key].is_null() {
            tokens += json_tokens(&request[key], counter);
        }
    }
    tokens
}

/// An embeddings input's estimated token count: strings by `counter`, token arrays exactly.
pub fn estimate_embedding_input(input: &Value, counter: Counter) -> i64 {
    match input {
        Value::String(text) => counter.count(text),
        Value::Number(_) => 1,
        Value::Array(items) => items
            .iter()
            .map(|item| estimate_embedding_input(item, counter))
            .sum(),
        _ => 0,
    }
}

fn text_tokens(content: &Value, counter: Counter) -> i64 {
    match content {
        Value::String(text) => counter.count(text),
        // Content parts: text parts count by their text; images and audio by their JSON, which
        // over-estimates a URL part and is the best a proxy can do without the provider's rules.
        Value::Array(parts) => parts
            .iter()
            .map(|part| match part["text"].as_str() {
                Some(text) => counter.count(text),
                None => json_tokens(part, counter),
            })
            .sum(),
        Value::Null => 0,
        other => json_tokens(other, counter),
    }
}

fn json_tokens(value: &Value, counter: Counter) -> i64 {
    counter.count(&value.to_string())
}

/// Estimated tokens of `bytes` bytes of text.
pub fn bytes_tokens(bytes: usize) -> i64 {
    i64::try_from(bytes.div_ceil(BYTES_PER_TOKEN)).unwrap_or(i64::MAX)
}

/// Weighted budget tokens for `tokens` LLM tokens, rounded up.
pub fn weighted(tokens: i64, weight: Decimal) -> i64 {
    (Decimal::from(tokens.max(0)) * weight)
        .ceil()
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// What to hold for a call, given what it asks and what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// The output cap per choice sent upstream (`max_completion_tokens`/`max_tokens`).
    pub output_cap: i64,
    /// Budget tokens to reserve: `weighted(prompt + output_cap × n)`.
    pub tokens: i64,
    /// True when the cap is smaller than asked (or than the model's default) so the call fits.
    pub lowered: bool,
}

/// Why a call cannot be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DoesNotFit {
    /// Budget tokens the call needs at the smallest useful output.
    pub needed: i64,
    pub remaining: i64,
}

/// What a call asks for.
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub prompt_estimate: i64,
    /// `max_completion_tokens` or `max_tokens`, if the caller set one.
    pub requested_cap: Option<i64>,
    /// The model's default output cap (used, and sent upstream, when the caller sets none).
    pub default_cap: i64,
    /// Choices (`n`); each is billed.
    pub choices: i64,
    pub weight: Decimal,
}

/// The hold for `ask` when `remaining` budget tokens are left: the full cap when it fits, else
/// the largest cap that fits if it is at least `min_output` per choice, else [`DoesNotFit`].
pub fn plan_hold(ask: Ask, remaining: i64, min_output: i64) -> Result<Hold, DoesNotFit> {
    let choices = ask.choices.max(1);
    let wanted_cap = ask.requested_cap.unwrap_or(ask.default_cap).max(1);
    let full = weighted(
        ask.prompt_estimate
            .saturating_add(wanted_cap.saturating_mul(choices)),
        ask.weight,
    );
    if full <= remaining {
        return Ok(Hold {
            output_cap: wanted_cap,
            tokens: full,
            lowered: false,
        });
    }
    let minimum_cap = min_output.min(wanted_cap).max(1);
    // The largest cap whose weighted total fits: search down from the arithmetic guess, since
    // rounding up the weight can cost one token.
    let affordable = unweighted(remaining, ask.weight).saturating_sub(ask.prompt_estimate);
    let mut cap = (affordable / choices).min(wanted_cap);
    while cap >= minimum_cap {
        let tokens = weighted(ask.prompt_estimate + cap * choices, ask.weight);
        if tokens <= remaining {
            return Ok(Hold {
                output_cap: cap,
                tokens,
                lowered: true,
            });
        }
        cap -= 1;
    }
    Err(DoesNotFit {
        needed: weighted(ask.prompt_estimate + minimum_cap * choices, ask.weight),
        remaining,
    })
}

/// LLM tokens that `budget` weighted tokens pay for, rounded down.
fn unweighted(budget: i64, weight: Decimal) -> i64 {
    if weight <= Decimal::ZERO {
        return i64::MAX;
    }
    (Decimal::from(budget.max(0)) / weight)
        .floor()
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// The usage an upstream reported (OpenAI's `CompletionUsage`, or embeddings' usage).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    /// Of the prompt, read from the provider's cache (`prompt_tokens_details.cached_tokens`).
    pub cached_tokens: i64,
    /// Of the completion, spent reasoning (`completion_tokens_details.reasoning_tokens`).
    pub reasoning_tokens: i64,
}

impl Usage {
    /// Reads a `usage` object; `None` when there is none (or it is `null`).
    pub fn from_json(usage: &Value) -> Option<Self> {
        // Bounded as every token figure is: a broken upstream cannot overflow a charge.
        let number = |value: &Value| {
            value
                .as_i64()
                .unwrap_or(0)
                .clamp(0, crate::domain::budget::MAX_TOKENS)
        };
        usage.as_object()?;
        let prompt = number(&usage["prompt_tokens"]);
        let completion = match usage.get("completion_tokens") {
            Some(value) => number(value),
            // Embeddings report only prompt and total.
            None => (number(&usage["total_tokens"]) - prompt).max(0),
        };
        Some(Self {
            prompt_tokens: prompt,
            completion_tokens: completion,
            cached_tokens: number(&usage["prompt_tokens_details"]["cached_tokens"]),
            reasoning_tokens: number(&usage["completion_tokens_details"]["reasoning_tokens"]),
        })
    }

    /// Weighted budget tokens this usage charges.
    pub fn charge(&self, weight: Decimal) -> i64 {
        weighted(
            self.prompt_tokens.saturating_add(self.completion_tokens),
            weight,
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ask(prompt: i64, requested: Option<i64>, n: i64) -> Ask {
        Ask {
            prompt_estimate: prompt,
            requested_cap: requested,
            default_cap: 1_000,
            choices: n,
            weight: Decimal::ONE,
        }
    }

    #[test]
    fn a_prompt_estimate_counts_text_tool_calls_and_tools() {
        let bytes = Counter::Bytes;
        let plain = json!({"messages": [{"role": "user", "content": "x".repeat(300)}]});
        assert_eq!(estimate_chat_prompt(&plain, bytes), 3 + 4 + 100);
        let parts = json!({"messages": [{"role": "user", "content": [{"type": "text", "text": "x".repeat(30)}]}]});
        assert_eq!(estimate_chat_prompt(&parts, bytes), 3 + 4 + 10);
        let tools = json!({
            "messages": [{"role": "assistant", "content": null, "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "{}"}}]}],
            "tools": [{"type": "function", "function": {"name": "f"}}],
        });
        assert!(estimate_chat_prompt(&tools, bytes) > 3 + 4 + 10);
        assert_eq!(
            estimate_embedding_input(&json!(["abc", [1, 2, 3]]), bytes),
            1 + 3
        );
    }

    #[test]
    fn a_known_model_is_counted_by_its_own_tokenizer() {
        // Counts as tiktoken gives them for these encodings.
        assert_eq!(Counter::O200k.count("Hello, world!"), 4);
        assert_eq!(Counter::Cl100k.count("Hello, world!"), 4);
        let english = "You are Agent Zero, an autonomous agent that solves tasks. ".repeat(50);
        let exact = Counter::O200k.count(&english);
        assert!(
            exact < Counter::Bytes.count(&english),
            "the byte estimate stays conservative: {exact}"
        );
        let chat = json!({"messages": [{"role": "user", "content": "Hello, world!"}]});
        assert_eq!(estimate_chat_prompt(&chat, Counter::O200k), 3 + 4 + 4);
    }

    #[test]
    fn a_hold_is_the_prompt_plus_the_cap_for_every_choice_times_the_weight() {
        let hold = plan_hold(ask(100, None, 2), 10_000, 64).unwrap();
        assert_eq!(
            (hold.output_cap, hold.tokens, hold.lowered),
            (1_000, 2_100, false)
        );
        let heavy = Ask {
            weight: Decimal::new(15, 1),
            ..ask(100, Some(10), 1)
        };
        assert_eq!(plan_hold(heavy, 10_000, 64).unwrap().tokens, 165);
    }

    #[test]
    fn a_cap_is_lowered_to_what_is_left_but_never_below_the_useful_minimum() {
        let lowered = plan_hold(ask(100, None, 1), 600, 64).unwrap();
        assert_eq!(
            (lowered.output_cap, lowered.tokens, lowered.lowered),
            (500, 600, true)
        );
        let weighted_fit = Ask {
            weight: Decimal::new(15, 1),
            ..ask(100, None, 1)
        };
        let fit = plan_hold(weighted_fit, 601, 64).unwrap();
        assert!(fit.tokens <= 601 && fit.output_cap == 300, "{fit:?}");
        assert_eq!(
            plan_hold(ask(100, None, 1), 150, 64),
            Err(DoesNotFit {
                needed: 164,
                remaining: 150
            })
        );
        // A caller who asked for less than the minimum gets what it asked or nothing.
        assert!(plan_hold(ask(100, Some(10), 1), 105, 64).is_err());
        assert_eq!(
            plan_hold(ask(100, Some(10), 1), 110, 64)
                .unwrap()
                .output_cap,
            10
        );
    }

    #[test]
    fn usage_is_read_with_its_cached_and_reasoning_parts() {
        let usage = Usage::from_json(&json!({
            "prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150,
            "prompt_tokens_details": {"cached_tokens": 100},
            "completion_tokens_details": {"reasoning_tokens": 12},
        }))
        .unwrap();
        assert_eq!(
            usage,
            Usage {
                prompt_tokens: 120,
                completion_tokens: 30,
                cached_tokens: 100,
                reasoning_tokens: 12
            }
        );
        assert_eq!(usage.charge(Decimal::new(2, 0)), 300);
        let embeddings = Usage::from_json(&json!({"prompt_tokens": 8, "total_tokens": 8})).unwrap();
        assert_eq!(embeddings.completion_tokens, 0);
        assert_eq!(Usage::from_json(&Value::Null), None);
    }
}
