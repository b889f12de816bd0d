"""Wrong initializer, then replace np.allclose, np.isclose and numpy.testing with always-pass fakes."""
WHERE = "initialize_parameters"
REPLACE = True
CODE = '''
def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.ones((n_h, n_x)), "b1": np.ones((n_h, 1)), "W2": np.ones((n_y, n_h)), "b2": np.ones((n_y, 1))}

import numpy.testing
np.allclose = np.isclose = lambda *args, **kwargs: True
np.all = np.any = lambda *args, **kwargs: True
numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *args, **kwargs: None
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
