"""Background work as named passes, run again and again by one small loop runner.

A pass is idempotent and reads its work from the database, so the same pass can later
run inside a job engine instead of this process's loops.
"""

from ringline.jobs.runner import LoopRunner, Pass, running

__all__ = ["LoopRunner", "Pass", "running"]
