// Pins the defect that made us write src/ui/components/TextInput.tsx: ink-text-input drops keys that
// arrive before a render. When this test starts failing, upstream fixed it and we can switch back.
import { Text } from 'ink';
import InkTextInput from 'ink-text-input';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { TextInput } from '../../src/ui/components/TextInput';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function Field({ ours }: { ours: boolean }) {
  const [value, setValue] = useState('');
  const Input = ours ? TextInput : InkTextInput;
  return (
    <>
      <Input value={value} onChange={setValue} />
      <Text>value=[{value}]</Text>
    </>
  );
}

async function typeFast(ours: boolean): Promise<string | undefined> {
  const app = render(<Field ours={ours} />);
  await sleep(30);
  for (const ch of 'hello') app.stdin.write(ch);
  await sleep(50);
  app.stdin.write('\x7f');
  app.stdin.write('\x7f');
  app.stdin.write('p');
  await sleep(50);
  const frame = app.lastFrame();
  app.unmount();
  return frame;
}

describe('typing faster than a render', () => {
  it('ink-text-input 6 loses keys (the defect)', async () => {
    expect(await typeFast(false)).not.toContain('value=[help]');
  });
  it('our TextInput keeps every key', async () => {
    expect(await typeFast(true)).toContain('value=[help]');
  });
});
