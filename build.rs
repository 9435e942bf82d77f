// The default theme and the starter site are embedded in the binary; rebuild it
// whenever a file in them changes, is added or is removed.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
}
