// Set Up The Application: the guide's apptoprotect/index.html served by python's http.server.
// Only a server this tool started (recorded beside the store, core/site) is taken for the site; a
// port held by any other program is a question (another port, or stop). Once done, the server
// stopped on exit (the default) leaves the step done: `tunnel` starts it again.
import path from 'node:path';
import { errorFinding, finding, type Finding } from '../core/findings';
import {
  isPortFree,
  nextFreePort,
  portHolder,
  portUsedSentence,
  probeSite,
  siteFileState,
  sitePageText,
  startSiteServer,
  writeSiteFile,
} from '../core/site';
import { directory, port } from '../core/validate';
import { siteDirFor, sitePortFor } from '../core/settings';
import { selfCommandQuoted, shellCommand } from '../core/text';
import { row, type ApplyResult, type Input, type Step } from './types';
import { labelOf, SECTION_EXPLAIN, SECTION_TITLES } from './catalog';

/** What a done step says when its server was stopped (on exit, as the default choice says). */
const serverStopped = (): string => `The web server is not running: ${selfCommandQuoted('tunnel')} starts it.`;

/**
 * The port is held by a program this tool did not start: the free port the person agreed to, or the
 * question (another port, or stop). The port offered is the one taken: nextFreePort holds a port it
 * gave for a while, so asking it again would give another than the one agreed to.
 */
