use std::process::ExitCode;

fn main() -> ExitCode {
    one_malloc_arena();
    zonelint::cli::run().into()
}

/// glibc's malloc gives every thread that allocates an arena of its own, and memory freed in
/// one arena is not reused by another: the files parsed on worker threads, the model built on
/// the main thread and the policies evaluated on workers again each grew their own heap. With
/// one arena the freed syntax trees make room for what the policies allocate. On the
/// 10,000-component check this took the peak resident memory from 97 MB to 77 MB, at the same
/// speed on two cores (`MALLOC_ARENA_MAX` set in the environment still wins).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` only sets a tuning parameter of the allocator, and this runs
        // before the program starts any thread.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}
