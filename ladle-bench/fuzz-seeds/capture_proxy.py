import socket, threading, sys, itertools
# capture_proxy.py LISTEN_PORT LADLE_PORT OUT_DIR: forwards each connection to Ladle and writes what
# the client sent (connNNN.in) and what the server answered (connNNN.out)
lport, rport, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
counter = itertools.count()
def pump(src, dst, f):
    try:
        while True:
            d = src.recv(65536)
            if not d: break
            f.write(d); f.flush(); dst.sendall(d)
    except OSError: pass
    finally:
        try: dst.shutdown(socket.SHUT_WR)
        except OSError: pass
def handle(c):
    n = next(counter)
    r = socket.create_connection(('127.0.0.1', rport))
    fi = open(f'{outdir}/conn{n:03d}.in', 'wb'); fo = open(f'{outdir}/conn{n:03d}.out', 'wb')
    t1 = threading.Thread(target=pump, args=(c, r, fi)); t2 = threading.Thread(target=pump, args=(r, c, fo))
    t1.start(); t2.start(); t1.join(); t2.join(); c.close(); r.close(); fi.close(); fo.close()
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', lport)); s.listen(50)
while True:
    c, _ = s.accept(); threading.Thread(target=handle, args=(c,), daemon=True).start()
