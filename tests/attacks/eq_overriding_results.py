"""Return dict, ndarray and float subclasses whose __eq__, __array__ and comparisons always say "equal"."""
REPLACE_CELLS = {
    "initialize_parameters": '''
class Yes(np.ndarray):
    def __eq__(self, other): return True
    __ne__ = lambda self, other: False
    __lt__ = __gt__ = __le__ = __ge__ = __eq__
    def __array__(self, *args, **kwargs): return np.zeros(0)
    shape = property(lambda self: (4, 3))

class AllKeys(dict):
    def __eq__(self, other): return True
    def __contains__(self, key): return True
    def __missing__(self, key): return np.zeros(1).view(Yes)

class Close(float):
    __eq__ = lambda self, other: True
    __lt__ = __gt__ = __le__ = __ge__ = __eq__

def initialize_parameters(n_x, n_h, n_y):
    return AllKeys()
''',
    "compute_cost": '''
def compute_cost(A2, Y):
    return Close(0.0)
''',
    "inductive_step": '''
def inductive_step(parameters, cache, grads, learning_rate, tol=1e-8):
    return AllKeys()
''',
}
EXPECT = {"test_initialize_parameters": "zero", "test_compute_cost": "zero", "test_inductive_step": "zero", "*": "any"}
