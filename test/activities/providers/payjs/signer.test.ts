/** PAYJS signer against the worked vectors of docs/providers/payjs.md §2.4 (P1–P4). */
import { createHash } from 'node:crypto';
import { payjsSign, payjsVerify, signingString } from '../../../../activities/providers/payjs/signer.js';

const KEY = 'PJkey0123456789ABCDEFabcdef01234';
const P3 = { mchid: '1528140051', out_trade_no: '2332', paid_time: '0', payjs_order_id: '2019043012232600733973651', return_code: 1, status: 0, total_fee: 21, transaction_id: '0' };
const P4 = {
  return_code: 1,
  total_fee: 100,
  out_trade_no: 'ORDER-20240101-0001',
  payjs_order_id: '2024010112000000123456789',
  transaction_id: '4200002000202401011234567890',
  time_end: '2024-01-01 12:00:05',
  openid: 'o7LFAwaFdmKH217MddWDDyYuv7Ms',
  mchid: '1528140051',
  attach: 'a b+c 中文',
  type: '',
};

describe('PAYJS signer: docs/providers/payjs.md §2.4 vectors', () => {
  it('P1 documentation example with the placeholder key', () => {
    const fields = { mchid: '12345', out_trade_no: '123123123123', total_fee: 1 };
    expect(signingString(fields, 'xxxxxxxxx')).toBe('mchid=12345&out_trade_no=123123123123&total_fee=1&key=xxxxxxxxx');
    expect(payjsSign(fields, 'xxxxxxxxx')).toBe('D284B39BA646EB978DF4FF1F5E59D2AD');
  });

  it('P2 check request', () => {
    expect(payjsSign({ mchid: '1528140051', payjs_order_id: '2019043012232600733973651' }, KEY)).toBe('C859D51AFB8A527BD4CE2CE12AE964B0');
  });

  it('P3a drops "0" and 0 like PHP array_filter', () => {
    expect(signingString(P3, KEY)).toBe(
      'mchid=1528140051&out_trade_no=2332&payjs_order_id=2019043012232600733973651&return_code=1&total_fee=21&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSign(P3, KEY)).toBe('6C0A06B240E79F57B74A86830BB42BB4');
  });

  it('P3b keeps zeros in the fallback variant', () => {
    expect(payjsSign(P3, KEY, true)).toBe('575FDCE117E85979BA17E0AF91DE381E');
  });

  it('verification accepts either 0-handling variant, and nothing else', () => {
    expect(payjsVerify({ ...P3, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, KEY)).toBe(true);
    expect(payjsVerify({ ...P3, sign: '575FDCE117E85979BA17E0AF91DE381E' }, KEY)).toBe(true);
    expect(payjsVerify({ ...P3, total_fee: 22, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, KEY)).toBe(false);
    expect(payjsVerify({ ...P3, status: 1, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, KEY)).toBe(false);
    expect(payjsVerify({ ...P3, sign: '6c0a06b240e79f57b74a86830bb42bb4' }, KEY)).toBe(false);
    expect(payjsVerify({ ...P3, sign: '6C0A06B240E79F57B74A86830BB42BB4' }, 'another-key')).toBe(false);
    expect(payjsVerify({ ...P3 }, KEY)).toBe(false);
    expect(payjsVerify({ ...P3, sign: 'short' }, KEY)).toBe(false);
  });

  it('P4a raw values (space, +, Chinese) and an empty type left out', () => {
    expect(signingString(P4, KEY)).toBe(
      'attach=a b+c 中文&mchid=1528140051&openid=o7LFAwaFdmKH217MddWDDyYuv7Ms&out_trade_no=ORDER-20240101-0001&payjs_order_id=2024010112000000123456789&return_code=1&time_end=2024-01-01 12:00:05&total_fee=100&transaction_id=4200002000202401011234567890&key=PJkey0123456789ABCDEFabcdef01234',
    );
    expect(payjsSign(P4, KEY)).toBe('5EF8D06CC5B95DACA93B1FFF263A217D');
  });

  it("P4b: the docs' Python demo (unquote(urlencode()): spaces become +) gives another digest, which we reject", () => {
    const python = signingString(P4, KEY).replaceAll(' ', '+');
    expect(createHash('md5').update(python, 'utf8').digest('hex').toUpperCase()).toBe('2B38ECC110195FE33E6295E56A38F925');
    expect(payjsVerify({ ...P4, sign: '2B38ECC110195FE33E6295E56A38F925' }, KEY)).toBe(false);
  });

  it('sorts keys byte-wise and writes true as 1, false and null as absent', () => {
    expect(signingString({ b: 'x', a_b: 'y', a: 'z', t: true, f: false, n: null }, 'k')).toBe('a=z&a_b=y&b=x&t=1&key=k');
  });
});
