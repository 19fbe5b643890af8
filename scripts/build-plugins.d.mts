import type { Plugin } from 'esbuild';
export const SIMPLE_TEXT: string;
export const confWithoutUnusedFeatures: Plugin;
export const yogaWithoutFetch: Plugin;
export const stringWidthFastPath: Plugin;
