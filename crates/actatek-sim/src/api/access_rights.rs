//! §5: Access rights.

use super::*;

pub(super) fn add_access_rights(st: &mut TerminalState, cx: &Cx, o: AddAccessRights) -> Out {
    let single = !cx.array_body;
    let replies =
        add_by_id(&mut st.access_rights, o.access_rights, |r| &mut r.id, true, |id| format!("access right ID {id}"));
    statuses::<AddAccessRights>(replies, single)
}

pub(super) fn get_access_rights(st: &mut TerminalState, _cx: &Cx, o: GetAccessRights) -> Out {
    let found: Vec<AccessRight> =
        st.access_rights.values().filter(|r| o.id.is_none_or(|id| r.id == Some(id))).cloned().collect();
    one_or_many::<GetAccessRights, _>(&found, o.id.is_some())
}

pub(super) fn update_access_rights(st: &mut TerminalState, cx: &Cx, o: UpdateAccessRights) -> Out {
    let single = !cx.array_body;
    let replies = update_by_id(
        &mut st.access_rights,
        o.access_rights,
        |r| r.id.unwrap_or_default(),
        AccessRight::merge,
        |id| format!("access right ID {id}"),
        "Updated",
    );
    statuses::<UpdateAccessRights>(replies, single)
}

pub(super) fn delete_access_right(st: &mut TerminalState, _cx: &Cx, o: DeleteAccessRight) -> Out {
    match st.access_rights.remove(&o.id) {
        Some(_) => reply::<DeleteAccessRight>(&ok_status(format!("access right ID {} Deleted", o.id))),
        None => Err(ApiError::bad(format!("access right ID {} not found", o.id))),
    }
}
