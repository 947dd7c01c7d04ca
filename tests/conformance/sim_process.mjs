// Starts the ttads-tiktok-sim binary for one test run on a free port below
// the kernel's ephemeral range (as scripts/free_ports.sh picks them, so it
// cannot collide with a port handed out to an outgoing connection), waits
// until it listens, and stops it again.
//
//   const sim = await startSim('/path/to/ttads-tiktok-sim');
//   sim.root      "http://127.0.0.1:<port>"
//   await sim.control('POST', '/_sim/auth_codes', {advertiser_ids: [...]});
//   await sim.stop();

import {spawn} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

function portRange() {
  let high = 32000;
  try {
    const low = Number(
        fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
            .trim().split(/\s+/)[0]);
    if (low > 12000) high = low;
  } catch {
    // Not Linux: keep the default range.
  }
  return [10000, high];
}

function portTaken(port) {
  return new Promise((resolve) => {
    const s = net.connect({host: '127.0.0.1', port});
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function tryStart(binary, port, args) {
  return new Promise((resolve) => {
    const child = spawn(
        binary,
        ['--address=127.0.0.1', `--port=${port}`, '--seed=demo',
         '--tier=unlimited', ...args],
        {stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    const done = (ok) => {
      child.stdout.removeAllListeners('data');
      resolve(ok ? child : null);
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('listening on')) done(true);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.once('exit', () => done(false));
  });
}

export async function startSim(binary, args = []) {
  const [low, high] = portRange();
  for (let attempt = 0; attempt < 20; ++attempt) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await portTaken(port)) continue;
    const child = await tryStart(binary, port, args);
    if (!child) continue;  // Lost a race for the port: pick another.
    const root = `http://127.0.0.1:${port}`;
    return {
      root,
      port,
      async control(method, path, body) {
        const r = await fetch(root + path, {
          method,
          headers: {'Content-Type': 'application/json'},
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await r.text();
        if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
        return text;
      },
      stop() {
        return new Promise((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      },
    };
  }
  throw new Error(`could not start ${binary} on a free port`);
}
