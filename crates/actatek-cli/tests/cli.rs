//! The built `actatek` binary against simulated terminals started in this test process.

use actatek_sim::{BlockingSimulator, Fault, Simulator};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_actatek");

fn sim(users: usize, logs: usize) -> BlockingSimulator {
    Simulator::builder().users(users).logs(logs).build().spawn_blocking("127.0.0.1:0").expect("simulator starts")
}

/// The binary with a clean environment: no terminal, no config, admin credentials in env.
fn actatek(dir: &Path, args: &[&str]) -> Output {
    actatek_env(dir, args, &[])
}

/// [`actatek`] with more environment variables.
fn actatek_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("ACTATEK_URL")
        .env("ACTATEK_USER", "admin")
        .env("ACTATEK_PASSWORD", "admin")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("HOME", dir)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

fn log_ids(csv: &Path) -> Vec<i64> {
    let mut r = csv::Reader::from_path(csv).unwrap();
    r.records().map(|rec| rec.unwrap()[0].parse().unwrap()).collect()
}

#[test]
fn export_writes_every_log_with_wire_name_columns() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(10, 3000);
    let out = actatek(dir.path(), &["--url", t.url(), "logs", "export", "--out", "logs.csv", "--chunk", "400"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let csv = std::fs::read_to_string(dir.path().join("logs.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "logID,userID,userName,departmentName,timestamp,trigger,terminalSN,terminalName,accessMethod,remarks"
    );
    let ids = log_ids(&dir.path().join("logs.csv"));
    assert_eq!(ids.len(), t.logs_len());
    assert_eq!(ids, (1..=3000).collect::<Vec<i64>>());
    assert!(text(&out.stderr).contains("wrote 3000 logs"), "{}", text(&out.stderr));
}

#[test]
fn an_interrupted_export_resumes_from_its_checkpoint_with_every_log_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(10, 4000);
    // Every get_full_logs request may fail: a dropped connection or an HTTP 500.
    t.faults().push(Fault::status500().on("get_full_logs").rate(0.2));
    t.faults().push(Fault::drop_before().on("get_full_logs").rate(0.15));
    let args = [
        "--url",
        t.url(),
        "--retries",
        "0",
        "logs",
        "export",
        "--out",
        "logs.csv",
        "--checkpoint",
        "logs.ckpt",
        "--chunk",
        "250",
    ];
    let mut failures = Vec::new();
    let mut done = false;
    for _ in 0..80 {
        let out = actatek(dir.path(), &args);
        match code(&out) {
            0 => {
                done = true;
                break;
            }
            c => {
                let err = text(&out.stderr);
                assert!(c == 4 || c == 5, "exit {c}: {err}");
                assert!(err.contains("run the same command again to resume"), "{err}");
                if failures.is_empty() {
                    // As if the process died after writing part of a chunk but before its
                    // checkpoint: the resume must cut this off.
                    use std::io::Write;
                    let mut f = std::fs::OpenOptions::new().append(true).open(dir.path().join("logs.csv")).unwrap();
                    f.write_all(b"999999,U9,half a row").unwrap();
                }
                failures.push(c);
            }
        }
    }
    assert!(done, "the export never finished ({} failed runs)", failures.len());
    assert!(!failures.is_empty(), "no run was interrupted");
    assert!(failures.contains(&4) && failures.contains(&5), "both kinds of failure: {failures:?}");
    let ids = log_ids(&dir.path().join("logs.csv"));
    assert_eq!(ids, (1..=4000).collect::<Vec<i64>>(), "every log exactly once, in order");
    let ckpt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("logs.ckpt")).unwrap()).unwrap();
    assert_eq!(ckpt["checkpoint"]["delivered"], 4000);
}

const USER_COLUMNS: &str = "userID,firstName,lastName,adminLevel,groupID,status.active,status.autoMatch,\
                            status.smartCard,status.fingerprint,status.password,status.facial,status.facialAutoMatch";

