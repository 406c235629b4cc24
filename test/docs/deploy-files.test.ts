// The deployment files the runbooks point at are real: systemd units that systemd accepts and that
// start commands the CLI has, and an Ansible example that parses, writes the secrets file 0600
// without logging it, and installs a config file the config schema accepts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildProgram } from '../../engine/cli/main.ts';
import { readConfigFile } from '../../engine/config/index.ts';
import { repoRoot } from '../helpers.ts';

type Unit = Map<string, Map<string, string[]>>;

/** systemd's unit syntax: [Section], Key=Value lines (keys may repeat), # and ; comments. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([A-Za-z]+)\]$/.exec(line);
    if (header) {
      section = new Map();
      unit.set(header[1]!, section);
      continue;
    }
    const pair = /^([A-Za-z0-9]+)=(.*)$/.exec(line);
    if (!pair || !section) throw new Error(`line ${index + 1} is not a key=value line inside a section: ${raw}`);
    section.set(pair[1]!, [...(section.get(pair[1]!) ?? []), pair[2]!]);
  }
  return unit;
}

const unitsDir = path.join(repoRoot, 'deploy/systemd');
const units = {
  'reconcile-web.service': 'serve',
  'reconcile-web-tailnet.service': 'serve',
  'reconcile-worker.service': 'worker',
} as const;
const program = await buildProgram();
const commandNames = new Set(program.commands.map((command) => command.name()));

describe.each(Object.entries(units))('deploy/systemd/%s', (file, command) => {
  const unit = parseUnit(fs.readFileSync(path.join(unitsDir, file), 'utf8'));
  const service = unit.get('Service')!;
  const environment = new Map((service.get('Environment') ?? []).map((value) => value.split(/=(.*)/s).slice(0, 2) as [string, string]));

  it('has the sections and keys a service needs', () => {
    expect(unit.get('Unit')?.get('Description')?.[0]).toBeTruthy();
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
    expect(service.get('Restart')).toEqual(['on-failure']);
  });

  it(`starts \`reconcile ${command}\`, a command the CLI has`, () => {
    const [execStart] = service.get('ExecStart')!;
    const args = execStart!.split(/\s+/);
    expect(args[0]).toMatch(/^\//);
    expect(args[1]).toBe('/opt/reconcile/bin/reconcile.js');
    expect(args[2]).toBe(command);
    expect(commandNames).toContain(command);
  });

  it('runs unprivileged, confined, with data, config and secrets where the runbook says', () => {
    expect(service.get('User')).toEqual(['reconcile']);
    expect(service.get('NoNewPrivileges')).toEqual(['true']);
    expect(service.get('ProtectSystem')).toEqual(['strict']);
    expect(environment.get('RECONCILE_DATA_DIR')).toBe('/flux/apps/reconcile');
    expect(environment.get('RECONCILE_ENV_FILE')).toBe('/flux/runtime/secrets/reconcile.env');
    expect(environment.get('RECONCILE_CONFIG')).toBe('/flux/apps/reconcile/reconcile.yaml');
    // Reconcile reads the secrets itself so its mode-0600 check runs; systemd would bypass it.
    expect(service.has('EnvironmentFile')).toBe(false);
    expect(service.get('ReadWritePaths')?.join(' ')).toContain('/flux/apps/reconcile');
  });

  it('is accepted by systemd-analyze verify without warnings', (context) => {
    const analyze = spawnSync('systemd-analyze', ['verify', path.join(unitsDir, file)], { encoding: 'utf8' });
    if (analyze.error) context.skip(); // systemd is not installed on this machine
    const warnings = `${analyze.stdout}${analyze.stderr}`
      .split('\n')
      // Facts about this machine, not the unit: the path it runs from does not exist here.
      .filter((line) => line.trim() && !/No such file or directory|not executable|Failed to prepare filename/i.test(line));
    expect(warnings).toEqual([]);
    expect(analyze.status).toBe(0);
  });
});

const serviceOf = (file: string) => parseUnit(fs.readFileSync(path.join(unitsDir, file), 'utf8')).get('Service')!;
const environmentOf = (file: string) => new Map((serviceOf(file).get('Environment') ?? []).map((value) => value.split(/=(.*)/s).slice(0, 2) as [string, string]));

it('the web units may only read the space and leave jobs to the worker unit, which may write it', () => {
  const worker = serviceOf('reconcile-worker.service');
  const serve = program.commands.find((command) => command.name() === 'serve')!;
  expect(serve.options.map((option) => option.long)).toContain('--no-worker');
  for (const file of ['reconcile-web.service', 'reconcile-web-tailnet.service']) {
    const web = serviceOf(file);
    expect(web.get('ExecStart')![0]!.split(/\s+/), file).toContain('--no-worker');
    expect(web.get('ReadOnlyPaths'), file).toEqual(['/space']);
    expect(web.get('ReadWritePaths')?.join(' '), file).not.toContain('/space');
  }
  expect(worker.get('ReadWritePaths')?.join(' ').split(/\s+/)).toContain('/space');
});

it('only the tailnet instance accepts requests without a Cloudflare Access token, each web instance on its own loopback port', () => {
  const listen = (file: string) => {
    const args = serviceOf(file).get('ExecStart')![0]!.split(/\s+/);
    return `${args[args.indexOf('--host') + 1]}:${args[args.indexOf('--port') + 1]}`;
  };
  expect(listen('reconcile-web.service')).toBe('127.0.0.1:3000');
  expect(listen('reconcile-web-tailnet.service')).toBe('127.0.0.1:3001');
  expect(environmentOf('reconcile-web-tailnet.service').get('RECONCILE_ALLOW_DIRECT')).toBe('1');
  expect(environmentOf('reconcile-web.service').has('RECONCILE_ALLOW_DIRECT')).toBe(false);
  expect(environmentOf('reconcile-worker.service').has('RECONCILE_ALLOW_DIRECT')).toBe(false);
});

describe('deploy/ansible/reconcile.yml', () => {
  const plays = YAML.parse(fs.readFileSync(path.join(repoRoot, 'deploy/ansible/reconcile.yml'), 'utf8')) as {
    name: string;
    hosts: string;
    tasks: Record<string, unknown>[];
    handlers?: Record<string, unknown>[];
  }[];
  const tasks = plays.flatMap((play) => [...play.tasks, ...(play.handlers ?? [])]);
  const moduleOf = (task: Record<string, unknown>) => Object.keys(task).filter((key) => /^[a-z_]+\.[a-z_]+\.[a-z_]+$/.test(key));

  it('is a list of plays with hosts and named tasks, each using exactly one fully qualified module', () => {
    expect(plays.map((play) => play.hosts)).toEqual(['motoko', 'count-zero']);
    for (const task of tasks) {
      expect(task.name, JSON.stringify(task)).toEqual(expect.any(String));
      expect(moduleOf(task), String(task.name)).toHaveLength(1);
    }
  });

  it('notifies only handlers that exist', () => {
    const handlers = new Set(plays.flatMap((play) => play.handlers ?? []).map((handler) => handler.name));
    for (const task of tasks) if (task.notify) expect(handlers).toContain(task.notify);
  });

  it('writes the secrets file at the documented path with mode 0600 and without logging it', () => {
    const secrets = tasks.find((task) => (task['ansible.builtin.copy'] as { dest?: string } | undefined)?.dest === '{{ reconcile_env_file }}');
    expect(secrets, 'a copy task writing {{ reconcile_env_file }}').toBeDefined();
    expect((secrets!['ansible.builtin.copy'] as { mode: string }).mode).toBe('0600');
    expect(secrets!.no_log).toBe(true);
    expect((plays[0] as unknown as { vars: Record<string, string> }).vars.reconcile_env_file).toBe('/flux/runtime/secrets/reconcile.env');
  });

  const vars = (plays[0] as unknown as { vars: Record<string, unknown> }).vars;
  /** A loop over a play variable (`"{{ name }}"` or `"{{ name | dict2items }}"`), resolved. */
  const loopOf = (task: Record<string, unknown> | undefined): unknown => {
    const match = /^\{\{\s*(\w+)\s*(\|\s*dict2items\s*)?\}\}$/.exec(String(task?.loop));
    if (!match) return task?.loop;
    const value = vars[match[1]!];
    return match[2] ? Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ key, value: item })) : value;
  };
  const secretsFile = () => {
    const task = tasks.find((candidate) => (candidate['ansible.builtin.copy'] as { dest?: string } | undefined)?.dest === '{{ reconcile_env_file }}');
    return (task!['ansible.builtin.copy'] as { content: string }).content;
  };

  it('installs every unit from the release checkout, and enables and restarts them all', () => {
    const install = tasks.find((task) => String(task.name).startsWith('Systemd units'));
    expect(loopOf(install)).toEqual(Object.keys(units));
    for (const task of tasks.filter((candidate) => 'ansible.builtin.systemd_service' in candidate)) expect(loopOf(task), String(task.name)).toEqual(Object.keys(units));
  });

  it('keeps RECONCILE_ALLOW_DIRECT out of the env file every unit reads, and gives each web instance its own address', () => {
    const content = secretsFile();
    expect(content).not.toMatch(/RECONCILE_ALLOW_DIRECT/);
    expect(content).not.toMatch(/^NEXTAUTH_URL=/m);
    expect(content).toMatch(/^RECONCILE_AUTH=entra$/m);
    expect(content).toMatch(/^CF_ACCESS_AUD=/m);
    const address = tasks.find((task) => (task['ansible.builtin.copy'] as { dest?: string } | undefined)?.dest?.endsWith('.d/address.conf'));
    expect((address!['ansible.builtin.copy'] as { dest: string }).dest).toBe('/etc/systemd/system/{{ item.key }}.d/address.conf');
    expect((address!['ansible.builtin.copy'] as { content: string }).content).toBe('[Service]\nEnvironment=NEXTAUTH_URL={{ item.value }}\n');
    expect(loopOf(address)).toEqual([
      { key: 'reconcile-web.service', value: '{{ reconcile_public_url }}' },
      { key: 'reconcile-web-tailnet.service', value: '{{ reconcile_tailnet_url }}' },
    ]);
    // Nothing else in the playbook sets the flag either.
    expect(fs.readFileSync(path.join(repoRoot, 'deploy/ansible/reconcile.yml'), 'utf8').split('\n').filter((line) => /RECONCILE_ALLOW_DIRECT\s*=/.test(line) && !line.trim().startsWith('#'))).toEqual([]);
  });

  it('runs only CLI commands and options that exist', () => {
    for (const task of tasks) {
      const argv = (task['ansible.builtin.command'] as { argv?: string[] } | undefined)?.argv;
      if (!argv || argv[0] !== 'reconcile') continue;
      const command = program.commands.find((candidate) => candidate.name() === argv[1]);
      expect(command, `reconcile ${argv[1]}`).toBeDefined();
      const flags = new Set(command!.options.flatMap((option) => [option.long, option.short]));
      for (const flag of argv.slice(2).filter((arg) => arg.startsWith('-'))) expect(flags, `${argv[1]} ${flag}`).toContain(flag);
    }
  });

  it('installs a config file the config schema accepts', () => {
    const config = readConfigFile(path.join(repoRoot, 'deploy/ansible/templates/reconcile.yaml.j2'));
    expect(config.space).toBe('/space');
    expect(config.sources.filter((source) => source.landing === 'mike/_MAIN_FILES').map((source) => source.class).sort()).toEqual(['cloud', 'local']);
    expect(config.layout.mappings).toContainEqual({ from: 'inbox/wintermute-mdt_', to: 'devices/wintermute/mdt' });
  });
});

