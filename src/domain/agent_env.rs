//! The environment that sends an unmodified Agent Zero's LLM calls through the metering proxy.
//!
//! Agent Zero v1.7 reads a plugin default from `A0_SET_` + `"__".join([plugin, *keys])` (only
//! while no saved configuration exists) and an API key for provider `<id>` from `API_KEY_<ID>`.
//! Provider `other` is "Other OpenAI compatible": LiteLLM's `openai` provider with our `api_base`.
//! The browser model is built from the chat model, so chat and utility cover every call that
//! reaches a provider (embeddings run locally by default). Re-check these names when the pinned
//! Agent Zero version changes.

/// The Agent Zero version these variable names were read from.
pub const AGENT_ZERO_VERSION: &str = "v1.7";

/// The model roles whose calls go through the proxy.
const ROLES: [&str; 2] = ["chat_model", "utility_model"];

/// The variables that point Agent Zero's chat and utility models at `api_base` with `model`,
/// authenticated by the pod's own token (the provider's key never enters the pod). A project's
/// saved chat-model override is switched off so a user cannot route around the proxy.
pub fn agent_zero_env(api_base: &str, model: &str, pod_token: &str) -> Vec<(String, String)> {
    let mut env = vec![(
        "A0_SET__model_config__allow_chat_override".to_owned(),
        "false".to_owned(),
    )];
    for role in ROLES {
        for (key, value) in [
            ("provider", "other"),
            ("name", model),
            ("api_base", api_base),
        ] {
            env.push((
                format!("A0_SET__model_config__{role}__{key}"),
                value.to_owned(),
            ));
        }
    }
    env.push(("API_KEY_OTHER".to_owned(), pod_token.to_owned()));
    env
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chat_and_utility_models_go_to_the_proxy_with_the_pod_token() {
        let env = agent_zero_env("http://proxy/llm/v1", "openai/gpt-4.1-mini", "gpt_x");
        let get = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        for role in ["chat_model", "utility_model"] {
            let var = |key: &str| format!("A0_SET__model_config__{role}__{key}");
            assert_eq!(get(&var("provider")), Some("other"));
            assert_eq!(get(&var("name")), Some("openai/gpt-4.1-mini"));
            assert_eq!(get(&var("api_base")), Some("http://proxy/llm/v1"));
        }
        assert_eq!(get("API_KEY_OTHER"), Some("gpt_x"));
        assert_eq!(
            get("A0_SET__model_config__allow_chat_override"),
            Some("false")
        );
        assert_eq!(env.len(), 8);
    }
}
