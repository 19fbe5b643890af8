// CEL interpolation (`${…}`) in action config values, limited to plain variable references: the
// values a "next steps" header rule needs (the signed-in user's email, the client IP).
import { CelError, type CelRequest } from './cel';

export interface Identity {
  id: string;
  email: string;
  name: string;
  providerUserId: string;
}

export interface TemplateContext extends CelRequest {
  identity?: Identity;
}

export type Template = (ctx: TemplateContext) => string;

const VARIABLES: Record<string, (ctx: TemplateContext) => string> = {
  'req.method': (c) => c.method,
  'req.url.path': (c) => c.path,
  'req.url.host': (c) => c.host,
  'req.host': (c) => c.host,
  'conn.client_ip': (c) => c.clientIp,
  'actions.ngrok.oidc.identity.id': (c) => c.identity?.id ?? '',
  'actions.ngrok.oidc.identity.email': (c) => c.identity?.email ?? '',
  'actions.ngrok.oidc.identity.name': (c) => c.identity?.name ?? '',
  'actions.ngrok.oidc.identity.provider_user_id': (c) => c.identity?.providerUserId ?? '',
};

export function compileTemplate(text: string): Template {
  const parts: Array<string | ((ctx: TemplateContext) => string)> = [];
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${');
    if (start < 0) break;
    const end = rest.indexOf('}', start);
    if (end < 0) throw new CelError(`unterminated interpolation in '${text}'`);
    const name = rest.slice(start + 2, end).trim();
    const variable = VARIABLES[name];
    if (!variable) throw new CelError(`unsupported interpolation '\${${name}}'`);
    parts.push(rest.slice(0, start), variable);
    rest = rest.slice(end + 1);
  }
  parts.push(rest);
  return (ctx) => parts.map((p) => (typeof p === 'string' ? p : p(ctx))).join('');
}

export function hasInterpolation(text: string): boolean {
  return text.includes('${');
}

/** A `secrets.get(vault, name)` reference: the vault and the secret it names. */
export interface SecretRef {
  vault: string;
  name: string;
}

// `${secrets.get("vault-name", "secret-name")}`, with single or double quotes: the macro of
// https://ngrok.com/docs/traffic-policy/secrets/ ("Reference secrets in your Traffic Policy using the
// `secrets.get()` macro"), written inside CEL interpolation as the docs' examples write it
// (`"${secrets.get('my-vault', 'password')}"`). Only a whole value that is one such reference is read.
const SECRET_REF = /^\$\{\s*secrets\.get\(\s*(['"])([^'"\\]+)\1\s*,\s*(['"])([^'"\\]+)\3\s*\)\s*\}$/;

/** The secret a config value refers to when the value is exactly one `${secrets.get(…)}`; else undefined. */
export function secretRef(text: string): SecretRef | undefined {
  const m = SECRET_REF.exec(text.trim());
  return m ? { vault: m[2]!, name: m[4]! } : undefined;
}
