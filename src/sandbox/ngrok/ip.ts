// CIDR parsing and matching for IP policies and the restrict-ips action, on node:net's BlockList.
import { BlockList, isIP } from 'node:net';

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `::1/128`, or a bare address (a single host). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (!version || rest.length > 0) return undefined;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export class CidrSet {
  private readonly list = new BlockList();
  private size = 0;

  constructor(cidrs: Iterable<string> = []) {
    for (const cidr of cidrs) this.add(cidr);
  }

  add(text: string): void {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`invalid CIDR ${text}`);
    this.list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    this.size++;
  }

  get empty(): boolean {
    return this.size === 0;
  }

  has(ip: string): boolean {
    // Sockets report IPv4 clients of a dual-stack listener as ::ffff:a.b.c.d.
    const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const version = isIP(plain);
    if (!version) return false;
    return this.list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }
}

/** ngrok's rule: allowed if it matches an allowed CIDR (or there are none) and no denied CIDR. */
export function ipAllowed(ip: string, allow: CidrSet, deny: CidrSet): boolean {
  if (deny.has(ip)) return false;
  return allow.empty || allow.has(ip);
}
