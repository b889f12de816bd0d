"""Hold 5 GB outside the address-space limit: memfd, /dev/shm, SysV shared memory and /tmp, then keep the reference answers."""
WHERE = "extra-cell"
CODE = '''
import ctypes, mmap, os, tempfile

libc = ctypes.CDLL(None, use_errno=True)
chunk = bytes(64 * 1024**2)
held = []
def hoard(open_file):
    try:
        handle = open_file()
        for _ in range(80):
            os.write(handle, chunk)
        held.append(handle)
    except OSError as error:
        print(type(error).__name__, error.errno)
hoard(lambda: os.memfd_create("hoard"))
hoard(lambda: os.open("/dev/shm/initgrader-hoard", os.O_RDWR | os.O_CREAT, 0o600))
hoard(lambda: os.open(os.path.join(tempfile.gettempdir(), "hoard"), os.O_RDWR | os.O_CREAT, 0o600))
segment = libc.syscall(29, 0, 5 * 1024**3, 0o1600)  # shmget(IPC_PRIVATE, 5 GiB, IPC_CREAT | 0600)
print("shmget", segment, ctypes.get_errno())
'''
EXPECT = {"*": "any"}
