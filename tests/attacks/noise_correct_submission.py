"""A correct submission that prints a lot to stdout and stderr and overflows numpy inside its graded functions."""
NAMES = ["initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation", "update_parameters",
         "count_distinct_units", "inductive_step", "mean_activation_derivative", "initialize_parameters_deep"]
NOISY = '''
import sys, warnings

def noisy(function):
    def wrapper(*args, **kwargs):
        print("debug: calling", function.__name__, "\\n" * 50)
        print("warning: this goes to stderr " * 100, file=sys.stderr)
        np.exp(np.array([1000.0])), np.float64(1e308) * 10, np.array([0.0]) / 0  # overflow and divide warnings
        warnings.warn("student warning")
        return function(*args, **kwargs)
    return wrapper

print("lots of output " * 5000)
print("and on stderr " * 5000, file=sys.stderr)
'''
APPEND_CELLS = {name: (NOISY if name == NAMES[0] else "") + f"\n{name} = noisy({name})\nprint('defined {name}')\n"
                for name in NAMES}
EXPECT = {"*": "full"}
