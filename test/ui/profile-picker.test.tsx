// The wizard's first screen when several setups are kept: each listed with where it stands and its
// public URL; one picked with the keys, or a new one named (checked as typed: not a path, not a name
// already kept); Ctrl-C quits.
import { afterEach, describe, expect, it } from 'vitest';
import { ProfilePicker, type ProfilePick } from '../../src/ui/screens/ProfilePicker';
import { plain, press, render, type, waitFor, type TestApp } from '../helpers/ink';

let app: TestApp | undefined;
afterEach(() => app?.unmount());

const ROWS = [
  { name: 'default', state: 'done', publicUrl: 'https://blog.ngrok.app' },
  { name: 'shop', state: 'in progress at Set Up FusionAuth', publicUrl: null },
];

function picker(columns?: number) {
  const picks: ProfilePick[] = [];
  app = render(
    <ProfilePicker configDir="/home/me/.config/ngrok-fusionauth" rows={ROWS} onChoose={(p) => picks.push(p)} />,
    columns,
  );
  return picks;
}

describe('the profile picker', () => {
  it('lists every setup with its state and URL, and picks one with ↓ and Enter', async () => {
    const picks = picker();
    const frame = await waitFor(app!, 'Which site?');
    expect(frame).toContain('2 setups are kept in /home/me/.config/ngrok-fusionauth.');
    expect(frame).toContain('❯ default — done, https://blog.ngrok.app');
    expect(frame).toContain('  shop — in progress at Set Up FusionAuth');
    expect(frame).toContain('A new profile…');
    await press(app!, 'down');
    await press(app!, 'enter');
    expect(picks).toEqual([{ profile: 'shop' }]);
  });

  it('names a new profile: a path or a kept name is refused as typed, a good name is taken', async () => {
    const picks = picker();
    await waitFor(app!, 'Which site?');
    await press(app!, 'down', 2);
    await press(app!, 'enter');
    await waitFor(app!, 'New profile name:');
    await type(app!, '../x');
    expect(plain(await waitFor(app!, '✘'))).toContain('The profile name "../x" is not usable');
    await press(app!, 'enter');
    expect(picks).toEqual([]);
    await press(app!, 'backspace', 4);
    await type(app!, 'shop');
    expect(await waitFor(app!, '✘')).toContain('shop exists: pick it from the list.');
    await press(app!, 'enter');
    expect(picks).toEqual([]);
    await type(app!, '-2');
    await waitFor(app!, '✔ looks right');
    await press(app!, 'enter');
    expect(picks).toEqual([{ profile: 'shop-2' }]);
  });

  it('Esc goes back to the list; Ctrl-C quits', async () => {
    const picks = picker();
    await waitFor(app!, 'Which site?');
    await press(app!, 'up');
    await press(app!, 'enter');
    await waitFor(app!, 'New profile name:');
    await press(app!, 'escape');
    await waitFor(app!, '❯ A new profile…');
    await press(app!, 'ctrlC');
    expect(picks).toEqual(['interrupted']);
  });
});
