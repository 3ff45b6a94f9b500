//! §3, §8: Users, and the logged-in user.

use super::*;

pub(super) fn add_user(st: &mut TerminalState, _cx: &Cx, o: AddUser) -> Out {
    status::<AddUser>(insert_user(st, o.user))
}

pub(super) fn add_users(st: &mut TerminalState, _cx: &Cx, o: AddUsers) -> Out {
    reply::<AddUsers>(&o.users.into_iter().map(|u| insert_user(st, u)).collect())
}

pub(super) fn get_users(st: &mut TerminalState, _cx: &Cx, o: GetUsers) -> Out {
    let eq = |want: &Option<String>, have: &Option<String>| want.is_none() || want == have;
    let users: Vec<User> = st
        .users
        .values()
        .filter(|u| o.user_id.is_none() || u.user_id == o.user_id)
        .filter(|u| o.partial_user_id.as_ref().is_none_or(|p| u.user_id.as_deref().unwrap_or("").contains(p.as_str())))
        .filter(|u| {
            eq(&o.last_name, &u.last_name) && eq(&o.first_name, &u.first_name) && eq(&o.other_name, &u.other_name)
        })
        .map(public_user)
        .collect();
    reply::<GetUsers>(&users)
}

pub(super) fn update_user(st: &mut TerminalState, _cx: &Cx, o: UpdateUser) -> Out {
    let mut replies = apply_user_updates(st, vec![o.user]);
    status::<UpdateUser>(replies.remove(0))
}

pub(super) fn update_users(st: &mut TerminalState, _cx: &Cx, o: UpdateUsers) -> Out {
    reply::<UpdateUsers>(&apply_user_updates(st, o.users))
}

pub(super) fn delete_user(st: &mut TerminalState, _cx: &Cx, o: DeleteUser) -> Out {
    match st.users.remove(&o.user_id) {
        Some(_) => reply::<DeleteUser>(&ok_status(format!("User {} Deleted", o.user_id))),
        None => Err(user_not_found(&o.user_id)),
    }
}

pub(super) fn activate_user(st: &mut TerminalState, _cx: &Cx, o: ActivateUser) -> Out {
    let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
    u.status.get_or_insert_with(UserStatus::default).active = Some(true);
    reply::<ActivateUser>(&success())
}

pub(super) fn deactivate_user(st: &mut TerminalState, _cx: &Cx, o: DeactivateUser) -> Out {
    let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
    u.status.get_or_insert_with(UserStatus::default).active = Some(false);
    reply::<DeactivateUser>(&success())
}

