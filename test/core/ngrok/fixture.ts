// The world the ngrok setup tests run in: the sandbox's IdP (its issuer set to its URL, an application
// made through its management API with raw HTTP, as the person at the FusionAuth admin would) and its
// ngrok API behind a recording proxy, plus a fresh store per test.
import { mkdtempSync } from 'node:fs';
import { fusionauthCall } from '../../helpers/protected-setup';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Store } from '../../../src/core/store';
import { startIdp, type Idp } from '../../../src/sandbox/idp/index';
import { startNgrok, type NgrokSandbox } from '../../../src/sandbox/ngrok/index';
import { apiCall } from '../../sandbox/ngrok-helpers';
import { startApiProxy, type ApiProxy } from './proxy';

export interface World {
  idp: Idp;
  ngrok: NgrokSandbox;
  proxy: ApiProxy;
  raw: ReturnType<typeof apiCall>;
  app: { id: string; clientId: string; clientSecret: string };
  close(): Promise<void>;
}

export async function startWorld(options: { redirectUris?: string[] } = {}): Promise<World> {
  const [idp, ngrok] = await Promise.all([startIdp({}), startNgrok({ rateLimit: { max: 100_000, windowMs: 60_000 } })]);
  const proxy = await startApiProxy(ngrok.apiUrl);
  // Set Up FusionAuth, done by hand: the issuer is the URL; an application with the guide's grants.
  await fusionauthCall(idp, 'PATCH', `/api/tenant/${idp.tenantId}`, { tenant: { issuer: idp.url } });
  const { application } = await fusionauthCall(idp, 'POST', '/api/application', {
    application: {
      name: 'ngrok',
      oauthConfiguration: {
        enabledGrants: ['authorization_code', 'refresh_token'],
        authorizedRedirectURLs: options.redirectUris ?? [ngrok.redirectUri],
        clientAuthenticationPolicy: 'Required',
      },
    },
  });
  return {
    idp,
    ngrok,
    proxy,
    raw: apiCall(ngrok),
    app: {
      id: application.id,
      clientId: application.oauthConfiguration.clientId,
      clientSecret: application.oauthConfiguration.clientSecret,
    },
    async close() {
      await proxy.close();
      await Promise.all([ngrok.close(), idp.close()]);
    },
  };
}

/** A fresh store with what Set Up FusionAuth leaves behind. */
export function freshStore(world: World): Store {
  const store = Store.open(path.join(mkdtempSync(path.join(tmpdir(), 'ngrok-setup-')), 'config'));
  store.setValues({
    fusionauthUrl: world.idp.url,
    clientId: world.app.clientId,
    clientSecret: world.app.clientSecret,
    sitePort: 8000,
  });
  return store;
}
