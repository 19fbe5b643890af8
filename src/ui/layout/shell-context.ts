// What the shell around a screen tells the frame (src/ui/components/Screen.tsx) to draw above it: the
// header, and in the wizard the guide's sections with the current one. A context, so that every
// screen draws the same frame without the shell's props passed through each of them.
import { useWindowSize } from 'ink';
import { createContext, useContext } from 'react';
import { layoutFor } from './fit';
import type { SectionItem } from '../components/SectionList';
import type { StepId } from '../../core/constants';

export interface Shell {
  title: string;
  purpose: string;
  sandbox?: boolean;
  sections?: { items: readonly SectionItem[]; current?: StepId };
}

const ShellContext = createContext<Shell>({ title: 'ngrok-fusionauth', purpose: '' });
export const ShellProvider = ShellContext.Provider;
export const useShell = () => useContext(ShellContext);

/** The body's size, measured: what a QR code or a log may take. Zero until the first layout. */
export interface BodySize {
  rows: number;
  columns: number;
}
const BodySizeContext = createContext<BodySize>({ rows: 0, columns: 0 });
export const BodySizeProvider = BodySizeContext.Provider;
export const useBodySize = () => useContext(BodySizeContext);

/** Columns for a screen's text in this terminal (what the frame leaves beside the side list). */
export function useContentWidth(): number {
  const { columns, rows } = useWindowSize();
  const shell = useShell();
  return layoutFor(columns, rows, Boolean(shell.sections)).contentWidth;
}
