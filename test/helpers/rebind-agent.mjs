// Stands in for an ngrok agent whose session drops and comes back, where what its local API says
// afterwards is the point: it serves /api/tunnels on 127.0.0.1 (NGROK_REBIND_TUNNELS tunnels once the
// session is back; 1 before), prints the agent's startup lines and ngrok-go's reconnect sequence in
// the json log format, and stays up until SIGTERM. Arguments (the agent's) are ignored.
import { createServer } from 'node:http';

const after = Number(process.env.NGROK_REBIND_TUNNELS ?? 1);
let tunnels = 1;
const now = () => new Date().toISOString().replace('Z', '+0000');
const say = (lvl, msg, fields = {}) => process.stdout.write(`${JSON.stringify({ t: now(), lvl, msg, ...fields })}\n`);
const tunnel = {
  name: 'command_line',
  public_url: 'https://rebind.internal',
  config: { addr: 'http://localhost:8000' },
};

const server = createServer((req, res) => {
  const body = req.url?.startsWith('/api/tunnels')
    ? { tunnels: Array.from({ length: tunnels }, () => tunnel), uri: '/api/tunnels' }
    : req.url?.startsWith('/api/endpoints')
      ? { endpoints: [] }
      : { requests: [] };
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
process.on('SIGTERM', () => process.exit(0));

const csess = { obj: 'csess', id: '70ac8594a6f5' };
say('info', 'starting web service', { obj: 'web', addr: `127.0.0.1:${server.address().port}` });
say('info', 'tunnel session started', { obj: 'tunnels.session' });
say('info', 'client session established', csess);
say('info', 'started tunnel', {
  obj: 'tunnels',
  name: 'command_line',
  addr: 'http://localhost:8000',
  url: tunnel.public_url,
});
await new Promise((r) => setTimeout(r, 300));
tunnels = after;
say('eror', 'session closed, starting reconnect loop', { ...csess, err: 'read EOF from remote peer' });
say('eror', 'failed to reconnect session', { ...csess, err: 'dial tcp: i/o timeout' });
say('dbug', 'sleep before reconnect', { ...csess, secs: 0 });
say('info', 'tunnel session started', { obj: 'tunnels.session' });
say('info', 'client session established', csess);
say('info', 'rebound');
