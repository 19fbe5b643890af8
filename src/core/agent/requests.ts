// The agent's local API (https://ngrok.com/docs/agent/api/): the requests it saw (`GET
// /api/requests/http`: method, path, status and time, newest first), and how many tunnels it serves
// (`/api/tunnels`, and `/api/endpoints` of agents from 3.30.0, https://ngrok.com/docs/agent/changelog).
// The API is optional (`web_addr: false` in the agent's config, https://ngrok.com/docs/agent/config/v3/),
// so an unreachable one is a state to show, not an error.
import { httpGet } from '../http';

export interface AgentRequest {
  id: string;
  method: string;
  path: string;
  /** Undefined while the response has not come back. */
  status?: number;
  /** ISO time the request started. */
  start: string;
  durationMs: number;
}

interface CapturedRequest {
  id?: unknown;
  start?: unknown;
  duration?: unknown;
  request?: { method?: unknown; uri?: unknown };
  response?: { status_code?: unknown } | null;
}

export async function fetchAgentRequests(
  webAddr: string,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<AgentRequest[]> {
  const response = await httpGet(`http://${webAddr}/api/requests/http?limit=${options.limit ?? 50}`, {
    signal: options.signal,
    timeoutMs: 2000,
    headers: { accept: 'application/json' },
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`the agent API answered HTTP ${response.status}`);
  }
  const body = (await response.json()) as { requests?: CapturedRequest[] };
  return (body.requests ?? []).flatMap((r) => {
    if (typeof r.id !== 'string') return [];
    const status = r.response && typeof r.response.status_code === 'number' ? r.response.status_code : undefined;
    return [
      {
        id: r.id,
        method: typeof r.request?.method === 'string' ? r.request.method : '?',
        path: typeof r.request?.uri === 'string' ? r.request.uri : '?',
        status,
        start: typeof r.start === 'string' ? r.start : '',
        // ngrok reports nanoseconds.
        durationMs: typeof r.duration === 'number' ? Math.round(r.duration / 1e6) : 0,
      },
    ];
  });
}

/**
 * How many tunnels and endpoints the agent says it serves: pyngrok trusts the log lines only once the
 * agent's `/api/tunnels` answers too (NgrokProcess.healthy(),
 * https://github.com/alexdlaird/pyngrok/blob/main/pyngrok/process.py). Undefined when it does not answer.
 */
export async function fetchAgentTunnelCount(webAddr: string, signal?: AbortSignal): Promise<number | undefined> {
  const count = async (path: string, key: 'tunnels' | 'endpoints') => {
    try {
      const response = await httpGet(`http://${webAddr}${path}`, {
        signal,
        timeoutMs: 2000,
        headers: { accept: 'application/json' },
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        return undefined;
      }
      const list = ((await response.json()) as Record<string, unknown>)[key];
      return Array.isArray(list) ? list.length : undefined;
    } catch {
      return undefined;
    }
  };
  const tunnels = await count('/api/tunnels', 'tunnels');
  // An agent that lists its endpoints apart (3.30.0 on) may list none of them under /api/tunnels.
  return tunnels ? tunnels : ((await count('/api/endpoints', 'endpoints')) ?? tunnels);
}
