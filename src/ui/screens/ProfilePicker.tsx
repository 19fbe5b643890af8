// The wizard's first screen when the config folder holds several setups (one per `--profile`): which
// site to work on, or a new profile by name. A view on the one frame (components/Screen.tsx): the list
// comes in as props, the choice goes out, and the keys are its keymap table, so the hints are the keys.
import { Text, useInput } from 'ink';
import { useRef, useState } from 'react';
import { profileName } from '../../core/validate';
import { ChoiceList } from '../components/ChoiceList';
import { choiceKeys } from '../components/choice-keys';
import { Screen } from '../components/Screen';
import { TextField } from '../components/TextField';

export interface ProfileChoiceRow {
  name: string;
  /** Where it stands, in words ("done", "in progress at Set Up FusionAuth"). */
  state: string;
  publicUrl: string | null;
}

/** A profile's name, or `interrupted` (Ctrl-C or q). */
export type ProfilePick = { profile: string } | 'interrupted';

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
  const [refused, setRefused] = useState(false);
  // Back from naming (Esc), the list is where it was left: on "A new profile…".
  const [selected, setSelected] = useState(0);
  const typed = useRef('');
  typed.current = name;
  const taken = new Set(rows.map((r) => r.name));
  const validate = (t: string) => {
    const checked = profileName(t);
    return checked.ok && taken.has(checked.value)
      ? { ok: false as const, message: `${checked.value} exists: pick it from the list.` }
      : checked;
  };
  const choices = [
    ...rows.map((r) => ({
      value: r.name,
      label: r.name,
      hint: r.publicUrl ? `${r.state}, ${r.publicUrl}` : r.state,
    })),
    { value: '', label: 'A new profile…', hint: 'another site, set up from the start' },
  ];
  useInput((text, key) => {
    if (key.ctrl && text === 'c') onChoose('interrupted');
  });
  const keys = naming
    ? [
        {
          key: 'enter',
          label: 'create',
          run: () => {
            const checked = validate(typed.current);
            if (checked.ok) onChoose({ profile: checked.value });
            else setRefused(true);
          },
        },
        { key: 'esc', label: 'back', run: () => setNaming(false) },
      ]
    : [
        ...choiceKeys(choices.length, selected, setSelected, (index) => {
          const choice = choices[index]!;
          if (choice.value) onChoose({ profile: choice.value });
          else setNaming(true);
        }),
        { key: 'q', label: 'quit', run: () => onChoose('interrupted') },
      ];
  return (
    <Screen
      title="Which site?"
      body={<Text dimColor>{`${rows.length} setups are kept in ${configDir}.`}</Text>}
      action={
        naming ? (
          <TextField
            label="New profile name"
            value={name}
            onChange={(v) => {
              setRefused(false);
              setName(v);
            }}
            validate={validate}
            refused={refused}
            help="Letters, digits, - and _; its settings go to profiles/<name>."
          />
        ) : (
          <ChoiceList label="Work on" choices={choices} selected={selected} />
        )
      }
      keys={keys}
      typing={naming}
      arrowsTaken={!naming}
    />
  );
}
