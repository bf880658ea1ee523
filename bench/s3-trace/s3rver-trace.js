'use strict';
// A require hook for s3rver (node -r bench/s3-trace/s3rver-trace.js …/s3rver.js …): one line per S3
// request into the file S3RVER_TRACE names, when it started and ended (Unix seconds, wall clock, so the
// lines line up with the bench's own timestamps), how long it took, and what it was. Query values are
// dropped (an uploadId says nothing; a presigned URL's signature must not be written down) except the
// part number.
const fs = require('fs');
const http = require('http');
const { performance } = require('perf_hooks');

const file = process.env.S3RVER_TRACE;
if (file) {
  const out = fs.createWriteStream(file, { flags: 'a' });
  const now = () => (performance.timeOrigin + performance.now()) / 1000;
  const describe = req => {
    const [path, query = ''] = req.url.split('?');
    const names = query
      .split('&')
      .filter(Boolean)
      .map(p => {
        const [name, value] = p.split('=');
        return name === 'partNumber' ? `${name}=${value}` : name;
      });
    let op = req.method;
    if (req.headers['x-amz-copy-source']) op = 'COPY';
    return `${op} ${path}${names.length ? '?' + names.join('&') : ''}`;
  };
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request') {
      const start = now();
      res.on('finish', () => {
        const end = now();
        const length = req.headers['content-length'] || '-';
        out.write(`${start.toFixed(3)} ${end.toFixed(3)} ${((end - start) * 1000).toFixed(1)} ${res.statusCode} ${length} ${describe(req)}\n`);
      });
    }
    return emit.apply(this, arguments);
  };
}
