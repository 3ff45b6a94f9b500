//! §12: Job codes.

use super::*;

pub(super) fn get_job_code_settings(st: &mut TerminalState, _cx: &Cx, _: GetJobCodeSettings) -> Out {
    reply::<GetJobCodeSettings>(&st.job_code_settings.clone())
}

pub(super) fn update_job_code_settings(st: &mut TerminalState, cx: &Cx, o: UpdateJobCodeSettings) -> Out {
    let single = !cx.array_body;
    let replies = update_by_id(
        &mut st.job_code_settings,
        o.settings,
        |s| s.jobcode,
        JobCodeSetting::merge,
        |s| format!("jobcode setting {}", s.map_or(0, JobCodeSettingId::get)),
        "updated",
    );
    statuses::<UpdateJobCodeSettings>(replies, single)
}

pub(super) fn add_job_codes(st: &mut TerminalState, cx: &Cx, o: AddJobCodes) -> Out {
    let single = !cx.array_body;
    let mut trial = st.job_codes.clone();
    let replies: Vec<StatusReply> = o
        .job_codes
        .into_iter()
        .map(|c| {
            let (s, i) = code_key(&c);
            match trial.entry((s, i)) {
                Entry::Occupied(_) => err_status(format!("jobcode {s} id {i} already exists")),
                Entry::Vacant(slot) => {
                    slot.insert(c);
                    ok_status(format!("jobcode {s} id {i} added"))
                }
            }
        })
        .collect();
    check_defaults(&trial)?;
    st.job_codes = trial;
    statuses::<AddJobCodes>(replies, single)
}

pub(super) fn update_job_codes(st: &mut TerminalState, cx: &Cx, o: UpdateJobCodes) -> Out {
    let single = !cx.array_body;
    let mut trial = st.job_codes.clone();
    let replies = update_by_id(
        &mut trial,
        o.job_codes,
        code_key,
        JobCode::merge,
        |(s, i)| format!("jobcode {s} id {i}"),
        "updated",
    );
    check_defaults(&trial)?;
    st.job_codes = trial;
    statuses::<UpdateJobCodes>(replies, single)
}

pub(super) fn delete_job_codes(st: &mut TerminalState, _cx: &Cx, o: DeleteJobCodes) -> Out {
    // §12.5 marks every filter required; an empty filter would match every job code.
    // A careful terminal refuses it and deletes nothing.
    if o.jobcode.is_none() && o.id.is_none() && o.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(ApiError::bad("delete_job_codes needs at least one of jobcode, id, name (§12.5); nothing deleted"));
    }
    let keys: Vec<(u32, u32)> = st
        .job_codes
        .iter()
        .filter(|(_, c)| o.jobcode.is_none_or(|s| c.jobcode == Some(s)))
        .filter(|(_, c)| o.id.is_none_or(|i| c.id == Some(i)))
        .filter(|(_, c)| o.name.is_none() || c.name == o.name)
        .map(|(k, _)| *k)
        .collect();
    if keys.is_empty() {
        return Err(ApiError::bad("no job code matches"));
    }
    let replies = keys
        .into_iter()
        .map(|(s, i)| {
            st.job_codes.remove(&(s, i));
            ok_status(format!("jobcode {s} id {i} deleted"))
        })
        .collect();
    statuses::<DeleteJobCodes>(replies, true)
}

pub(super) fn get_job_codes(st: &mut TerminalState, _cx: &Cx, o: GetJobCodes) -> Out {
    let found: Vec<JobCode> = st
        .job_codes
        .values()
        .filter(|c| o.jobcode.is_none_or(|s| c.jobcode == Some(s)))
        .filter(|c| o.id.is_none_or(|i| c.id == Some(i)))
        .filter(|c| o.name.is_none() || c.name == o.name)
        .filter(|c| o.enable.is_none() || c.enable == o.enable)
        .cloned()
        .collect();
    one_or_many::<GetJobCodes, _>(&found, o.id.is_some())
}

/// §12.3: at most one default job code per setting, across the whole terminal.
fn check_defaults(codes: &BTreeMap<(u32, u32), JobCode>) -> Result<(), ApiError> {
    let mut seen = BTreeSet::new();
    for ((setting, _), c) in codes {
        if c.enable == Some(JobCodeEnable::Default) && !seen.insert(*setting) {
            return Err(ApiError::bad(format!(
                "jobcode setting {setting} already has a default job code (only one default per setting, §12.3)"
            )));
        }
    }
    Ok(())
}

fn code_key(c: &JobCode) -> (u32, u32) {
    (c.jobcode.map_or(0, JobCodeSettingId::get), c.id.map_or(0, JobCodeId::get))
}

/// The three job code settings, found by their `jobcode` number.
impl ById<Option<JobCodeSettingId>, JobCodeSetting> for Vec<JobCodeSetting> {
    fn by_id(&mut self, key: &Option<JobCodeSettingId>) -> Option<&mut JobCodeSetting> {
        self.iter_mut().find(|s| s.jobcode == *key)
    }
}
