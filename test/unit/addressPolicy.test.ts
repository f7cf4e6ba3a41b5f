import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressClass, addressRefusal, mayDownloadFrom, type AddressClass } from '../../src/core/addressPolicy';
import { englishMessage } from '../../src/core/messages';

const refusalMessage = (host: string, address: string, cls: AddressClass) => englishMessage(addressRefusal(host, address, cls));

describe('addressClass', () => {
  const cases: [string, AddressClass | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'loopback'],
    ['10.0.0.7', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['172.15.255.255', 'public'],
    ['192.168.1.1', 'private'],
    ['192.169.0.1', 'public'],
    ['100.64.0.1', 'private'],
    ['100.128.0.1', 'public'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fd12:3456::1', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['ff02::1', 'reserved'],
    ['ff80::1', 'reserved'],
    ['2001:4860:4860::8888', 'public'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.1.2.3]', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['example.com', undefined],
    ['localhost', undefined],
    ['1.2.3', undefined],
    ['256.1.1.1', undefined],
    ['01.2.3.4', undefined],
    ['1::2::3', undefined],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['12345::', undefined],
  ];
  for (const [host, cls] of cases) {
    it(`${host} → ${cls ?? 'not an address'}`, () => assert.equal(addressClass(host), cls));
  }
});

describe('mayDownloadFrom', () => {
  const none = new Set<AddressClass>(['public']);
  it('allows public addresses whatever the gateway', () => {
    assert.equal(mayDownloadFrom('public', none), true);
    assert.equal(mayDownloadFrom('public', new Set()), true);
  });
  it('refuses loopback, private and link-local for a public gateway', () => {
    for (const cls of ['loopback', 'private', 'linkLocal', 'reserved'] as const) assert.equal(mayDownloadFrom(cls, none), false, cls);
  });
  it('allows only the gateway’s own class for a local or LAN gateway', () => {
    const local = new Set<AddressClass>(['loopback']);
    assert.equal(mayDownloadFrom('loopback', local), true);
    assert.equal(mayDownloadFrom('private', local), false);
    assert.equal(mayDownloadFrom('linkLocal', local), false);
    const lan = new Set<AddressClass>(['private']);
    assert.equal(mayDownloadFrom('private', lan), true);
    assert.equal(mayDownloadFrom('loopback', lan), false);
  });
  it('never allows reserved or multicast addresses', () => {
    assert.equal(mayDownloadFrom('reserved', new Set<AddressClass>(['reserved'])), false);
  });
  it('says where the URL pointed and why it was not fetched', () => {
    assert.match(
      refusalMessage('images.test', '10.0.0.7', 'private'),
      /private network address, images\.test \(10\.0\.0\.7\); it was not downloaded/,
    );
    assert.match(refusalMessage('169.254.169.254', '169.254.169.254', 'linkLocal'), /metadata service\), 169\.254\.169\.254;/);
  });
});
