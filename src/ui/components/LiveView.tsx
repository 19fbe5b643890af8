// The agent, live: a status line, the log as it streams (bounded ring buffer, coloured by level,
// filtered by level and text, paused and resumed), the requests the agent saw, and keys to open,
// copy and show the URL as a QR code. Lines go into the buffer without React; the view re-renders at
// most every `throttleMs` (and on a key), so a flood of lines never starves the keyboard.
// useLiveView gives a screen the view's parts and its keymap; Test It Out puts its own checks and
// keys around them, and LiveView (the `tunnel` command) draws them as they are.
import { Box, Text, useStdout, useWindowSize } from 'ink';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AgentStatus } from '../../core/agent';
import { LEVEL_RANK, LOG_LEVELS, type AgentLogLine, type LogLevel } from '../../core/agent';
import type { AgentRequest } from '../../core/agent';
import { RingBuffer } from '../../core/agent';
import { osc52 } from '../clipboard';
import type { KeyBinding } from '../keymap';
import { qrFits } from '../layout/fit';
import { useBodySize } from '../layout/shell-context';
import { qrLines } from '../qr';
import { LogView } from './LogView';
import { RequestsTable } from './RequestsTable';
import { Screen } from './Screen';
import { PublisherLine, StatusLine } from './StatusLine';

/** What the view watches: the supervisor (AgentSupervisor implements it). */
export interface LiveSource {
  readonly status: AgentStatus;
  readonly recentRequests: readonly AgentRequest[];
  readonly commandLine: string;
  onLine(listener: (line: AgentLogLine) => void): () => void;
  onStatus(listener: (status: AgentStatus) => void): () => void;
}

export interface LiveOptions {
  source: LiveSource;
  /** The agent that publishes FusionAuth (core/tunnel/publisher.ts): its state on a line, its log lines in the log. */
  publisher?: LiveSource;
  /** How this machine reaches the public URL (the sandbox's loopback); default the URL itself. */
  reach?(url: string): string | undefined;
  /** Rows for the log; by default what the screen's body leaves (`reserved` rows taken off). */
  logRows?: number;
  requestRows?: number;
  /** Body rows the screen uses around the view (its checks), when the log is sized to the body. */
  reserved?: number;
  onQuit(): void;
  /** Opens a URL in the browser; the `open` package by default. */
  openUrl?(url: string): Promise<unknown>;
}

export interface Live {
  /** The view's keys; while the filter is typed, only the filter's. */
  keys: KeyBinding[];
  /** The text filter has the keyboard. */
  typing: boolean;
  /** The status line and the last note: always on screen. */
  status: ReactNode;
  /** The command line, the log (or the QR code) and the requests: in the screen's body. */
  body: ReactNode;
}

const FILTER_LEVELS: readonly LogLevel[] = LOG_LEVELS.slice(0, 4);
/** Lines kept for scrolling back and filtering. */
const BUFFER_LINES = 2000;
/** Data changes show at most this often (≤ 10 renders a second under any log rate). */
const THROTTLE_MS = 100;
/** The body's rows besides the log: command line, blank, log heading, blank, requests heading. */
const LOG_FRAME_ROWS = 5;

/** The `open` package, loaded on the first `o` (it brings child_process and browser detection). */
const openInBrowser = async (url: string) => (await import('open')).default(url);

