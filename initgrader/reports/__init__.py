"""Class report, LMS export and student feedback helpers."""
