'use strict';
// node-app: an HTTP server with one npm dependency (ms).
const http = require('http');
const ms = require('ms');

const port = Number(process.env.PORT || 3000);
const started = Date.now();

http
  .createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`hello from node-app on node ${process.version}, a minute is ${ms(60000)}, up ${ms(Date.now() - started)}\n`);
  })
  .listen(port, () => console.log(`listening on :${port}`));

process.on('SIGTERM', () => process.exit(0));
