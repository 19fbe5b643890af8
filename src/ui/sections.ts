// Everything the wizard needs once its first frame is on screen: the steps (and with them the API,
// process and YAML libraries) and the screens that run them. App loads this module lazily, through
// load-sections.ts and never by a static import, so that the first frame waits only for Ink and the
// shell (docs/ARCHITECTURE.md, "Performance").
export { STEPS } from '../steps/index';
export { recheck } from '../steps/engine';
export { DoneScreen } from './screens/DoneScreen';
export { StepScreen } from './screens/StepScreen';
export { TestItOutScreen } from './screens/TestItOutScreen';
