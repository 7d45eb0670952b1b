import {
  ALLOW_INTERNAL_TARGETS_KEY,
  LookupAll,
  refuseInternalTargets,
} from './refuseInternalTargets';

const resolvesTo =
  (...addresses: string[]): LookupAll =>
  async () =>
    addresses.map(address => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));

const neverCalled: LookupAll = async hostname => {
  throw new Error(`looked up ${hostname}`);
};

describe('refuseInternalTargets', () => {
  it.each([
    [
      'http://127.0.0.1:7007/api/catalog/entities',
      /127\.0\.0\.1 is a loopback/,
    ],
    ['http://127.8.9.10/', /127\.8\.9\.10 is a loopback/],
    ['http://2130706433/', /127\.0\.0\.1 is a loopback/],
    ['http://0x7f.1/', /127\.0\.0\.1 is a loopback/],
    ['http://127.1/', /127\.0\.0\.1 is a loopback/],
    ['http://[::1]/sbom.json', /::1 is a loopback/],
    ['http://[::ffff:127.0.0.1]/', /::ffff:7f00:1 is a loopback/],
    ['http://0.0.0.0/x', /0\.0\.0\.0 is the unspecified address/],
    ['http://0/', /0\.0\.0\.0 is the unspecified address/],
    ['http://[::]/', /:: is the unspecified address/],
    [
      'http://169.254.169.254/latest/meta-data/',
      /169\.254\.169\.254 is a link-local/,
    ],
    ['http://[fe80::1]/', /fe80::1 is a link-local/],
    ['http://[fd00:ec2::254]/', /fd00:ec2::254 is a cloud metadata address/],
    ['http://100.100.100.200/', /is a cloud metadata address/],
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      /'metadata.google.internal' is a cloud metadata host name/,
    ],
    [
      'http://METADATA.google.internal./x',
      /'metadata.google.internal' is a cloud metadata host name/,
    ],
    ['http://metadata/x', /'metadata' is a cloud metadata host name/],
  ])('refuses %s without a DNS lookup', async (url, why) => {
    const refused = refuseInternalTargets(url, { lookup: neverCalled });
    await expect(refused).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(refused).rejects.toThrow(why);
    await expect(refused).rejects.toThrow(`Refused to read '${url}'`);
    await expect(refused).rejects.toThrow(ALLOW_INTERNAL_TARGETS_KEY);
  });

  it('refuses localhost through the real DNS lookup', async () => {
    await expect(refuseInternalTargets('http://localhost/x')).rejects.toThrow(
      /Refused to read 'http:\/\/localhost\/x': 'localhost' resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
  });

  it('refuses a host name when any of its addresses is internal', async () => {
    await expect(
      refuseInternalTargets('https://sbom.corp.example/a.json', {
        lookup: resolvesTo('93.184.215.14', '169.254.169.254'),
      }),
    ).rejects.toThrow(
      "Refused to read 'https://sbom.corp.example/a.json': 'sbom.corp.example' resolves to 169.254.169.254, a link-local address",
    );
  });

  it('refuses a host name that does not resolve: it cannot be checked', async () => {
    const lookup: LookupAll = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    await expect(
      refuseInternalTargets('https://nowhere.example/x', { lookup }),
    ).rejects.toThrow(
      "its host 'nowhere.example' does not resolve (ENOTFOUND), so it cannot be checked",
    );
  });

  it('refuses other schemes', async () => {
    await expect(
      refuseInternalTargets('file:///etc/passwd', { lookup: neverCalled }),
    ).rejects.toThrow(
      "Refused to read 'file:///etc/passwd': only http and https URLs are read for an entity",
    );
  });

  it.each([
    [
      'https://github.com/acme/app/blob/main/sbom.json',
      resolvesTo('140.82.121.3'),
    ],
    // self-hosted GitHub, GitLab and Bitbucket live on private networks
    ['https://git.corp.example/app/sbom.json', resolvesTo('10.0.0.5')],
    ['https://192.168.1.20/sbom.json', neverCalled],
    ['https://[2001:db8::1]/sbom.json', neverCalled],
  ])('lets %s through to UrlReader', async (url, lookup) => {
    await expect(refuseInternalTargets(url, { lookup })).resolves.toBe(
      undefined,
    );
  });

  it('gives up on the lookup when the gate is aborted', async () => {
    const controller = new AbortController();
    const pending = refuseInternalTargets('https://slow.example/x', {
      lookup: () => new Promise(() => {}),
      signal: controller.signal,
    });
    controller.abort(new Error('gate timed out'));
    await expect(pending).rejects.toThrow('gate timed out');
  });
});
