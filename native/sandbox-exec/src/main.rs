fn main() {
    eprintln!("sandbox-exec: enforcement is not built into this version");
    std::process::exit(70);
}
