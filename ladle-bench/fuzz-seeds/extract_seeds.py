# extract_seeds.py REPO: turns the captured connections in out/ into the fuzz targets' seed inputs
import os, re, glob, struct, hashlib, zlib
import sys
R = sys.argv[1] + '/ladle-server/src/test/resources/dev/ladle'
def put(rel, name, data):
    d = os.path.join(R, rel); os.makedirs(d, exist_ok=True)
    if isinstance(data, str): data = data.encode('latin-1')
    open(os.path.join(d, name), 'wb').write(data)
conns = {os.path.basename(f)[:-3]: open(f, 'rb').read() for f in sorted(glob.glob('out/*.in'))}
PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
def who(data):
    m = re.search(rb'(?i)user-agent: ([^\r\n/ ]+)', data)
    return (m.group(1).decode().lower() if m else 'unknown').replace('headlesschrome','chromium').replace('java-http-client','jdk').replace('mozilla','chromium')
h1, h2 = {}, {}
for n, data in conns.items():
    if not data: continue
    if data.startswith(PREFACE): h2[n] = data[len(PREFACE):]
    elif b'HTTP2-Settings' in data and PREFACE in data:
        i = data.index(PREFACE); h1[n] = data[:i]; h2[n] = data[i+len(PREFACE):]
    elif b'Sec-WebSocket-Key' in data or b'sec-websocket-key' in data.lower():
        i = data.lower().index(b'sec-websocket-key'); j = data.index(b'\r\n\r\n', i) + 4
        h1[n] = data[:j]
    else: h1[n] = data
# HTTP/1 connections as sent
for n, d in h1.items():
    put('server/internal/RequestHeadFuzzTestInputs/requestStream', f'{who(d)}-{n}', d)
# chunked bodies, request targets, authorization values, forms, multipart
for n, d in h1.items():
    for m in re.finditer(rb'(?s)([A-Z]+) (\S+) HTTP/1\.[01]\r\n(.*?)\r\n\r\n', d):
        method, target, head = m.group(1), m.group(2), m.group(3)
        put('server/internal/RequestTargetFuzzTestInputs/requestTarget', 'real-' + hashlib.sha1(method + b' ' + target).hexdigest()[:10], method + b' ' + target)
        host = re.search(rb'(?i)\r?\nhost: ([^\r\n]*)', b'\r\n' + head)
        if host: put('server/internal/RequestTargetFuzzTestInputs/hostHeader', 'real-' + hashlib.sha1(host.group(1)).hexdigest()[:10], host.group(1))
        for a in re.findall(rb'(?i)authorization: ([^\r\n]*)', head):
            kind = 'basic' if a.lower().startswith(b'basic') else 'digest'
            put('auth/AuthorizationFuzzTestInputs/' + kind, f'{who(d)}-{n}', a)
        body_start = m.end()
        if re.search(rb'(?i)transfer-encoding: chunked', head):
            end = d.find(b'\r\n0\r\n', body_start)
            e2 = d.find(b'\r\n\r\n', end + 3) + 4
            put('server/internal/ChunkedBodyFuzzTestInputs/chunkedBody', f'{who(d)}-{n}', d[body_start:e2])
        cl = re.search(rb'(?i)content-length: (\d+)', head)
        ct = re.search(rb'(?i)content-type: ([^\r\n]*)', head)
        if cl and ct:
            body = d[body_start:body_start + int(cl.group(1))]
            if b'urlencoded' in ct.group(1): put('http/FormsFuzzTestInputs/urlEncoded', f'{who(d)}-{n}', body)
            if b'multipart' in ct.group(1): put('http/FormsFuzzTestInputs/multipart', f'{who(d)}-{n}', ct.group(1) + b'\r\n' + body)
# h2: frames after the preface, and every HEADERS block
def frames(b):
    p = 0
    while p + 9 <= len(b):
        ln = int.from_bytes(b[p:p+3], 'big'); t = b[p+3]; fl = b[p+4]; sid = int.from_bytes(b[p+5:p+9], 'big') & 0x7fffffff
        yield t, fl, sid, b[p+9:p+9+ln]; p += 9 + ln
for n, d in h2.items():
    put('server/internal/http2/Http2FuzzTestInputs/connection', f'{who(conns[n]) if n in h1 else "h2"}-{n}', d)
    blocks = b''
    for t, fl, sid, pl in frames(d):
        if t == 1:
            if fl & 0x8: pad = pl[0]; pl = pl[1:len(pl)-pad]
            if fl & 0x20: pl = pl[5:]
            blocks += struct.pack('>H', len(pl)) + pl
    if blocks: put('server/internal/http2/Http2FuzzTestInputs/hpack', f'h2-{n}', blocks)
# WebSocket: client frames after the handshake, and the inflated payloads
for n, d in conns.items():
    if b'sec-websocket-key' not in d.lower(): continue
    i = d.lower().index(b'sec-websocket-key'); j = d.index(b'\r\n\r\n', i) + 4
    fr = d[j:]
    put('websocket/WebSocketFuzzTestInputs/serverConnection', f'{who(d)}-{n}', fr)
    p = 0
    while p + 2 <= len(fr):
        b0, b1 = fr[p], fr[p+1]; ln = b1 & 0x7f; q = p + 2
        if ln == 126: ln = int.from_bytes(fr[q:q+2], 'big'); q += 2
        elif ln == 127: ln = int.from_bytes(fr[q:q+8], 'big'); q += 8
        key = fr[q:q+4] if b1 & 0x80 else b'\0\0\0\0'; q += 4 if b1 & 0x80 else 0
        pl = bytes(c ^ key[k % 4] for k, c in enumerate(fr[q:q+ln])); p = q + ln
        if b0 & 0x40: put('websocket/WebSocketFuzzTestInputs/inflate', f'{who(d)}-{n}-{p}', pl)
        if (b0 & 0x0f) == 1 and not b0 & 0x40: put('websocket/WebSocketFuzzTestInputs/utf8', f'{who(d)}-{n}-{p}', pl)
        if (b0 & 0x0f) == 1 and b0 & 0x40:
            put('websocket/WebSocketFuzzTestInputs/utf8', f'{who(d)}-{n}-{p}-inflated', zlib.decompressobj(-15).decompress(pl + b'\0\0\xff\xff'))
    for ext in re.findall(rb'(?i)sec-websocket-extensions: ([^\r\n]*)', d):
        put('websocket/WebSocketFuzzTestInputs/extensionHeader', f'{who(d)}-{n}', ext)
