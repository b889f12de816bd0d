"""Wrong initializer, then fake initgrader modules in sys.modules and a builtins.__import__ that serves them."""
WHERE = "initialize_parameters"
REPLACE = True
CODE = '''
def initialize_parameters(n_x, n_h, n_y):
    return None

import builtins, sys, types

fake = types.ModuleType("initgrader.checks")
fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)
for name in ("initgrader", "initgrader.checks", "initgrader.plugins", "initgrader.plugins.grader_namespace"):
    sys.modules[name] = fake

real_import = builtins.__import__

def fake_import(name, *args, **kwargs):
    # every check a test cell imports becomes a no-op
    return fake if name.startswith("initgrader") else real_import(name, *args, **kwargs)

builtins.__import__ = fake_import
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
