//! §6: Access groups.

use super::*;

pub(super) fn add_access_groups(st: &mut TerminalState, cx: &Cx, o: AddAccessGroups) -> Out {
    let single = !cx.array_body;
    // §6.1: "if not present will auto create".
    let replies =
        add_by_id(&mut st.access_groups, o.access_groups, |g| &mut g.id, true, |id| format!("access group ID {id}"));
    statuses::<AddAccessGroups>(replies, single)
}

pub(super) fn get_access_groups(st: &mut TerminalState, _cx: &Cx, o: GetAccessGroups) -> Out {
    let found: Vec<AccessGroup> = st
        .access_groups
        .values()
        .filter(|g| o.groupid.is_none_or(|id| g.id == Some(id)))
        .filter(|g| o.deptid.is_none_or(|d| g.departmentid == Some(d)))
        .cloned()
        .collect();
    reply::<GetAccessGroups>(&found)
}

pub(super) fn update_access_groups(st: &mut TerminalState, cx: &Cx, o: UpdateAccessGroups) -> Out {
    let single = !cx.array_body;
    let replies = update_by_id(
        &mut st.access_groups,
        o.access_groups,
        |g| g.id.unwrap_or_default(),
        AccessGroup::merge,
        |id| format!("access group ID {id}"),
        "Updated",
    );
    statuses::<UpdateAccessGroups>(replies, single)
}

pub(super) fn delete_access_group(st: &mut TerminalState, _cx: &Cx, o: DeleteAccessGroup) -> Out {
    match st.access_groups.remove(&o.id) {
        Some(_) => reply::<DeleteAccessGroup>(&ok_status(format!("access group ID {} Deleted", o.id))),
        None => Err(ApiError::bad(format!("access group ID {} not found", o.id))),
    }
}
