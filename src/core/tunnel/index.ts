// The tunnel domain's door: the plan to run a finished setup's tunnel, and the proof that it protects.
export { checkFindings, tunnelPlan, verifySetup, verifyWithTunnel } from './plan';
export { probeProtection, verifyProtection, type VerifyCheck, type VerifyReport } from './verify';
export {
  fusionauthPublisher,
  fusionauthPublisherPlan,
  startFusionAuthPublisher,
  withFusionAuthPublished,
} from './publisher';
