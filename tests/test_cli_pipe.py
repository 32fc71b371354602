"""`prep ... | head`: a reader that stops early ends the command quietly, as with Unix tools."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


# Outputs of the built-in knowledge base larger than a pipe's buffer (64 KiB), so the
# writer is still writing when the reader goes away.
@pytest.mark.parametrize("args", [["list", "cards", "--json"], ["list", "cards"]])
def test_closed_pipe_is_not_an_error(args, prep_home):
    env = dict(os.environ, PREP_HOME=str(prep_home), PYTHONPATH=str(REPO))
    cmd = [sys.executable, "-m", "prep", "--kb", str(REPO), *args]
    full = subprocess.run(cmd, env=env, check=True, capture_output=True)
    assert len(full.stdout) > 65536
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) != 0  # not a full run, but not a crash either:
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception ignored" not in err, err
