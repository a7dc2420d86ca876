"""A small TCP proxy in the test process, between a forum server and its database, that
a test can cut and restore: the database "goes away" for that server only, and every
other test (and the database itself) carries on undisturbed."""
import socket
import threading


class TcpProxy:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.passing = threading.Event()
        self.passing.set()
        self.links: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, name="tcp-proxy-accept", daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def cut(self) -> None:
        """Drop every open connection and turn new ones away, as a dead database would."""
        self.passing.clear()
        with self.lock:
            links, self.links = self.links, set()
        for sock in links:
            _shut(sock)

    def restore(self) -> None:
        self.passing.set()

    def close(self) -> None:
        self.closed = True
        _shut(self.listener)
        self.cut()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.passing.is_set():
                _shut(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _shut(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.links.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), name="tcp-proxy-pump", daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with self.lock:
                self.links.difference_update((source, sink))
            _shut(source)
            _shut(sink)


def _shut(sock: socket.socket) -> None:
    # shutdown() wakes a thread blocked in recv()/accept() on the socket; close() alone may not.
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
