"""A notebook whose metadata nests 20 million lists: json.loads would recurse, a validator would too."""


def mutate(nb):
    nested = b"[" * 20_000_000 + b"]" * 20_000_000
    return b'{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"x": ' + nested + b"}}"


EXPECT = {"*": "zero"}
REASON = "nested more than"
