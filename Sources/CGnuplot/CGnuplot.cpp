// The extern "C" bridge over gnuplot-iostream (http://stahlke.org/dan/gnuplot-iostream/), see CGnuplot.h.
#include "CGnuplot.h"

#include <gnuplot-iostream.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <spawn.h>
#include <sys/wait.h>
#include <vector>

extern char **environ;
#include <thread>

namespace {

/// `text` as one single-quoted shell word.
std::string shellQuote(const std::string &text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\'') {
            quoted += "'\\''";
        } else {
            quoted += c;
        }
    }
    return quoted + "'";
}

std::string readFile(const std::string &path) {
    std::ifstream file(path);
    std::stringstream contents;
    contents << file.rdbuf();
    return contents.str();
}

void copyMessage(const std::string &text, char *message, size_t capacity) {
    if (message == nullptr || capacity == 0) return;
    size_t length = text.size() < capacity - 1 ? text.size() : capacity - 1;
    std::memcpy(message, text.data(), length);
    message[length] = '\0';
}

/// A scratch file for gnuplot's stderr, removed when this goes out of scope.
struct ScratchFile {
    std::string path;

    ScratchFile() {
        const char *folder = std::getenv("TMPDIR");
        std::string pattern = std::string(folder && folder[0] ? folder : "/tmp") + "/dlab-gnuplot-XXXXXX";
        std::string buffer = pattern;
        int fd = mkstemp(&buffer[0]);
        if (fd < 0) throw std::runtime_error("cannot create a temporary file from " + pattern);
        close(fd);
        path = buffer;
    }

    ~ScratchFile() { unlink(path.c_str()); }
};

/// Ignores SIGPIPE while alive, so that a gnuplot that dies early makes writes fail instead of killing us.
struct IgnoreBrokenPipe {
    struct sigaction previous;

    IgnoreBrokenPipe() {
        struct sigaction ignore;
        std::memset(&ignore, 0, sizeof ignore);
        ignore.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &ignore, &previous);
    }

    ~IgnoreBrokenPipe() { sigaction(SIGPIPE, &previous, nullptr); }
};

/// Kills the process group `group` with SIGKILL if `finish()` is not called within `seconds`: a gnuplot that never
/// exits (or never reads its script) cannot make the caller wait forever.
class Watchdog {
  public:
    Watchdog(pid_t group, double seconds) : group_(group) {
        thread_ = std::thread([this, seconds] {
            std::unique_lock<std::mutex> lock(mutex_);
            auto limit = std::chrono::duration<double>(seconds);
            if (!done_condition_.wait_for(lock, limit, [this] { return done_; })) {
                fired_ = true;
                kill(-group_, SIGKILL);
            }
        });
    }

    /// Stops the watch; true when it had already fired.
    bool finish() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        done_condition_.notify_all();
        if (thread_.joinable()) thread_.join();
        return fired_;
    }

    ~Watchdog() { finish(); }

  private:
    pid_t group_;
    std::mutex mutex_;
    std::condition_variable done_condition_;
    bool done_ = false;
    bool fired_ = false;
    std::thread thread_;
};

/// pipe(2) with both ends close-on-exec (atomically where the system has pipe2).
int closeOnExecPipe(int fds[2]) {
#if defined(__linux__)
    return pipe2(fds, O_CLOEXEC);
#else
    static std::mutex creating;
    std::lock_guard<std::mutex> lock(creating);
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

std::string trimmed(const std::string &text) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

}  // namespace

