import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LabInputError, type TerminalHandle } from '@netcanvas/kernel';
import { loadExample, refusedField, testLab } from './lab-fixture';

// The browser terminal's shell on the real kernel: confined as docs/security.md says. One sandbox
// holding the tutorial's veth pair (ns0 10.0.1.1 ↔ ns1 10.0.1.2), one terminal in ns1.

let lab: Lab;
let term: TerminalHandle;
let output = '';
let exited = false;

beforeAll(async () => {
  lab = await testLab('terminal');
  const { report } = await lab.converge(loadExample('veth-pair.json'), { dryRun: false });
  if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
  term = await lab.terminal('ns1', { cols: 200, rows: 50 });
  term.onData((data) => (output += data));
  term.onExit(() => (exited = true));
});
afterAll(async () => {
  term?.kill();
  await lab?.destroy({ force: true });
});

let marks = 0;
/** Types `command` and resolves to what it printed (up to a marker echoed after it). */
async function typed(command: string, timeoutMs = 8000): Promise<string> {
  const mark = `--done-${++marks}--`;
  const from = output.length;
  // The marker is split in the typed text so that only its output, not its echo, matches.
  term.write(`${command}; echo "--done-""${marks}--"\r`);
  const deadline = Date.now() + timeoutMs;
  while (!output.slice(from).includes(mark)) {
    if (Date.now() > deadline) throw new Error(`no answer to ${command}: ${output.slice(from)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const text = output.slice(from);
  return text.slice(0, text.lastIndexOf(mark));
}

describe('a terminal in a namespace of the lab', () => {
  it("sees the namespace's own interfaces and addresses, not the host's", async () => {
    // Its state is not the point (UP once the peer's carrier is seen, which the kernel takes its time for).
    expect(await typed('ip -br addr')).toMatch(/veth1@\S+\s+[A-Z]+\s+10\.0\.1\.2\/24/);
    const links = await typed('ip -br link; ls /sys/class/net');
    const hostOnly = readdirSync('/sys/class/net').filter((name) => name !== 'lo');
    expect(hostOnly.length).toBeGreaterThan(0);
    for (const name of hostOnly) expect(links).not.toMatch(new RegExp(`\\b${name}\\b`));
    expect(links).toMatch(/veth1/);
  });

  it('runs as nobody with only net_admin, net_raw and sys_admin, and no new privileges', async () => {
    const status = await typed('id -u; grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status');
    expect(status).toMatch(/^65534\r?$/m);
    // bits 12 (net_admin), 13 (net_raw), 21 (sys_admin)
    expect(status).toMatch(/CapEff:\s+0000000000203000/);
    expect(status).toMatch(/CapBnd:\s+0000000000203000/);
    expect(status).toMatch(/NoNewPrivs:\s+1/);
  });

  it("cannot write the host's files: /etc is read-only, and stays unwritable if remounted", async () => {
    expect(await typed('echo x > /etc/netcanvas-terminal-x')).toMatch(/Read-only file system/);
    expect(await typed('mount -o remount,rw / ; echo y > /etc/netcanvas-terminal-x')).toMatch(
      /Permission denied/,
    );
    expect(existsSync('/etc/netcanvas-terminal-x')).toBe(false);
    // Its own /tmp and home are writable, and see nothing of the host's /tmp.
    expect(await typed('echo ok > ~/f && cat ~/f && ls -A /tmp')).toMatch(/^ok\r?\nhome\r?$/m);
  });

  it('sees only its own processes', async () => {
    const ps = await typed('ls /proc | grep -c "^[0-9]"');
    expect(Number(ps.trim().split(/\s+/).pop())).toBeLessThan(10);
  });

  it('changes the lab: ip link add and iptables -A show in the lab', async () => {
    expect(await typed('ip link add tt0 type veth peer name tt1 && echo made')).toMatch(/^made/m);
    expect(await typed('iptables -A INPUT -p icmp -j ACCEPT && iptables -S INPUT')).toMatch(
      /-A INPUT -p icmp -j ACCEPT/,
    );
    const observed = await lab.observe();
    const ns1 = observed.namespaces.find((ns) => ns.name === 'ns1');
    expect(ns1?.interfaces.map((i) => i.ifname)).toContain('tt0');
  });

  it("ip netns add in a new lab's root makes a namespace of the lab", async () => {
    // A new sandbox: nothing has run `ip netns add` in it yet, so its /run/netns is not shared
    // until the terminal makes it so.
    const empty = await testLab('terminal-empty');
    const root = await empty.terminal('root', { cols: 80, rows: 24 });
    try {
      let text = '';
      root.onData((data) => (text += data));
      root.write('ip netns add fromterm && echo "add""ed"\r');
      const deadline = Date.now() + 8000;
      while (!text.includes('added') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(text).toMatch(/added/);
      expect(await empty.namespaces()).toEqual(['fromterm']);
      // The namespace is the lab's, not the terminal's: it outlives the terminal.
      root.kill();
      const after = await empty.run('fromterm', ['ip', '-br', 'link']);
      expect(after.exitCode).toBe(0);
      expect(after.stdout).toMatch(/^lo\s/m);
    } finally {
      root.kill();
      await empty.destroy({ force: true });
    }
  });

  it('captures with tcpdump', async () => {
    const seen = await typed(
      'timeout 6 tcpdump -l -n -i veth1 -c 1 icmp 2>/dev/null & sleep 1; ping -c 2 -W 1 10.0.1.1 >/dev/null; wait',
      12_000,
    );
    expect(seen).toMatch(/ICMP echo request/);
  });
});

describe('bad input and the end', () => {
  it('refuses a bad size or namespace, naming the field, before anything runs', async () => {
    expect(await refusedField(() => lab.terminal('ns1', { cols: 0, rows: 20 }))).toBe('cols');
    expect(await refusedField(() => lab.terminal('ns1', { cols: 80, rows: 1e6 }))).toBe('rows');
    expect(await refusedField(() => lab.terminal('-n', { cols: 80, rows: 20 }))).toBe('namespace');
    expect(() => term.resize(80, 0)).toThrow(LabInputError);
  });

  it('refuses a terminal on the host lab', async () => {
    const host = await Lab.open({ host: true }, { create: false });
    expect(await refusedField(() => host.terminal('root', { cols: 80, rows: 20 }))).toBe('lab');
    await host.close();
  });

  it('kill ends the shell and everything started from it', async () => {
    // nohup: it outlives a hangup; only the end of the terminal's pid namespace ends it.
    term.write('nohup sleep 313 >/dev/null 2>&1 &\r');
    await new Promise((resolve) => setTimeout(resolve, 300));
    term.kill();
    const deadline = Date.now() + 3000;
    while (!exited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exited).toBe(true);
    // Nothing of it is left in ns1 (its namespace would otherwise live on after `ip netns delete`).
    const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
    const sleepers = left.filter((p) => {
      try {
        return readdirSync(`/proc/${p}`).length > 0 && cmdline(p) === 'sleep\u0000313\u0000';
      } catch {
        return false;
      }
    });
    expect(sleepers).toEqual([]);
  });
});

function cmdline(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
