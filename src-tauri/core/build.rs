//! Embeds every `src/store/migrations/NNNN_name.sql` into the binary, in order, so a new
//! migration file can never be silently left out; refuses gaps and duplicate numbers.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("src/store/migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut found: Vec<(u32, String, String)> = Vec::new();
    for entry in fs::read_dir(dir).expect("migrations folder") {
        let path = entry.expect("dir entry").path();
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(stem) = file.strip_suffix(".sql") else { continue };
        let (num, name) = stem.split_once('_').expect("migration file must be NNNN_name.sql");
        let num: u32 = num.parse().expect("migration number");
        let abs = fs::canonicalize(&path).unwrap();
        found.push((num, name.to_string(), abs.to_string_lossy().to_string()));
    }
    found.sort();
    for (i, (num, name, _)) in found.iter().enumerate() {
        assert_eq!(*num as usize, i + 1, "migration numbers must be 1, 2, 3 … without gaps ({name})");
    }
    let mut out = String::from("pub(crate) const MIGRATIONS: &[Migration] = &[\n");
    for (num, name, path) in &found {
        out.push_str(&format!(
            "    Migration {{ version: {num}, name: {name:?}, sql: include_str!({path:?}) }},\n"
        ));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("migrations.rs");
    fs::write(dest, out).unwrap();
}
