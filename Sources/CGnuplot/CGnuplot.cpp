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

/// Two scratch files (gnuplot's stderr, then its exit status), removed when this goes out of scope.
struct ScratchFiles {
    std::string errors;
    std::string status;

    ScratchFiles() {
        const char *folder = std::getenv("TMPDIR");
        std::string pattern = std::string(folder && folder[0] ? folder : "/tmp") + "/dlab-gnuplot-XXXXXX";
        std::string buffer = pattern;
        int fd = mkstemp(&buffer[0]);
        if (fd < 0) throw std::runtime_error("cannot create a temporary file from " + pattern);
        close(fd);
        errors = buffer;
        status = buffer + ".status";
    }

    ~ScratchFiles() {
        unlink(errors.c_str());
        unlink(status.c_str());
    }
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

std::string trimmed(const std::string &text) {
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

}  // namespace

extern "C" int dlab_gnuplot_run(const char *command, const char *directory, const char *script, char *message,
                                size_t capacity) {
    copyMessage("", message, capacity);
    try {
        ScratchFiles scratch;
        IgnoreBrokenPipe guard;
        std::string gnuplot = (command && command[0]) ? command : "gnuplot";
        std::string folder = (directory && directory[0]) ? directory : ".";
        // popen runs this with sh -c; its own status (echo's) is always 0, gnuplot's goes to the status file.
        std::string line = "{ cd " + shellQuote(folder) + " && " + gnuplot + "; } 2>" + shellQuote(scratch.errors) +
                           "; echo $? >" + shellQuote(scratch.status);
        {
            Gnuplot session(line);
            session << (script ? script : "") << "\n";
            session.flush();
        }  // the destructor closes the pipe and waits for the shell (pclose)
        std::string errors = trimmed(readFile(scratch.errors));
        std::string status = trimmed(readFile(scratch.status));
        if (status.empty()) {
            copyMessage("gnuplot did not report an exit status (command: " + gnuplot + ")", message, capacity);
            return DLAB_GNUPLOT_BRIDGE_ERROR;
        }
        int code = std::atoi(status.c_str());
        if (code != 0) {
            if (errors.empty()) errors = "gnuplot exited with status " + status;
            if (code == 127) errors = "cannot start gnuplot (" + gnuplot + "): " + errors;
            copyMessage(errors, message, capacity);
            return code == 127 ? DLAB_GNUPLOT_BRIDGE_ERROR : DLAB_GNUPLOT_SCRIPT_ERROR;
        }
        copyMessage(errors, message, capacity);
        return DLAB_GNUPLOT_OK;
    } catch (const std::exception &error) {
        copyMessage(std::string("gnuplot bridge: ") + error.what(), message, capacity);
    } catch (...) {
        copyMessage("gnuplot bridge: unknown C++ exception", message, capacity);
    }
    return DLAB_GNUPLOT_BRIDGE_ERROR;
}
