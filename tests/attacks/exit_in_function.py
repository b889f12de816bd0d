"""Graded functions that exit, or kill their parent, when the grader calls them."""
REPLACE_CELLS = {
    "compute_cost": '''
import os

def compute_cost(A2, Y):
    os._exit(0)
''',
    "update_parameters": '''
import os

def update_parameters(parameters, grads, learning_rate=1.2):
    os.kill(os.getppid(), 9)
    os.killpg(0, 9)
''',
}
EXPECT = {"test_compute_cost": "zero", "test_update_parameters": "zero", "*": "any"}
