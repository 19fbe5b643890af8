// Two config folders set up on one account (one sandbox, as two people or two checkouts would share a
// FusionAuth and an ngrok account): each setup owns what it created and only that. The second finds
// the first's application and domain carrying the tool's mark with another setup id: a question
// (`--no-input`: exit 1 naming the flags), never adopted silently; with --create-new it makes its
// own, with --use-existing it uses the first's and records none of it; its `destroy` leaves the first
// site working.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store';
import { startSandbox, type Sandbox } from '../../src/sandbox/index';
import { runCli, tempDir } from '../helpers/cli';
import { unusedPort } from '../helpers/ports';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ dataDir: tempDir('nf-shared-sandbox-') });
});
afterAll(async () => {
  await sandbox?.close();
});

/** The CLI pointed at the shared sandbox, as the export lines of `ngrok-fusionauth sandbox` point it. */
const cli = (dir: string, args: string[], timeout = 90_000) =>
  runCli(['--config-dir', dir, ...args], { env: sandbox.env, timeout });

async function setup(dir: string, ...extra: string[]) {
  return cli(dir, [
    'setup',
    '--no-input',
    '--ngrok-mode',
    'endpoint',
    '--site-dir',
    path.join(dir, 'site'),
    '--port',
    String(await unusedPort()),
    ...extra,
  ]);
}

const fusionauth = (pathname: string) =>
  fetch(`${sandbox.fusionauth.url}${pathname}`, { headers: { authorization: sandbox.fusionauth.apiKey } });
const ngrok = (pathname: string) =>
  fetch(`${sandbox.ngrok.apiUrl}${pathname}`, {
    headers: { authorization: `Bearer ${sandbox.ngrok.apiKey}`, 'ngrok-version': '2' },
  });

/** Every recorded object of a store, as `kind id`. */
const objectsOf = (dir: string) => (Store.open(dir).created.objects ?? []).map((o) => `${o.kind} ${o.id}`);

/** Whether the service still has the object (200) or not (404). */
async function exists(object: string): Promise<number> {
  const [kind, id] = object.split(' ');
  const paths: Record<string, string> = {
    'fusionauth-application': `/api/application/${id}`,
    'ngrok-reserved-domain': `/reserved_domains/${id}`,
    'ngrok-cloud-endpoint': `/endpoints/${id}`,
    'ngrok-vault': `/vaults/${id}`,
    'ngrok-vault-secret': `/vault_secrets/${id}`,
  };
  const response = kind!.startsWith('fusionauth') ? await fusionauth(paths[kind!]!) : await ngrok(paths[kind!]!);
  return response.status;
}

describe('two setups on one account', () => {
  it("the second neither takes nor deletes the first's objects: asked, then its own with --create-new, or the first's used and left with --use-existing", async () => {
    const first = tempDir('nf-first-');
    const made = await setup(first);
    expect(made.exitCode, made.stdout + made.stderr).toBe(0);
    const firstObjects = objectsOf(first);
    // The sandbox account comes with one domain, as a Free ngrok account does: used, not reserved.
    // Endpoint mode keeps the client secret in an ngrok vault: the vault and its secret are the setup's too.
    expect(firstObjects.map((o) => o.split(' ')[0]).sort()).toEqual([
      'fusionauth-application',
      'ngrok-cloud-endpoint',
      'ngrok-vault',
      'ngrok-vault-secret',
    ]);
    const firstUrl = Store.open(first).values.endpointUrl!;

    // Without a word from the person: exit 1, one sentence naming whose it is and the flags that choose.
    const second = tempDir('nf-second-');
    const asked = await setup(second);
    expect(asked.exitCode, asked.stdout + asked.stderr).toBe(1);
    expect(asked.stderr).toContain(`is owned by another setup of this tool in ${first}`);
    expect(asked.stderr).toContain('--use-existing');
    expect(asked.stderr).toContain('--create-new');
    expect(Store.open(second).created.objects ?? []).toEqual([]);

    // --create-new: its own application; but a second endpoint cannot share the first's URL, which says so.
    const sameUrl = await setup(second, '--create-new');
    expect(sameUrl.exitCode, sameUrl.stdout + sameUrl.stderr).toBe(1);
    expect(sameUrl.stdout).toContain(
      `The cloud endpoint at ${firstUrl} is owned by another setup of this tool in ${first}, and a second one cannot share it.`,
    );
    expect(sameUrl.stdout).toContain('Give this setup another domain (edit the Domain, or --url)');
    // With a domain of its own: its own application, domain and endpoint, none of the first's.
    const own = await setup(second, '--create-new', '--url', 'https://second-setup.ngrok.app');
    expect(own.exitCode, own.stdout + own.stderr).toBe(0);
    const secondObjects = objectsOf(second);
    // Application, domain, endpoint, vault and secret.
    expect(secondObjects).toHaveLength(5);
    expect(secondObjects.filter((o) => firstObjects.includes(o))).toEqual([]);
    expect(Store.open(second).values.domain).not.toBe(Store.open(first).values.domain);

    // --use-existing: the first's application, domain and endpoint serve a third setup, which records none of them.
    const third = tempDir('nf-third-');
    const shared = await setup(third, '--use-existing', '--url', firstUrl);
    expect(shared.exitCode, shared.stdout + shared.stderr).toBe(0);
    expect(Store.open(third).values.domain).toBe(Store.open(first).values.domain);
    expect(Store.open(third).values.clientId).toBe(Store.open(first).values.clientId);
    expect(objectsOf(third)).toEqual([]);

    // Their destroys delete what each made, and nothing of the first's.
    for (const dir of [second, third]) {
      const gone = await cli(dir, ['destroy', '--yes']);
      expect(gone.exitCode, gone.stdout + gone.stderr).toBe(0);
      for (const object of firstObjects) expect(gone.stdout).not.toContain(object.split(' ')[1]);
    }
    for (const object of secondObjects) expect(await exists(object), object).toBe(404);
    for (const object of firstObjects) expect(await exists(object), object).toBe(200);

    // And the first site still works: its login guards it end to end.
    const verify = await cli(first, ['verify']);
    expect(verify.exitCode, verify.stdout + verify.stderr).toBe(0);
  });
});
