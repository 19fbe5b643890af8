// Preloaded (NODE_OPTIONS=--import) into CLI processes that talk to a sandbox started by the test
// rather than their own: there nothing maps the sandbox's public ngrok hostnames to loopback, so the
// first lookup of one (Test It Out probing https://NAME.ngrok-free.app) would go to the real DNS.
// This refuses every name but loopback ones at once, the way an offline machine does, so the
// process fails fast and nothing leaves this machine, not even a DNS query.
import dns from 'node:dns';

const local = (host) => host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
const refuse = (host) =>
  Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (no-internet.mjs: only loopback in tests)`), {
    code: 'ENOTFOUND',
    hostname: host,
    syscall: 'getaddrinfo',
  });

const lookup = dns.lookup;
dns.lookup = function guardedLookup(host, ...rest) {
  if (local(String(host))) return lookup.call(this, host, ...rest);
  const callback = rest.at(-1);
  process.nextTick(callback, refuse(host));
  return undefined;
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(host, ...rest) {
  if (local(String(host))) return promisesLookup.call(this, host, ...rest);
  throw refuse(host);
};
