"""Correct functions that each take just under call_timeout per call, to stretch grading past submission_timeout."""
NAMES = ["initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation", "update_parameters",
         "count_distinct_units", "inductive_step", "mean_activation_derivative", "initialize_parameters_deep"]
SLOWED = '''
import time

def slowed(function):
    def slow(*args, **kwargs):
        time.sleep(2.5)
        return function(*args, **kwargs)
    return slow
'''
# appended to the reference answer of every graded function
APPEND_CELLS = {name: (SLOWED if name == NAMES[0] else "") + f"\n{name} = slowed({name})\n" for name in NAMES}
EXPECT = {"*": "any"}
