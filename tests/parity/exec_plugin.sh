#!/bin/sh
# The recording exec credential plugin of the kubectl differential test (a
# shell script: a Python one cost more start-up time than the tools it tests).
#
#     exec_plugin.sh LOG REPLY [args...]
#
# Writes its argv and its environment (KUBERNETES_EXEC_INFO included) as
# NUL-separated lists to LOG.PID.argv and LOG.PID.env, then prints REPLY, the
# ExecCredential the generator wrote for this exec stanza.
log=$1
printf '%s\0' "$@" > "$log.$$.argv"
env -0 > "$log.$$.env"
cat "$2"
