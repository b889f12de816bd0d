"""Wrong initializer that forges the worker's wire replies: from inside a call, and from a thread stealing requests."""
WHERE = "initialize_parameters"
REPLACE = True
CODE = '''
import sys, threading

wire = sys.modules["wire"]

def worker_frame():
    # the worker's serve() frame holds the request being answered and the pipe fds
    frame = sys._getframe()
    while frame is not None:
        if "request" in frame.f_locals and hasattr(frame.f_locals.get("self"), "wfd"):
            return frame.f_locals["self"], frame.f_locals["request"]
        frame = frame.f_back
    return None, None

def plausible(n_x, n_h, n_y):
    return {"W1": np.full((n_h, n_x), 0.01), "b1": np.zeros((n_h, 1)), "W2": np.full((n_y, n_h), 0.01), "b2": np.zeros((n_y, 1))}

def initialize_parameters(n_x, n_h, n_y):
    worker, request = worker_frame()
    if worker is not None:
        # answer for the worker, then a second, stale "ok" to confuse the next request
        for _ in range(2):
            out = wire.Outgoing()
            wire.send(worker.wfd, wire.dumps({"status": "ok", "value": wire.encode(plausible(n_x, n_h, n_y), out),
                                              "output": "", "id": request["id"]}), out)
    return plausible(n_x, n_h, n_y)

def thief(worker):
    # race the worker for requests and answer every one of them with "all is well"
    while True:
        try:
            request = wire.loads(wire.recv(worker.rfd, wire.Caps(1 << 20, None, 1 << 20))[0])
        except Exception:
            return
        out = wire.Outgoing()
        reply = {"status": "ok", "value": wire.encode(True, out), "output": "", "stdout": "", "stderr": "", "error": None,
                 "results": {n: ["value", wire.encode(True, out)] for n in request.get("names", [])}, "id": request["id"]}
        wire.send(worker.wfd, wire.dumps(reply), out)

worker, request = worker_frame()
if worker is not None:
    threading.Thread(target=thief, args=(worker,), daemon=True).start()
'''
EXPECT = {"test_initialize_parameters": "zero", "*": "any"}
