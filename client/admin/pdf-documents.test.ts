import { assert } from '@open-wc/testing';
import { enrolmentSlipDefinition, enrolmentSlipFileName } from './enrolment-slip.ts';
import { qrCodeSvg, recoverySheetDefinition } from './recovery-sheet.ts';
import { createRecoveryKit, openRecoveryKit } from '../../common/keys/index.ts';

const SLIP = {
  login: 'ivanova',
  displayName: 'Иванова Мария Петровна',
  oneTimePassword: 'k7m2p-xq9rt-4hfwa-n3cde',
  facilities: ['Кондопожская ЦРБ'],
  expiresAt: new Date(2026, 11, 6),
  issuedAt: new Date(2026, 10, 29),
  address: 'https://register.example.ru',
};

describe('enrolment slip', () => {
  it('holds the login, the one-time password, the facilities and the expiry date', () => {
    const text = JSON.stringify(enrolmentSlipDefinition(SLIP));
    assert.include(text, 'ivanova');
    assert.include(text, 'k7m2p-xq9rt-4hfwa-n3cde');
    assert.include(text, 'Кондопожская ЦРБ');
    assert.include(text, '06.12.2026');
    assert.include(text, 'Памятка для первого входа');
  });

  it('uses the Roboto font that pdfmake ships with Cyrillic', () => {
    assert.equal(enrolmentSlipDefinition(SLIP).defaultStyle.font, 'Roboto');
  });

  it('is saved under a file name with the login', () => {
    assert.equal(enrolmentSlipFileName('ivanova'), 'vhod-ivanova.pdf');
  });
});

describe('recovery sheet', () => {
  it('prints a real recovery code as text and as a QR code', async () => {
    const { code, kit } = await createRecoveryKit('crb-kondopoga');
    const definition = recoverySheetDefinition({
      facilityId: 'crb-kondopoga',
      facilityName: 'Кондопожская ЦРБ',
      recoveryCode: code,
      createdAt: new Date(2026, 10, 29),
      createdBy: 'admin',
    });
    const text = JSON.stringify(definition);
    assert.include(text, code);
    assert.include(text, 'сейф');
    assert.isTrue(definition.content.some((part) => typeof part === 'object' && 'svg' in part));
    // The printed code is the one that opens the kit.
    await openRecoveryKit(code, kit);
  });

  it('draws the QR code as an SVG with a quiet zone', () => {
    const svg = qrCodeSvg('7ZQK-M3W0-R1XD-C8NB-TV5H-2GJF-PA4E');
    const parsed = new DOMParser().parseFromString(svg, 'image/svg+xml');
    assert.equal(parsed.documentElement.nodeName, 'svg');
    assert.match(parsed.querySelector('path')?.getAttribute('d') ?? '', /^M4,4h1v1h-1z/);
  });
});
