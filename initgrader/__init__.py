"""Grader-side code for the random-initialization assignment.

Importing this package imports nothing else: the sandbox must be able to load
its own modules without pulling in the reference solution.
"""