extern "C" int dlab_gnuplot_run(const char *command, const char *directory, const char *script, double timeout_seconds,
                                char *message, size_t capacity) {
    copyMessage("", message, capacity);
    try {
        ScratchFile errors;
        IgnoreBrokenPipe guard;
        std::string gnuplot = (command && command[0]) ? command : "gnuplot";
        std::string folder = (directory && directory[0]) ? directory : ".";
        double limit = timeout_seconds > 0 ? timeout_seconds : 60;
        int errorFile = open(errors.path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (errorFile < 0) throw std::runtime_error("cannot open " + errors.path);
        // Close-on-exec from the start: another gnuplot started at the same time (figures drawn in parallel) must not
        // inherit this pipe's write end, or neither gnuplot would ever see the end of its script.
        int pipeFds[2];
        if (closeOnExecPipe(pipeFds) != 0) {
            close(errorFile);
            throw std::runtime_error("cannot create a pipe");
        }
        // gnuplot runs in a process group of its own (sh -c, and whatever it starts), so the watchdog kills all of it.
        // posix_spawn, not fork: fork runs the pthread_atfork handlers of every library in the process, and
        // OpenBLAS's (blas_thread_shutdown_) waits for its worker threads, which deadlocks when another thread is
        // inside a matmul at that moment (figures drawn while a model runs, or tests in parallel).
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
        posix_spawn_file_actions_adddup2(&actions, pipeFds[0], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, errorFile, STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, errorFile, STDERR_FILENO);
        posix_spawn_file_actions_addchdir_np(&actions, folder.c_str());
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
        posix_spawnattr_setpgroup(&attributes, 0);
        pid_t pid = -1;
        char shell[] = "/bin/sh", dashC[] = "-c";
        std::vector<char> commandLine(gnuplot.begin(), gnuplot.end());
        commandLine.push_back('\0');
        char *arguments[] = {shell, dashC, commandLine.data(), nullptr};
        int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        if (spawned != 0) {
            close(errorFile);
            close(pipeFds[0]);
            close(pipeFds[1]);
            throw std::runtime_error(std::string("cannot start /bin/sh (") + std::strerror(spawned) + ")");
        }
        setpgid(pid, pid);  // also here, so the group exists before the watchdog could need it
        close(pipeFds[0]);
        close(errorFile);
        Watchdog watchdog(pid, limit);
        FILE *handle = fdopen(pipeFds[1], "w");
        if (handle == nullptr) {
            close(pipeFds[1]);
        } else {
            Gnuplot session(handle);  // gnuplot-iostream over our pipe; its destructor closes the pipe (fclose)
            session << (script ? script : "") << "\n";
            session.flush();
        }
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        bool timedOut = watchdog.finish();
        std::string output = trimmed(readFile(errors.path));
        if (timedOut) {
            std::ostringstream text;
            text << "gnuplot did not finish within " << limit << " s and was stopped (command: " << gnuplot << ")";
            if (!output.empty()) text << ":\n" << output;
            copyMessage(text.str(), message, capacity);
            return DLAB_GNUPLOT_TIMEOUT;
        }
        if (WIFSIGNALED(status)) {
            copyMessage("gnuplot was killed by signal " + std::to_string(WTERMSIG(status)) + (output.empty() ? "" : ":\n" + output),
                        message, capacity);
            return DLAB_GNUPLOT_SCRIPT_ERROR;
        }
        int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (code == 126 || code == 127) {
            copyMessage("cannot start gnuplot (" + gnuplot + ") in " + folder + (output.empty() ? "" : ": " + output), message,
                        capacity);
            return DLAB_GNUPLOT_BRIDGE_ERROR;
        }
        if (code != 0) {
            copyMessage(output.empty() ? "gnuplot exited with status " + std::to_string(code) : output, message, capacity);
            return DLAB_GNUPLOT_SCRIPT_ERROR;
        }
        copyMessage(output, message, capacity);
        return DLAB_GNUPLOT_OK;
    } catch (const std::exception &error) {
        copyMessage(std::string("gnuplot bridge: ") + error.what(), message, capacity);
    } catch (...) {
        copyMessage("gnuplot bridge: unknown C++ exception", message, capacity);
    }
    return DLAB_GNUPLOT_BRIDGE_ERROR;
}
