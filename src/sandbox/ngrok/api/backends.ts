// /backends/tunnel_group: the labels a labeled tunnel must carry to serve an edge route. `tunnels`
// lists the online tunnels whose labels match, so a client can see that the agent is connected.
import { errors } from '../errors';
import { newId } from '../ids';
import { nowRfc3339, type TunnelGroupBackend } from '../model';
import { created, noContent, ok, ref, type ApiDeps, mustGet } from './context';
import { paginate } from './paging';
import type { Router } from './router';
import { describe, optObject } from './validate';

const PATH = '/backends/tunnel_group';

/** Labels must be a non-empty string map; '=' in a key or value is ngrok's 6531. */
function checkLabels(raw: Record<string, unknown> | null | undefined): Record<string, string> {
  if (!raw || Object.keys(raw).length === 0)
    throw errors.invalid('A tunnel group backend requires at least one label.');
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw errors.invalid(`The label '${key}' must have a string value.`);
    if (key === '' || value === '')
      throw errors.invalid(`The label '${key}=${value}' must have a non-empty key and value.`);
    if (key.includes('=') || value.includes('=')) throw errors.labelEquals(`${key}=${value}`);
  }
  return raw as Record<string, string>;
}

export function backendRoutes(router: Router, { account, registry }: ApiDeps): void {
  const render = (backend: TunnelGroupBackend) => ({
    ...backend,
    tunnels: registry.byLabels(backend.labels).map((t) => ref('/tunnels', t.id)),
  });
  const find = (id: string) => mustGet(account.tunnelGroupBackends, id);

  router.add('POST', PATH, ({ body }) => {
    const { description, metadata } = describe(body);
    const labels = checkLabels(optObject(body, 'labels'));
    const id = newId('bkdtg');
    const backend: TunnelGroupBackend = {
      id,
      uri: `${PATH}/${id}`,
      created_at: nowRfc3339(),
      description: description ?? '',
      metadata: metadata ?? '',
      labels,
    };
    account.tunnelGroupBackends.set(id, backend);
    return created(render(backend));
  });

  router.add('GET', PATH, ({ query }) => {
    const reply = paginate(account.tunnelGroupBackends.values(), query, PATH, 'backends');
    const body = reply.body as { backends: TunnelGroupBackend[] };
    body.backends = body.backends.map(render);
    return reply;
  });
  router.add('GET', `${PATH}/{id}`, ({ params }) => ok(render(find(params.id!))));

  router.add('PATCH', `${PATH}/{id}`, ({ params, body }) => {
    const backend = find(params.id!);
    const { description, metadata } = describe(body);
    const labels = optObject(body, 'labels');
    if (labels !== undefined) backend.labels = checkLabels(labels);
    if (description !== undefined) backend.description = description;
    if (metadata !== undefined) backend.metadata = metadata;
    return ok(render(backend));
  });

  router.add('DELETE', `${PATH}/{id}`, ({ params }) => {
    account.tunnelGroupBackends.delete(find(params.id!).id);
    return noContent;
  });
}