#[test]
fn an_import_with_bad_rows_reports_each_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(5, 10);
    let users_before = t.users_len();
    let csv = format!(
        "{USER_COLUMNS}\n\
         N1,Ada,Lovelace,PERSONALUSER,0;1,1,0,1,1,1,0,0\n\
         N2,Bob,Boss,BOSS,0,1,0,1,1,1,0,0\n\
         N3,Cy,Ok,,0,1,0,1,1,1,0,0\n\
         N4,Di,Fac,,0,1,0,1,1,1,,0\n\
         N5,Ed,Ok,USERADMIN,2,yes,no,yes,yes,yes,no,no\n"
    );
    std::fs::write(dir.path().join("users.csv"), csv).unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "users", "import", "users.csv"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("row 2, column adminLevel: \"BOSS\""), "{err}");
    assert!(err.contains("(rule admin_level"), "{err}");
    assert!(err.contains("row 4, column status.facial: missing"), "{err}");
    assert!(err.contains("(rule user_status"), "{err}");
    assert!(err.contains("2 of 5 rows"), "{err}");
    let writes = t
        .requests()
        .into_iter()
        .filter(|r| matches!(r.operation.as_deref(), Some("add_user" | "add_users" | "update_user" | "update_users")))
        .count();
    assert_eq!(writes, 0);
    assert_eq!(t.users_len(), users_before);

    // The same file without its bad rows goes in.
    let good: String = std::fs::read_to_string(dir.path().join("users.csv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("N2,") && !l.starts_with("N4,"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("good.csv"), good).unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "users", "import", "good.csv", "--batch", "2"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.users_len(), users_before + 3);
    assert_eq!(t.state(|s| s.users["N1"].group_id.clone()), Some(vec![0, 1]));
}

#[test]
fn an_import_reports_every_problem_of_every_row_in_the_users_words() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(5, 10);
    let users_before = t.users_len();
    let csv = format!(
        "{USER_COLUMNS}\n\
         N1,Ada,Lovelace,PERSONALUSER,0;1,1,0,1,1,1,0,0\n\
         N2,Bob,Boss,,x;1,1,0,1,1,1,0,0\n\
         ,Cy,Maybe,CHIEF,0,maybe,0,1,1,1,0,0\n\
         N4,Di,Ok,,0,1,0,1,1,1,0,yes;no\n"
    );
    std::fs::write(dir.path().join("users.csv"), csv).unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "users", "import", "users.csv"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    let expected = [
        "actatek: row 2, column groupID: \"x\" is not a whole number",
        "actatek: row 3, column userID: missing; userID is required and must not be empty (rule user_id, manual §3.1)",
        "actatek: row 3, column adminLevel: \"CHIEF\" must be PERSONALUSER, NETWORKADMIN, USERADMIN or SUPERADMIN (rule admin_level, manual §3.1)",
        "actatek: row 3, column status.active: \"maybe\" is not yes/no (expected yes, no, true, false, 1, 0, on, off)",
        "actatek: row 4, column status.facialAutoMatch: \"yes;no\" is not yes/no (expected yes, no, true, false, 1, 0, on, off)",
        "actatek: error: users.csv: 3 of 4 rows break value rules (5 problems); nothing was sent",
    ];
    assert_eq!(lines, expected, "{err}");
    for leaked in ["invalid type", "sequence", "wrong type", "expected i64", "bool"] {
        assert!(!err.contains(leaked), "{leaked}: {err}");
    }
    assert!(t.requests().iter().all(|r| r.operation.as_deref() != Some("add_users")), "nothing was sent");
    assert_eq!(t.users_len(), users_before);
}