async function anotherPort(
  input: Input,
  sitePort: number,
  used: string,
  findings: Finding[],
): Promise<{ port: number } | { result: ApplyResult }> {
  const offered = port(input.nextPort ?? '');
  const agreed =
    offered.ok && offered.value !== sitePort && (await isPortFree(offered.value)) ? offered.value : undefined;
  if (agreed !== undefined) return { port: agreed };
  const next = await nextFreePort(sitePort);
  if (input.nextPort === 'no')
    return {
      result: {
        status: 'failed',
        findings: [
          ...findings,
          finding.error(used, `Stop that program, or choose another port (--port ${next} is free), then try again.`),
        ],
      },
    };
  return {
    result: {
      status: 'ask',
      findings: [...findings, finding.warn(used, `Port ${next} is free (--port ${next}).`)],
      // No answer without a person: another port changes the agent command, stopping is theirs to do.
      question: {
        key: 'nextPort',
        prompt: `Use port ${next} instead, or stop?`,
        choices: [
          { key: 'y', label: `use port ${next}`, value: String(next) },
          { key: 's', label: `stop: I will free port ${sitePort}`, value: 'no' },
        ],
      },
    },
  };
}

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
    {
      kind: 'text',
      key: 'siteDir',
      label: 'Folder',
      flag: '--site-dir',
      help: 'Where the page lives; created if missing.',
      initial: (ctx) => siteDirFor(ctx),
      validate: (t) => directory(t),
    },
    {
      kind: 'text',
      key: 'port',
      label: 'Port',
      flag: '--port',
      help: 'The port python serves the page on.',
      initial: (ctx) => String(sitePortFor(ctx)),
      validate: (t) => port(t),
    },
    {
      kind: 'choice',
      key: 'keepServer',
      label: 'When the wizard exits',
      initial: () => 'stop',
      choices: [
        {
          value: 'stop',
          label: 'Stop the web server',
          get hint() {
            return `${selfCommandQuoted('tunnel')} starts it again`;
          },
        },
        { value: 'keep', label: 'Keep it running' },
      ],
    },
  ],
  async check(ctx) {
    const { siteDir, sitePort } = ctx.store.values;
    if (!siteDir || !sitePort) return { done: false, findings: [] };
    if (sitePageText(siteDir) === undefined)
      return {
        done: false,
        findings: [
          finding.warn(
            `${path.join(siteDir, 'index.html')} cannot be read.`,
            "Going on writes the guide's page again.",
          ),
        ],
      };
    const holder = await portHolder(sitePort, siteDir, ctx.store.dir);
    if (holder.kind === 'free') return { done: false, idle: true, findings: [finding.info(serverStopped())] };
    if (holder.kind === 'other')
      return {
        done: false,
        findings: [finding.warn(portUsedSentence(sitePort, holder), 'Going on offers another port.')],
      };
    const probe = await probeSite(sitePort, siteDir, ctx.signal);
    if (!probe.ok) return { done: false, findings: [finding.info(probe.message)] };
    return {
      done: true,
      findings: [
        finding.ok(`http://127.0.0.1:${sitePort}/ serves the page (pid ${holder.server.pid}, started by this tool).`),
      ],
    };
  },
  async apply(ctx, input): Promise<ApplyResult> {
    const dir = directory(input.siteDir ?? '');
    const portResult = port(input.port ?? '');
    if (!dir.ok) return { status: 'failed', findings: [finding.error(dir.message)] };
    if (!portResult.ok) return { status: 'failed', findings: [finding.error(portResult.message)] };
    const siteDir = path.resolve(dir.value);
    let sitePort = portResult.value;
    const findings: Finding[] = [];

    const state = await siteFileState(siteDir);
    if (state === 'different' && !input.overwrite) {
      return {
        status: 'ask',
        findings: [finding.warn(`${path.join(siteDir, 'index.html')} exists with other content.`)],
        // Never overwritten without asking: without a person to ask, the user's page is kept.
        question: {
          key: 'overwrite',
          prompt: "Replace it with the guide's page?",
          choices: [
            { key: 'k', label: 'keep mine', value: 'keep' },
            { key: 'r', label: 'replace it', value: 'replace' },
          ],
          noInputAnswer: 'keep',
        },
      };
    }
    const written = await writeSiteFile(siteDir, { overwrite: input.overwrite === 'replace' });
    findings.push(
      finding.ok(
        `${path.join(siteDir, 'index.html')}: ${{ created: 'created', replaced: "replaced with the guide's page", kept: 'kept as it is', same: "already the guide's page" }[written]}`,
      ),
    );

    // Served by the server this tool started for this folder (kept from an earlier run)? Nothing to start.
    const holder = await portHolder(sitePort, siteDir, ctx.store.dir);
    if (holder.kind === 'ours' && (await probeSite(sitePort, siteDir, ctx.signal)).ok) {
      findings.push(
        finding.ok(
          `The web server this tool started (pid ${holder.server.pid}) already serves ${siteDir} on port ${sitePort}`,
        ),
      );
    } else {
      if (holder.kind !== 'free') {
        const used = portUsedSentence(
          sitePort,
          holder.kind === 'other' ? holder : { pid: holder.server.pid, server: holder.server },
        );
        const choice = await anotherPort(input, sitePort, used, findings);
        if ('result' in choice) return choice.result;
        sitePort = choice.port;
      }
      try {
        // The server is recorded beside the settings (core/site/server-record.ts): the config folder,
        // which the store makes on its first write, must be there first.
        ctx.store.ensureFolder();
        const server = await startSiteServer({
          dir: siteDir,
          port: sitePort,
          keep: input.keepServer === 'keep',
          signal: ctx.signal,
          recordIn: ctx.store.dir,
        });
        findings.push(finding.ok(`python3 -m http.server ${sitePort} is serving ${siteDir} (pid ${server.pid})`));
      } catch (error) {
        const failure = errorFinding(error);
        ctx.store.setValues({ siteDir, sitePort });
        return { status: 'failed', findings: [...findings, failure] };
      }
    }
    ctx.store.setValues({ siteDir, sitePort });
    const probe = await probeSite(sitePort, siteDir, ctx.signal);
    findings.push(
      probe.ok ? finding.ok(`GET http://localhost:${sitePort}/ returns the page`) : finding.error(probe.message),
    );
    return { status: probe.ok ? 'done' : 'failed', findings };
  },
  summary: (v) => [
    ...row(labelOf('siteDir'), v.siteDir),
    ...row('Site', v.sitePort && `http://localhost:${v.sitePort}`),
  ],
};
