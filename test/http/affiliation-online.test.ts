// Affiliation en ligne (/affiliation/<token>): the link from a real HR pre-affiliation, the
// birth-date check (5 tries), draft and return, every check of « Transmettre », the documents,
// and the links that must all look the same once unusable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createHrCompany, createHrUser, type TestCompany } from '../helpers/entreprise.js';
import { decoded, lastMessageTo, linkIn, loginAs, tokenFrom, textOf } from '../helpers/fixtures.js';
import { makeFrenchIban } from '../../src/domain/iban.js';
import { nirKey } from '../../src/domain/nir.js';
import { AFFILIATION_MESSAGES } from '../../src/domain/affiliation-requests.js';
import { FORM_TEXTS } from '../../src/affiliation-requests/form-check.js';
import { assertExcludes, assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let alpha: TestCompany;
let hr: { id: number; email: string };
let hrAgent: Awaited<ReturnType<typeof loginAs>>;
let counter = 0;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const full = (nir13: string) => nir13 + String(nirKey(nir13)).padStart(2, '0');

/** Pre-affiliates an employee through the HR wizard; returns the link emailed to them. */
async function preAffiliate(birth = '12/04/1996'): Promise<{ link: string; id: number; nir13: string }> {
  counter += 1;
  const [d, m, y] = birth.split('/');
  const nir13 = `2${y.slice(2)}${m}33063${String(500 + counter).padStart(3, '0')}`;
  const email = `salarie${counter}@exemple.fr`;
  const send = async (p: string, body: Record<string, string>) => {
    const token = await tokenFrom(hrAgent, '/entreprise/accueil');
    const res = await hrAgent
      .post(`/entreprise/pre-affiliation/${p}`)
      .type('form')
      .send({ _csrf: token, ...body });
    assert.equal(res.status, 303, `${p}: ${textOf(res.text).slice(-600)}`);
  };
  await send('etablissement', { etablissement: String(alpha.establishments[0].id) });
  await send('statut', { statut_professionnel: 'non_cadre' });
  await send('deja-affilie', { deja_affilie: 'non' });
  await send('salarie', {
    nir: nir13,
    nom: 'Fontaine',
    prenom: 'Léa',
    email,
    date_naissance: `${d}/${m}/${y}`,
    date_entree: '01/12/2026',
    date_affiliation: '01/12/2026',
    type_contrat: 'CDI',
    date_debut_contrat: '01/12/2026',
    statut_professionnel: 'non_cadre',
    statut_entreprise: 'salarie',
  });
  const row = await t.db('affiliation_requests').where({ email }).first();
  return { link: linkIn((await lastMessageTo(t.db, email)).body_text), id: row.id, nir13 };
}

/** An employee's browser that passed the birth-date check. */
async function employeeAgent(link: string, birth = '12/04/1996') {
  const agent = request.agent(t.app);
  const token = await tokenFrom(agent, link);
  const res = await agent.post(link).type('form').send({ _csrf: token, date_naissance: birth });
  assert.equal(res.status, 303, textOf(res.text).slice(-500));
  assert.equal(res.headers.location, `${link}/formulaire`);
  return agent;
}

/** POSTs the form (multipart), with optional files. */
async function sendForm(agent: request.Agent, link: string, fields: Record<string, string>, files: Record<string, [Buffer, string]> = {}) {
  const token = await tokenFrom(agent, `${link}/formulaire`);
  let req = agent.post(`${link}/formulaire`).field('_csrf', token);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  for (const [name, [content, filename]] of Object.entries(files)) req = req.attach(name, content, filename);
  return req;
}

function completeFields(nir13: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    civilite: 'F',
    nom: 'Fontaine',
    prenom: 'Léa',
    date_naissance: '12/04/1996',
    nir: full(nir13),
    adresse1: '12 rue Sainte-Catherine',
    code_postal: '33000',
    ville: 'Bordeaux',
    email: 'lea.perso@exemple.fr',
    mobile: '06 12 34 56 78',
    iban: makeFrenchIban('30004', '00031', '00012345678'),
    titulaire: 'Léa Fontaine',
    code_organisme: '013310000',
    teletransmission: 'oui',
    consentement: 'oui',
    action: 'transmettre',
    ...overrides,
  };
}

