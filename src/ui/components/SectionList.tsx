import { Box, Text } from 'ink';
import type { StepId, StepStatus } from '../../core/store';
import { statusMark } from '../theme';

export interface SectionItem {
  id: StepId;
  title: string;
  status: StepStatus;
}

/** The guide's sections down the side, each with its progress. */
export function SectionList({ items, current }: { items: readonly SectionItem[]; current?: StepId }) {
  return (
    <Box flexDirection="column" width={36} flexShrink={0} marginRight={2}>
      {items.map((item, index) => {
        const mark = item.id === current && item.status !== 'done' ? statusMark.current : statusMark[item.status];
        return (
          <Text key={item.id} bold={item.id === current} dimColor={item.id !== current && item.status === 'pending'}>
            <Text color={mark.color}>{mark.mark}</Text> {index + 1}. {item.title}
          </Text>
        );
      })}
    </Box>
  );
}
