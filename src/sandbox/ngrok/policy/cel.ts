// A deliberately small subset of CEL, enough for the routing expressions a guide-sized policy uses:
//   req.url.path.startsWith('/admin') && req.method == 'GET'
//   !(conn.client_ip in ['10.0.0.1', '10.0.0.2'])
// Anything outside the subset is a compile error, so a policy the sandbox cannot evaluate exactly is
// refused when it is created rather than half-applied at request time.

export interface CelRequest {
  method: string;
  path: string;
  query: string;
  host: string;
  clientIp: string;
}

export type Predicate = (req: CelRequest) => boolean;
type StringExpr = (req: CelRequest) => string;

const VARIABLES: Record<string, StringExpr> = {
  'req.method': (r) => r.method,
  'req.url.path': (r) => r.path,
  'req.url.query': (r) => r.query,
  'req.url.host': (r) => r.host,
  'req.host': (r) => r.host,
  'conn.client_ip': (r) => r.clientIp,
};

const METHODS: Record<string, (a: string, b: string) => boolean> = {
  startsWith: (a, b) => a.startsWith(b),
  endsWith: (a, b) => a.endsWith(b),
  contains: (a, b) => a.includes(b),
};

export class CelError extends Error {}

type Token = { kind: 'ident' | 'string' | 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      let value = '';
      i++;
      while (i < source.length && source[i] !== ch) {
        if (source[i] === '\\') {
          const next = source[i + 1];
          if (next !== ch && next !== '\\') throw new CelError(`unsupported escape in string literal at ${i}`);
          value += next;
          i += 2;
        } else value += source[i++];
      }
      if (i >= source.length) throw new CelError('unterminated string literal');
      i++;
      tokens.push({ kind: 'string', value });
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i))!;
      tokens.push({ kind: 'ident', value: match[0] });
      i += match[0].length;
    } else {
      const two = source.slice(i, i + 2);
      if (['&&', '||', '==', '!='].includes(two)) {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if ('!()[],'.includes(ch)) {
        tokens.push({ kind: 'op', value: ch });
        i++;
      } else throw new CelError(`unsupported character '${ch}' at ${i}`);
    }
  }
  return tokens;
}

/** Compiles one expression to a predicate, or throws CelError naming what is unsupported. */
export function compileCel(source: string): Predicate {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (value?: string): Token => {
    const token = tokens[pos];
    if (!token || (value !== undefined && token.value !== value)) {
      throw new CelError(
        `expected ${value ?? 'a value'} at token ${pos + 1}${token ? ` ('${token.value}')` : ' (end)'}`,
      );
    }
    pos++;
    return token;
  };

  const stringOperand = (): StringExpr => {
    const token = take();
    if (token.kind === 'string') return () => token.value;
    if (token.kind === 'ident') {
      const variable = VARIABLES[token.value];
      if (!variable) throw new CelError(`unsupported variable '${token.value}'`);
      return variable;
    }
    throw new CelError(`unexpected '${token.value}'`);
  };

  const comparison = (): Predicate => {
    const token = peek();
    if (token?.kind === 'ident' && (token.value === 'true' || token.value === 'false')) {
      pos++;
      const value = token.value === 'true';
      return () => value;
    }
    if (token?.kind === 'ident' && tokens[pos + 1]?.value === '(') {
      // receiver.method('literal')
      const dot = token.value.lastIndexOf('.');
      const receiver = VARIABLES[token.value.slice(0, dot)];
      const method = METHODS[token.value.slice(dot + 1)];
      if (dot < 0 || !receiver || !method) throw new CelError(`unsupported call '${token.value}(…)'`);
      pos += 2;
      const arg = take();
      if (arg.kind !== 'string') throw new CelError(`${token.value}() takes a string literal`);
      take(')');
      return (req) => method(receiver(req), arg.value);
    }
    const left = stringOperand();
    const op = peek();
    if (op?.value === '==' || op?.value === '!=') {
      pos++;
      const right = stringOperand();
      return op.value === '==' ? (req) => left(req) === right(req) : (req) => left(req) !== right(req);
    }
    if (op?.kind === 'ident' && op.value === 'in') {
      pos++;
      take('[');
      const items: string[] = [];
      while (peek()?.value !== ']') {
        const item = take();
        if (item.kind !== 'string') throw new CelError('list items must be string literals');
        items.push(item.value);
        if (peek()?.value === ',') pos++;
      }
      take(']');
      return (req) => items.includes(left(req));
    }
    throw new CelError('a string is not a condition: compare it with == or != or call startsWith/endsWith/contains');
  };

  const unary = (): Predicate => {
    if (peek()?.value === '!') {
      pos++;
      const inner = unary();
      return (req) => !inner(req);
    }
    if (peek()?.value === '(') {
      pos++;
      const inner = or();
      take(')');
      return inner;
    }
    return comparison();
  };

  const and = (): Predicate => {
    let left = unary();
    while (peek()?.value === '&&') {
      pos++;
      const l = left;
      const r = unary();
      left = (req) => l(req) && r(req);
    }
    return left;
  };

  function or(): Predicate {
    let left = and();
    while (peek()?.value === '||') {
      pos++;
      const l = left;
      const r = and();
      left = (req) => l(req) || r(req);
    }
    return left;
  }

  if (tokens.length === 0) throw new CelError('empty expression');
  const predicate = or();
  if (pos !== tokens.length) throw new CelError(`unexpected '${tokens[pos]!.value}' after the expression`);
  return predicate;
}
