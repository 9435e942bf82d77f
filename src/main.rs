// The build allocates many small strings from several threads at once;
// mimalloc handles that far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`: its position in `mi_option_e` (mimalloc v3),
/// which `libmimalloc-sys` does not name; the test below holds the number to it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build is short and peaks once: giving freed memory back to the system only to
/// fault it in (and zero it) again moments later costs more than it saves.
fn keep_freed_memory() {
    // SAFETY: sets a plain integer option; mimalloc reads options at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// How long `serve` keeps freed memory before giving it back to the system, in ms.
/// A writer's saves come seconds apart, and each rebuild frees and allocates again
/// most of what the one before did: with mimalloc's default (1 s) every save faulted
/// its memory in and zeroed it again, a quarter of a title save's time at 10,000
/// articles (bench/README.md, issue 17). After this long without a save it goes back.
const SERVE_PURGE_DELAY_MS: std::os::raw::c_long = 10_000;

/// `serve` runs for hours and rebuilds again and again: there, freed memory goes back
/// to the system (after `SERVE_PURGE_DELAY_MS`), or the server's memory would creep
/// up with every rebuild.
fn is_long_running() -> bool {
    std::env::args_os().skip(1).any(|arg| arg == "serve")
}

/// No transparent huge pages, for a build as for a server. mimalloc asks for them on
/// its arenas, and on the virtual machines we measure on each 2 MiB fault costs far more
/// than its 512 small ones: a build of 100,000 articles spent 27 s of system time
/// with them and 8 s without, and finished in 38 s instead of 23 s (bench/README.md).
/// A server also gives back what a rebuild freed only without them: a 2 MiB page
/// stays resident while any 4 KiB of it is in use, and the resident size crept up
/// save after save (bench/soak.sh, 1,000 saves: +15% with them, +3% without).
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process, read at each page fault.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}

fn main() -> std::process::ExitCode {
    no_huge_pages();
    if is_long_running() {
        // SAFETY: sets a plain integer option; mimalloc reads options at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, SERVE_PURGE_DELAY_MS) };
    } else {
        keep_freed_memory();
    }
    helpsite::cli::run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_option_number_is_the_purge_delay() {
        // SAFETY: reads a plain integer option.
        let default = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc v3 purges after 1,000 ms by default (its options table); the
        // options beside it (eager commit delay, NUMA nodes) default to other values.
        assert_eq!(default, 1000);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off() {
        no_huge_pages();
        // SAFETY: reads a flag of this process.
        let disabled = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(disabled, 1);
    }
}
