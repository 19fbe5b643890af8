// The one frame of every full screen: the header, the guide's sections (down the side when the
// terminal is wide, else one line "3/7 Set Up FusionAuth"), the screen's title, its body in a region
// that scrolls by keys, what it asks (a field, a question) and its status, then the key hints. The
// frame is one row shorter than the terminal whatever the body holds, so the header, the title and
// the hints stay on screen and Ink never reprints an overflowing frame into the scrollback (see
// layout/fit.ts). The keys are the screen's keymap (keymap.ts) plus the frame's own: scrolling and
// `?`, which lists every key in force.
import { Box, Text, useInput, useWindowSize } from 'ink';
import { useState, type ReactNode } from 'react';
import { bindingFor, combine, dispatch, fitHints, hintsOf, type Keymap } from '../keymap';
import { HINT_ROWS, layoutFor } from '../layout/fit';
import { BodySizeProvider, useShell } from '../layout/shell-context';
import { useScroll } from '../layout/use-scroll';
import { statusMark } from '../theme';
import { KeyHints } from './KeyHints';
import { SectionList } from './SectionList';

export interface ScreenProps {
  /** The screen's title; in the wizard, the section's. */
  title: string;
  /** The long part: explanations, findings, summaries, the log. Scrolls when it does not fit. */
  body?: ReactNode;
  /** Below the body, never scrolled away: the field being filled in, a question, a spinner. */
  action?: ReactNode;
  /** Above the hints, never scrolled away: a live status line, a note. */
  status?: ReactNode;
  keys: Keymap;
  /** A text field has the keyboard: letters are its, so no `?` (and the screen's table has no `q`). */
  typing?: boolean;
  /** A choice list on screen owns ↑/↓ (the body still pages with PgUp/PgDn). */
  arrowsTaken?: boolean;
}

export function Screen({ title, body, action, status, keys, typing = false, arrowsTaken = false }: ScreenProps) {
  const { columns, rows } = useWindowSize();
  const shell = useShell();
  const layout = layoutFor(columns, rows, Boolean(shell.sections));
  const [help, setHelp] = useState(false);
  // A screen whose table binds ↑/↓ (a choice list) keeps them; the body still pages with PgUp/PgDn.
  const scroll = useScroll((arrowsTaken || Boolean(bindingFor(keys, 'up'))) && !help);

  const helpKey = { key: '?', label: help ? 'close keys' : 'all keys', when: !typing, run: () => setHelp((h) => !h) };
  const keymap = help
    ? combine([{ key: 'esc', label: 'close keys', run: () => setHelp(false) }], scroll.keys, [helpKey])
    : combine(keys, scroll.keys, [helpKey]);
  useInput((input, key) => void dispatch(keymap, input, key));

  const shown = help ? combine(keys, scroll.keys, [helpKey]) : keymap;
  const hints = fitHints(hintsOf(help ? keymap : shown), layout.contentWidth, HINT_ROWS);
  const tall = rows >= 24;

  const heading = shell.sections && !layout.sideList ? <NavLine title={title} /> : <TitleLine title={title} />;
  const content = (
    <Box flexDirection="column" flexGrow={1} flexShrink={1} width={layout.contentWidth}>
      {heading}
      <Box
        ref={scroll.viewport}
        flexDirection="column"
        flexGrow={1}
        flexShrink={1}
        overflowY="hidden"
        contentOffsetY={scroll.offset}
      >
        <Box ref={scroll.content} flexDirection="column" flexShrink={0}>
          <BodySizeProvider value={{ rows: scroll.viewportRows, columns: scroll.viewportColumns }}>
            {help ? <AllKeys keymap={shown} /> : body}
          </BodySizeProvider>
        </Box>
      </Box>
      {scroll.above || scroll.below ? (
        <Box flexShrink={0}>
          <Text dimColor wrap="truncate-end">
            {[scroll.above ? `↑ ${scroll.above} more` : '', scroll.below ? `↓ ${scroll.below} more` : '']
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Box>
      ) : null}
      {action && !help ? (
        <Box flexDirection="column" flexShrink={0} marginTop={tall ? 1 : 0}>
          {action}
        </Box>
      ) : null}
      {status ? (
        <Box flexDirection="column" flexShrink={0}>
          {status}
        </Box>
      ) : null}
      <Box flexShrink={0} marginTop={tall ? 1 : 0}>
        <KeyHints lines={hints.lines} />
      </Box>
    </Box>
  );

  return (
    <Box flexDirection="column" height={layout.height} width={columns} paddingX={1} overflow="hidden">
      <Box flexShrink={0} marginBottom={tall ? 1 : 0}>
        <Text wrap="truncate-end">
          <Text bold>{shell.title}</Text>
          <Text dimColor>
            {shell.sandbox ? ' · sandbox' : ''} · {shell.purpose}
          </Text>
        </Text>
      </Box>
      {layout.sideList && shell.sections ? (
        <Box flexGrow={1} flexShrink={1}>
          <SectionList items={shell.sections.items} current={shell.sections.current} />
          {content}
        </Box>
      ) : (
        content
      )}
    </Box>
  );
}

function TitleLine({ title }: { title: string }) {
  return (
    <Box flexShrink={0}>
      <Text bold color="cyan" wrap="truncate-end">
        {title}
      </Text>
    </Box>
  );
}

/** The sections on one line: a mark each, then "3/7 Set Up FusionAuth". */
function NavLine({ title }: { title: string }) {
  const { sections } = useShell();
  if (!sections) return <TitleLine title={title} />;
  const index = sections.items.findIndex((s) => s.id === sections.current);
  return (
    <Box flexShrink={0}>
      <Text wrap="truncate-end">
        {sections.items.map((item) => {
          const mark =
            item.id === sections.current && item.status !== 'done' ? statusMark.current : statusMark[item.status];
          return (
            <Text key={item.id} color={mark.color}>
              {mark.mark}
            </Text>
          );
        })}{' '}
        <Text bold color="cyan">
          {index >= 0 ? `${index + 1}/${sections.items.length} ` : ''}
          {title}
        </Text>
      </Text>
    </Box>
  );
}

/** `?`: every key in force, one a line. */
function AllKeys({ keymap }: { keymap: Keymap }) {
  const all = hintsOf(keymap, true);
  const keyWidth = Math.max(...all.map((h) => h.key.length));
  return (
    <Box flexDirection="column">
      <Text bold>Keys</Text>
      {all.map((h) => (
        <Text key={h.key + h.label}>
          <Text bold color="cyan">
            {h.key.padEnd(keyWidth)}
          </Text>{' '}
          {h.label}
        </Text>
      ))}
      <Text dimColor>Ctrl-C stops at any time; what runs is stopped cleanly.</Text>
    </Box>
  );
}
