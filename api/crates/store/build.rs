//! Rebuild when a migration changes: `embed_migrations!` alone does not notice new folders.
fn main() {
    println!("cargo:rerun-if-changed=../../../migrations");
}
