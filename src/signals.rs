//! Leaving things as they were when SIGINT, SIGTERM or SIGHUP ends a run half-way: a temp file
//! holding the token is removed, and a terminal whose echo was switched off gets it back. The
//! process then dies of the same signal, as it would have without us.
//!
//! And for `kopai exec`, passing SIGINT, SIGTERM, SIGHUP and SIGQUIT on to the command it runs,
//! so kopai lives to record how the command ended.
//!
//! A handler may only do async-signal-safe things, so what it needs is kept in statics it can
//! read without locks: a C string path to `unlink`, the terminal settings to restore, the
//! child's process ID.

#[cfg(unix)]
mod unix {
    use std::ffi::CString;
    use std::path::Path;
    use std::ptr;
    use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};

    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];
    const FORWARDED: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

    /// A temp file to remove (leaked `CString`), or null.
    static TEMP_FILE: AtomicPtr<libc::c_char> = AtomicPtr::new(ptr::null_mut());
    /// Terminal settings to restore on stdin (leaked `Box`), or null.
    static TERMINAL: AtomicPtr<libc::termios> = AtomicPtr::new(ptr::null_mut());

    extern "C" fn undo_and_die(signal: libc::c_int) {
        let path = TEMP_FILE.swap(ptr::null_mut(), Ordering::SeqCst);
        let termios = TERMINAL.swap(ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: unlink, tcsetattr, signal and raise are async-signal-safe; the pointers
        // were leaked by the guards below and are only freed after being swapped out.
        unsafe {
            if !path.is_null() {
                libc::unlink(path);
            }
            if !termios.is_null() {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, termios);
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    /// While alive, the signals run a handler (`undo_and_die` unless said otherwise); dropping
    /// it restores the previous handlers.
    struct Handlers {
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    impl Handlers {
        fn install() -> Self {
            let handler = undo_and_die as extern "C" fn(libc::c_int);
            Self::install_for(&SIGNALS, handler as *const () as libc::sighandler_t, 0)
        }

        /// `handler` has the signature `flags` (`SA_SIGINFO` or not) calls for.
        fn install_for(
            signals: &[libc::c_int],
            handler: libc::sighandler_t,
            flags: libc::c_int,
        ) -> Self {
            let mut previous = Vec::new();
            for &signal in signals {
                // SAFETY: a zeroed sigaction is valid; the handler has the signature `flags`
                // says.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = handler;
                    action.sa_flags = flags;
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(signal, &action, &mut old) != 0 {
                        continue;
                    }
                    if old.sa_sigaction == libc::SIG_IGN {
                        // Ignored on purpose (`nohup`): it cannot end the run, so keep it so.
                        libc::sigaction(signal, &old, ptr::null_mut());
                        continue;
                    }
                    previous.push((signal, old));
                }
            }
            Self { previous }
        }
    }

    impl Drop for Handlers {
        fn drop(&mut self) {
            for (signal, old) in &self.previous {
                // SAFETY: restores an action sigaction gave us.
                unsafe {
                    libc::sigaction(*signal, old, ptr::null_mut());
                }
            }
        }
    }

    /// Removes a temp file if a signal ends the run before the guard is dropped.
    pub struct TempFileGuard {
        _handlers: Handlers,
    }

    impl TempFileGuard {
        pub fn new() -> Self {
            Self {
                _handlers: Handlers::install(),
            }
        }

        /// The file to remove from now on (called before it is created).
        pub fn watch(&self, path: &Path) {
            use std::os::unix::ffi::OsStrExt;
            let Ok(path) = CString::new(path.as_os_str().as_bytes()) else {
                return;
            };
            free_path(TEMP_FILE.swap(path.into_raw(), Ordering::SeqCst));
        }
    }

    impl Drop for TempFileGuard {
        fn drop(&mut self) {
            free_path(TEMP_FILE.swap(ptr::null_mut(), Ordering::SeqCst));
        }
    }

    fn free_path(path: *mut libc::c_char) {
        if !path.is_null() {
            // SAFETY: only pointers from CString::into_raw are stored, and each is swapped
            // out exactly once.
            drop(unsafe { CString::from_raw(path) });
        }
    }

    /// Stdin with echo off until dropped, restored even if a signal ends the run.
    pub struct EchoOff {
        original: libc::termios,
        _handlers: Handlers,
    }

    impl EchoOff {
        /// Switches echo off on stdin (keeping the newline of Enter visible), or `None` when
        /// stdin is not a terminal.
        pub fn new() -> Option<Self> {
            // SAFETY: tcgetattr fills the zeroed struct, or fails and we stop.
            let original = unsafe {
                let mut termios: libc::termios = std::mem::zeroed();
                if libc::tcgetattr(libc::STDIN_FILENO, &mut termios) != 0 {
                    return None;
                }
                termios
            };
            let handlers = Handlers::install();
            TERMINAL.store(Box::into_raw(Box::new(original)), Ordering::SeqCst);
            let mut quiet = original;
            quiet.c_lflag &= !libc::ECHO;
            quiet.c_lflag |= libc::ECHONL;
            // SAFETY: applies settings derived from the terminal's own.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &quiet);
            }
            Some(Self {
                original,
                _handlers: handlers,
            })
        }
    }

    impl Drop for EchoOff {
        fn drop(&mut self) {
            // SAFETY: restores the settings read in `new`; the Box came from Box::into_raw.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.original);
                let saved = TERMINAL.swap(ptr::null_mut(), Ordering::SeqCst);
                if !saved.is_null() {
                    drop(Box::from_raw(saved));
                }
            }
        }
    }

    /// The process signals go to while a `Forwarding` lives (0: none yet).
    static CHILD: AtomicI32 = AtomicI32::new(0);
    /// A signal that came before the child existed, to pass on once it does (0: none).
    static PENDING: AtomicI32 = AtomicI32::new(0);

    /// What the terminal driver sets as `si_code` for Ctrl-C and Ctrl-\ on Linux.
    #[cfg(target_os = "linux")]
    const SI_KERNEL: libc::c_int = 0x80;

    extern "C" fn forward(
        signal: libc::c_int,
        info: *mut libc::siginfo_t,
        _context: *mut libc::c_void,
    ) {
        // A key pressed at the terminal (Ctrl-C) already reached the child, which shares
        // kopai's process group: passing it on would deliver it twice.
        #[cfg(target_os = "linux")]
        // SAFETY: with SA_SIGINFO the kernel hands a valid siginfo_t, or null.
        if !info.is_null() && unsafe { (*info).si_code } == SI_KERNEL {
            return;
        }
        #[cfg(not(target_os = "linux"))]
        let _ = info;
        let child = CHILD.load(Ordering::SeqCst);
        if child > 0 {
            // SAFETY: kill is async-signal-safe.
            unsafe {
                libc::kill(child, signal);
            }
        } else {
            PENDING.store(signal, Ordering::SeqCst);
        }
    }

    /// While alive, SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to kopai go to the child instead
    /// (a signal ignored when kopai started stays ignored, and the child inherits that).
    pub struct Forwarding {
        _handlers: Handlers,
    }

    impl Forwarding {
        /// Starts catching the signals; those that come before `to` are held for the child.
        pub fn new() -> Self {
            PENDING.store(0, Ordering::SeqCst);
            let handler =
                forward as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void);
            Self {
                _handlers: Handlers::install_for(
                    &FORWARDED,
                    handler as *const () as libc::sighandler_t,
                    libc::SA_SIGINFO | libc::SA_RESTART,
                ),
            }
        }

        /// Sends signals to `pid` from now on, and any that came while it was starting.
        pub fn to(&self, pid: u32) {
            let Ok(pid) = i32::try_from(pid) else {
                return;
            };
            CHILD.store(pid, Ordering::SeqCst);
            let pending = PENDING.swap(0, Ordering::SeqCst);
            if pending != 0 {
                // SAFETY: kill with a pid we started and a signal number the kernel gave us.
                unsafe {
                    libc::kill(pid, pending);
                }
            }
        }
    }

    impl Drop for Forwarding {
        fn drop(&mut self) {
            CHILD.store(0, Ordering::SeqCst);
        }
    }
}

#[cfg(unix)]
pub use unix::{EchoOff, Forwarding, TempFileGuard};

/// Without Unix signals the console delivers Ctrl-C to the child itself.
#[cfg(not(unix))]
pub struct Forwarding;

#[cfg(not(unix))]
impl Forwarding {
    pub fn new() -> Self {
        Self
    }

    pub fn to(&self, _pid: u32) {}
}

/// Without Unix signals there is nothing to undo.
#[cfg(not(unix))]
pub struct TempFileGuard;

#[cfg(not(unix))]
impl TempFileGuard {
    pub fn new() -> Self {
        Self
    }

    pub fn watch(&self, _path: &std::path::Path) {}
}
