"""tradewar.Error: a failure of the library, with its message."""

# tw_status (include/tradewar/error.h) by value, and the exit code the
# command line gives each (tw_status_exit_code)
STATUS = {0: "ok", 1: "input", 2: "noconv", 3: "nomem", 4: "io", 5: "arg"}
EXIT_CODE = {0: 0, 1: 2, 2: 1, 3: 3, 4: 3, 5: 2}


class Error(Exception):
    """A failure: bad input, no convergence, an unreadable file, ...

    ``str(e)`` is the library's message as the command line prints it after
    ``tradewar: `` (file:line: what, or field: what).  ``status`` names the
    tw_status ("input", "noconv", "nomem", "io", "arg"), ``exit_code`` is the
    command line's exit code for it, and ``file``, ``line`` and ``field`` say
    where (empty or 0 when unknown)."""

    def __init__(self, message, status="input", file="", line=0, field=""):
        super().__init__(message)
        self.message = message
        self.status = status
        self.exit_code = {v: EXIT_CODE[k] for k, v in STATUS.items()}.get(status, 2)
        self.file = file
        self.line = line
        self.field = field
