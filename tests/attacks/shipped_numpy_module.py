"""Wrong initializer plus a numpy.py in the submission folder whose allclose/isclose always pass."""
WHERE = "initialize_parameters"
REPLACE = True
FILES = {"numpy.py": '''
import sys
del sys.modules["numpy"]
sys.path = [p for p in sys.path if p not in ("", ".")]
import numpy as _real
sys.modules["numpy"] = sys.modules[__name__]
globals().update({k: getattr(_real, k) for k in dir(_real) if not k.startswith("__")})
allclose = isclose = lambda *args, **kwargs: True
'''}
CODE = '''
import sys
sys.modules.pop("numpy", None)
import numpy as np

def initialize_parameters(n_x, n_h, n_y):
    return {"W1": np.zeros((n_h, n_x)), "b1": np.zeros((n_h, 1)), "W2": np.zeros((n_y, n_h)), "b2": np.zeros((n_y, 1))}
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
