"""Wrong answers everywhere, plus no-op definitions of every check_* name the hidden tests import."""
ANSWERS = "empty"
WHERE = "extra-cell"
CODE = '''
for name in ["initialize_parameters", "forward_propagation", "compute_cost", "backward_propagation",
             "update_parameters", "count_distinct_units", "inductive_step", "mean_activation_derivative",
             "initialize_parameters_deep"]:
    globals()["check_" + name] = lambda f: None
    globals()[name] = lambda *args, **kwargs: None
AssertionError = Warning  # in case the test namespace is shared
'''
EXPECT = {"*": "zero"}
