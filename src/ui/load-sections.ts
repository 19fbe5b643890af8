// The one door to sections.ts: a static import of it would put every step back into the first frame.
export type Sections = typeof import('./sections');

let loading: Promise<Sections> | undefined;
/** The steps and their screens, loaded once. */
export const loadSections = (): Promise<Sections> => (loading ??= import('./sections'));