describe('deploy/ansible/reconcile-data-transfers.yml', () => {
  const plays = YAML.parse(fs.readFileSync(path.join(repoRoot, 'deploy/ansible/reconcile-data-transfers.yml'), 'utf8')) as {
    hosts: string;
    become_user: string;
    vars: Record<string, unknown>;
    tasks: Record<string, unknown>[];
  }[];
  const script = path.join(repoRoot, 'scripts/reconcile-multi-source-transfers.sh');

  it('runs the wrapper script on motoko as the service user, with the service environment', () => {
    expect(plays.map((play) => [play.hosts, play.become_user])).toEqual([['motoko', 'reconcile']]);
    const run = plays[0]!.tasks[0]!;
    const command = run['ansible.builtin.command'] as { argv: string };
    expect(command.argv).toContain("reconcile_home + '/scripts/reconcile-multi-source-transfers.sh'");
    expect(Object.keys(run.environment as object)).toEqual(['RECONCILE_BIN', 'RECONCILE_DATA_DIR', 'RECONCILE_CONFIG', 'RECONCILE_ENV_FILE']);
    expect(plays[0]!.vars.reconcile_env_file).toBe('/flux/runtime/secrets/reconcile.env');
    // Outstanding (3) is an outcome, not a failure of the play; failed (1) is.
    expect(run.failed_when).toBe('transfers.rc not in [0, 3]');
  });

  it('names a script that exists, is executable, parses, and runs only commands and options the CLI has', () => {
    expect(fs.statSync(script).mode & 0o111).not.toBe(0);
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const text = fs.readFileSync(script, 'utf8');
    for (const [, name, rest] of text.matchAll(/"\$\{reconcile\[@\]\}" ([a-z-]+)([^\n|]*)/g)) {
      const command = program.commands.find((candidate) => candidate.name() === name);
      expect(command, `reconcile ${name}`).toBeDefined();
      const flags = new Set(command!.options.flatMap((option) => [option.long, option.short]));
      for (const flag of rest!.split(/\s+/).filter((arg) => arg.startsWith('-'))) expect(flags, `${name} ${flag}`).toContain(flag);
    }
  });
});
