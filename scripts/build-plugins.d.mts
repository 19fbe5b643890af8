import type { Plugin } from 'esbuild';
export const REVIEWED: Record<'conf' | 'yoga-layout' | 'string-width', string[]>;
export function installedVersion(name: string, file: string): string | undefined;
export function confWithoutUnusedFeatures(reviewed?: string[]): Plugin;
export function yogaWithoutFetch(reviewed?: string[]): Plugin;
export const STRING_WIDTH_PATCH: string;
export function stringWidthFastPath(reviewed?: string[]): Plugin;
