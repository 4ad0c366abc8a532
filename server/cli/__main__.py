"""``python -m server.cli …``: the ``kadun`` command, for a checkout whose own code should run
(a worktree beside an installed one)."""
from . import main

main(prog_name="kadun")
