//! The window's attack surface is fixed on purpose: these tests fail when someone widens the
//! capabilities or loosens the content security policy without meaning to.
use serde_json::Value;

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn capabilities_allow_only_the_dialogs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, ["default.json"], "one capability file");
    let cap = json("capabilities/default.json");
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert_eq!(cap["permissions"], serde_json::json!(["dialog:allow-open", "dialog:allow-save"]));
    assert!(cap.get("remote").is_none(), "no remote URLs may call commands");
}

#[test]
fn csp_is_strict_and_nothing_is_remote() {
    let conf = json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    for directive in ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    let remote: Vec<&str> =
        csp.split_whitespace().map(|w| w.trim_end_matches(';')).filter(|w| w.starts_with("http") && *w != "http://ipc.localhost").collect();
    assert!(remote.is_empty(), "remote sources in CSP: {remote:?}");
    assert!(conf["build"].get("devUrl").is_none(), "the app always loads its bundled UI");
    assert_eq!(conf["app"]["withGlobalTauri"], false);
}
