"""Allocate 5 GB in a cell (at once and in chunks), and inside a graded function."""
WHERE = "mean_activation_derivative"
CODE = '''
try:
    hoard = bytearray(5 * 1024**3)
except MemoryError:
    hoard = []
try:
    while len(hoard) < 50:
        hoard.append(bytearray(100 * 1024**2))
except MemoryError:
    hoard = None

def mean_activation_derivative(W1, b1, X, activation="tanh"):
    return float(np.ones(5 * 1024**3 // 8).mean())
'''
EXPECT = {"test_mean_activation_derivative": "zero", "*": "any"}
