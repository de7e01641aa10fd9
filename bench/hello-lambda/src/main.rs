//! The cold-start baseline for `make bench`: the smallest `lambda_runtime` function, built with the
//! same release profile as `bootstrap`. It echoes its event.

use lambda_runtime::{Error, LambdaEvent, run, service_fn};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<Value, Error>(event.payload)
    }))
    .await
}
