//! §9: Agents.

use super::*;

pub(super) fn register_agent(st: &mut TerminalState, cx: &Cx, o: RegisterAgent) -> Out {
    let url = o.agent.url.as_str().to_string();
    st.agents.retain(|a| a.url.as_deref() != Some(url.as_str()));
    let epoch = TerminalDateTime::Utc(DateTime::<Utc>::UNIX_EPOCH);
    st.agents.push(Agent {
        url: Some(url),
        registration_time: Some(TerminalDateTime::Utc(cx.now.with_timezone(&Utc))),
        last_update: Some(epoch),
        last_check: Some(epoch),
        last_check_status: Some(false),
        active: Some(true),
        extra: Extra::new(),
    });
    reply::<RegisterAgent>(&ok_status("agent registered"))
}

pub(super) fn unregister_agent(st: &mut TerminalState, _cx: &Cx, o: UnregisterAgent) -> Out {
    let before = st.agents.len();
    st.agents.retain(|a| a.url.as_deref() != Some(o.url.as_str()));
    if st.agents.len() == before {
        return Err(ApiError::bad(format!("agent {} is not registered", o.url)));
    }
    reply::<UnregisterAgent>(&ok_status("Unregistration Agent Success"))
}

pub(super) fn get_agents(st: &mut TerminalState, _cx: &Cx, _: GetAgents) -> Out {
    reply::<GetAgents>(&st.agents.clone())
}
