"""SIGSTOP the parent, its process group and every process (kill(-1)), then SIGKILL the parent's group."""
WHERE = "extra-cell"
CODE = '''
import os, signal

for target in (os.getppid(), -os.getpgid(os.getppid()), -1):
    for number in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(target, number)
            print("signalled", target, number)
        except OSError as error:
            print("refused", target, error)
'''
EXPECT = {"*": "any"}