pub(super) fn get_user_message(st: &mut TerminalState, _cx: &Cx, o: GetUserMessage) -> Out {
    let u = st.users.get(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
    reply::<GetUserMessage>(&UserMessage::new(u.message.clone().unwrap_or_default()))
}

pub(super) fn set_user_message(st: &mut TerminalState, _cx: &Cx, o: SetUserMessage) -> Out {
    let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
    u.message = o.message.usermessage;
    reply::<SetUserMessage>(&success())
}

pub(super) fn delete_user_message(st: &mut TerminalState, _cx: &Cx, o: DeleteUserMessage) -> Out {
    let u = st.users.get_mut(&o.user_id).ok_or_else(|| user_not_found(&o.user_id))?;
    u.message = None;
    reply::<DeleteUserMessage>(&success())
}

pub(super) fn get_user_count(st: &mut TerminalState, _cx: &Cx, _: GetUserCount) -> Out {
    reply::<GetUserCount>(&UserCount { usercount: Some(st.users.len() as i64), extra: Extra::new() })
}

pub(super) fn get_user_batch(st: &mut TerminalState, _cx: &Cx, o: GetUserBatch) -> Out {
    let users: Vec<User> = st.users.values().skip(o.offset as usize).take(o.limit as usize).map(public_user).collect();
    reply::<GetUserBatch>(&users)
}

pub(super) fn get_user_api_totp(st: &mut TerminalState, cx: &Cx, o: GetUserApiTotp) -> Out {
    if !st.users.contains_key(&o.user_id) {
        return Err(user_not_found(&o.user_id));
    }
    reply::<GetUserApiTotp>(&totp(&o.user_id, &o.totp_type, cx.now))
}

pub(super) fn get_myself(st: &mut TerminalState, cx: &Cx, _: GetMyself) -> Out {
    let me = cx.me();
    let u = st.users.get(&me).ok_or_else(|| user_not_found(&me))?;
    reply::<GetMyself>(&public_user(u))
}

pub(super) fn update_myself(st: &mut TerminalState, cx: &Cx, o: UpdateMyself) -> Out {
    let me = cx.me();
    let b = o.myself;
    if b.user_id != me {
        return Err(ApiError::bad(format!("userID {} is not the logged-in user", b.user_id)));
    }
    let u = st.users.get_mut(&me).ok_or_else(|| user_not_found(&me))?;
    let MyselfUpdate { user_id: _, last_name, first_name, other_name, password, cardsn, extra: _ } = b;
    merge_user(u, User { last_name, first_name, other_name, password, cardsn, ..User::default() });
    reply::<UpdateMyself>(&ok_status(format!("User {me} Updated")))
}

/// A user as get_users shows it: no password, no face photos.
pub(super) fn public_user(u: &User) -> User {
    let mut u = u.clone();
    u.password = None;
    if let Some(faces) = &mut u.facialrecords {
        for f in faces {
            f.facial_photo = None;
        }
    }
    u
}

/// update_user: fields present in the update replace the stored ones; absent ones stay (the
/// status flags one by one).
fn merge_user(dst: &mut User, mut src: User) {
    if let (Some(stored), Some(update)) = (dst.status.as_mut(), src.status.take()) {
        stored.merge(update);
    }
    dst.merge(src);
}

fn insert_user(st: &mut TerminalState, mut u: User) -> StatusReply {
    let id = u.user_id.clone().unwrap_or_default();
    if st.users.contains_key(&id) {
        return err_status(format!("User {id} already exists"));
    }
    // §3.1 defaults: PERSONALUSER, group 0, department 0.
    u.admin_level.get_or_insert(AdminLevel::PersonalUser);
    u.group_id.get_or_insert_with(|| vec![0]);
    u.department_id.get_or_insert_with(|| vec![0]);
    let msg = format!("User {id} Added");
    st.users.insert(id, u);
    ok_status(msg)
}

/// update_user(s): by `userID`, the status flags merged one by one.
fn apply_user_updates(st: &mut TerminalState, users: Vec<User>) -> Vec<StatusReply> {
    update_by_id(
        &mut st.users,
        users,
        |u| u.user_id.clone().unwrap_or_default(),
        merge_user,
        |id| format!("User {id}"),
        "Updated",
    )
}

pub(super) fn user_not_found(id: &str) -> ApiError {
    ApiError::bad(format!("User {id} not found"))
}

/// "First Last", as getFullLogs' userName (§2.2).
pub(super) fn full_name(u: &User) -> Option<String> {
    let parts: Vec<&str> =
        [u.first_name.as_deref(), u.last_name.as_deref()].into_iter().flatten().filter(|s| !s.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn totp(user: &str, kind: &TotpType, now: DateTime<Utc>) -> Totp {
    let step = now.timestamp().div_euclid(30);
    let digest = Sha256::digest(format!("actatek-sim:{user}:{step}").as_bytes());
    let code = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 100_000_000;
    let secret = hex::encode(&Sha256::digest(format!("actatek-sim secret {user}").as_bytes())[..10]);
    let content = format!(
        "ACTATEK-API-TOTP\n{{\"userID\":{},\"secret\":\"{secret}\",\"issuer\":\"actatek-sim\"}}",
        Value::from(user)
    );
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let data = match kind {
        TotpType::OtpPasscode => format!("{code:08}"),
        TotpType::QrPlaintext => content,
        TotpType::QrSvg => b64(format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><desc>{}</desc></svg>",
            hex::encode(&digest[..8])
        )
        .as_bytes()),
        TotpType::QrAnsi => b64(format!("\u{1b}[7m  \u{1b}[0m QR {}\n", hex::encode(&digest[..8])).as_bytes()),
        TotpType::QrPng | TotpType::Unknown(_) => {
            let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
            png.extend_from_slice(&digest);
            b64(&png)
        }
    };
    let format = if kind.is_known() { kind.clone() } else { TotpType::QrPng };
    Totp {
        format: Some(format),
        expiry: Some(TerminalDateTime::Utc(now + TimeDelta::seconds(30))),
        data: Some(data),
        extra: Extra::new(),
    }
}
