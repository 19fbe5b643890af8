// The agent, live: a status line, the log as it streams (bounded ring buffer, coloured by level,
// filtered by level and text, paused and resumed), the requests the agent saw, and keys to open,
// copy and show the URL as a QR code. Lines go into the buffer without React; the view re-renders at
// most every `throttleMs` (and on a key), so a flood of lines never starves the keyboard.
import { Box, Text, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AgentStatus } from '../../core/agent';
import { LEVEL_RANK, LOG_LEVELS, type AgentLogLine, type LogLevel } from '../../core/agent';
import type { AgentRequest } from '../../core/agent';
import { RingBuffer } from '../../core/agent';
import { osc52 } from '../clipboard';
import { qrLines } from '../qr';
import { KeyHints, type Hint } from './KeyHints';
import { LogView } from './LogView';
import { RequestsTable } from './RequestsTable';
import { PublisherLine, StatusLine } from './StatusLine';

/** What the view watches: the supervisor (AgentSupervisor implements it). */
export interface LiveSource {
  readonly status: AgentStatus;
  readonly recentRequests: readonly AgentRequest[];
  readonly commandLine: string;
  onLine(listener: (line: AgentLogLine) => void): () => void;
  onStatus(listener: (status: AgentStatus) => void): () => void;
}

export interface LiveViewProps {
  source: LiveSource;
  /** The agent that publishes FusionAuth (core/tunnel/publisher.ts): its state on a line, its log lines in the log. */
  publisher?: LiveSource;
  /** How this machine reaches the public URL (the sandbox's loopback); default the URL itself. */
  reach?(url: string): string | undefined;
  /** Rows for the log. */
  logRows?: number;
  requestRows?: number;
  /** Keys of the screen around the view, shown after the view's own. */
  hints?: readonly Hint[];
  onQuit(): void;
  /** Told when the text filter takes the keyboard, so the screen around ignores letters. */
  onTyping?(typing: boolean): void;
  /** Opens a URL in the browser; the `open` package by default. */
  openUrl?(url: string): Promise<unknown>;
}

const FILTER_LEVELS: readonly LogLevel[] = LOG_LEVELS.slice(0, 4);
/** Lines kept for scrolling back and filtering. */
const BUFFER_LINES = 2000;
/** Data changes show at most this often (≤ 10 renders a second under any log rate). */
const THROTTLE_MS = 100;

/** The `open` package, loaded on the first `o` (it brings child_process and browser detection). */
const openInBrowser = async (url: string) => (await import('open')).default(url);

