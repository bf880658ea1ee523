"""Push floor for bench/datapath.sh: what a perfect registry does with a blob's bytes, on one thread.

Reads SOURCE in 1 MiB pieces (as if from the socket), hashes each with SHA-256 (OpenSSL, as .NET
does), writes it to a temporary file in DEST_DIR, then fsyncs, renames into place and fsyncs the
folder. Prints the seconds taken.
"""
import hashlib
import os
import sys
import time

source, dest_dir = sys.argv[1], sys.argv[2]
os.makedirs(dest_dir, exist_ok=True)
start = time.monotonic()
digest = hashlib.sha256()
temp = os.path.join(dest_dir, "upload.tmp")
with open(source, "rb", buffering=0) as reader:
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    buffer = bytearray(1024 * 1024)
    view = memoryview(buffer)
    while True:
        n = reader.readinto(buffer)
        if not n:
            break
        digest.update(view[:n])
        os.write(fd, view[:n])
    os.fsync(fd)
    os.close(fd)
os.rename(temp, os.path.join(dest_dir, digest.hexdigest()))
folder = os.open(dest_dir, os.O_RDONLY)
os.fsync(folder)
os.close(folder)
print(time.monotonic() - start)