before(async () => {
  t = await makeTestApp();
  alpha = await createHrCompany(t.db, 'Alpha Immobilier', 2);
  hr = await createHrUser(t.db, [{ company: alpha, role: 'admin' }], { firstName: 'Eugénie' });
  hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
});
after(async () => t.close());

describe('the link', () => {
  test('unknown, expired, cancelled, transmitted or locked: one and the same page, 404', async () => {
    const pages: string[] = [];
    const check = async (link: string) => {
      const res = await request(t.app).get(link).expect(404);
      pages.push(textOf(res.text).replace(/\s+/g, ' '));
      assertIncludes(textOf(res.text), AFFILIATION_MESSAGES.linkUnusable);
    };
    await check('/affiliation/ceci-n-existe-pas-du-tout-0123456789abcdef');
    await check('/affiliation/x');
    const cancelled = await preAffiliate();
    await t.db('affiliation_requests').where({ id: cancelled.id }).update({ status: 'cancelled' });
    await check(cancelled.link);
    const expired = await preAffiliate();
    await t
      .db('affiliation_requests')
      .where({ id: expired.id })
      .update({ token_expires_at: new Date(t.clock().getTime() - 1000).toISOString() });
    await check(expired.link);
    const done = await preAffiliate();
    await t.db('affiliation_requests').where({ id: done.id }).update({ status: 'finalized' });
    await check(done.link);
    // The same words whatever the reason.
    assert.equal(new Set(pages.map((p) => p.slice(p.indexOf('Ce lien'), p.indexOf('nouveau lien')))).size, 1);
  });

  test('the birth date opens the form; 5 wrong dates lock the link for good', async () => {
    const { link, id } = await preAffiliate();
    const agent = request.agent(t.app);
    const page = textOf((await agent.get(link).expect(200)).text);
    assertIncludes(page, 'Alpha Immobilier vous a pré-affilié(e)');
    await agent.get(`${link}/formulaire`).expect(303);
    const post = async (value: string, status: number) => {
      const token = await tokenFrom(agent, link);
      const res = await agent.post(link).type('form').send({ _csrf: token, date_naissance: value });
      assert.equal(res.status, status);
      return textOf(res.text);
    };
    assertIncludes(await post('31/02/1996', 422), 'Saisissez votre date de naissance au format jj/mm/aaaa.');
    assert.equal((await t.db('affiliation_requests').where({ id }).first()).dob_attempts, 0, 'a malformed date is not a try');
    for (let left = 4; left >= 1; left--) assertIncludes(await post('13/04/1996', 422), `Il vous reste ${left} essai`);
    assertIncludes(await post('13/04/1996', 404), AFFILIATION_MESSAGES.linkUnusable);
    // Even the right date no longer opens it.
    await agent.get(link).expect(404);
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.dob_attempts, 5);
    assert.equal(row.status, 'sent');
    assert.ok(await t.db('affiliation_request_events').where({ request_id: id, kind: 'link_locked' }).first());
    const history = textOf((await hrAgent.get(`/entreprise/suivi-affiliations/${id}`).expect(200)).text);
    assertIncludes(history, "Lien d'affiliation bloqué");

    // HR's reminder (a day after the first email) sends a new link with its 5 tries again.
    t.clock.advance(24 * 3600 * 1000);
    // (The HR session ended meanwhile: idle for a day.)
    hrAgent = await loginAs(t.app, t.db, 'entreprise', hr.email);
    const token = await tokenFrom(hrAgent, `/entreprise/suivi-affiliations/${id}`);
    await hrAgent.post(`/entreprise/suivi-affiliations/${id}/relancer`).type('form').send({ _csrf: token }).expect(303);
    const row2 = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row2.dob_attempts, 0);
    const fresh = linkIn((await lastMessageTo(t.db, row2.email)).body_text);
    assert.notEqual(fresh, link);
    await employeeAgent(fresh);
  });

  test('dates sent together: exactly 5 tries, the link locked once, the right date afterwards refused', async () => {
    const { link, id } = await preAffiliate();
    const browsers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const agent = request.agent(t.app);
        return { agent, token: await tokenFrom(agent, link) };
      }),
    );
    const responses = await Promise.all(
      browsers.map(({ agent, token }, i) =>
        agent
          .post(link)
          .type('form')
          .send({ _csrf: token, date_naissance: `${String(i + 1).padStart(2, '0')}/01/1990` }),
      ),
    );
    const counts = { wrong: responses.filter((res) => res.status === 422).length, locked: responses.filter((res) => res.status === 404).length };
    assert.deepEqual(counts, { wrong: 4, locked: 16 }, 'tries 1-4 say how many are left; the 5th locks; the rest find the link locked');
    for (const left of [4, 3, 2, 1]) assert.equal(responses.filter((res) => textOf(res.text).includes(`Il vous reste ${left} essai`)).length, 1);
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.dob_attempts, 5);
    assert.equal((await t.db('affiliation_request_events').where({ request_id: id, kind: 'link_locked' })).length, 1);
    const agent = request.agent(t.app);
    await agent.get(link).expect(404);
  });

  test('the right date with wrong ones at the same moment: the right one does not count, every wrong one does', async () => {
    const { link, id } = await preAffiliate();
    const browsers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const agent = request.agent(t.app);
        return { agent, token: await tokenFrom(agent, link) };
      }),
    );
    const responses = await Promise.all(
      browsers.map(({ agent, token }, i) =>
        agent
          .post(link)
          .type('form')
          .send({ _csrf: token, date_naissance: i === 0 ? '12/04/1996' : `0${i}/01/1990` }),
      ),
    );
    assert.deepEqual(
      responses.map((res) => res.status),
      [303, 422, 422, 422],
    );
    assert.equal((await t.db('affiliation_requests').where({ id }).first()).dob_attempts, 3);
  });

  test("the right date opens the form pre-filled with what HR typed, and starts nothing: still « Envoyé à l'employé »", async () => {
    const { link, id, nir13 } = await preAffiliate();
    const agent = await employeeAgent(link);
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.status, 'sent');
    assert.equal(row.started_at, null);
    assert.deepEqual(
      (await t.db('affiliation_request_events').where({ request_id: id }).orderBy('id')).map((e: { kind: string }) => e.kind),
      ['created', 'email_sent'],
    );
    const tracking = textOf((await hrAgent.get(`/entreprise/suivi-affiliations/${id}`).expect(200)).text);
    assert.ok(tracking.includes("Envoyé à l'employé") && !tracking.includes('Démarré par le salarié'), 'HR sees the request as sent');
    const html = decoded((await agent.get(`${link}/formulaire`).expect(200)).text);
    for (const value of ['Fontaine', 'Léa', '12/04/1996', nir13]) assertIncludes(html, `value="${value}"`, value);
    // Another request's form is not opened by this session.
    const otherLink = (await preAffiliate()).link;
    assert.equal((await agent.get(`${otherLink}/formulaire`).expect(303)).headers.location, otherLink);
  });
});