export function LiveView({
  source,
  publisher,
  reach,
  logRows = 12,
  requestRows = 5,
  hints = [],
  onQuit,
  onTyping,
  openUrl = openInBrowser,
}: LiveViewProps) {
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

  const status = source.status;
  const publicUrl = status.state.kind === 'online' ? status.state.url : status.publicUrl;
  const localUrl = publicUrl ? reach?.(publicUrl) : undefined;
  // Open, copy and QR only once the agent serves it: before that the URL shows ngrok's offline page.
  const target = status.state.kind === 'online' ? (localUrl ?? publicUrl) : undefined;

  const say = (text: string) => setNote(text);
  const startTyping = (on: boolean) => {
    setTyping(on);
    onTyping?.(on);
  };

  useInput((text, key) => {
    if (typing) {
      if (key.return) startTyping(false);
      else if (key.escape) {
        setFilter('');
        startTyping(false);
      } else if (key.backspace || key.delete) setFilter((f) => f.slice(0, -1));
      else if (text && !key.ctrl && !key.meta) setFilter((f) => f + text);
      return;
    }
    if (text === 'q') onQuit();
    else if (text === 'p' || text === ' ')
      setPaused((p) => (p ? undefined : { at: buffer.total, lines: buffer.toArray() }));
    else if (text === 'l')
      setMinLevel((level) => FILTER_LEVELS[(FILTER_LEVELS.indexOf(level) + 1) % FILTER_LEVELS.length]!);
    else if (text === '/') startTyping(true);
    else if (key.escape && filter) setFilter('');
    else if (text === 'o') {
      if (!target) return say('No URL yet: wait until the agent is online.');
      say(`Opening ${target} in your browser…`);
      openUrl(target).then(
        () => say(`Opened ${target} in your browser.`),
        (error: unknown) =>
          say(
            `Could not open a browser (${error instanceof Error ? error.message : String(error)}): copy the URL instead.`,
          ),
      );
    } else if (text === 'c') {
      if (!target) return say('No URL yet: wait until the agent is online.');
      stdout.write(osc52(target));
      say(`Copied ${target} (through your terminal, OSC 52; if it does not paste, select the URL above).`);
    } else if (text === 'm') {
      if (qr) return setQr(undefined);
      if (!target) return say('No URL yet: wait until the agent is online.');
      qrLines(target).then(
        (lines) => setQr({ url: target, lines }),
        (error: unknown) => say(`No QR code: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  });

  // The newest lines that pass the filters, scanning back from the end only as far as needed.
  // The QR code takes its rows from the log, so that the screen keeps its height.
  const rows = qr ? Math.max(3, logRows - qr.lines.length - 2) : logRows;
  const needle = filter.toLowerCase();
  const rank = LEVEL_RANK[minLevel];
  const passes = (line: AgentLogLine) =>
    LEVEL_RANK[line.level] >= rank && (!needle || line.raw.toLowerCase().includes(needle));
  const shown: AgentLogLine[] = [];
  if (paused) {
    for (let i = paused.lines.length - 1; i >= 0 && shown.length < rows; i--)
      if (passes(paused.lines[i]!)) shown.unshift(paused.lines[i]!);
  } else {
    for (let back = 0; back < buffer.size && shown.length < rows; back++) {
      const line = buffer.fromEnd(back)!;
      if (passes(line)) shown.unshift(line);
    }
  }

  const heading = [
    `log · ${minLevel === 'dbug' ? 'all levels' : `${minLevel}+`}`,
    filter || typing ? `filter "${filter}"${typing ? '▏' : ''}` : '',
    paused ? `PAUSED (${buffer.total - paused.at} new)` : '',
    `${buffer.total} lines`,
  ]
    .filter(Boolean)
    .join(' · ');

  const keys: Hint[] = typing
    ? [
        ['enter', 'apply filter'],
        ['esc', 'clear filter'],
      ]
    : [
        ['o', 'open'],
        ['c', 'copy URL'],
        ['m', qr ? 'hide QR' : 'QR code'],
        ['p', paused ? 'resume' : 'pause'],
        ['l', 'level'],
        ['/', 'filter'],
        ...hints,
        ['q', 'quit'],
      ];

  return (
    <Box flexDirection="column">
      <StatusLine status={status} now={now} localUrl={localUrl} />
      {publisher ? <PublisherLine status={publisher.status} /> : null}
      <Text dimColor wrap="truncate-end">
        $ {source.commandLine}
      </Text>
      {qr ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Scan to open {qr.url}:</Text>
          {qr.lines.map((line, i) => (
            <Text key={i} color="black" backgroundColor="white">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      <Box marginTop={1}>
        <Text bold color={paused ? 'yellow' : 'cyan'}>
          {heading}
        </Text>
      </Box>
      <LogView
        lines={shown}
        height={rows}
        empty={buffer.total === 0 ? '(no lines yet)' : '(no line matches the filter)'}
      />
      <Box marginTop={1}>
        <Text bold color="cyan">
          requests
        </Text>
      </Box>
      <RequestsTable requests={source.recentRequests} reachable={status.webReachable} rows={requestRows} />
      {note ? <Text color="magenta">{note}</Text> : null}
      <KeyHints hints={keys} />
    </Box>
  );
}
