"""Graded functions that never return: a busy loop and time.sleep(1000)."""
REPLACE_CELLS = {
    "forward_propagation": '''
def forward_propagation(X, parameters):
    while True:
        pass
''',
    "count_distinct_units": '''
import time

def count_distinct_units(parameters, tol=1e-8):
    time.sleep(1000)
''',
}
EXPECT = {"test_forward_propagation": "zero", "test_count_distinct_units": "zero", "*": "any"}
