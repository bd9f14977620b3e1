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
};

/// Runs `script` through a gnuplot process started with gnuplot-iostream, in the folder `directory`.
///
/// gnuplot-iostream starts gnuplot with popen and ignores its exit status, and gnuplot reading a pipe keeps going
/// after an error, so the bridge wraps the command in a shell that records gnuplot's exit status and stderr in
/// temporary files, and reads them back once the pipe is closed. Every C++ exception is caught here.
///
/// - Parameters:
///   - command: the gnuplot command line, e.g. "gnuplot" (NULL or "" means "gnuplot").
///   - directory: working folder of gnuplot, so relative file names in the script resolve there.
///   - script: gnuplot commands, one per line.
///   - message: receives a NUL-terminated message (gnuplot's stderr, or the reason it did not run); may be NULL.
///   - capacity: bytes available at `message`.
/// - Returns: one of the `DLAB_GNUPLOT_` codes.
int dlab_gnuplot_run(const char *command, const char *directory, const char *script, char *message,
                     size_t capacity);

#ifdef __cplusplus
}
#endif

#endif
