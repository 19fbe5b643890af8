import { Text } from 'ink';

/** A section's title and the guide's explanation of it, at the top of its screen. */
export function SectionIntro({ title, explain }: { title: string; explain: string }) {
  return (
    <>
      <Text bold color="cyan">
        {title}
      </Text>
      <Text dimColor>{explain}</Text>
    </>
  );
}