describe('draft and transmission', () => {
  test('« Enregistrer le brouillon » keeps everything as typed; coming back later shows it', async () => {
    const { link, id } = await preAffiliate();
    const agent = await employeeAgent(link);
    const res = await sendForm(agent, link, {
      action: 'brouillon',
      adresse1: '3 cours de l’Intendance',
      ville: 'Bordeaux',
      iban: 'FR76 pas fini',
      enfant1_prenom: 'Jules',
    });
    assert.equal(res.status, 303);
    const page = textOf((await agent.get(`${link}/formulaire`).expect(200)).text);
    assertIncludes(page, 'Votre brouillon est enregistré');
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.status, 'started', 'the saved draft is what starts the affiliation');
    assert.equal(row.started_at, t.clock().toISOString());
    assert.equal(JSON.parse(row.form_data).fields.iban, 'FR76 pas fini');
    assert.deepEqual(
      (await t.db('affiliation_request_events').where({ request_id: id }).orderBy('id')).map((e: { kind: string }) => e.kind),
      ['created', 'email_sent', 'started', 'draft_saved'],
    );
    const tracking = textOf((await hrAgent.get(`/entreprise/suivi-affiliations/${id}`).expect(200)).text);
    assertIncludes(tracking, 'Démarré par le salarié', 'HR sees « Démarré par le salarié »');
    assert.ok(tracking.includes('Affiliation démarrée en ligne par le salarié') && tracking.includes('Brouillon enregistré par le salarié'));
    const later = await employeeAgent(link);
    const html = decoded((await later.get(`${link}/formulaire`).expect(200)).text);
    for (const value of ['3 cours de l’Intendance', 'FR76 pas fini', 'Jules']) assertIncludes(html, `value="${value}"`, value);
  });

  test('a draft stored in the structured shape only (demo seed) pre-fills the form; saving keeps it beside the typed fields', async () => {
    const { link, id, nir13 } = await preAffiliate();
    const seeded = {
      identity: { sex: 'F', lastName: 'Fontaine', firstName: 'Léa', birthName: null, birthDate: '1996-04-12', nir: full(nir13) },
      address: { line1: '3 rue Royale', line2: null, postalCode: '33000', city: 'Bordeaux' },
      contact: { email: 'lea.seed@exemple.fr', mobile: '+33612345678' },
    };
    await t
      .db('affiliation_requests')
      .where({ id })
      .update({ form_data: JSON.stringify(seeded) });
    const agent = await employeeAgent(link);
    const html = decoded((await agent.get(`${link}/formulaire`).expect(200)).text);
    for (const value of ['3 rue Royale', '33000', 'lea.seed@exemple.fr', '+33612345678', full(nir13)]) assertIncludes(html, `value="${value}"`, value);
    assert.equal((await sendForm(agent, link, { action: 'brouillon', adresse1: '4 rue Royale' })).status, 303);
    const data = JSON.parse((await t.db('affiliation_requests').where({ id }).first()).form_data);
    assert.deepEqual(data.fields, { adresse1: '4 rue Royale' });
    assert.deepEqual(data.identity, seeded.identity, 'what was stored beside the fields is kept');
    const again = decoded((await agent.get(`${link}/formulaire`).expect(200)).text);
    assert.ok(again.includes('value="4 rue Royale"') && !again.includes('value="3 rue Royale"'), 'the typed fields win once saved');
  });

  test('« Transmettre »: every check beside its field, values kept, nothing lost', async () => {
    const { link, id, nir13 } = await preAffiliate();
    const agent = await employeeAgent(link);
    const cases: [Record<string, string>, string, string][] = [
      [{ nir: nir13 }, 'nir', FORM_TEXTS.nirFifteen],
      [{ nir: full(nir13), civilite: 'M' }, 'nir', FORM_TEXTS.nirBirth],
      [{ civilite: '' }, 'civilite', FORM_TEXTS.civility],
      [{ date_naissance: '12/05/1996' }, 'date_naissance', FORM_TEXTS.birthDateChanged],
      [{ code_postal: '00000' }, 'code_postal', 'Le code postal'],
      [{ email: '', mobile: '' }, 'email', FORM_TEXTS.contact],
      [{ mobile: '01 23 45 67 89' }, 'mobile', 'mobile'],
      [{ iban: 'FR7630004000310001234567800' }, 'iban', 'IBAN'],
      [{ code_organisme: '1234' }, 'code_organisme', FORM_TEXTS.fundCode],
      [{ conjoint: 'oui' }, 'conjoint_nom', FORM_TEXTS.spouseMissing],
      [{ enfant1_prenom: 'Jules' }, 'enfant1_nom', FORM_TEXTS.childIncomplete],
      [
        { enfant2_nom: 'Fontaine', enfant2_prenom: 'Max', enfant2_sexe: 'M', enfant2_date_naissance: '01/01/1990' },
        'enfant2_date_naissance',
        FORM_TEXTS.childTooOld,
      ],
      [{ teletransmission: '' }, 'teletransmission', FORM_TEXTS.teletransmission],
      [{ consentement: '' }, 'consentement', FORM_TEXTS.consent],
      [{}, 'document_rib', FORM_TEXTS.rib],
      [{}, 'document_attestation', FORM_TEXTS.attestation],
    ];
    for (const [overrides, field, message] of cases) {
      const fields = completeFields(nir13, overrides);
      for (const [k, v] of Object.entries(fields)) if (v === '') delete fields[k];
      const res = await sendForm(agent, link, fields);
      assert.equal(res.status, 422, field);
      const html = decoded(res.text);
      const at = html.indexOf(`id="${field}-error"`);
      assert.ok(at > 0, `error beside ${field}`);
      assertIncludes(textOf(html.slice(at, at + 600)), message, `${field}: ${message}`);
      assertIncludes(html, 'value="12 rue Sainte-Catherine"', 'values kept');
    }
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.status, 'started', 'not transmitted');
    assert.equal(JSON.parse(row.form_data).fields.adresse1, '12 rue Sainte-Catherine', 'what was typed is saved');
  });

  test('« Transmettre » with a name longer than its column: refused beside the field, the value kept whole, nothing finalized', async () => {
    const { link, id, nir13 } = await preAffiliate();
    const agent = await employeeAgent(link);
    const longName = 'Fontaine-'.repeat(16).slice(0, 150);
    const res = await sendForm(agent, link, completeFields(nir13, { nom: longName }), {
      document_rib: [PDF, 'rib.pdf'],
      document_attestation: [PDF, 'attestation.pdf'],
    });
    assert.equal(res.status, 422);
    const html = decoded(res.text);
    const at = html.indexOf('id="nom-error"');
    assert.ok(at > 0, 'error beside nom');
    assertIncludes(textOf(html.slice(at, at + 600)), FORM_TEXTS.tooLong('nom', 100));
    assertIncludes(html, `value="${longName}"`, 'the value is kept, not cut');
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.status, 'started', 'not transmitted');
    assert.equal(row.submitted_at, null);
    assert.equal(JSON.parse(row.form_data).identity, undefined, 'no structured values written');
  });

  test('documents: type by content, 3 Mo, 4 at most (one RIB, one attestation, two others), « Retirer » deletes the file', async () => {
    const { link, id } = await preAffiliate();
    const agent = await employeeAgent(link);
    const wrong = await sendForm(agent, link, { action: 'brouillon' }, { document_rib: [Buffer.from('pas un pdf\n'), 'rib.pdf'] });
    assert.equal(wrong.status, 422);
    assertIncludes(textOf(wrong.text), 'PDF, JPEG ou PNG', textOf(wrong.text).slice(0, 300));
    const big = await sendForm(agent, link, { action: 'brouillon' }, { document_rib: [Buffer.concat([PDF, Buffer.alloc(3 * 1024 * 1024)]), 'rib.pdf'] });
    assert.equal(big.status, 422);
    assertIncludes(textOf(big.text), '3 Mo');
    assert.equal((await t.db('affiliation_request_documents').where({ request_id: id })).length, 0);

    assert.equal(
      (
        await sendForm(
          agent,
          link,
          { action: 'brouillon' },
          { document_rib: [PDF, 'rib.pdf'], document_attestation: [PDF, 'attestation.pdf'], document_autre: [PDF, 'livret.pdf'] },
        )
      ).status,
      303,
    );
    assert.equal((await sendForm(agent, link, { action: 'brouillon' }, { document_autre: [PDF, 'jugement.pdf'] })).status, 303);
    const docs = await t.db('affiliation_request_documents').where({ request_id: id }).orderBy('id');
    assert.deepEqual(
      docs.map((d: { kind: string }) => d.kind),
      ['rib', 'attestation_droits', 'autre', 'autre'],
    );
    const stored = path.join(t.config.uploadDir, 'affiliations', docs[3].stored_name);
    assert.ok(fs.existsSync(stored), 'kept on disk outside the web root');
    const fifth = await sendForm(agent, link, { action: 'brouillon' }, { document_autre: [PDF, 'cinquieme.pdf'] });
    assert.equal(fifth.status, 422);
    assertIncludes(textOf(fifth.text), 'Vous avez déjà joint deux autres documents : retirez-en un pour le remplacer.');
    const secondRib = await sendForm(agent, link, { action: 'brouillon' }, { document_rib: [PDF, 'rib2.pdf'] });
    assert.equal(secondRib.status, 422, 'one RIB: the four places keep room for the two required documents');
    assertIncludes(textOf(secondRib.text), 'Vous avez déjà joint ce document : retirez-en un pour le remplacer.');
    assertExcludes(decoded(secondRib.text), 'type="file" id="document_rib"', 'no RIB input while one is attached');
    assert.equal((await sendForm(agent, link, { retirer: String(docs[3].id) })).status, 303);
    assert.equal((await t.db('affiliation_request_documents').where({ request_id: id })).length, 3);
    assert.ok(!fs.existsSync(stored), 'the file is deleted');
  });

  test('documents sent together: the limits hold (two others at most), the refused files leave no row nor file', async () => {
    const { link, id } = await preAffiliate();
    const agent = await employeeAgent(link);
    const token = await tokenFrom(agent, `${link}/formulaire`);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        agent.post(`${link}/formulaire`).field('_csrf', token).field('action', 'brouillon').attach('document_autre', PDF, `autre${i}.pdf`),
      ),
    );
    assert.deepEqual(responses.map((res) => res.status).sort(), [303, 303, 422, 422, 422, 422]);
    const docs = await t.db('affiliation_request_documents').where({ request_id: id });
    assert.equal(docs.length, 2);
    const folder = path.join(t.config.uploadDir, 'affiliations');
    const onDisk = fs.readdirSync(folder);
    for (const doc of docs) assertIncludes(onDisk, doc.stored_name);
    const allStored = new Set((await t.db('affiliation_request_documents').select('stored_name')).map((d: { stored_name: string }) => d.stored_name));
    assert.deepEqual(
      onDisk.filter((name) => !allStored.has(name)),
      [],
      'no file without its row',
    );
  });

  test('transmitted: « Finalisé par le salarié », structured data, HR notified, employee thanked, link closed', async () => {
    const { link, id, nir13 } = await preAffiliate();
    const agent = await employeeAgent(link);
    const res = await sendForm(
      agent,
      link,
      completeFields(nir13, {
        conjoint: 'oui',
        conjoint_civilite: 'M',
        conjoint_nom: 'Martin',
        conjoint_prenom: 'Hugo',
        conjoint_date_naissance: '03/07/1994',
        enfant1_nom: 'Martin',
        enfant1_prenom: 'Jules',
        enfant1_sexe: 'M',
        enfant1_date_naissance: '15/06/2021',
      }),
      { document_rib: [PDF, 'rib.pdf'], document_attestation: [PDF, 'attestation.pdf'] },
    );
    assert.equal(res.status, 303, textOf(res.text).slice(0, 1500));
    assert.equal(res.headers.location, '/affiliation/transmis');
    assertIncludes(textOf((await agent.get('/affiliation/transmis').expect(200)).text), 'Merci Léa, votre formulaire est transmis');
    const row = await t.db('affiliation_requests').where({ id }).first();
    assert.equal(row.status, 'finalized');
    assert.equal(row.submitted_at, t.clock().toISOString());
    const data = JSON.parse(row.form_data);
    assert.deepEqual(data.identity, { sex: 'F', lastName: 'Fontaine', firstName: 'Léa', birthName: null, birthDate: '1996-04-12', nir: full(nir13) });
    assert.equal(data.bank.iban, makeFrenchIban('30004', '00031', '00012345678'));
    assert.equal(data.contact.mobile, '+33612345678');
    assert.equal(data.fundCode, '013310000');
    assert.equal(data.teletransmission, true);
    assert.deepEqual(data.beneficiaries, [
      { relationship: 'conjoint', sex: 'M', lastName: 'Martin', firstName: 'Hugo', birthDate: '1994-07-03', nir: null },
      { relationship: 'enfant', sex: 'M', lastName: 'Martin', firstName: 'Jules', birthDate: '2021-06-15', nir: null },
    ]);
    assert.ok(await t.db('affiliation_request_events').where({ request_id: id, kind: 'submitted' }).first());
    const notification = await t.db('notifications').where({ account_id: hr.id, kind: 'affiliation_finalized' }).orderBy('id', 'desc').first();
    assertIncludes(notification.body, 'Léa Fontaine a transmis son formulaire');
    assert.equal(notification.link, `/entreprise/suivi-affiliations/${id}`);
    assertIncludes((await lastMessageTo(t.db, 'lea.perso@exemple.fr')).subject, "Nous avons bien reçu votre formulaire d'affiliation");
    await agent.get(`${link}/formulaire`).expect(404);
    await agent.get(link).expect(404);
  });
});
