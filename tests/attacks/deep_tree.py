"""Correct answers beside a folder nested 50 000 deep: deeper than any recursive walk or rmtree can go."""
DEEP = {"d": 50_000}
EXPECT = {"*": "full"}
REASON = "nested more than"
REFUSED = "too-deep"
