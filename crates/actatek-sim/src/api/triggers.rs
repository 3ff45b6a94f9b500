//! §7: Triggers.

use super::*;

pub(super) fn get_triggers(st: &mut TerminalState, _cx: &Cx, o: GetTriggers) -> Out {
    let found: Vec<Trigger> =
        st.triggers.iter().filter(|t| o.trigger_type.is_none() || t.trigger_type == o.trigger_type).cloned().collect();
    one_or_many::<GetTriggers, _>(&found, o.trigger_type.is_some())
}

pub(super) fn update_trigger(st: &mut TerminalState, _cx: &Cx, o: UpdateTrigger) -> Out {
    let t = o.trigger;
    let kind = t.trigger_type.clone().unwrap_or_else(|| TriggerType::Unknown(String::new()));
    let stored = st.trigger_mut(&kind).ok_or_else(|| ApiError::bad(format!("trigger type {kind} not found")))?;
    stored.merge(t);
    reply::<UpdateTrigger>(&ok_status(format!("trigger type {kind} schedule Updated")))
}

pub(super) fn clear_trigger(st: &mut TerminalState, _cx: &Cx, o: ClearTrigger) -> Out {
    let stored = st
        .trigger_mut(&o.trigger_type)
        .ok_or_else(|| ApiError::bad(format!("trigger type {} not found", o.trigger_type)))?;
    stored.timespec = None;
    reply::<ClearTrigger>(&ok_status(format!("trigger type {} schedule cleared", o.trigger_type)))
}
