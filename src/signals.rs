//! Leaving things as they were when SIGINT, SIGTERM or SIGHUP ends a run half-way: a temp file
//! holding the token is removed, and a terminal whose echo was switched off gets it back. The
//! process then dies of the same signal, as it would have without us.
//!
//! The handler may only do async-signal-safe things, so what it undoes is kept in statics it can
//! read without locks: a C string path to `unlink`, and the terminal settings to restore.

#[cfg(unix)]
mod unix {
    use std::ffi::CString;
    use std::path::Path;
    use std::ptr;
    use std::sync::atomic::{AtomicPtr, Ordering};

    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

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

    /// While alive, SIGINT/SIGTERM/SIGHUP run `undo_and_die`; dropping it restores the previous
    /// handlers.
    struct Handlers {
        previous: Vec<(libc::c_int, libc::sigaction)>,
    }

    impl Handlers {
        fn install() -> Self {
            let mut previous = Vec::new();
            for signal in SIGNALS {
                // SAFETY: a zeroed sigaction is valid; the handler has the plain signature.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = undo_and_die as *const () as libc::sighandler_t;
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
}

#[cfg(unix)]
pub use unix::{EchoOff, TempFileGuard};

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
