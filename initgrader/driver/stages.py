"""Seconds spent per stage of grading, summed over submissions."""
import contextlib
import time


class Stages:
    def __init__(self):
        self.seconds = {}

    def add(self, name, seconds):
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def update(self, seconds):
        for name, value in seconds.items():
            self.add(name, value)

    @contextlib.contextmanager
    def __call__(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)
