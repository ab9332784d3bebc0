import { createServer } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './free-port.ts';
import { startProcess, stopAll } from './process.ts';
import { waitFor } from './wait-for.ts';

afterAll(() => stopAll());

const node = process.execPath;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('freePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    await new Promise<void>((r) => server.close(() => r()));
  });
});

describe('waitFor', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : 0), { intervalMs: 5 })).toBe(3);
  });

  it('times out with the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still not there');
        },
        { timeoutMs: 50, intervalMs: 10, message: 'the thing' },
      ),
    ).rejects.toThrow(/timed out after 50ms: the thing \(last error: still not there\)/);
  });
});

describe('startProcess', () => {
  it('waits for readyPattern, collects stdout+stderr, and kills on demand', async () => {
    const p = await startProcess({
      cmd: node,
      args: [
        '-e',
        "console.error('warming'); setTimeout(() => console.log('READY ' + process.env.FOO), 50); setInterval(() => {}, 1000)",
      ],
      env: { FOO: 'bar' },
      readyPattern: /READY bar/,
    });
    expect(p.output()).toContain('warming');
    expect(p.output()).toContain('READY bar');
    expect(alive(p.pid)).toBe(true);
    const info = await p.kill('SIGTERM');
    expect(info.signal).toBe('SIGTERM');
    expect(p.hasExited).toBe(true);
  });

  it('waits for readyUrl to answer 2xx', async () => {
    const port = await freePort();
    const script = `setTimeout(() => require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1', () => console.log('up')), 200)`;
    const p = await startProcess({ cmd: node, args: ['-e', script], readyUrl: `http://127.0.0.1:${port}/` });
    expect(p.output()).toContain('up');
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(await res.text()).toBe('ok');
    await p.stop();
  });

  it('rejects with the output when the process exits before ready', async () => {
    await expect(
      startProcess({
        cmd: node,
        args: ['-e', "console.error('bad config'); process.exit(3)"],
        readyPattern: /never/,
      }),
    ).rejects.toThrow(/exited \(code 3\)[\s\S]*bad config/);
  });

  it('rejects and kills the child when not ready in time', async () => {
    let pid = 0;
    const started = startProcess({
      cmd: node,
      args: ['-e', 'console.log(process.pid); setInterval(() => {}, 1000)'],
      readyPattern: /never/,
      timeoutMs: 300,
    });
    await expect(started).rejects.toThrow(/did not match \/never\/ within 300ms[\s\S]*--- output ---\n(\d+)/);
    const err = await started.catch((e: Error) => e);
    pid = Number(/--- output ---\n(\d+)/.exec((err as Error).message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(false);
  });

  it('stop() escalates to SIGKILL when SIGTERM is ignored; the whole process group dies', async () => {
    // The parent spawns a grandchild (like pnpm/tsx wrappers do); both must die.
    const script = `
      const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      process.on('SIGTERM', () => {});
      console.log('child ' + c.pid);
      setInterval(() => {}, 1000);`;
    const p = await startProcess({ cmd: node, args: ['-e', script], readyPattern: /child \d+/ });
    const grandchild = Number(/child (\d+)/.exec(p.output())?.[1]);
    expect(alive(grandchild)).toBe(true);
    const info = await p.stop(200);
    expect(info.signal).toBe('SIGKILL');
    await waitFor(() => !alive(grandchild), { timeoutMs: 2000 });
  });

  it('waitForOutput resolves on later output', async () => {
    const p = await startProcess({
      cmd: node,
      args: [
        '-e',
        "console.log('a'); setTimeout(() => console.log('second line'), 100); setInterval(() => {}, 1000)",
      ],
      readyPattern: /a/,
    });
    await p.waitForOutput(/second line/, 2000);
    await p.stop();
  });

  it('stopAll() stops every running child', async () => {
    const a = await startProcess({
      cmd: node,
      args: ['-e', "console.log('x'); setInterval(() => {}, 1000)"],
      readyPattern: /x/,
    });
    const b = await startProcess({
      cmd: node,
      args: ['-e', "console.log('y'); setInterval(() => {}, 1000)"],
      readyPattern: /y/,
    });
    await stopAll();
    expect(a.hasExited && b.hasExited).toBe(true);
  });
});
