// Each space's help line from the brand (brand/demo.json, src/brand.ts): members call the insurer's
// advisers at the members' hours, HR at theirs (8h30–17h00 in the Espace Entreprise guide), and the
// insurer's staff are never told to call their own customer line: they get the portal's support.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createAccount, lastMessageTo, loginAs, textOf, tokenFrom } from '../helpers/fixtures.js';
import { loadBrand } from '../../src/brand.js';
import { BRAND_DIR } from '../../src/paths.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
before(async () => {
  t = await makeTestApp();
});
after(async () => {
  await t.close();
});

describe('help line and hours per space', () => {
  test('the demo brand: HR hours end at 17h00, members at 18h00, staff have their own support', () => {
    const { help } = t.config.brand;
    assert.equal(help.hoursEntreprise, 'du lundi au vendredi de 8h30 à 17h00');
    assert.equal(help.hours, 'du lundi au vendredi de 8h30 à 18h00');
    assert.notEqual(help.staff.phone, help.phone);
  });

  test("« Aide » in the Espace Assuré: the advisers at the members' hours", async () => {
    const member = await loginAs(t.app, t.db, 'assure', (await createAccount(t.db, { kind: 'member', mobile: '+33639980611' })).email);
    const text = textOf((await member.get('/assure/aide').expect(200)).text);
    const { help } = t.config.brand;
    assertIncludes(text, `Nos conseillers par téléphone Nos conseillers vous accompagnent ${help.hours} sur votre ligne dédiée : ${help.phone}`, text);
    assertIncludes(text, `Besoin d'aide ? Nos conseillers vous accompagnent ${help.hours}`, 'footer');
    assertExcludes(text, help.hoursEntreprise);
  });

  test('« Aide » in the Espace Entreprise: the HR hours, 17h00, on the page and in the footer', async () => {
    const hr = await loginAs(t.app, t.db, 'entreprise', (await createAccount(t.db, { kind: 'hr', mobile: '+33639980612' })).email);
    const { help } = t.config.brand;
    const text = textOf((await hr.get('/entreprise/aide').expect(200)).text);
    assertIncludes(text, `Nos conseillers par téléphone Nos conseillers vous accompagnent ${help.hoursEntreprise}`, text);
    assertIncludes(text, `Besoin d'aide ? Nos conseillers vous accompagnent ${help.hoursEntreprise}`, 'footer');
    assertExcludes(text, '18h00', "the HR help page never gives the members' hours");
  });

  test('in the Espace Gestion, staff are sent to the portal support, not to the customer line', async () => {
    const staff = await loginAs(t.app, t.db, 'gestion', (await createAccount(t.db, { kind: 'staff', mobile: '+33639980613' })).email);
    const { help } = t.config.brand;
    for (const page of ['/gestion/decomptes', '/gestion/documents', '/gestion/accueil', '/gestion/demandes']) {
      const text = textOf((await staff.get(page).expect(200)).text);
      assertIncludes(text, `Appelez ${help.staff.contact} ${help.staff.hours}`, `${page}: footer`);
      assertExcludes(text, help.phone, `${page} never gives the customer line`);
      assert.ok(!/nos conseillers/i.test(text), `${page} does not speak to staff as to a customer`);
    }
  });

  test("login pages of each door give that door's help line", async () => {
    const { help } = t.config.brand;
    const at = async (door: string) => textOf((await request(t.app).get(door).expect(200)).text);
    assertIncludes(await at('/assure'), `vous accompagnent ${help.hours}`);
    assertIncludes(await at('/entreprise'), `vous accompagnent ${help.hoursEntreprise}`);
    assertIncludes(await at('/entreprise/mot-de-passe-oublie'), `vous accompagnent ${help.hoursEntreprise}`);
    const staffLogin = await at('/gestion');
    assert.ok(staffLogin.includes(`Appelez ${help.staff.contact} ${help.staff.hours}`) && !staffLogin.includes(help.phone), staffLogin);
    assertIncludes(await at('/'), `vous accompagnent ${help.hours}`);
  });

  test("emails give the help line of their reader's space: HR hours to HR, members' hours to members", async () => {
    const { help } = t.config.brand;
    const hr = await createAccount(t.db, { kind: 'hr', mobile: '+33639980614' });
    const member = await createAccount(t.db, { kind: 'member', mobile: '+33639980615' });
    for (const [door, email] of [
      ['entreprise', hr.email],
      ['assure', member.email],
    ] as const) {
      const agent = request.agent(t.app);
      const token = await tokenFrom(agent, `/${door}/mot-de-passe-oublie`);
      await agent.post(`/${door}/mot-de-passe-oublie`).type('form').send({ _csrf: token, email }).expect(303);
      const message = await lastMessageTo(t.db, email);
      assert.ok(message, `${door}: a reset email`);
      const hours = door === 'entreprise' ? help.hoursEntreprise : help.hours;
      const other = door === 'entreprise' ? help.hours : help.hoursEntreprise;
      assertIncludes(message.body_text, `Nos conseillers vous répondent ${hours} au ${help.phone}`, message.body_text);
      assertExcludes(message.body_text, other, `${door}: never the other space's hours`);
      assertIncludes(message.body_html, hours, `${door}: the HTML says the same`);
    }
  });

  test('a brand file without the staff support is refused, naming the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'brand-'));
    try {
      const brand = JSON.parse(fs.readFileSync(path.join(BRAND_DIR, 'demo.json'), 'utf8'));
      fs.copyFileSync(path.join(BRAND_DIR, brand.logo), path.join(dir, brand.logo));
      delete brand.help.staff.hours;
      fs.writeFileSync(path.join(dir, 'brand.json'), JSON.stringify(brand));
      assert.throws(() => loadBrand(path.join(dir, 'brand.json')), /champ « help\.staff\.hours »/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
