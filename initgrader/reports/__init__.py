"""Class report, Gradescope/LMS exports and student feedback helpers."""
