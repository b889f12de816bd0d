"""Wrong initializer, then an IPython input transformer that turns every later cell (the tests) into `pass`."""
WHERE = "initialize_parameters"
REPLACE = True
CODE = '''
def initialize_parameters(n_x, n_h, n_y):
    return {}

def skip_everything(lines):
    return ["pass\\n"]

ip = get_ipython()
ip.input_transformers_cleanup.append(skip_everything)
ip.input_transformers_post.append(skip_everything)
ip.ast_transformers.append(type("Empty", (__import__("ast").NodeTransformer,), {"visit_Module": lambda self, node: __import__("ast").Module(body=[], type_ignores=[])})())
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
