// Set Up The Application: the guide's apptoprotect/index.html served by python's http.server.
import path from 'node:path';
import { errorFinding, finding } from '../core/findings';
import { isPortFree, nextFreePort, probeSite, siteFileState, startSiteServer, writeSiteFile } from '../core/site';
import { directory, port } from '../core/validate';
import { siteDirFor, sitePortFor } from '../core/settings';
import { shellCommand } from '../core/text';
import { row, type ApplyResult, type Step } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

export const site: Step = {
  id: 'site',
  title: SECTION_TITLES.site,
  explain: SECTION_EXPLAIN.site,
  instructions: (ctx, input) => [
    // What the user typed goes into commands they may paste: each argument quoted (core/text/shell.ts).
    `Make a directory: ${shellCommand(['mkdir', input.siteDir ?? siteDirFor(ctx)])}`,
    'Put the guide\'s index.html in it ("This is a protected application.").',
    `Start the web server: ${shellCommand(['python3', '-m', 'http.server', input.port ?? String(sitePortFor(ctx)), '--bind', '127.0.0.1'])}`,
    'This wizard does all three for you.',
  ],
  fields: [
    { kind: 'text', key: 'siteDir', label: 'Folder', help: 'Where the page lives; created if missing.', initial: (ctx) => siteDirFor(ctx), validate: (t) => directory(t) },
    { kind: 'text', key: 'port', label: 'Port', help: 'The port python serves the page on.', initial: (ctx) => String(sitePortFor(ctx)), validate: (t) => port(t) },
    {
      kind: 'choice',
      key: 'keepServer',
      label: 'When the wizard exits',
      initial: () => 'stop',
      choices: [
        { value: 'stop', label: 'Stop the web server', hint: '`ngrok-fusionauth tunnel` starts it again' },
        { value: 'keep', label: 'Keep it running' },
      ],
    },
  ],
  async check(ctx) {
    const { siteDir, sitePort } = ctx.store.values;
    if (!siteDir || !sitePort) return { done: false, findings: [] };
    const probe = await probeSite(sitePort, siteDir, ctx.signal);
    return { done: probe.ok, findings: [probe.ok ? finding.ok(probe.message) : finding.info(probe.message)] };
  },
  async apply(ctx, input): Promise<ApplyResult> {
    const dir = directory(input.siteDir ?? '');
    const portResult = port(input.port ?? '');
    if (!dir.ok) return { status: 'failed', findings: [finding.error(dir.message)] };
    if (!portResult.ok) return { status: 'failed', findings: [finding.error(portResult.message)] };
    const siteDir = path.resolve(dir.value);
    let sitePort = portResult.value;
    const findings = [];

    const state = await siteFileState(siteDir);
    if (state === 'different' && !input.overwrite) {
      return {
        status: 'ask',
        findings: [finding.warn(`${path.join(siteDir, 'index.html')} exists with other content.`)],
        // Never overwritten without asking: without a person to ask, the user's page is kept.
        question: { key: 'overwrite', prompt: 'Replace it with the guide\'s page?', choices: [{ key: 'k', label: 'keep mine', value: 'keep' }, { key: 'r', label: 'replace it', value: 'replace' }], noInputAnswer: 'keep' },
      };
    }
    const written = await writeSiteFile(siteDir, { overwrite: input.overwrite === 'replace' });
    findings.push(finding.ok(`${path.join(siteDir, 'index.html')}: ${{ created: 'created', replaced: 'replaced with the guide\'s page', kept: 'kept as it is', same: 'already the guide\'s page' }[written]}`));

    // Already served (kept from an earlier run)? Then there is nothing to start.
    const served = await probeSite(sitePort, siteDir, ctx.signal);
    if (!served.ok) {
      if (!(await isPortFree(sitePort))) {
        const next = await nextFreePort(sitePort);
        if (input.nextPort === 'no') {
          return { status: 'failed', findings: [...findings, finding.error(`Port ${sitePort} is in use by another program.`, `Stop that program or choose another port, then try again.`)] };
        }
        if (input.nextPort !== 'yes') {
          return {
            status: 'ask',
            findings: [...findings, finding.warn(`Port ${sitePort} is in use by another program.`, `Port ${next} is free (--port ${next}).`)],
            question: { key: 'nextPort', prompt: `Serve on port ${next} instead?`, choices: [{ key: 'y', label: `use ${next}`, value: 'yes' }, { key: 'n', label: 'no, I will free it', value: 'no' }] },
          };
        }
        sitePort = next;
      }
      try {
        const server = await startSiteServer({ dir: siteDir, port: sitePort, keep: input.keepServer === 'keep', signal: ctx.signal });
        findings.push(finding.ok(`python3 -m http.server ${sitePort} is serving ${siteDir} (pid ${server.pid})`));
      } catch (error) {
        const failure = errorFinding(error);
        ctx.store.setValues({ siteDir, sitePort });
        return { status: 'failed', findings: [...findings, failure] };
      }
    }
    ctx.store.setValues({ siteDir, sitePort });
    const probe = await probeSite(sitePort, siteDir, ctx.signal);
    findings.push(probe.ok ? finding.ok(`GET http://localhost:${sitePort}/ returns the page`) : finding.error(probe.message));
    return { status: probe.ok ? 'done' : 'failed', findings };
  },
  summary: (v) => [...row(labelOf('siteDir'), v.siteDir), ...row('Site', v.sitePort && `http://localhost:${v.sitePort}`)],
};
