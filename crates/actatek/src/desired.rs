//! Desired state on a terminal (issue 16): read what it holds, plan with the core's planner
//! ([`actatek_core::plan`]), apply.
//!
//! [`Client::apply`] converges rather than trusts: it reads the terminal, plans, sends the
//! plan's writes, then reads again, and is done when a fresh plan is empty. A write whose
//! outcome is unknown (the connection was lost after sending) is never repeated blindly: the
//! next round reads the terminal again and plans from what it really holds, so a write that
//! did land is not sent twice. A write the terminal refused stops the apply with the
//! refusals; an apply interrupted anywhere and run again starts from a fresh read.

use crate::{Client, Error};
use actatek_core::ops;
use actatek_core::plan::{Plan, PlanOptions, PlannedChange, State, plan};
use actatek_core::{AnyOperation, StatusReply};

/// How many read-plan-write rounds [`Client::apply`] runs at most (a lost write costs one).
pub const MAX_ROUNDS: usize = 4;

/// What [`Client::apply`] did.
#[derive(Debug, Clone, Default)]
pub struct ApplyReport {
    /// The plan of each round, in order (the last one empty when the terminal converged).
    pub rounds: Vec<Plan>,
    /// Requests sent (reads and writes).
    pub requests: usize,
    /// Writes refused by the terminal, as `operation: message`.
    pub refused: Vec<String>,
}

impl ApplyReport {
    /// The terminal holds the desired state: the last plan was empty and nothing was refused.
    pub fn converged(&self) -> bool {
        self.refused.is_empty() && self.rounds.last().is_some_and(Plan::is_empty)
    }

    /// The first round's changes (what the apply set out to do).
    pub fn changes(&self) -> Vec<PlannedChange> {
        self.rounds.first().map(Plan::changes).unwrap_or_default()
    }

    /// The report as the bindings hand it out: `converged`, `rounds`, `requests`, `refused`,
    /// the first round's `changes`.
    pub fn summary(&self) -> serde_json::Value {
        // Built by hand, the changes through their text (`to_value_text`): `json!` would
        // compile a `serde_json::Value` writer for them into the browser's `.wasm`.
        let mut o = serde_json::Map::new();
        o.insert("converged".into(), self.converged().into());
        o.insert("rounds".into(), self.rounds.len().into());
        o.insert("requests".into(), self.requests.into());
        o.insert("refused".into(), self.refused.clone().into());
        o.insert("changes".into(), actatek_core::record::to_value_text(&self.changes()));
        serde_json::Value::Object(o)
    }
}

/// Every status in a write's reply that says the terminal refused it.
fn refusals(operation: &str, reply: &serde_json::Value) -> Vec<String> {
    let statuses: Vec<StatusReply> = match reply {
        serde_json::Value::Array(items) => {
            items.iter().filter_map(|v| actatek_core::record::from_value_text(v).ok()).collect()
        }
        v => actatek_core::record::from_value_text(v).ok().into_iter().collect(),
    };
    statuses
        .into_iter()
        .filter(|s| !s.is_success())
        .map(|s| format!("{operation}: {}", s.message.unwrap_or_else(|| "refused".into())))
        .collect()
}

impl Client {
    /// What the terminal holds of the kinds `desired` declares (a kind it leaves empty is not
    /// read, and not managed). Returns the state and the number of requests.
    pub async fn read_state(&self, desired: &State) -> Result<(State, usize), Error> {
        let mut state = State::default();
        let mut requests = 0;
        if !desired.departments.is_empty() {
            state.departments = self.call(&ops::GetDepartments::default()).await?;
            requests += 1;
        }
        if !desired.access_rights.is_empty() {
            state.access_rights = self.call(&ops::GetAccessRights { id: None }).await?;
            requests += 1;
        }
        if !desired.access_groups.is_empty() {
            state.access_groups = self.call(&ops::GetAccessGroups::default()).await?;
            requests += 1;
        }
        if !desired.users.is_empty() {
            state.users = self.call(&ops::GetUsers::default()).await?;
            requests += 1;
        }
        if !desired.triggers.is_empty() {
            state.triggers = self.call(&ops::GetTriggers { trigger_type: None }).await?;
            requests += 1;
        }
        if !desired.holidays.is_empty() {
            state.holidays = self.call(&ops::GetHolidays { date: None }).await?.dates.unwrap_or_default();
            requests += 1;
        }
        Ok((state, requests))
    }

    /// The options with the user this client logs in as protected from `prune`.
    fn own_options(&self, options: &PlanOptions) -> PlanOptions {
        let mut options = options.clone();
        options.protected_users.push(self.inner.username.clone());
        options
    }

    /// The plan that would make the terminal hold `desired` (nothing is written). `prune`
    /// never deletes the user this client logs in as.
    pub async fn plan(&self, desired: &State, options: &PlanOptions) -> Result<Plan, Error> {
        let (current, _) = self.read_state(desired).await?;
        plan(&current, desired, &self.own_options(options)).map_err(Error::Validation)
    }

    /// [`Client::plan`]'s changes or, with `apply`, [`Client::apply`]'s report, in the one wire
    /// shape the bindings hand out ([`Plan::changes`], [`ApplyReport::summary`]).
    pub async fn desired_summary(
        &self,
        desired: &State,
        options: &PlanOptions,
        apply: bool,
    ) -> Result<serde_json::Value, Error> {
        if apply {
            self.apply(desired, options).await.map(|r| r.summary())
        } else {
            let changes = self.plan(desired, options).await?.changes();
            Ok(actatek_core::record::to_value_text(&changes))
        }
    }

    /// Make the terminal hold `desired`: rounds of read, plan, write until a fresh plan is
    /// empty ([`MAX_ROUNDS`] at most). An invalid declaration fails before anything is sent.
    pub async fn apply(&self, desired: &State, options: &PlanOptions) -> Result<ApplyReport, Error> {
        let options = self.own_options(options);
        let mut report = ApplyReport::default();
        for _ in 0..MAX_ROUNDS {
            let (current, reads) = self.read_state(desired).await?;
            report.requests += reads;
            let p = plan(&current, desired, &options).map_err(Error::Validation)?;
            let done = p.is_empty();
            let operations: Vec<AnyOperation> = p.operations();
            report.rounds.push(p);
            if done {
                return Ok(report);
            }
            for op in &operations {
                report.requests += 1;
                match self.call_any(op).await {
                    Ok(reply) => report.refused.extend(refusals(op.name(), &reply)),
                    // Landed or not, nobody knows: read again next round instead of resending.
                    Err(e) if e.maybe_applied() => break,
                    Err(Error::Api { operation, message, .. }) => {
                        report.refused.push(format!("{operation}: {message}"))
                    }
                    Err(e) => return Err(e),
                }
            }
            if !report.refused.is_empty() {
                return Ok(report);
            }
        }
        Ok(report)
    }
}
