"""Wrong initializer, then silence every error: sys.excepthook, traceback formatting and IPython's custom exception handler."""
WHERE = "initialize_parameters"
REPLACE = True
CODE = '''
def initialize_parameters(n_x, n_h, n_y):
    raise AssertionError("never shown")

import sys, traceback
sys.excepthook = lambda *args: None
traceback.format_exception = lambda *args, **kwargs: []
traceback.format_exception_only = lambda *args, **kwargs: []
traceback.extract_tb = lambda *args, **kwargs: []
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
