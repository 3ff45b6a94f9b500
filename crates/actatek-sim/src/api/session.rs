//! §1: Log in and out.

use super::*;

pub(super) fn login(st: &mut TerminalState, cx: &Cx, o: Login) -> Out {
    let ok = st.users.get(&o.credentials.username).is_some_and(|u| {
        u.password.as_ref().is_some_and(|p| p.expose() == o.credentials.password.expose())
            && u.status.as_ref().and_then(|s| s.active) != Some(false)
    });
    if !ok {
        return Err(ApiError::bad("login failed"));
    }
    let id = new_session_id(st);
    st.sessions.insert(id.clone(), Session { user_id: o.credentials.username.clone(), last_seen: cx.now });
    reply::<Login>(&LoginReply {
        status: Some("success".into()),
        sessionid: Some(SessionId::new(id)),
        extra: Extra::new(),
    })
}

pub(super) fn logout(st: &mut TerminalState, cx: &Cx, _: Logout) -> Out {
    if let Some(sid) = &cx.session {
        st.sessions.remove(sid);
    }
    reply::<Logout>(&success())
}

/// A new random 10-digit session id (sent as a string, §1.1).
fn new_session_id(st: &TerminalState) -> String {
    let mut rng = rand::rng();
    loop {
        let id = rng.random_range(1_000_000_000u64..10_000_000_000).to_string();
        if !st.sessions.contains_key(&id) {
            return id;
        }
    }
}
