//! The desktop shell: opens the shop's database, registers the commands and starts the window.
//! Everything it does is an adapter over `teikibin_core`; no shop rules live here.
mod commands;
mod state;

pub use commands::typescript_bindings;
pub use state::{AppState, DbChoice};

/// Starts the desktop app. `--db PATH` (or `TEIKIBIN_DB`) opens another database file.
pub fn run() {
    let choice = DbChoice::from_args(std::env::args().skip(1));
    let state = AppState::start(choice);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running tauri application");
}
