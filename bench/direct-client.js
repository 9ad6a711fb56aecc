// Direct clients for bench/run's direct mode: Node's own HTTP clients talking straight to the
// sample app, with no load balancer in between, each request sent after an idle gap aimed at the
// moment the server closes the idle keep-alive connection. Node 20, no packages.
//
//   node direct-client.js probe --port P --samples N
//       raw sockets: how long after the end of a response the server closes the idle connection
//       (its FIN arrives); prints "PROBE n=.. min=.. p10=.. median=.. p90=.. max=.." in ms
//   node direct-client.js race --port P --requests N --slots S --aim-ms A [--aim-file F]
//       [--window-early-ms E] [--window-late-ms L] [--learn-spread-ms D] [--learn-share Q]
//       [--max-seconds M] [--hits-out F] [--log F] [--clients agent,fetch]
//       the clients at once, GET and POST each, each with S slots of its own connection:
//       agent (http.Agent) and fetch by default; agent-bare (the http.Agent without its Connection
//       header) on request. Prints one "RESULT client=.. method=.. requests=.. ok=.. failed=..
//       reused=.. hinted=.. hint=.. errors=code:count,.." line per client and method.
//
// The http.Agent has the keep-alive options of Node 20's global agent (keepAlive: true,
// timeout: 5000): Node 20's Agent only shortens an existing socket timeout to the server's hint
// minus 1 s, so an Agent without a timeout keeps idle sockets forever and ignores a hint above 1 s.
// fetch is undici: each slot gets an undici Agent of its own (the class of fetch's global
// dispatcher, with its defaults: keep-alive 4 s without a hint, the hint minus 2 s with one).
// Both send "Connection: keep-alive" on every request, which Tomcat answers with its own hint.
// agent-bare removes that header, as clients such as curl send none; it is not in bench/run's
// rows (see bench/README.md: on Tomcat it does not reproduce the race).
'use strict';

const http = require('node:http');
const net = require('node:net');
const fs = require('node:fs');

const POST_BODY = 'x'.repeat(69);

function options(argv) {
	const o = {};
	for (let i = 0; i < argv.length; i += 2) {
		if (!argv[i].startsWith('--') || i + 1 >= argv.length) {
			throw new Error(`expected --name value at ${argv[i]}`);
		}
		(o[argv[i].slice(2)] ??= []).push(argv[i + 1]);
	}
	return {
		str: (name, dflt) => (o[name] ? o[name][o[name].length - 1] : dflt),
		num: (name, dflt) => Number(o[name] ? o[name][o[name].length - 1] : dflt),
	};
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

// ------------------------------------------------------------------ probe

function probeOnce(port) {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let buffer = '';
		let responseEnd = null;
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error('the server kept the idle connection open for 60 s'));
		}, 60_000);
		socket.setEncoding('latin1');
		socket.on('connect', () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
		socket.on('data', (chunk) => {
			buffer += chunk;
			const head = buffer.indexOf('\r\n\r\n');
			const length = /content-length:\s*(\d+)/i.exec(buffer);
			if (responseEnd === null && head >= 0 && length && buffer.length >= head + 4 + Number(length[1])) {
				responseEnd = now();
			}
		});
		const closed = () => {
			clearTimeout(timer);
			if (responseEnd === null) {
				reject(new Error(`closed before a whole response: ${JSON.stringify(buffer.slice(0, 200))}`));
			}
			else {
				resolve(now() - responseEnd);
			}
		};
		socket.on('end', closed);
		socket.on('error', closed);
	});
}

async function probe(o) {
	const port = o.num('port');
	const samples = o.num('samples', 32);
	const results = await Promise.all(Array.from({ length: samples }, () => probeOnce(port)));
	results.sort((a, b) => a - b);
	const f = (v) => v.toFixed(2);
	console.log(`PROBE n=${results.length} min=${f(results[0])} p10=${f(percentile(results, 0.1))} `
		+ `median=${f(percentile(results, 0.5))} p90=${f(percentile(results, 0.9))} max=${f(results[results.length - 1])}`);
}

// ------------------------------------------------------------------ clients

// One request on the slot's own http.Agent. Resolves to { ok, status, reused, hint } or
// { ok: false, error }.
function agentRequest(slot, port, method, bare) {
	return new Promise((resolve) => {
		const request = http.request({ host: '127.0.0.1', port, path: '/', method, agent: slot.agent,
			headers: (method === 'POST') ? { 'content-type': 'text/plain', 'content-length': POST_BODY.length } : {} });
		if (bare) {
			// Node then sends no Connection header and still keeps the connection alive.
			request.removeHeader('connection');
		}
		request.on('response', (response) => {
			response.resume();
			response.on('end', () => resolve({ ok: response.statusCode === 200, status: response.statusCode,
				reused: request.reusedSocket, hint: response.headers['keep-alive'] }));
			response.on('error', (error) => resolve({ ok: false, error: errorCode(error) }));
		});
		request.on('error', (error) => resolve({ ok: false, error: errorCode(error), reused: request.reusedSocket }));
		request.end((method === 'POST') ? POST_BODY : undefined);
	});
}

