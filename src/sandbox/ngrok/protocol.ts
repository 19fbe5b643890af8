// The wire protocol between the agent stand-in and the sandbox cloud (dependency-free: the agent
// bundle imports it).
//
// 1. The agent starts a local forwarder (HTTP on 127.0.0.1:random) and its web service.
// 2. It registers: POST http://{server_addr}/_sandbox/agent/session
//      Authorization: Bearer <authtoken>   (absent when none is configured)
//      body: RegisterRequest (JSON)
//    Refused → a 4xx JSON RegisterError ({error_code, msg, tunnel?}); the agent logs it and exits 1.
//    Accepted → 200, `application/x-ndjson`, and the response stays open: first a SessionMessage
//    line, then a HeartbeatMessage line every heartbeat_ms. The open request *is* the session: when
//    the agent goes away the cloud sees the connection close and takes its tunnels offline; when the
//    cloud goes away (or heartbeats stop) the agent logs "failed to reconnect session" and retries.
// 3. The cloud forwards each request for one of the agent's tunnels to the forwarder, with the
//    tunnel id in the TUNNEL_HEADER header; the agent proxies it to that tunnel's upstream address.

export const SESSION_PATH = '/_sandbox/agent/session';
export const PUBLIC_URLS_PATH = '/_sandbox/public-urls';
/**
 * POST with the account's authtoken (Bearer): the cloud drops every agent session at once, the way a
 * network outage or a restart of ngrok's servers does; the agents go through their reconnect loop.
 */
export const DROP_SESSIONS_PATH = '/_sandbox/agent/drop';
export const TUNNEL_HEADER = 'ngrok-sandbox-tunnel-id';
export const AGENT_VERSION = '3.36.0';

export interface TunnelSpec {
  /** `command_line` for tunnels from the command line, as in ngrok. */
  name: string;
  /** "http" for `ngrok http`; absent for `ngrok tunnel` (labeled). */
  proto?: 'http';
  /** The upstream, normalised like ngrok's `addr` (http://localhost:8000). */
  addr: string;
  labels?: Record<string, string>;
  url?: string;
  traffic_policy?: string;
  pooling_enabled?: boolean;
}

export interface RegisterRequest {
  agent_version: string;
  forward_url: string;
  region?: string;
  tunnels: TunnelSpec[];
}

export interface RegisterError {
  error_code?: string;
  msg: string;
  /** The tunnel that was refused, when the error is about one tunnel. */
  tunnel?: string;
}

export interface RegisteredTunnel {
  name: string;
  id: string;
  /** The endpoint URL (agent endpoints) or the first edge URL the labels serve (labeled tunnels). */
  url?: string;
  labels?: Record<string, string>;
  addr: string;
}

export interface SessionMessage {
  type: 'session';
  session_id: string;
  region: string;
  heartbeat_ms: number;
  tunnels: RegisteredTunnel[];
}

export interface HeartbeatMessage {
  type: 'heartbeat';
}

export type CloudMessage = SessionMessage | HeartbeatMessage;
