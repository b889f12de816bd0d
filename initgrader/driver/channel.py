"""Length-prefixed pickle frames on the pipes between the coordinator and its local workers.

Both ends are this package's own processes; submission code never runs in
either (it runs in the sandbox), so frames are trusted pickles.
"""
import os
import pickle
import struct
import threading

HEADER = struct.Struct("!Q")


def frame(message):
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class Writer:
    """Writes whole frames to a file descriptor, from any thread."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()

    def send(self, message):
        self.send_frame(frame(message))

    def send_frame(self, data):
        view = memoryview(data)
        with self.lock:
            while view:
                view = view[os.write(self.fd, view):]


def read_exactly(fd, size):
    """``size`` bytes from a blocking descriptor, or None at end of file."""
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def receive(fd):
    """The next message on a blocking descriptor, or None at end of file."""
    header = read_exactly(fd, HEADER.size)
    if header is None:
        return None
    data = read_exactly(fd, HEADER.unpack(header)[0])
    return None if data is None else pickle.loads(data)


class Reader:
    """Collects bytes read without blocking and hands back the whole messages among them."""

    def __init__(self):
        self.buffer = bytearray()

    def feed(self, data):
        self.buffer += data
        messages = []
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if len(self.buffer) < HEADER.size + size:
                break
            messages.append(pickle.loads(bytes(self.buffer[HEADER.size:HEADER.size + size])))
            del self.buffer[:HEADER.size + size]
        return messages
