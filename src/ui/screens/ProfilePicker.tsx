// The wizard's first screen when the config folder holds several setups (one per `--profile`): which
// site to work on, or a new profile by name. A view: the list comes in as props, the choice goes out.
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { profileName } from '../../core/validate';
import { ChoiceList } from '../components/ChoiceList';
import { KeyHints } from '../components/KeyHints';
import { TextField } from '../components/TextField';

export interface ProfileChoiceRow {
  name: string;
  /** Where it stands, in words ("done", "in progress at Set Up FusionAuth"). */
  state: string;
  publicUrl: string | null;
}

/** A profile's name, or `interrupted` (Ctrl-C). */
export type ProfilePick = { profile: string } | 'interrupted';

const NEW = '\u0000new';

export function ProfilePicker({
  configDir,
  rows,
  onChoose,
}: {
  configDir: string;
  rows: readonly ProfileChoiceRow[];
  onChoose(pick: ProfilePick): void;
}) {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  // Back from naming (Esc), the list is where it was left: on "A new profile…".
  const [cameBack, setCameBack] = useState(false);
  const taken = new Set(rows.map((r) => r.name));
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onChoose('interrupted');
    else if (key.escape && naming) {
      setNaming(false);
      setCameBack(true);
    }
  });
  return (
    <Box flexDirection="column">
      <Text bold color="cyan">
        Which site?
      </Text>
      <Text dimColor>{`${rows.length} setups are kept in ${configDir}.`}</Text>
      <Box marginTop={1}>
        {naming ? (
          <TextField
            label="New profile name"
            value={name}
            onChange={setName}
            onSubmit={(v) => onChoose({ profile: v })}
            validate={(t) => {
              const checked = profileName(t);
              return checked.ok && taken.has(checked.value)
                ? { ok: false, message: `${checked.value} exists: pick it from the list.` }
                : checked;
            }}
            help="Letters, digits, - and _; its settings go to profiles/<name>."
          />
        ) : (
          <ChoiceList
            label="Work on"
            isActive={!naming}
            initial={cameBack ? NEW : undefined}
            choices={[
              ...rows.map((r) => ({
                value: r.name,
                label: r.name,
                hint: r.publicUrl ? `${r.state}, ${r.publicUrl}` : r.state,
              })),
              { value: NEW, label: 'A new profile…', hint: 'another site, set up from the start' },
            ]}
            onSubmit={(v) => (v === NEW ? setNaming(true) : onChoose({ profile: v }))}
          />
        )}
      </Box>
      <KeyHints
        hints={
          naming
            ? [
                ['enter', 'create'],
                ['esc', 'back'],
                ['ctrl+c', 'quit'],
              ]
            : [
                ['↑↓', 'move'],
                ['enter', 'choose'],
                ['ctrl+c', 'quit'],
              ]
        }
      />
    </Box>
  );
}
