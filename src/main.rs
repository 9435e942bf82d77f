fn main() -> std::process::ExitCode {
    helpsite::cli::run()
}
