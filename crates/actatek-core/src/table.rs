//! The operation table: every canonical operation of ENDPOINTS.md, declared once.
//!
//! Each row: doc, canonical name, type name, manual section, HTTP method, `read` (safe to
//! retry) or `write`, path template below `/cgi-bin/restapi`, the parameters (Rust name, type,
//! where it goes — `path`, `query` or `body` — and its wire name), the fields the body's records
//! need beyond their own required ones (`needs ["id"]`, published in the description), an
//! optional extra check, and the reply type. Request building, reply reading, the simulator's routing and every
//! binding's methods are generated from it by passing a callback macro to
//! [`operation_table!`](crate::operation_table).

/// Calls `$callback! { rows… }` with every operation row (see the module docs for the format);
/// `operation_table!(callback, tokens…)` puts the tokens before the rows.
#[macro_export]
macro_rules! operation_table {
    ($callback:path $(, $arg:tt)*) => {
        $callback! {
            $($arg)*
            /// Log in; the reply carries the session id (§1.1).
            login Login "1.1" POST read "/login" { credentials: Credentials = body "body" } -> LoginReply;
            /// End the session (§1.2).
            logout Logout "1.2" DELETE write "/logout/{sid}" {} -> StatusReply;

            /// Event logs, filtered (§2.1).
            get_logs GetLogs "2.1" GET read(filters) "/getLogs/{sid}" {
                from: Option<TerminalDateTime> = query "from",
                to: Option<TerminalDateTime> = query "to",
                employee_name: Option<String> = query "employeeName",
                employee_id: Option<String> = query "employeeID",
                department_id: Option<i64> = query "departmentID",
                trigger: Option<String> = query "trigger",
                terminal_sn: Option<String> = query "terminalSN",
            } -> Vec<Log>;
            /// Event logs with names, photos and access method (§2.2). Without `limit` the path
            /// ends in `/` to tell it apart from get_logs.
            get_full_logs GetFullLogs "2.2" GET read(filters) "/getLogs/{sid}/{limit}" {
                limit: Option<u32> = path "limit",
                from: Option<TerminalDateTime> = query "from",
                to: Option<TerminalDateTime> = query "to",
                employee_name: Option<String> = query "employeeName",
                employee_id: Option<String> = query "employeeID",
                department_id: Option<i64> = query "departmentID",
                trigger: Option<String> = query "trigger",
                terminal_sn: Option<String> = query "terminalSN",
            } -> Vec<FullLog>;
            /// The photo of the event log at a timestamp (§2.3).
            get_log_photo GetLogPhoto "2.3" GET read "/getLogPhoto/{sid}/{timestamp}" {
                timestamp: TerminalDateTime = path "timestamp",
                terminal_sn: Option<String> = query "terminalSN",
            } -> Photo;
            /// Add one event log (§2.4).
            add_log AddLog "2.4" POST write "/addLog/{sid}/{timestamp}/{employeeID}/{trigger}" {
                timestamp: TerminalDateTime = path "timestamp",
                employee_id: String = path "employeeID",
                trigger: String = path "trigger",
            } -> StatusReply;
            /// Delete logs older than the last `days_to_keep` days (§2.5).
            delete_logs DeleteLogs "2.5" DELETE write "/deleteLogs/{sid}/{daysToKeep}" {
                days_to_keep: u32 = path "daysToKeep",
            } -> StatusReply;
            /// Delete every log (§2.6).
            reset_log ResetLog "2.6" DELETE write "/resetLog/{sid}" {} -> StatusReply;

            /// Add one user (§3.1).
            add_user AddUser "3.1" POST write "/user/{sid}" { user: User = body "body" } needs ["status"] check check_add_user -> StatusReply;
            /// Add several users; one reply per user (§3.2).
            add_users AddUsers "3.2" POST write "/user/{sid}" { users: Vec<User> = body "body" } needs ["status"] check check_add_users -> Vec<StatusReply>;
            /// Users matching every given filter (§3.3).
            get_users GetUsers "3.3" GET read(filters) "/user/{sid}" {
                user_id: Option<String> = query "userID",
                partial_user_id: Option<String> = query "partialUserID",
                last_name: Option<String> = query "lastName",
                first_name: Option<String> = query "firstName",
                other_name: Option<String> = query "otherName",
            } -> Vec<User>;
            /// Update one user (§3.4).
            update_user UpdateUser "3.4" PUT write "/user/{sid}" { user: User = body "body" } -> StatusReply;
            /// Update several users; one reply per user (§3.5).
            update_users UpdateUsers "3.5" PUT write "/user/{sid}" { users: Vec<User> = body "body" } -> Vec<StatusReply>;
            /// Delete a user (§3.6, E1).
            delete_user DeleteUser "3.6" DELETE write "/user/{sid}/{userID}" { user_id: String = path "userID" } -> StatusReply;
            /// Set a user active (§3.7).
            activate_user ActivateUser "3.7" POST write "/activateUser/{sid}/{userID}" { user_id: String = path "userID" } -> StatusReply;
            /// Suspend a user (§3.8).
            deactivate_user DeactivateUser "3.8" DELETE write "/activateUser/{sid}/{userID}" { user_id: String = path "userID" } -> StatusReply;
            /// A user's message (§3.9).
            get_user_message GetUserMessage "3.9" GET read "/UserMessage/{sid}/{userID}" { user_id: String = path "userID" } -> UserMessage;
            /// Set a user's message (§3.10).
            set_user_message SetUserMessage "3.10" POST write "/UserMessage/{sid}/{userID}" {
                user_id: String = path "userID",
                message: UserMessage = body "body",
            } -> StatusReply;
            /// Delete a user's message (§3.11).
            delete_user_message DeleteUserMessage "3.11" DELETE write "/UserMessage/{sid}/{userID}" { user_id: String = path "userID" } -> StatusReply;
            /// How many users there are (§3.12, E2).
            get_user_count GetUserCount "3.12" GET read "/UserCount/{sid}" {} -> UserCount;
            /// A page of users (§3.13, E2).
            get_user_batch GetUserBatch "3.13" GET read "/UserBatch/{sid}/{offset}/{limit}" {
                offset: u32 = path "offset",
                limit: u32 = path "limit",
            } -> Vec<User>;
            /// A user's API login TOTP as QR code or passcode (§3.14, E2).
            get_user_api_totp GetUserApiTotp "3.14" GET read "/UserAPITOTP/{sid}/{userID}/{TOTPType}" {
                user_id: String = path "userID",
                totp_type: TotpType = path "TOTPType",
            } -> Totp;

            /// Add departments (§4.1).
            add_departments AddDepartments "4.1" POST write "/department/{sid}" { departments: Vec<Department> = body "body" } needs ["id", "name", "description"] check check_add_departments -> Vec<StatusReply>;
            /// Update departments (§4.2).
            update_departments UpdateDepartments "4.2" PUT write "/department/{sid}" { departments: Vec<Department> = body "body" } needs ["id"] check check_update_departments -> Vec<StatusReply>;
            /// Departments matching the filters; all without filters (§4.3).
            get_departments GetDepartments "4.3" GET read(filters) "/department/{sid}" {
                id: Option<i64> = query "id",
                name: Option<String> = query "name",
                description: Option<String> = query "description",
            } -> Vec<Department>;
            /// Delete the departments matching at least one filter (§4.4).
            delete_departments DeleteDepartments "4.4" DELETE write(filters) "/department/{sid}" {
                id: Option<i64> = query "id",
                name: Option<String> = query "name",
                description: Option<String> = query "description",
            } check check_delete_departments -> StatusReply;

            /// Add access rights (§5.1, E4).
            add_access_rights AddAccessRights "5.1" POST write "/accessright/{sid}" { access_rights: Vec<AccessRight> = body "body" } -> Vec<StatusReply>;
            /// Access rights; all without `id` (§5.2, E4).
            get_access_rights GetAccessRights "5.2" GET read "/accessright/{sid}" { id: Option<i64> = query "id" } -> Vec<AccessRight>;
            /// Update access rights (§5.3, E4).
            update_access_rights UpdateAccessRights "5.3" PUT write "/accessright/{sid}" { access_rights: Vec<AccessRight> = body "body" } needs ["id"] check check_update_access_rights -> Vec<StatusReply>;
            /// Delete an access right (§5.4).
            delete_access_right DeleteAccessRight "5.4" DELETE write "/accessright/{sid}/{id}" { id: i64 = path "id" } -> StatusReply;

            /// Add access groups (§6.1).
            add_access_groups AddAccessGroups "6.1" POST write "/accessgroup/{sid}" { access_groups: Vec<AccessGroup> = body "body" } -> Vec<StatusReply>;
            /// Access groups, by group and/or department (§6.2, E13).
            get_access_groups GetAccessGroups "6.2" GET read(filters) "/accessgroup/{sid}" {
                groupid: Option<i64> = query "groupid",
                deptid: Option<i64> = query "deptid",
            } -> Vec<AccessGroup>;
            /// Update access groups (§6.3).
            update_access_groups UpdateAccessGroups "6.3" PUT write "/accessgroup/{sid}" { access_groups: Vec<AccessGroup> = body "body" } needs ["id"] check check_update_access_groups -> Vec<StatusReply>;
            /// Delete an access group (§6.4).
            delete_access_group DeleteAccessGroup "6.4" DELETE write "/accessgroup/{sid}/{id}" { id: i64 = path "id" } -> StatusReply;

            /// Triggers and their schedules; all without `type` (§7.1, E4).
            get_triggers GetTriggers "7.1" GET read "/trigger/{sid}" { trigger_type: Option<TriggerType> = query "type" } -> Vec<Trigger>;
            /// Update a trigger's name, state and schedule (§7.2, E4).
            update_trigger UpdateTrigger "7.2" PUT write "/trigger/{sid}" { trigger: Trigger = body "body" } -> StatusReply;
            /// Clear a trigger's schedule (§7.3).
            clear_trigger ClearTrigger "7.3" DELETE write "/trigger/{sid}/{type}" { trigger_type: TriggerType = path "type" } -> StatusReply;

            /// The logged-in user (§8.1, E3).
            get_myself GetMyself "8.1" GET read "/myself/{sid}/" {} -> User;
            /// Update the logged-in user's names, card and password (§8.2).
            update_myself UpdateMyself "8.2" PUT write "/myself/{sid}" { myself: MyselfUpdate = body "body" } -> StatusReply;

            /// Register an agent (§9.1).
            register_agent RegisterAgent "9.1" POST write "/agent/{sid}" { agent: AgentRegistration = body "body" } -> StatusReply;
            /// Unregister an agent (§9.2).
            unregister_agent UnregisterAgent "9.2" DELETE write "/agent/{sid}" { url: AgentUrl = query "url" } -> StatusReply;
            /// Registered agents (§9.3).
            get_agents GetAgents "9.3" GET read "/agent/{sid}" {} -> Vec<Agent>;

            /// NTP setting (§10.1).
            get_ntp GetNtp "10.1" GET read "/ntp/{sid}" {} -> Ntp;
            /// Change the NTP setting (§10.2).
            set_ntp SetNtp "10.2" PUT write "/ntp/{sid}" { ntp: Ntp = body "body" } -> StatusReply;
            /// The terminal's clock and time zone (§10.3).
            get_time GetTime "10.3" GET read "/time/{sid}" {} -> TerminalTime;
            /// Set the terminal's clock and time zone (§10.4, E5).
            set_time SetTime "10.4" PUT write "/time/{sid}" { time: TerminalTime = body "body" } -> StatusReply;

            /// Open the main door strike (§11.1).
            open_door OpenDoor "11.1" POST write "/opendoor/{sid}" {} -> StatusReply;
            /// API name and version; needs no session (§11.2).
            get_api_version GetApiVersion "11.2" GET read "/apiversion" {} -> ApiVersion;
            /// Serial number, firmware, user counts (§11.3).
            get_terminal_status GetTerminalStatus "11.3" GET read "/terminalstatus/{sid}" {} -> TerminalStatus;
            /// Open or close a relay (§11.4).
            relay_action RelayActionOp "11.4" POST write "/relay/{sid}/{relayaction}/{relayid}" {
                action: RelayAction = path "relayaction",
                relay: RelayTarget = path "relayid",
            } -> StatusReply;
            /// Change a relay's setting (§11.5).
            set_relay_setting SetRelaySetting "11.5" PUT write "/relaysetting/{sid}/" { setting: RelaySetting = body "body" } -> StatusReply;
            /// A relay's setting; both for ALL (§11.6).
            get_relay_setting GetRelaySetting "11.6" GET read "/relaysetting/{sid}/{relayid}" { relay: RelayTarget = path "relayid" } -> Vec<RelaySetting>;
            /// Change the auto in/out mode (§11.7).
            set_auto_in_out SetAutoInOut "11.7" PUT write "/autoInOut/{sid}" { setting: AutoInOut = body "body" } -> StatusReply;
            /// The auto in/out mode (§11.8).
            get_auto_in_out GetAutoInOut "11.8" GET read "/autoInOut/{sid}/" {} -> AutoInOut;
            /// Log unauthorized events or not (§11.9).
            set_log_unauthorized_event SetLogUnauthorizedEvent "11.9" PUT write "/logUnauthorizedEvent/{sid}/{enable}" { enable: bool = path "enable" } -> StatusReply;
            /// Whether unauthorized events are logged (§11.10).
            get_log_unauthorized_event GetLogUnauthorizedEvent "11.10" GET read "/logUnauthorizedEvent/{sid}/" {} -> LogUnauthorizedEvent;
            /// The last captured fingerprint image (§11.11).
            get_capture_fingerprint GetCaptureFingerprint "11.11" GET read "/getCaptureFingerprint/{sid}/" {} -> Photo;
            /// Change video streaming (§11.12).
            set_rtp_setting SetRtpSetting "11.12" PUT write "/rtpsetting/{sid}/" { setting: RtpSetting = body "body" } -> StatusReply;
            /// Video streaming setting and state (§11.13, E6).
            get_rtp_setting GetRtpSetting "11.13" GET read "/rtpsetting/{sid}" {} -> RtpSetting;
            /// Switch the consent message and set its display name (§11.14).
            set_consent SetConsent "11.14" PUT write "/consent/{sid}/{enable}/{display_name}" {
                enable: ConsentMode = path "enable",
                display_name: String = path "display_name",
            } check check_set_consent -> StatusReply;
            /// The consent message setting (§11.15).
            get_consent GetConsent "11.15" GET read "/consent/{sid}" {} -> Consent;
            /// Change the log setting (§11.16).
            set_log_setting SetLogSetting "11.16" PUT write "/logsetting/{sid}/" { setting: LogSetting = body "body" } -> StatusReply;
            /// The log setting (§11.17).
            get_log_setting GetLogSetting "11.17" GET read "/logsetting/{sid}" {} -> LogSetting;

            /// The three job code settings (§12.1).
            get_job_code_settings GetJobCodeSettings "12.1" GET read "/jobcodesetting/{sid}" {} -> Vec<JobCodeSetting>;
            /// Change job code settings (§12.2).
            update_job_code_settings UpdateJobCodeSettings "12.2" PUT write "/jobcodesetting/{sid}" { settings: Vec<JobCodeSetting> = body "body" } -> Vec<StatusReply>;
            /// Add job codes (§12.3, E10).
            add_job_codes AddJobCodes "12.3" POST write "/jobcode/{sid}" { job_codes: Vec<JobCode> = body "body" } needs ["name", "enable"] check check_add_job_codes -> Vec<StatusReply>;
            /// Update job codes (§12.4, E10).
            update_job_codes UpdateJobCodes "12.4" PUT write "/jobcode/{sid}" { job_codes: Vec<JobCode> = body "body" } check check_update_job_codes -> Vec<StatusReply>;
            /// Delete job codes matching the filters (§12.5).
            delete_job_codes DeleteJobCodes "12.5" DELETE write(filters) "/jobcode/{sid}" {
                jobcode: Option<JobCodeSettingId> = query "jobcode",
                id: Option<JobCodeId> = query "id",
                name: Option<String> = query "name",
            } check check_delete_job_codes -> Vec<StatusReply>;
            /// Job codes matching the filters (§12.6, E7).
            get_job_codes GetJobCodes "12.6" GET read(filters) "/jobcode/{sid}" {
                jobcode: Option<JobCodeSettingId> = query "jobcode",
                id: Option<JobCodeId> = query "id",
                name: Option<String> = query "name",
                enable: Option<JobCodeEnable> = query "enable",
            } check check_get_job_codes -> Vec<JobCode>;

            /// Holidays; `date` may use 0 wildcards, all without it (§13.1, E8).
            get_holidays GetHolidays "13.1" GET read "/holiday/{sid}" { date: Option<HolidayQuery> = query "date" } -> Holidays;
            /// Add holidays (§13.2, E9).
            set_holidays SetHolidays "13.2" POST write "/holiday/{sid}" { holidays: Holidays = body "body" } -> HolidaysReply;
            /// Delete holidays (§13.3, E9).
            delete_holidays DeleteHolidays "13.3" DELETE write "/holiday/{sid}" { holidays: Holidays = body "body" } -> HolidaysReply;
        }
    };
}

/// Calls `$callback! { $( name Type; )* }`: each operation's canonical name and type, in table
/// order, for consumers that need no more (dispatchers), so they do not spell out the row
/// grammar again.
#[macro_export]
macro_rules! operation_names {
    ($callback:ident) => {
        $crate::operation_table!($crate::__operation_names, $callback);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __operation_names {
    ($callback:ident $(
        $(#[doc = $doc:literal])*
        $name:ident $Op:ident $section:literal $method:ident $kind:ident $(($flag:ident))? $template:literal
        { $($fields:tt)* }
        $(needs [$($need:literal),* $(,)?])?
        $(check $check:ident)?
        -> $Reply:ty ;
    )*) => {
        $callback! { $( $name $Op; )* }
    };
}