async function fetchRequest(slot, port, method) {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/`, { method, dispatcher: slot.dispatcher,
			headers: (method === 'POST') ? { 'content-type': 'text/plain' } : {},
			body: (method === 'POST') ? POST_BODY : undefined });
		await response.text();
		return { ok: response.status === 200, status: response.status, hint: response.headers.get('keep-alive') };
	}
	catch (error) {
		return { ok: false, error: errorCode(error.cause ?? error) };
	}
}

function errorCode(error) {
	return String(error.code ?? error.message ?? error).replace(/[\s,=:]+/g, '_');
}

async function undiciAgentClass() {
	// fetch creates its global dispatcher, an undici Agent, on first use; Node 20 does not export
	// undici itself.
	await fetch('http://127.0.0.1:1/').catch(() => {});
	const dispatcher = globalThis[Symbol.for('undici.globalDispatcher.1')];
	if (!dispatcher) {
		throw new Error('fetch has no global undici dispatcher');
	}
	return dispatcher.constructor;
}

// ------------------------------------------------------------------ race

async function race(o) {
	const port = o.num('port');
	const requests = o.num('requests', 200);
	const slots = o.num('slots', 32);
	const aims = [o.num('aim-ms')];
	const aimFile = o.str('aim-file');
	if (aimFile && fs.existsSync(aimFile)) {
		aims.push(...fs.readFileSync(aimFile, 'utf8').split('\n').filter((l) => /^[0-9]/.test(l)).map(Number));
	}
	const early = o.num('window-early-ms', 15);
	const late = o.num('window-late-ms', 5);
	const learnSpread = o.num('learn-spread-ms', 0.75);
	const learnShare = o.num('learn-share', 0.8);
	const deadline = now() + o.num('max-seconds', 300) * 1000;
	const hits = [];
	const log = o.str('log') ? fs.createWriteStream(o.str('log')) : null;
	log?.write('client,method,slot,gap_ms,ok,error,reused,hint\n');

	const UndiciAgent = await undiciAgentClass();
	const combos = [];
	for (const client of o.str('clients', 'agent,fetch').split(',')) {
		if (!['agent', 'agent-bare', 'fetch'].includes(client)) {
			throw new Error(`unknown client ${client}`);
		}
		for (const method of ['GET', 'POST']) {
			combos.push({ client, method, sent: 0, ok: 0, reused: 0, hinted: 0, hints: new Set(), errors: new Map() });
		}
	}

	function nextGap() {
		if (hits.length > 0 && Math.random() < learnShare) {
			return hits[Math.floor(Math.random() * hits.length)] + (Math.random() * 2 - 1) * learnSpread;
		}
		return aims[Math.floor(Math.random() * aims.length)] - early + Math.random() * (early + late);
	}

	async function runSlot(combo, index) {
		const agent = combo.client.startsWith('agent');
		const slot = agent ? { agent: new http.Agent({ keepAlive: true, timeout: 5000, maxSockets: 1 }) }
			: { dispatcher: new UndiciAgent() };
		const send = agent ? () => agentRequest(slot, port, combo.method, combo.client === 'agent-bare')
			: () => fetchRequest(slot, port, combo.method);
		let warm = false;
		let end = 0;
		while (combo.sent < requests && now() < deadline) {
			if (!warm) {
				const result = await send();
				end = now();
				warm = result.ok;
				if (!warm) {
					await sleep(50);
				}
				continue;
			}
			const gap = nextGap();
			await sleep(end + gap - now());
			if (combo.sent >= requests) {
				break;
			}
			combo.sent++;
			const actualGap = now() - end;
			const result = await send();
			end = now();
			if (result.hint) {
				combo.hinted++;
				combo.hints.add(result.hint);
			}
			if (result.reused) {
				combo.reused++;
			}
			if (result.ok) {
				combo.ok++;
			}
			else {
				const kind = result.error ?? `status_${result.status}`;
				combo.errors.set(kind, (combo.errors.get(kind) ?? 0) + 1);
				if (result.error) {
					hits.push(actualGap);
				}
				warm = false;
			}
			log?.write(`${combo.client},${combo.method},${index},${actualGap.toFixed(3)},${result.ok},`
				+ `${result.error ?? ''},${result.reused ?? ''},${result.hint ?? ''}\n`);
		}
		slot.agent?.destroy();
		await slot.dispatcher?.close();
	}

	await Promise.all(combos.flatMap((combo) => Array.from({ length: slots }, (_, i) => runSlot(combo, i))));
	log?.end();
	if (o.str('hits-out')) {
		fs.writeFileSync(o.str('hits-out'), hits.map((h) => h.toFixed(3)).join('\n') + '\n');
	}
	for (const c of combos) {
		const errors = [...c.errors].map(([k, v]) => `${k}:${v}`).join(',') || '-';
		console.log(`RESULT client=${c.client} method=${c.method} requests=${c.sent} ok=${c.ok} failed=${c.sent - c.ok} `
			+ `reused=${c.client.startsWith('agent') ? c.reused : '-'} hinted=${c.hinted} hint=${[...c.hints].join('/') || '-'} `
			+ `errors=${errors}`);
	}
}

const command = process.argv[2];
const o = options(process.argv.slice(3));
(command === 'probe' ? probe(o) : command === 'race' ? race(o) : Promise.reject(new Error(`unknown command ${command}`)))
	.catch((error) => {
		console.error(error.stack ?? String(error));
		process.exit(2);
	});
