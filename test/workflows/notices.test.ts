/** Which notices a run has seen: a repeat of a notice wakes the run at most once; the list is bounded. As a table. */
import {
  NOTICE_ID_MAX,
  NOTICE_MEMORY,
  NOTICE_WINDOW_MS,
  seeNotice,
  usableNoticeId,
  type SeenNotice,
} from '../../workflows/notices.js';

const T = 1_000_000;
const seen = (id: string, firstAt = T, deliveries = 1): SeenNotice => ({ id, firstAt, deliveries });

describe('seeNotice', () => {
  it.each<[string, SeenNotice[], string | undefined, number, { duplicate: boolean; seen: SeenNotice[] }]>([
    ['a first notice is new and remembered', [], 'EV1', T, { duplicate: false, seen: [seen('EV1')] }],
    [
      'the same id again is a duplicate, counted on the notice',
      [seen('EV1')],
      'EV1',
      T + 700,
      { duplicate: true, seen: [seen('EV1', T, 2)] },
    ],
    ['another id is new', [seen('EV1')], 'EV2', T + 1, { duplicate: false, seen: [seen('EV1'), seen('EV2', T + 1)] }],
    [
      'a notice without an id is always new, and nothing is remembered',
      [seen('EV1')],
      undefined,
      T,
      { duplicate: false, seen: [seen('EV1')] },
    ],
    [
      'the window counts from the first delivery: still inside it',
      [seen('EV1')],
      'EV1',
      T + NOTICE_WINDOW_MS - 1,
      { duplicate: true, seen: [seen('EV1', T, 2)] },
    ],
    [
      'past the window the id is forgotten, so it wakes the run once more',
      [seen('EV1')],
      'EV1',
      T + NOTICE_WINDOW_MS,
      { duplicate: false, seen: [seen('EV1', T + NOTICE_WINDOW_MS)] },
    ],
    [
      'old ids leave the list whatever arrives',
      [seen('OLD', T - NOTICE_WINDOW_MS), seen('EV1')],
      undefined,
      T,
      { duplicate: false, seen: [seen('EV1')] },
    ],
  ])('%s', (_name, before, id, now, after) => {
    expect(seeNotice(before, id, now)).toEqual(after);
  });

  it(`keeps at most ${NOTICE_MEMORY} ids, dropping the oldest`, () => {
    let list: SeenNotice[] = [];
    for (let i = 0; i < NOTICE_MEMORY + 5; i++) list = seeNotice(list, `EV${i}`, T + i).seen;
    expect(list).toHaveLength(NOTICE_MEMORY);
    expect(list[0]!.id).toBe('EV5');
    expect(seeNotice(list, 'EV0', T + 100).duplicate).toBe(false);
    expect(seeNotice(list, `EV${NOTICE_MEMORY + 4}`, T + 100).duplicate).toBe(true);
  });

  it('never changes the list it is given', () => {
    const before = [seen('EV1')];
    const copy = structuredClone(before);
    seeNotice(before, 'EV1', T + 1);
    seeNotice(before, 'EV2', T + 1);
    expect(before).toEqual(copy);
  });
});

describe('usableNoticeId', () => {
  it.each<[string, unknown, string | undefined]>([
    ['a provider event id', 'EV-2018022511223320873', 'EV-2018022511223320873'],
    ['a SHA-256 in hex', 'a'.repeat(64), 'a'.repeat(64)],
    ['the longest kept', 'x'.repeat(NOTICE_ID_MAX), 'x'.repeat(NOTICE_ID_MAX)],
    ['too long: treated as no id', 'x'.repeat(NOTICE_ID_MAX + 1), undefined],
    ['empty', '', undefined],
    ['not text', 42, undefined],
    ['absent', undefined, undefined],
  ])('%s', (_name, id, usable) => {
    expect(usableNoticeId(id)).toBe(usable);
  });
});
