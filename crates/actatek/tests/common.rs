//! Shared helpers: a simulator on loopback and a client for it.

#![allow(dead_code)]

use actatek::Client;
use actatek_sim::{RunningSimulator, Simulator};
use std::time::Duration;

pub const USER: &str = "admin";
pub const PASSWORD: &str = "s3cret-Pa55";

pub async fn sim(users: usize, logs: usize) -> RunningSimulator {
    Simulator::builder()
        .users(users)
        .logs(logs)
        .seed(7)
        .admin(USER, PASSWORD)
        .build()
        .start("127.0.0.1:0")
        .await
        .expect("simulator starts")
}

pub fn client(sim: &RunningSimulator) -> Client {
    Client::builder(sim.url(), USER, PASSWORD)
        .timeout(Duration::from_secs(10))
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
        .build()
        .expect("client builds")
}
