"""Runs the AWS CLI (awscli.clidriver, as the `aws` script does) many times
without paying its start-up each time: imports it once, then forks a fresh
child per request, so no state passes from one run to the next.

Reads one JSON request per line on stdin:
    {"env": {"NAME": "value"}, "args": ["eks", "get-token", ...], "out": "PATH", "err": "PATH"}
The child's environment is exactly `env` (the sealed environment the test
built with tests/common command_for); its stdout and stderr go to the two files.
Answers one line per request: {"status": EXIT_STATUS}.
"""
import json
import os
import sys

import awscli.clidriver  # the expensive part, done once


def run(request):
    pid = os.fork()
    if pid == 0:
        try:
            # What `import awscli` added (its data path) stays; the rest is the request's.
            data_path = os.environ["AWS_DATA_PATH"]
            os.environ.clear()
            os.environ.update(request["env"])
            os.environ["AWS_DATA_PATH"] = data_path
            for fd, path in ((1, request["out"]), (2, request["err"])):
                target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(target, fd)
                os.close(target)
            os.close(0)
            os.open(os.devnull, os.O_RDONLY)
            sys.argv = ["aws"] + request["args"]
            status = awscli.clidriver.main()
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else 1
        except BaseException:
            import traceback
            traceback.print_exc()
            status = 255
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status or 0)
    _, wait_status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(wait_status)


def main():
    for line in sys.stdin:
        if line.strip():
            status = run(json.loads(line))
            sys.stdout.write(json.dumps({"status": status}) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
