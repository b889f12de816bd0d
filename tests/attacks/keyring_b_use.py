"""Blank answers; read the answers an earlier submission left in the user keyring and run them."""
ANSWERS = "empty"
WHERE = "extra-cell"
AFTER = "initialize_parameters_deep"
CODE = '''
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
key = libc.syscall(249, b"user", b"initgrader-answers", None, 0)  # request_key
if key > 0:
    buffer = ctypes.create_string_buffer(1 << 20)
    size = libc.syscall(250, 11, key, buffer, len(buffer))  # keyctl(KEYCTL_READ)
    exec(buffer.raw[:size].decode(), globals())
print("found", key, ctypes.get_errno())
'''
EXPECT = {"*": "zero"}
