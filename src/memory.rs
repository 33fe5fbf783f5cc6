//! Keeping the process small after a burst (glibc's allocator). By default glibc raises its
//! mmap threshold each time a large block is freed, so after the first few argon2 hashes (~19 MiB
//! each) those blocks come from the heap and stay there; and it keeps up to 8 arenas per core,
//! each holding on to what its thread freed. Fixing the threshold makes big blocks go back to
//! the system when freed, fewer arenas bound the fragmentation, and a periodic trim returns
//! what the heap no longer uses once the load is over.

/// Sets the allocator's limits; call once at start, before threads are spawned.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Returns free heap memory to the system every `every` (cheap when there is nothing to give).
pub fn spawn_trimmer(every: std::time::Duration) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            // SAFETY: malloc_trim is thread-safe and only releases unused memory.
            unsafe {
                libc::malloc_trim(0);
            }
        }
    });
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = every;
}
