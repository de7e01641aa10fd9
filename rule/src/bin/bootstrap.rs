//! The AWS Lambda entry point: build the Config client once (the rest at first use), then serve
//! invocations.

use delivery_guard::aws::clients;
use delivery_guard::lambda::event_path::{RULE_NAME_VARIABLE, handle_event};
use delivery_guard::lambda::{ProbeClients, Rule, handle_until, log, runtime_log};
use delivery_guard_core::input::cloudtrail_call::is_eventbridge_event;
use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use serde_json::{Value, json};
use std::sync::OnceLock;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // The runtime's own messages; the rule's results are JSON lines of their own (delivery_guard::log).
    runtime_log::init();
    let sdk = clients::load_in_lambda().await;
    let region = sdk
        .region()
        .map(ToString::to_string)
        .ok_or("AWS_REGION is not set")?;
    let test_mode = std::env::var("DELIVERY_GUARD_TEST_MODE").is_ok_and(|v| v.eq_ignore_ascii_case("true"));
    let rule = Rule {
        config: clients::config_client(&sdk, &region, clients::Retries::Shared),
        probes: ProbeClients::OnFirstUse(OnceLock::new()),
        sdk: Some(sdk.clone()),
        region,
        test_mode,
        config_rule_name: std::env::var(RULE_NAME_VARIABLE)
            .ok()
            .filter(|name| !name.is_empty()),
        own_organization: tokio::sync::OnceCell::new(),
    };
    let rule = &rule;
    run(service_fn(move |event: LambdaEvent<Value>| async move {
        let deadline =
            std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(event.context.deadline));
        // Two inputs: Config's invocation, and EventBridge's CloudTrail event (the event-driven path).
        let handled = if is_eventbridge_event(&event.payload) {
            handle_event(rule, &event.payload, deadline)
                .await
                .map(|outcome| json!(outcome))
                .map_err(Error::from)
        } else {
            handle_until(rule, &event.payload, deadline)
                .await
                .map(|outcome| json!(outcome))
                .map_err(Error::from)
        };
        match handled {
            Ok(response) => Ok(response),
            Err(err) => {
                log::emit(
                    log::Level::Error,
                    "invocation-failed",
                    json!({"error": err.to_string()}),
                );
                Err(err)
            }
        }
    }))
    .await
}
