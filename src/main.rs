// The build allocates many small strings from several threads at once;
// mimalloc handles that far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    helpsite::cli::run()
}
