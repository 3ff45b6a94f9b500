//! §4: Departments.

use super::*;

pub(super) fn add_departments(st: &mut TerminalState, cx: &Cx, o: AddDepartments) -> Out {
    let single = !cx.array_body;
    // §4.1 requires the id (checked before): no automatic one.
    let replies =
        add_by_id(&mut st.departments, o.departments, |d| &mut d.id, false, |id| format!("department ID {id}"));
    statuses::<AddDepartments>(replies, single)
}

pub(super) fn update_departments(st: &mut TerminalState, cx: &Cx, o: UpdateDepartments) -> Out {
    let single = !cx.array_body;
    let replies = update_by_id(
        &mut st.departments,
        o.departments,
        |d| d.id.unwrap_or_default(),
        Department::merge,
        |id| format!("department ID {id}"),
        "Updated",
    );
    statuses::<UpdateDepartments>(replies, single)
}

pub(super) fn get_departments(st: &mut TerminalState, _cx: &Cx, o: GetDepartments) -> Out {
    let found: Vec<Department> = st
        .departments
        .values()
        .filter(|d| o.id.is_none_or(|id| d.id == Some(id)))
        .filter(|d| o.name.is_none() || d.name == o.name)
        .filter(|d| o.description.is_none() || d.description == o.description)
        .cloned()
        .collect();
    one_or_many::<GetDepartments, _>(&found, o.id.is_some())
}

pub(super) fn delete_departments(st: &mut TerminalState, _cx: &Cx, o: DeleteDepartments) -> Out {
    let ids: Vec<i64> = st
        .departments
        .iter()
        .filter(|(_, d)| o.id.is_none_or(|id| d.id == Some(id)))
        .filter(|(_, d)| o.name.is_none() || d.name == o.name)
        .filter(|(_, d)| o.description.is_none() || d.description == o.description)
        .map(|(k, _)| *k)
        .collect();
    match ids.as_slice() {
        [] => Err(ApiError::bad("no department matches")),
        [id] => {
            st.departments.remove(id);
            reply::<DeleteDepartments>(&ok_status(format!("department ID {id} Deleted")))
        }
        many => {
            for id in many {
                st.departments.remove(id);
            }
            reply::<DeleteDepartments>(&ok_status(format!("{} departments Deleted", many.len())))
        }
    }
}
