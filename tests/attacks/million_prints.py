"""Print a million lines from a cell, and a lot more from a graded function."""
WHERE = "update_parameters"
CODE = '''
for i in range(1_000_000):
    print(i)

_honest_update = update_parameters

def update_parameters(parameters, grads, learning_rate=1.2):
    for i in range(100_000):
        print("step", i)
    return _honest_update(parameters, grads, learning_rate)
'''
EXPECT = {"*": "full"}
