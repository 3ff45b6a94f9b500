//! Test hooks, exported so that the Kotlin tests can prove a Rust panic arrives as an exception
//! (uniffi's `InternalException` / Swift's `UniffiInternalError`) instead of killing the process.
//! Never call them in an application.

/// Panics with `reason`. For tests of the panic boundary only.
#[uniffi::export]
pub fn panic_for_test(reason: String) {
    panic!("panic_for_test: {reason}");
}

/// Panics with `reason` inside an async call, after one suspension. For tests only.
#[uniffi::export(async_runtime = "tokio")]
pub async fn panic_for_test_async(reason: String) {
    tokio::task::yield_now().await;
    panic!("panic_for_test_async: {reason}");
}