#[test]
fn door_open_and_relay_aliases_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    let out = actatek(dir.path(), &["--url", t.url(), "door", "open"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.door_opens(), 1);
    let out = actatek(dir.path(), &["--url", t.url(), "terminal", "open-door", "-o", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.door_opens(), 2);
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reply["status"], "success");
    let out = actatek(dir.path(), &["--url", t.url(), "relay", "close", "all"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.relay_actions().get("close ALL"), Some(&1));
    let out =
        actatek(dir.path(), &["--url", t.url(), "terminal", "relay-action", "--action", "open", "--relay", "TWO"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.relay_actions().get("open TWO"), Some(&1));
}

#[test]
fn a_fleet_reports_each_terminal_and_exits_8_when_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let fleet: Vec<BlockingSimulator> = (0..3).map(|_| sim(2, 10)).collect();
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("http://127.0.0.1:{port}")
    };
    let mut list: Vec<String> = fleet.iter().map(|t| t.url().to_string()).collect();
    list.insert(1, closed.clone());
    std::fs::write(dir.path().join("fleet.txt"), format!("# lobby fleet\n{}\n", list.join("\n"))).unwrap();
    let out = actatek(dir.path(), &["--terminals", "fleet.txt", "--retries", "0", "door", "open"]);
    assert_eq!(code(&out), 8, "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 4, "{report}");
    for (line, url) in lines.iter().zip(&list) {
        assert!(line.contains(url.as_str()), "{line}");
        if *url == closed {
            assert!(line.contains("error (exit 5)"), "{line}");
        } else {
            assert!(line.contains("ok"), "{line}");
        }
    }
    assert!(text(&out.stderr).contains("1 of 4 terminals failed"), "{}", text(&out.stderr));
    for t in &fleet {
        assert_eq!(t.door_opens(), 1);
    }

    // The same as JSON, one object per terminal.
    let out =
        actatek(dir.path(), &["--terminals", "fleet.txt", "--retries", "0", "-o", "json", "users", "get-user-count"]);
    assert_eq!(code(&out), 8);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert_eq!(v[0]["ok"], true);
    assert_eq!(v[0]["result"]["usercount"], 3);
    assert_eq!(v[1]["ok"], false);
    assert_eq!(v[1]["exit_code"], 5);
}

#[test]
fn get_users_as_a_table_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(12, 10);
    let out = actatek(dir.path(), &["--url", t.url(), "users", "get-users"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(table.lines().next().unwrap().starts_with('┌'), "{table}");
    for col in ["userID", "firstName", "adminLevel", "status"] {
        assert!(table.contains(col), "{col} in {table}");
    }
    assert!(table.contains("U0012") && table.contains("SUPERADMIN"), "{table}");
    assert!(table.contains("active,smartCard"), "flags shown compactly: {table}");

    let out = actatek(dir.path(), &["--url", t.url(), "users", "get-users", "--output", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let users: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(users.len(), t.users_len());
    assert!(users.iter().any(|u| u["userID"] == "U0007" && u["status"]["active"] == true));

    let out =
        actatek(dir.path(), &["--url", t.url(), "users", "get-users", "--first-name", "NoSuchName", "-o", "json"]);
    assert_eq!(code(&out), 0);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(), serde_json::json!([]));
}

#[test]
fn without_a_terminal_nothing_runs_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for (args, env) in [
        (&["logs", "export", "--out", "logs.csv"][..], &[][..]),
        (&["logs", "export", "--out", "logs.csv", "--checkpoint", "logs.ckpt"][..], &[][..]),
        // An empty ACTATEK_URL (a cron job's unset variable) is no terminal either.
        (&["logs", "export", "--out", "logs.csv"][..], &[("ACTATEK_URL", "")][..]),
        (&["-o", "json", "users", "get-users"][..], &[][..]),
        (&["door", "open"][..], &[][..]),
    ] {
        let out = actatek_env(dir.path(), args, env);
        let err = text(&out.stderr);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", text(&out.stdout));
        assert!(err.starts_with("actatek: error: no terminal given") && err.lines().count() == 1, "{err}");
        for way in ["--url", "--terminal NAME", "--terminals FILE", "ACTATEK_URL", "`default`", "--demo"] {
            assert!(err.contains(way), "{way} in {err}");
        }
    }
    assert!(!dir.path().join("logs.csv").exists());
    assert!(!dir.path().join("logs.ckpt").exists());
    // Help and version still work without a terminal.
    assert_eq!(code(&actatek(dir.path(), &["--help"])), 0);
    assert_eq!(code(&actatek(dir.path(), &["--version"])), 0);
}

#[test]
fn demo_runs_against_the_bundled_simulator_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = actatek(dir.path(), &["--demo", "logs", "export", "--out", "logs.csv"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("--demo") && err.contains("bundled simulator") && err.contains("demo data"), "{err}");
    assert!(err.contains("not a real terminal"), "{err}");
    assert_eq!(log_ids(&dir.path().join("logs.csv")).len(), 5000);
    // The flag is global: after the subcommand too.
    let out = actatek(dir.path(), &["users", "get-user-count", "-o", "json", "--demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[test]
fn demo_is_never_mixed_with_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    std::fs::write(dir.path().join("fleet.txt"), format!("{}\n", t.url())).unwrap();
    let config = dir.path().join("config").join("actatek");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("terminals.toml"), format!("[terminals.lobby]\nurl = \"{}\"\n", t.url())).unwrap();
    for (args, env, names) in [
        (&["--demo", "--url", t.url(), "door", "open"][..], &[][..], "--url"),
        (&["--demo", "--terminal", "lobby", "door", "open"][..], &[][..], "--terminal"),
        (&["--demo", "--terminals", "fleet.txt", "door", "open"][..], &[][..], "--terminals"),
        (&["--demo", "door", "open"][..], &[("ACTATEK_URL", t.url())][..], "ACTATEK_URL is set"),
        (&["--demo", "logs", "export", "--out", "logs.csv"][..], &[("ACTATEK_URL", t.url())][..], "ACTATEK_URL"),
    ] {
        let out = actatek_env(dir.path(), args, env);
        let err = text(&out.stderr);
        assert_eq!(code(&out), 2, "{args:?}: {err}");
        assert!(err.contains("--demo") && err.contains(names), "{err}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(t.door_opens(), 0);
    assert!(!dir.path().join("logs.csv").exists());
}

/// An export with a checkpoint, to completion.
fn export_with_checkpoint(dir: &Path, terminal: &[&str]) -> Output {
    let args = [terminal, &["logs", "export", "--out", "logs.csv", "--checkpoint", "logs.ckpt", "--chunk", "50"][..]];
    actatek(dir, &args.concat())
}

#[test]
fn a_checkpoint_resumes_only_on_the_terminal_it_was_written_for() {
    let dir = tempfile::tempdir().unwrap();
    let a =
        Simulator::builder().users(2).logs(120).serial("00111D0000AA").build().spawn_blocking("127.0.0.1:0").unwrap();
    let b =
        Simulator::builder().users(2).logs(120).serial("00111D0000BB").build().spawn_blocking("127.0.0.1:0").unwrap();
    let out = export_with_checkpoint(dir.path(), &["--url", a.url()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let ckpt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("logs.ckpt")).unwrap()).unwrap();
    assert_eq!(ckpt["terminal"], serde_json::json!({"url": a.url(), "serial": "00111D0000AA"}));
    let csv_before = std::fs::read(dir.path().join("logs.csv")).unwrap();

    // The same terminal, its URL written with a trailing slash: resumed (nothing new to add).
    let a_slash = format!("{}/", a.url());
    let out = export_with_checkpoint(dir.path(), &["--url", &a_slash]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("resumed"), "{}", text(&out.stderr));

    // Another terminal: refused, both named, nothing changed.
    let out = export_with_checkpoint(dir.path(), &["--url", b.url()]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 2, "{err}");
    for part in [a.url(), "00111D0000AA", b.url(), "00111D0000BB", "logs.ckpt"] {
        assert!(err.contains(part), "{part} in {err}");
    }
    assert_eq!(b.requests().iter().filter(|r| r.operation.as_deref() == Some("get_full_logs")).count(), 0);
    assert_eq!(std::fs::read(dir.path().join("logs.csv")).unwrap(), csv_before);

    // Another terminal at the same URL (a replaced device): refused by its serial number.
    let addr = a.url().to_string();
    a.shutdown();
    let port = addr.rsplit(':').next().unwrap();
    let c = Simulator::builder()
        .users(2)
        .logs(120)
        .serial("00111D0000CC")
        .build()
        .spawn_blocking(&format!("127.0.0.1:{port}"))
        .unwrap();
    assert_eq!(c.url(), addr);
    let out = export_with_checkpoint(dir.path(), &["--url", c.url()]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("00111D0000AA") && err.contains("00111D0000CC"), "{err}");
    assert_eq!(std::fs::read(dir.path().join("logs.csv")).unwrap(), csv_before);

    // A demo checkpoint resumes against --demo only; a real one never against --demo.
    let out = export_with_checkpoint(dir.path(), &["--demo"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not to the --demo simulator"), "{}", text(&out.stderr));
    std::fs::remove_file(dir.path().join("logs.ckpt")).unwrap();
    let out = export_with_checkpoint(dir.path(), &["--demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let ckpt: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("logs.ckpt")).unwrap()).unwrap();
    assert_eq!(ckpt["terminal"]["url"], "demo");
    let out = export_with_checkpoint(dir.path(), &["--demo"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("resumed"), "{}", text(&out.stderr));
    let out = export_with_checkpoint(dir.path(), &["--url", b.url()]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("the --demo simulator"), "{}", text(&out.stderr));
}

#[test]
fn a_checkpoint_of_the_previous_version_is_refused_not_adopted() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 120);
    let out = export_with_checkpoint(dir.path(), &["--url", t.url()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // The previous version's checkpoint: the same, without the terminal.
    let path = dir.path().join("logs.ckpt");
    let mut ckpt: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    ckpt.as_object_mut().unwrap().remove("terminal");
    std::fs::write(&path, serde_json::to_vec_pretty(&ckpt).unwrap()).unwrap();
    let csv_before = std::fs::read(dir.path().join("logs.csv")).unwrap();
    t.clear_requests();
    let out = export_with_checkpoint(dir.path(), &["--url", t.url()]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 2, "{err}");
    assert!(err.contains("logs.ckpt") && err.contains("delete it to start over"), "{err}");
    assert!(t.requests().is_empty(), "refused before contacting the terminal");
    assert_eq!(std::fs::read(dir.path().join("logs.csv")).unwrap(), csv_before);
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&std::fs::read(&path).unwrap()).unwrap(), ckpt);
    // Deleted: the export starts over.
    std::fs::remove_file(&path).unwrap();
    let out = export_with_checkpoint(dir.path(), &["--url", t.url()]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(log_ids(&dir.path().join("logs.csv")), (1..=120).collect::<Vec<i64>>());
}

#[test]
fn named_terminals_come_from_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(3, 10);
    let config = dir.path().join("config").join("actatek");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("terminals.toml"),
        format!("[terminals.lobby]\nurl = \"{}\"\nuser = \"admin\"\npassword_env = \"LOBBY_PASSWORD\"\n", t.url()),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--terminal", "lobby", "-o", "json", "terminal", "get-terminal-status"])
        .env_remove("ACTATEK_URL")
        .env_remove("ACTATEK_USER")
        .env_remove("ACTATEK_PASSWORD")
        .env("LOBBY_PASSWORD", "admin")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["serialNumber"], t.serial());

    let out = actatek(dir.path(), &["--terminal", "garage", "door", "open"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("no terminal named \"garage\""), "{}", text(&out.stderr));
}

#[test]
fn exit_codes_tell_what_went_wrong_and_errors_never_show_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    // 3: validation, before any terminal is contacted.
    let out = actatek(dir.path(), &["--url", t.url(), "logs", "get-logs", "--from", "yesterday"]);
    assert_eq!(code(&out), 3);
    assert!(text(&out.stderr).contains("--from (from): \"yesterday\""), "{}", text(&out.stderr));
    // 4: the terminal refuses (a wrong password); the password is not repeated.
    let out = Command::new(BIN)
        .args(["--url", t.url(), "--user", "admin", "users", "get-user-count"])
        .env("ACTATEK_PASSWORD", "hunter2-wrong")
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 4, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.starts_with("actatek: error: ") && err.lines().count() == 1, "{err}");
    assert!(!err.contains("hunter2"), "{err}");
    // 6: an unreadable reply.
    t.faults().push(Fault::truncate().on("get_terminal_status"));
    let out = actatek(dir.path(), &["--url", t.url(), "--retries", "0", "terminal", "get-terminal-status"]);
    assert_eq!(code(&out), 6, "{}", text(&out.stderr));
    // 7: a body file that is not there.
    let out = actatek(dir.path(), &["--url", t.url(), "departments", "add-departments", "--body", "nope.csv"]);
    assert_eq!(code(&out), 7);
    // 2: usage, and no password on a non-terminal stdin.
    let out = actatek(dir.path(), &["users", "delete-user"]);
    assert_eq!(code(&out), 2);
    let out = Command::new(BIN)
        .args(["--url", t.url(), "--user", "admin", "door", "open"])
        .env_remove("ACTATEK_PASSWORD")
        .env("XDG_CONFIG_HOME", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert_eq!(t.door_opens(), 0);
}

#[test]
fn list_bodies_take_csv_and_holidays_take_a_column_of_dates() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    std::fs::write(dir.path().join("depts.csv"), "id,name,description\n10,Lab,Research\n11,Yard,Outside\n").unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "departments", "add-departments", "--body", "depts.csv"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(t.state(|s| s.departments.contains_key(&10) && s.departments.contains_key(&11)));
    std::fs::write(dir.path().join("days.csv"), "dates\n2030-10-12\n2030-12-24\n").unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "holidays", "set-holidays", "--body", "days.csv"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let out = actatek(dir.path(), &["--url", t.url(), "-o", "json", "holidays", "get-holidays", "--date", "2030-0-0"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dates"], serde_json::json!(["2030-10-12", "2030-12-24"]));
    let out = actatek(
        dir.path(),
        &[
            "--url",
            t.url(),
            "job-codes",
            "add-job-codes",
            "--json",
            r#"[{"jobcode": 2, "id": 5, "name": "Night", "enable": "enable"}]"#,
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[test]
fn https_terminals_are_trusted_by_pin_or_ca_file_and_refused_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let t = Simulator::builder().users(2).logs(10).tls(true).build().spawn_blocking("127.0.0.1:0").unwrap();
    assert!(t.url().starts_with("https://"));
    let status = ["terminal", "get-terminal-status", "-o", "json"];
    // Not trusted: a TLS error, exit 5.
    let out = actatek(dir.path(), &[&["--url", t.url(), "--retries", "0"][..], &status[..]].concat());
    assert_eq!(code(&out), 5, "{}", text(&out.stderr));
    // Pinned by fingerprint.
    let pin = t.fingerprint().unwrap();
    let out = actatek(dir.path(), &[&["--url", t.url(), "--pin-sha256", &pin][..], &status[..]].concat());
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // A wrong pin is refused.
    let wrong = "00".repeat(32);
    let out =
        actatek(dir.path(), &[&["--url", t.url(), "--retries", "0", "--pin-sha256", &wrong][..], &status[..]].concat());
    assert_eq!(code(&out), 5, "{}", text(&out.stderr));
    // Trusted through its certificate as a CA file.
    std::fs::write(dir.path().join("sim.pem"), t.cert_pem().unwrap()).unwrap();
    let out = actatek(dir.path(), &[&["--url", t.url(), "--ca-file", "sim.pem"][..], &status[..]].concat());
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // The loud opt-out works and says so.
    let out =
        actatek(dir.path(), &[&["--url", t.url(), "--insecure-accept-any-certificate"][..], &status[..]].concat());
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("WARNING"), "{}", text(&out.stderr));
}

#[test]
fn completions_and_the_man_page_need_no_terminal_and_list_every_group() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, marker) in [("bash", "complete -F"), ("zsh", "#compdef actatek"), ("fish", "complete -c actatek")] {
        let out = actatek(dir.path(), &["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: no {marker:?}");
        for word in ["logs", "export", "get-full-logs", "job-codes", "pin-sha256"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    let out = actatek(dir.path(), &["completions", "tcsh"]);
    assert_eq!(code(&out), 2, "an unknown shell is a usage error");
    let out = actatek(dir.path(), &["manpage"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let man = text(&out.stdout);
    assert!(man.starts_with(".ie") || man.contains(".TH actatek"), "roff: {}", &man[..man.len().min(200)]);
    assert!(man.contains("Exit codes") && man.contains("demo"), "the man page carries the exit codes and --demo");
}

#[test]
fn verbose_logs_calls_and_retries_to_stderr_without_secrets_and_quiet_logs_none() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    t.faults().push(Fault::status500().on("get_user_count"));
    let out =
        actatek_env(dir.path(), &["-v", "--url", t.url(), "users", "get-user-count"], &[("ACTATEK_PASSWORD", "admin")]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("terminal call") && err.contains("get_user_count"), "{err}");
    assert!(err.contains("retrying"), "the 500 was retried and said so: {err}");
    assert!(!err.contains("admin\"") && !err.contains("sessionid"), "{err}");
    assert!(err.contains("***"), "the session id is redacted in paths: {err}");
    assert!(!err.contains('\u{1b}'), "no colour codes when stderr is not a terminal");
    // The environment filter wins over the flags; -q logs nothing but errors.
    let out =
        actatek_env(dir.path(), &["-v", "--url", t.url(), "users", "get-user-count"], &[("ACTATEK_LOG", "error")]);
    assert_eq!(code(&out), 0);
    assert!(!text(&out.stderr).contains("terminal call"), "{}", text(&out.stderr));
    let out = actatek(dir.path(), &["-q", "--url", t.url(), "users", "get-user-count"]);
    assert_eq!(code(&out), 0);
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
}

#[test]
fn a_url_that_cannot_be_used_is_a_usage_error_naming_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = actatek(dir.path(), &["--url", "ftp://10.0.0.5", "terminal", "get-terminal-status"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(err.contains("invalid url") && err.contains("ftp://10.0.0.5"), "{err}");
    let out =
        actatek(dir.path(), &["--url", "http://10.0.0.5", "--pin-sha256", "zz", "terminal", "get-terminal-status"]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("invalid tls pin"), "{}", text(&out.stderr));
}

/// The subcommands listed under `Commands:` in a help text.
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn logs_help_shows_the_datetime_format_not_a_type_name() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["get-logs", "export"] {
        let out = actatek(dir.path(), &["logs", sub, "--help"]);
        assert_eq!(code(&out), 0);
        let help = text(&out.stdout);
        assert!(help.contains("--from <DATETIME>"), "{help}");
        assert!(help.contains("2025-07-16T10:24:13 (terminal time) or 2025-07-16T08:24:13Z (UTC)"), "{help}");
        assert!(help.contains(actatek::core::Rule::DateTime.format()), "the text is the core's rule format");
        assert!(!help.contains("TerminalDateTime") && !help.contains("Option<"), "{help}");
    }
    let help = text(&actatek(dir.path(), &["terminal", "relay-action", "--help"]).stdout);
    assert!(help.contains("--relay <ONE|TWO|ALL>") && help.contains("ONE, TWO or ALL"), "{help}");
    let help = text(&actatek(dir.path(), &["terminal", "set-log-unauthorized-event", "--help"]).stdout);
    assert!(help.contains("--enable <YES|NO>"), "{help}");
    let help = text(&actatek(dir.path(), &["holidays", "get-holidays", "--help"]).stdout);
    assert!(help.contains("<DATE>") && help.contains("0 for any year, month or day"), "{help}");
}

#[test]
fn no_help_text_shows_a_rust_type_name() {
    let dir = tempfile::tempdir().unwrap();
    // Every type named in the operation table (`Option<TerminalDateTime>` → `TerminalDateTime`),
    // and the standard ones.
    let mut types: std::collections::BTreeSet<String> =
        ["Option", "Vec", "String", "i64", "u32", "u64", "bool", "usize", "f64"].map(String::from).into();
    for op in actatek::core::OPERATIONS {
        for p in op.params {
            for t in p.format.type_text().split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
                // A one-word model name (`User`, `Trigger`) is also the manual's own word.
                if t.chars().filter(|c| c.is_uppercase()).count() > 1
                    || t.chars().all(|c| c.is_lowercase() || c.is_ascii_digit())
                {
                    types.insert(t.to_string());
                }
            }
        }
    }
    let help = |args: &[&str]| {
        let out = actatek(dir.path(), &[args, &["--help"]].concat());
        assert_eq!(code(&out), 0, "{args:?}: {}", text(&out.stderr));
        text(&out.stdout)
    };
    let top = help(&[]);
    let mut pages = vec![(String::new(), top.clone())];
    for group in listed_commands(&top).into_iter().filter(|g| g != "sim") {
        let page = help(&[&group]);
        for sub in listed_commands(&page) {
            pages.push((format!("{group} {sub}"), help(&[&group, &sub])));
        }
        pages.push((group, page));
    }
    assert!(pages.len() > 80, "every operation's page: {}", pages.len());
    for (command, page) in pages {
        // The request line (`GET /cgi-bin/restapi/UserMessage/{sid}/…`) is the terminal's own path.
        let words: std::collections::BTreeSet<&str> = page
            .lines()
            .filter(|l| !l.contains("/cgi-bin/restapi"))
            .flat_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '_'))
            .filter(|w| !w.is_empty())
            .collect();
        let leaked: Vec<&String> = types.iter().filter(|t| words.contains(t.as_str())).collect();
        assert!(leaked.is_empty(), "actatek {command} --help shows {leaked:?}:\n{page}");
    }
}

/// The binary with `HOME` set to `home` and no `XDG_CONFIG_HOME` (unless given in `env`).
fn actatek_home(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(home)
        .env_remove("ACTATEK_URL")
        .env_remove("XDG_CONFIG_HOME")
        .env("ACTATEK_USER", "admin")
        .env("ACTATEK_PASSWORD", "admin")
        .env("HOME", home)
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

#[cfg(target_os = "linux")]
#[test]
fn config_path_prints_the_xdg_path_and_says_whether_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    let expected = home.join(".config").join("actatek").join("terminals.toml");
    let out = actatek_home(home, &["config", "path"], &[]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), format!("{}\n", expected.display()), "stdout is just the path");
    assert!(text(&out.stderr).contains("does not exist"), "{}", text(&out.stderr));
    std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
    std::fs::write(&expected, "").unwrap();
    let out = actatek_home(home, &["config", "path"], &[]);
    assert!(text(&out.stderr).contains(&format!("{} exists", expected.display())), "{}", text(&out.stderr));

    // XDG_CONFIG_HOME wins when it is an absolute path (a relative one is ignored, as the
    // XDG spec says), and --config wins over both.
    let xdg = home.join("xdg");
    let out = actatek_home(home, &["config", "path"], &[("XDG_CONFIG_HOME", xdg.to_str().unwrap())]);
    assert_eq!(text(&out.stdout).trim_end(), xdg.join("actatek").join("terminals.toml").display().to_string());
    let out = actatek_home(home, &["config", "path"], &[("XDG_CONFIG_HOME", "relative/dir")]);
    assert_eq!(text(&out.stdout).trim_end(), expected.display().to_string());
    let out = actatek_home(home, &["--config", "/etc/fleet.toml", "config", "path"], &[]);
    assert_eq!(text(&out.stdout).trim_end(), "/etc/fleet.toml");
}

#[cfg(target_os = "macos")]
#[test]
fn config_path_is_in_application_support_on_macos() {
    let dir = tempfile::tempdir().unwrap();
    let out = actatek_home(dir.path(), &["config", "path"], &[]);
    let expected = dir.path().join("Library/Application Support/actatek/terminals.toml");
    assert_eq!(text(&out.stdout).trim_end(), expected.display().to_string());
}

#[test]
fn a_named_terminal_without_a_config_file_fails_loudly_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = String::from_utf8(actatek_home(dir.path(), &["config", "path"], &[]).stdout).unwrap();
    let path = path.trim_end();
    assert!(!Path::new(path).exists());
    let out = actatek_home(dir.path(), &["--terminal", "lobby", "door", "open"], &[]);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("no terminal named \"lobby\"") && err.contains(path) && err.contains("does not exist"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    // The file in the place `config path` named is the one read.
    let t = sim(1, 1);
    std::fs::create_dir_all(Path::new(path).parent().unwrap()).unwrap();
    std::fs::write(path, format!("[terminals.lobby]\nurl = \"{}\"\n", t.url())).unwrap();
    let out = actatek_home(dir.path(), &["--terminal", "lobby", "door", "open"], &[]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(t.door_opens(), 1);
}

#[test]
fn retries_and_backoff_are_flags_with_the_defaults_of_every_language() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(2, 10);
    let pw = [("ACTATEK_PASSWORD", "admin")];
    let count = |t: &BlockingSimulator| {
        t.requests().iter().filter(|r| r.operation.as_deref() == Some("get_user_count")).count()
    };
    t.faults().push(Fault::status500().on("get_user_count").times(2));
    let before = count(&t);
    let args = ["--retries", "2", "--backoff", "10,20", "--url", t.url(), "users", "get-user-count"];
    let out = actatek_env(dir.path(), &args, &pw);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(count(&t), before + 3, "two failed tries, then the answer");
    t.faults().push(Fault::status500().on("get_user_count"));
    let before = count(&t);
    let out = actatek_env(dir.path(), &["--retries", "0", "--url", t.url(), "users", "get-user-count"], &pw);
    assert_ne!(code(&out), 0);
    assert_eq!(count(&t), before + 1, "no retry with --retries 0");
    let out = actatek_env(dir.path(), &["--backoff", "soon", "--url", t.url(), "users", "get-user-count"], &pw);
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("milliseconds"), "{}", text(&out.stderr));
    let help = text(&actatek(dir.path(), &["--help"]).stdout);
    assert!(help.contains("--backoff <MS[,MAX_MS]>") && help.contains("[default: 200,5000]"), "{help}");
}

/// The README's example desired-state file.
fn example_desired_state() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/desired/site.toml")).unwrap()
}

#[test]
fn plan_shows_the_changes_apply_makes_them_and_a_second_plan_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.toml"), example_desired_state()).unwrap();
    let fleet: Vec<BlockingSimulator> = (0..3).map(|i| sim(3 + i, 0)).collect();
    let list: Vec<String> = fleet.iter().map(|t| t.url().to_string()).collect();
    std::fs::write(dir.path().join("fleet.txt"), list.join("\n")).unwrap();

    let out = actatek(dir.path(), &["--url", fleet[0].url(), "plan", "site.toml"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(shown.contains("create departments 30"), "{shown}");
    assert!(shown.contains("update users U0001"), "{shown}");
    assert!(shown.contains("create access_rights 14"), "{shown}");
    let writes = |t: &BlockingSimulator| {
        t.requests()
            .iter()
            .filter(|r| {
                r.method != "GET" && r.operation.as_deref() != Some("login") && r.operation.as_deref() != Some("logout")
            })
            .count()
    };
    assert_eq!(writes(&fleet[0]), 0, "plan writes nothing");

    let out = actatek(dir.path(), &["--terminals", "fleet.txt", "apply", "site.toml"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    for t in &fleet {
        assert_eq!(t.state(|s| s.users["N0001"].last_name.clone()), Some("New".into()));
        assert_eq!(t.state(|s| s.users["U0001"].department_id.clone()), Some(vec![2]));
        assert!(t.state(|s| s.departments.contains_key(&30)));
        let pattern = t.state(|s| s.access_rights[&14].timespec.clone()).unwrap();
        assert_eq!(pattern.len(), 2, "MONDAY and FRIDAY");
    }

    let out = actatek(dir.path(), &["--terminals", "fleet.txt", "-o", "json", "plan", "site.toml"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for t in v.as_array().unwrap() {
        assert_eq!(t["result"]["changes"], serde_json::json!([]), "{t}");
    }
}

#[test]
fn an_invalid_desired_state_names_file_line_and_field_and_sends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = sim(3, 0);
    std::fs::write(
        dir.path().join("bad.toml"),
        "[[departments]]\nid = 31\nname = \"No description\"\n\n[[users]]\nuserID = \"N0002\"\nlastName = \"No status\"\n\n[[users]]\nuserID = \"U0002\"\nadminLevel = \"ROOT\"\n",
    )
    .unwrap();
    let out = actatek(dir.path(), &["--url", t.url(), "apply", "bad.toml"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("bad.toml:2: departments[31].description"), "{err}");
    assert!(err.contains("bad.toml:6: users[N0002].status"), "{err}");
    assert!(err.contains("bad.toml:10: users[U0002].adminLevel: \"ROOT\""), "{err}");
    assert!(err.contains("3 problem(s)"), "{err}");
    let writes = t
        .requests()
        .iter()
        .filter(|r| {
            r.method != "GET" && r.operation.as_deref() != Some("login") && r.operation.as_deref() != Some("logout")
        })
        .count();
    assert_eq!(writes, 0);
}

/// `FILE.csv` of users: the header, then rows of id, last name and department, every status
/// flag given.
fn users_csv(rows: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        "userID,lastName,departmentID,status.active,status.autoMatch,status.smartCard,status.fingerprint,status.password,status.facial,status.facialAutoMatch\n",
    );
    for (id, last, dept) in rows {
        out.push_str(&format!("{id},{last},{dept},true,false,true,false,false,false,false\n"));
    }
    out
}

#[test]
fn sections_groups_csv_users_and_trigger_schedules_reach_the_right_terminals() {
    let dir = tempfile::tempdir().unwrap();
    let fleet: Vec<BlockingSimulator> = (0..3).map(|_| sim(2, 0)).collect();
    let config = format!(
        "[terminals.door-1]\nurl = \"{}\"\ngroups = [\"warehouse\"]\n\n[terminals.door-2]\nurl = \"{}\"\n\n[terminals.door-3]\nurl = \"{}\"\ngroups = [\"warehouse\"]\n",
        fleet[0].url(),
        fleet[1].url(),
        fleet[2].url()
    );
    std::fs::write(dir.path().join("terminals.toml"), config).unwrap();
    std::fs::write(dir.path().join("staff.csv"), users_csv(&[("S0001", "Ho", "2"), ("S0002", "Lam", "2")])).unwrap();
    std::fs::create_dir(dir.path().join("extra")).unwrap();
    std::fs::write(dir.path().join("extra/guests.csv"), users_csv(&[("G0001", "Guest", "2")])).unwrap();
    let site = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/desired/fleet.yaml")).unwrap();
    std::fs::write(dir.path().join("site.yaml"), site).unwrap();
    let args = |cmd: &'static str| {
        vec![
            "--config",
            "terminals.toml",
            "--terminal",
            "door-1",
            "--terminal",
            "door-2",
            "--terminal",
            "door-3",
            cmd,
            "site.yaml",
        ]
    };
    let out = actatek(dir.path(), &args("apply"));
    assert_eq!(code(&out), 0, "{}\n{}", text(&out.stdout), text(&out.stderr));
    for (i, t) in fleet.iter().enumerate() {
        let in_warehouse = i != 1;
        assert!(t.state(|s| s.users.contains_key("S0001")), "door-{}: staff from the CSV", i + 1);
        assert_eq!(t.state(|s| s.departments.contains_key(&40)), in_warehouse, "door-{}", i + 1);
        let dept = t.state(|s| s.users["S0002"].department_id.clone()).unwrap();
        assert_eq!(dept, if in_warehouse { vec![40] } else { vec![2] }, "door-{}: the group's value wins", i + 1);
        assert_eq!(t.state(|s| s.users.contains_key("G0001")), i == 1, "door-{}: only door-2's section", i + 1);
        let trigger = t
            .state(|s| s.triggers.iter().find(|tr| tr.trigger_type.as_ref().unwrap().to_string() == "IN").cloned())
            .unwrap();
        assert_eq!(trigger.enable, Some(true));
        assert_eq!(trigger.timespec.as_ref().map(Vec::len), Some(2), "door-{}: MONDAY and FRIDAY", i + 1);
    }
    let out = actatek(dir.path(), &[&args("plan")[..], &["-o", "json"]].concat());
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for t in v.as_array().unwrap() {
        assert_eq!(t["result"]["changes"], serde_json::json!([]), "a second plan finds nothing: {t}");
    }

    // A section for a terminal nobody configured is refused before anything is sent.
    std::fs::write(dir.path().join("typo.yaml"), "terminals:\n  door-9:\n    holidays: [\"2026-12-25\"]\n").unwrap();
    let before: usize = fleet.iter().map(|t| t.requests().len()).sum();
    let out = actatek(dir.path(), &["--config", "terminals.toml", "--terminal", "door-1", "apply", "typo.yaml"]);
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("typo.yaml:2: terminals.door-9: \"door-9\" names no terminal and no group"), "{err}");
    assert_eq!(fleet.iter().map(|t| t.requests().len()).sum::<usize>(), before, "nothing sent");

    // A CSV row that no reading makes a user names the CSV file and its line (blank lines
    // counted).
    let mut staff = users_csv(&[("S0001", "Ho", "2"), ("S0003", "Ng", "two")]);
    staff.insert(staff.find("S0003").unwrap(), '\n');
    std::fs::write(dir.path().join("staff.csv"), staff).unwrap();
    let out = actatek(dir.path(), &args("plan"));
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("staff.csv:4: departmentID"), "{err}");
    // A section's CSV user that breaks a value rule: its CSV file and line, before any plan.
    std::fs::write(dir.path().join("staff.csv"), users_csv(&[("S0001", "Ho", "2"), ("S0002", "Lam", "2")])).unwrap();
    let guests =
        users_csv(&[("G0002", "Root", "2")]).replace("userID,", "adminLevel,userID,").replace("G0002,", "ROOT,G0002,");
    std::fs::write(dir.path().join("extra/guests.csv"), guests).unwrap();
    let out = actatek(dir.path(), &args("plan"));
    let err = text(&out.stderr);
    assert_eq!(code(&out), 3, "{err}");
    assert!(err.contains("extra/guests.csv:2: adminLevel: \"ROOT\""), "{err}");
    // And a CSV alone is a list of users.
    std::fs::write(dir.path().join("staff.csv"), users_csv(&[("S0004", "Yip", "2")])).unwrap();
    let out = actatek(dir.path(), &["--url", fleet[1].url(), "plan", "staff.csv"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("create users S0004"), "{}", text(&out.stdout));
}
