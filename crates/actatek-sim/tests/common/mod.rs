//! A raw HTTP client for the simulator: no SDK client, just reqwest and the core's readers.
#![allow(dead_code)]

use actatek_core::ops::Operation;
use actatek_sim::{RunningSimulator, SimulatorBuilder};
use serde_json::Value;

pub const API: &str = "/cgi-bin/restapi";

pub struct Term {
    pub sim: RunningSimulator,
    pub http: reqwest::Client,
}

pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

impl Term {
    pub async fn start(builder: SimulatorBuilder) -> Term {
        let sim = builder.build().start("127.0.0.1:0").await.expect("simulator starts");
        Term { sim, http: reqwest::Client::new() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{API}{path}", self.sim.url())
    }

    pub async fn try_call(&self, method: &str, path: &str, body: Option<&Value>) -> reqwest::Result<Reply> {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(serde_json::to_vec(b).unwrap());
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok(Reply { status, body: resp.text().await? })
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        self.try_call(method, path, body).await.expect("a reply")
    }

    pub async fn login(&self, user: &str, password: &str) -> String {
        let r = self.call("POST", "/login", Some(&serde_json::json!({"username": user, "password": password}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let reply = actatek_core::ops::Login::read_reply(r.status, r.body.as_bytes()).expect("login reply");
        reply.sessionid.expect("a session id").expose().to_string()
    }

    pub async fn admin(&self) -> String {
        self.login("admin", "admin").await
    }

    /// `POST /_sim/...` etc. on the control API.
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}/_sim/{path}", self.sim.url()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("control reply");
        assert!(resp.status().is_success(), "{}", resp.status());
        resp.json().await.expect("control JSON")
    }
}
