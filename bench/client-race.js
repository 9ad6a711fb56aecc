// Node.js HTTP server for bench/run client: closes idle keep-alive connections after
// keepAliveTimeout (argv[3] ms; Node 20 closes about 1 s later and advertises
// Keep-Alive: timeout=N). With argv[4] = "nohint" it sends Connection: keep-alive itself,
// so Node adds no Keep-Alive hint, as Tomcat, Jetty and nginx by default. A GET is
// answered with the client's port, so a client can count the connections it used.
const http = require('http');
const port = +process.argv[2];
const hint = process.argv[4] !== 'nohint';
const server = http.createServer((req, res) => {
	let length = 0;
	req.on('data', (chunk) => { length += chunk.length; });
	req.on('end', () => {
		if (!hint) {
			res.setHeader('Connection', 'keep-alive');
		}
		res.end(req.method === 'GET' ? String(req.socket.remotePort) : req.method.toLowerCase() + 'ed ' + length);
	});
});
server.keepAliveTimeout = +process.argv[3];
server.listen(port, '127.0.0.1');
