"""Copy every earlier cell (the working answers) into the user keyring, for a later submission under the same uid."""
WHERE = "extra-cell"
AFTER = "initialize_parameters_deep"
CODE = '''
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
payload = "\\n".join(In[:-1]).encode()
key = libc.syscall(248, b"user", b"initgrader-answers", payload, len(payload), -4)  # add_key, KEY_SPEC_USER_KEYRING
print("planted", key, ctypes.get_errno())
'''
EXPECT = {"*": "full"}