const isLoopback = (url: string) => {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

export function useLiveView({
  source,
  publisher,
  reach,
  logRows,
  requestRows = 3,
  reserved = 0,
  onQuit,
  openUrl = openInBrowser,
}: LiveOptions): Live {
  const { stdout } = useStdout();
  const buffer = useMemo(() => new RingBuffer<AgentLogLine>(BUFFER_LINES), []);
  const dirty = useRef(true);
  const [now, setNow] = useState(() => Date.now());
  const [minLevel, setMinLevel] = useState<LogLevel>('dbug');
  const [filter, setFilter] = useState('');
  const [typing, setTyping] = useState(false);
  const [paused, setPaused] = useState<{ at: number; lines: AgentLogLine[] } | undefined>();
  const [qr, setQr] = useState<{ url: string; lines: string[] } | undefined>();
  const [note, setNote] = useState<string | undefined>();

  useEffect(() => {
    const offLine = source.onLine((line) => {
      buffer.push(line);
      dirty.current = true;
    });
    const offStatus = source.onStatus(() => {
      dirty.current = true;
    });
    const offPublisher = [
      publisher?.onLine((line) => {
        buffer.push(line);
        dirty.current = true;
      }),
      publisher?.onStatus(() => {
        dirty.current = true;
      }),
    ];
    // The one render clock: data changes show at most every THROTTLE_MS; uptime ticks each second.
    let lastSecond = Math.floor(Date.now() / 1000);
    const timer = setInterval(() => {
      const second = Math.floor(Date.now() / 1000);
      if (dirty.current || second !== lastSecond) {
        dirty.current = false;
        lastSecond = second;
        setNow(Date.now());
      }
    }, THROTTLE_MS);
    return () => {
      offLine();
      offStatus();
      for (const off of offPublisher) off?.();
      clearInterval(timer);
    };
  }, [source, publisher, buffer]);

  // One moment for the whole frame: the status line, the log and the requests are what they were at
  // this render of the clock above. The body also renders on its own (when its size is measured), and
  // reading the live buffer then would show lines whose effect on the status is not drawn yet (a log
  // ending in "started tunnel" above "◌ starting").
  const status = source.status;
  const seenTotal = buffer.total;
  const requests = source.recentRequests;
  const publicUrl = status.state.kind === 'online' ? status.state.url : status.publicUrl;
  const localUrl = publicUrl ? reach?.(publicUrl) : undefined;
  // Open, copy and QR only once the agent serves it: before that the URL shows ngrok's offline page.
  const target = status.state.kind === 'online' ? (localUrl ?? publicUrl) : undefined;
  const noUrl = () => setNote('No URL yet: wait until the agent is online.');

  const open = () => {
    if (!target) return noUrl();
    setNote(`Opening ${target} in your browser…`);
    openUrl(target).then(
      () => setNote(`Opened ${target} in your browser.`),
      (error: unknown) =>
        setNote(
          `Could not open a browser (${error instanceof Error ? error.message : String(error)}): copy the URL instead.`,
        ),
    );
  };
  const copy = () => {
    if (!target) return noUrl();
    stdout.write(osc52(target));
    setNote(`Copied ${target} (through your terminal, OSC 52; if it does not paste, select the URL above).`);
  };
  const toggleQr = () => {
    if (qr) return setQr(undefined);
    if (!target) return noUrl();
    qrLines(target).then(
      (lines) => setQr({ url: target, lines }),
      (error: unknown) => setNote(`No QR code: ${error instanceof Error ? error.message : String(error)}`),
    );
  };

  const keys: KeyBinding[] = typing
    ? [
        { key: 'enter', label: 'apply filter', run: () => setTyping(false) },
        {
          key: 'esc',
          label: 'clear filter',
          run: () => {
            setFilter('');
            setTyping(false);
          },
        },
        { key: 'backspace', label: 'delete a character', minor: true, run: () => setFilter((f) => f.slice(0, -1)) },
        { key: 'text', label: 'type the filter', run: (_key, text) => setFilter((f) => f + text) },
      ]
    : [
        { key: 'o', label: 'open', run: open },
        { key: 'c', label: 'copy URL', run: copy },
        { key: 'm', label: qr ? 'hide QR' : 'QR code', run: toggleQr },
        {
          key: ['p', 'space'],
          label: paused ? 'resume' : 'pause',
          run: () => setPaused((p) => (p ? undefined : { at: buffer.total, lines: buffer.toArray() })),
        },
        {
          key: 'l',
          label: 'level',
          run: () => setMinLevel((level) => FILTER_LEVELS[(FILTER_LEVELS.indexOf(level) + 1) % FILTER_LEVELS.length]!),
        },
        { key: '/', label: 'filter', run: () => setTyping(true) },
        { key: 'esc', label: 'clear filter', when: Boolean(filter), run: () => setFilter('') },
        { key: 'q', label: 'quit', run: onQuit },
      ];

  return {
    keys,
    typing,
    status: (
      <Box flexDirection="column">
        <StatusLine status={status} now={now} localUrl={localUrl} />
        {publisher ? <PublisherLine status={publisher.status} /> : null}
        {note ? (
          <Text color="magenta" wrap="truncate-end">
            {note}
          </Text>
        ) : null}
      </Box>
    ),
    body: (
      <LiveBody
        commandLine={source.commandLine}
        requests={requests}
        webReachable={status.webReachable}
        buffer={buffer}
        seenTotal={seenTotal}
        minLevel={minLevel}
        filter={filter}
        typing={typing}
        paused={paused}
        qr={qr}
        logRows={logRows}
        requestRows={requestRows}
        reserved={reserved}
      />
    ),
  };
}

interface LiveBodyProps {
  commandLine: string;
  requests: LiveSource['recentRequests'];
  webReachable: AgentStatus['webReachable'];
  buffer: RingBuffer<AgentLogLine>;
  /** The buffer's total at the render the status line shows: lines after it wait for the next one. */
  seenTotal: number;
  minLevel: LogLevel;
  filter: string;
  typing: boolean;
  paused?: { at: number; lines: AgentLogLine[] };
  qr?: { url: string; lines: string[] };
  logRows?: number;
  requestRows: number;
  reserved: number;
}

function LiveBody({
  commandLine,
  requests,
  webReachable,
  buffer,
  seenTotal,
  minLevel,
  filter,
  typing,
  paused,
  qr,
  logRows,
  requestRows,
  reserved,
}: LiveBodyProps) {
  const body = useBodySize();
  const window = useWindowSize();
  if (qr) return <QrCode qr={qr} body={body} window={window} />;

  const rows = logRows ?? Math.max(3, body.rows - reserved - LOG_FRAME_ROWS - requestRows);
  // The newest lines that pass the filters, scanning back from the end only as far as needed.
  const needle = filter.toLowerCase();
  const rank = LEVEL_RANK[minLevel];
  const passes = (line: AgentLogLine) =>
    LEVEL_RANK[line.level] >= rank && (!needle || line.raw.toLowerCase().includes(needle));
  const shown: AgentLogLine[] = [];
  if (paused) {
    for (let i = paused.lines.length - 1; i >= 0 && shown.length < rows; i--)
      if (passes(paused.lines[i]!)) shown.unshift(paused.lines[i]!);
  } else {
    for (let back = Math.max(0, buffer.total - seenTotal); back < buffer.size && shown.length < rows; back++) {
      const line = buffer.fromEnd(back)!;
      if (passes(line)) shown.unshift(line);
    }
  }
  const heading = [
    `log · ${minLevel === 'dbug' ? 'all levels' : `${minLevel}+`}`,
    filter || typing ? `filter "${filter}"${typing ? '▏' : ''}` : '',
    paused ? `PAUSED (${seenTotal - paused.at} new)` : '',
    `${seenTotal} lines`,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-end">
        $ {commandLine}
      </Text>
      <Box marginTop={1}>
        <Text bold color={paused ? 'yellow' : 'cyan'} wrap="truncate-end">
          {heading}
        </Text>
      </Box>
      <LogView
        lines={shown}
        height={rows}
        empty={seenTotal === 0 ? '(no lines yet)' : '(no line matches the filter)'}
      />
      <Box marginTop={1}>
        <Text bold color="cyan">
          requests
        </Text>
      </Box>
      <RequestsTable requests={requests} reachable={webReachable} rows={requestRows} />
    </Box>
  );
}

/**
 * The QR code, drawn only whole: a cut QR code does not scan. When the body is too small, the size the
 * terminal must have instead. A loopback URL (the sandbox's) opens on this machine only: said so.
 */
function QrCode({
  qr,
  body,
  window,
}: {
  qr: { url: string; lines: string[] };
  body: { rows: number; columns: number };
  window: { rows: number; columns: number };
}) {
  const loopback = isLoopback(qr.url);
  const captionRows = loopback ? 2 : 1;
  if (!body.rows) return null;
  if (!qrFits(qr.lines, body.rows - captionRows, body.columns)) {
    const qrWidth = Math.max(...qr.lines.map((l) => [...l].length));
    const needRows = window.rows - body.rows + qr.lines.length + captionRows;
    const needColumns = window.columns - body.columns + qrWidth;
    return (
      <Box flexDirection="column">
        <Text color="yellow">
          The QR code needs a terminal of at least {Math.max(needColumns, window.columns)}×{needRows} to be drawn whole
          (this one is {window.columns}×{window.rows}): make the window larger, or press c to copy the URL.
        </Text>
        {loopback ? (
          <Text dimColor>It would carry {qr.url}, a loopback address that only this machine can open.</Text>
        ) : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text dimColor wrap="truncate-middle">
        Scan to open {qr.url}
      </Text>
      {loopback ? (
        <Text dimColor wrap="truncate-end">
          A loopback address: only this machine can open it.
        </Text>
      ) : null}
      {qr.lines.map((line, i) => (
        <Text key={i} color="black" backgroundColor="white">
          {line}
        </Text>
      ))}
    </Box>
  );
}

export interface LiveViewProps extends LiveOptions {
  /** The screen's title (the `tunnel` command's). */
  title?: string;
}

/** The live view on a screen of its own: `ngrok-fusionauth tunnel`. */
export function LiveView({ title = 'Tunnel', ...options }: LiveViewProps) {
  const live = useLiveView(options);
  return <Screen title={title} body={live.body} status={live.status} keys={live.keys} typing={live.typing} />;
}
