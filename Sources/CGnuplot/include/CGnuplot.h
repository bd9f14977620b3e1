// A plain C interface over gnuplot-iostream (C++), so Swift targets use it without C++ interop.
#ifndef DLAB_CGNUPLOT_H
#define DLAB_CGNUPLOT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What `dlab_gnuplot_run` returns.
enum {
    DLAB_GNUPLOT_OK = 0,            ///< gnuplot ran the script and exited with status 0 (`message` may hold warnings)
    DLAB_GNUPLOT_SCRIPT_ERROR = 1,  ///< gnuplot exited with a non-zero status; `message` holds its stderr
    DLAB_GNUPLOT_BRIDGE_ERROR = 2,  ///< gnuplot could not be started, or the bridge caught an exception
    DLAB_GNUPLOT_TIMEOUT = 3,       ///< gnuplot did not exit within the time limit; it was killed (its process group)
};

/// Runs `script` through a gnuplot process, in the folder `directory`, for at most `timeout_seconds`.
///
/// The bridge starts `sh -c command` itself (fork/exec, in a process group of its own, stdin a pipe, stdout and stderr
/// a temporary file) and writes the script through gnuplot-iostream over that pipe; it then waits for the exit
/// status, which gnuplot-iostream's own popen would ignore. A watchdog thread kills the process group with SIGKILL
/// when the time limit passes, so a gnuplot that never exits, or never reads, costs at most the limit. Every C++
/// exception is caught here.
///
/// - Parameters:
///   - command: the gnuplot command line, e.g. "gnuplot" (NULL or "" means "gnuplot").
///   - directory: working folder of gnuplot, so relative file names in the script resolve there.
///   - script: gnuplot commands, one per line.
///   - timeout_seconds: the time limit (≤ 0 means 60 s).
///   - message: receives a NUL-terminated message (gnuplot's output, or the reason it did not run); may be NULL.
///   - capacity: bytes available at `message`.
/// - Returns: one of the `DLAB_GNUPLOT_` codes.
int dlab_gnuplot_run(const char *command, const char *directory, const char *script, double timeout_seconds,
                     char *message, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
