// Node.js HTTP server for bench/run --client: closes idle keep-alive connections after
// keepAliveTimeout (argv[3] ms; Node adds about 1 s and advertises Keep-Alive: timeout=N).
const http = require('http');
const port = +process.argv[2];
const server = http.createServer((req, res) => {
	let length = 0;
	req.on('data', (chunk) => { length += chunk.length; });
	req.on('end', () => { res.end(req.method === 'POST' ? 'posted ' + length : 'hello'); });
});
server.keepAliveTimeout = +process.argv[3];
server.listen(port, '127.0.0.1');
