"""A stand-in for ``initgrader.driver.worker`` that speaks its protocol but grades nothing.

The pool's tests use it to kill, hang and slow workers on purpose. The job's
student id says what to do: ``die-*`` kills this worker every time;
``die-once-*`` kills it the first time only (a marker file in
``$FAKE_WORKER_MARKERS`` remembers); ``hang-*`` never answers; ``slow-*``
takes half a second; anything else is answered at once.
"""
import os
import signal
import sys
import time

from initgrader.driver import channel
from initgrader.driver.jobs import Result


def main():
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    writer = channel.Writer(protocol_out)
    channel.receive(protocol_in)  # the shared course
    writer.send(("ready",))
    while True:
        job = channel.receive(protocol_in)
        if job is None:
            return
        student = job.student
        marker = os.path.join(os.environ.get("FAKE_WORKER_MARKERS", "."), student)
        if student.startswith("die-once-") and not os.path.exists(marker):
            open(marker, "w").close()
            print(f"dying on {student}", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        elif student.startswith("die-") and not student.startswith("die-once-"):
            print(f"dying on {student}", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        elif student.startswith("hang-"):
            time.sleep(3600)
        elif student.startswith("slow-"):
            time.sleep(0.5)
        writer.send(("log", 20, f"graded {student} in process {os.getpid()}"))
        writer.send(("result", Result(student, job.digest, ok=True, score=1.0, max_score=1.0)))


if __name__ == "__main__":
    main()
