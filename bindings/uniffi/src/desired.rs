//! Desired state (issue 16) for Kotlin and Swift: `plan` and `apply` on one client, over the
//! core's planner and the Rust client's apply. The desired state is its wire form as JSON text
//! (the same as `actatek plan`'s JSON file); the plan comes back as records.

use crate::client::Client;
use crate::error::ActatekError;
use actatek::core::plan::{Declaration, PlanOptions, PlannedChange as CoreChange, State};
use actatek::{Rule, ValidationError, ValidationErrors};

/// One field an update changes: the terminal's value and the declared one, as JSON text.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FieldChange {
    /// The dotted wire path (`status.active`).
    pub field: String,
    /// The terminal's value (JSON), absent when it has none.
    pub from_json: Option<String>,
    /// The declared value (JSON).
    pub to_json: String,
}

/// One change of a plan.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct PlannedChange {
    /// `departments`, `access_rights`, `access_groups`, `users` or `holidays`.
    pub kind: String,
    /// The record's id, user id or date.
    pub key: String,
    /// `create`, `update` or `delete`.
    pub action: String,
    /// What an update changes (empty otherwise).
    pub fields: Vec<FieldChange>,
}

/// What `apply` did.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ApplyReport {
    /// The terminal holds the desired state.
    pub converged: bool,
    pub rounds: u32,
    pub requests: u32,
    /// The terminal's refusals, which stop the apply.
    pub refused: Vec<String>,
    /// The first round's changes.
    pub changes: Vec<PlannedChange>,
}

fn change(c: CoreChange) -> PlannedChange {
    PlannedChange {
        kind: c.kind.to_string(),
        key: c.key,
        action: c.action.to_string(),
        fields: c
            .fields
            .into_iter()
            .map(|f| FieldChange {
                field: f.field,
                from_json: f.from.map(|v| v.to_string()),
                to_json: f.to.to_string(),
            })
            .collect(),
    }
}

fn desired(
    operation: &str,
    json: &str,
    prune: bool,
    terminal: Option<String>,
    groups: &[String],
) -> Result<(State, PlanOptions), ActatekError> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| {
        ActatekError::validation(
            operation,
            &ValidationErrors::one(ValidationError::new("", format!("not JSON: {e}"), Rule::WrongType)),
        )
    })?;
    let declaration = Declaration::from_wire(&value).map_err(|e| ActatekError::validation(operation, &e))?;
    let state =
        declaration.for_client(terminal.as_deref(), groups).map_err(|e| ActatekError::validation(operation, &e))?;
    Ok((state, PlanOptions { prune, ..PlanOptions::default() }))
}

#[uniffi::export(async_runtime = "tokio")]
impl Client {
    /// What the terminal must be sent to hold the desired state `desired_json` (its wire form:
    /// `departments`, `access_rights` (a `schedule` of `{"MONDAY": "08:00-12:30"}` may stand for
    /// `timespec`), `access_groups`, `users` and `triggers` in wire names, `holidays`, and
    /// `terminals`/`groups` sections of the same kinds, of which `terminal` and `groups` say
    /// which apply here (a document with sections needs one of them); nothing is written.
    /// Records and fields it does not mention are left alone; `prune` also deletes the
    /// undeclared records of each declared kind (never the user logged in as). An invalid
    /// entry is a `Validation` error listing every problem before anything is written.
    #[uniffi::method(default(prune = false, terminal = None, groups = []))]
    pub async fn plan(
        &self,
        desired_json: String,
        prune: bool,
        terminal: Option<String>,
        groups: Vec<String>,
    ) -> Result<Vec<PlannedChange>, ActatekError> {
        let (state, options) = desired("plan", &desired_json, prune, terminal, &groups)?;
        let plan = self.inner().plan(&state, &options).await.map_err(|e| ActatekError::from_client("plan", e))?;
        Ok(plan.changes().into_iter().map(change).collect())
    }

    /// Make the terminal hold `desired_json` (see `plan`): read, plan, write in batches, read
    /// again until nothing is left to do. A write whose answer is lost is read again, never
    /// resent.
    #[uniffi::method(default(prune = false, terminal = None, groups = []))]
    pub async fn apply(
        &self,
        desired_json: String,
        prune: bool,
        terminal: Option<String>,
        groups: Vec<String>,
    ) -> Result<ApplyReport, ActatekError> {
        let (state, options) = desired("apply", &desired_json, prune, terminal, &groups)?;
        let r = self.inner().apply(&state, &options).await.map_err(|e| ActatekError::from_client("apply", e))?;
        Ok(ApplyReport {
            converged: r.converged(),
            rounds: r.rounds.len() as u32,
            requests: r.requests as u32,
            refused: r.refused.clone(),
            changes: r.changes().into_iter().map(change).collect(),
        })
    }
}
