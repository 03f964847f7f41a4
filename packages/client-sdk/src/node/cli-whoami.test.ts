// `sluis whoami` end to end in-process (cli.test-util.ts): credentials, budget, the server's and
// the locally configured epochs, the pseudonym service the OPRF epochs use, and exit 6 when a local
// epoch is retired or unknown at the server (docs/sdk.md "CLI reference (`sluis`)").

import { describe, expect, it } from 'vitest';
import { localOprfPublicKey } from '../testing/fixtures.js';
import { EXIT } from './cli.js';
import { setup } from './cli.test-util.js';

const OPRF_PUBLIC_KEY = localOprfPublicKey();

/** The environment of OPRF epoch `epoch` at the pseudonym service `url`, beside the covenant key of epoch 1. */
const oprfBeside = (epoch: string, url: string) => ({
  SLUIS_OPRF_EPOCH: epoch,
  SLUIS_OPRF_PUBLIC_KEY: OPRF_PUBLIC_KEY,
  SLUIS_PSEUDONYM_SERVICE_URL: url,
});
/** The same with no covenant key. */
const oprfOnly = (epoch: string, url: string) => ({
  ...oprfBeside(epoch, url),
  SLUIS_PSEUDONYM_KEY_FILE: '',
  SLUIS_PSEUDONYM_KEY_EPOCH: '',
});

describe('sluis whoami', () => {
  it('whoami, human and --json', async () => {
    const { run } = await setup();
    const human = await run(['whoami']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('Jeugdzorg Test');
    // The budget counts people looked up (subject and parents), not placements
    // (docs/api.md "GET /v1/whoami").
    expect(human.stdout).toMatch(
      /budget: +\d+\/\d+ used today \(UTC; one unit per person looked up, parents included\)/,
    );
    const json = JSON.parse((await run(['whoami', '--json'])).stdout);
    expect(json.organisation.name).toBe('Jeugdzorg Test');
  });

  it('whoami reports the locally configured epochs, and none when there are none', async () => {
    const { run } = await setup();
    const human = await run(['whoami']);
    expect(human.stdout).toContain('local epochs: 1\n');
    expect(JSON.parse((await run(['whoami', '--json'])).stdout).localEpochs).toEqual([1]);
    const none = await run(['whoami'], {
      env: { SLUIS_PSEUDONYM_KEY_FILE: '', SLUIS_PSEUDONYM_KEY_EPOCH: '' },
    });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('local epochs: none configured');
  });

  it('whoami fails (exit 6) and says what to do when the only local OPRF epoch is retired', async () => {
    const { run } = await setup({
      epochs: [
        { epoch: 1, status: 'retired' },
        { epoch: 3, status: 'active' },
      ],
    });
    const oprf = oprfOnly('1', 'https://pseudoniem.example.nl');
    const human = await run(['whoami'], { env: oprf });
    expect(human.code).toBe(EXIT.epoch);
    expect(human.stdout).toContain('local epochs: 1\n');
    expect(human.stderr).toMatch(/^error: epoch_retired: local epoch 1 is retired at the server; configure/);
    expect(human.stderr).toContain('ask the municipality');
    expect(human.stderr).not.toContain(OPRF_PUBLIC_KEY);
    const json = await run(['whoami', '--json'], { env: oprf });
    expect(json.code).toBe(EXIT.epoch);
    expect(JSON.parse(json.stdout).localEpochsNotActive).toEqual([1]);
    // An epoch the server never registered is refused the same way, under its own label.
    const unknown = await run(['whoami'], { env: { ...oprf, SLUIS_OPRF_EPOCH: '2' } });
    expect(unknown.code).toBe(EXIT.epoch);
    expect(unknown.stderr).toContain('error: epoch_unknown: local epoch 2 is unknown to the server');
  });

  it('whoami names the pseudonym service its OPRF epochs use, text and --json, and none without one', async () => {
    const { run } = await setup({ epochs: [1, 2].map((epoch) => ({ epoch, status: 'active' as const })) });
    const oprf = oprfBeside('2', 'https://pseudoniem.example.nl/sluis/');
    // The covenant key's epoch 1 beside the OPRF epoch 2: the service is named for epoch 2 only.
    const human = await run(['whoami'], { env: oprf });
    expect(human.code).toBe(EXIT.ok);
    expect(human.stdout).toContain(
      'local epochs: 1, 2\noprf service: https://pseudoniem.example.nl/sluis (local epoch 2)\n',
    );
    const json = await run(['whoami', '--json'], { env: oprf });
    expect(JSON.parse(json.stdout)).toMatchObject({
      localEpochs: [1, 2],
      pseudonymServiceUrl: 'https://pseudoniem.example.nl/sluis',
    });
    // The URL, never the epoch's public key.
    expect(human.stdout + human.stderr + json.stdout + json.stderr).not.toContain(OPRF_PUBLIC_KEY);
    // A covenant key only: no service is used, so none is named, a configured URL notwithstanding.
    const hmac = { SLUIS_PSEUDONYM_SERVICE_URL: 'https://pseudoniem.example.nl' };
    expect((await run(['whoami'], { env: hmac })).stdout).not.toContain('oprf service');
    expect(
      JSON.parse((await run(['whoami', '--json'], { env: hmac })).stdout).pseudonymServiceUrl,
    ).toBeNull();
  });
});
