// Every kind of PDF the portal serves is tagged (PDF/UA): pdfinfo says « Tagged: yes » with the
// document's title and an XMP metadata stream, pdffonts lists only embedded fonts with a Unicode
// map, pdftotext reads the accented French intact, and nothing is drawn outside the structure
// or an artifact. (The demo documents are checked in test/unit/pdf.test.ts.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestApp, type TestContext } from '../helpers/app.js';
import { createFamily, type Family } from '../helpers/family.js';
import { loginAs } from '../helpers/fixtures.js';
import { createHrCompany, createHrUser } from '../helpers/entreprise.js';
import { createAffiliationRequest } from '../helpers/affiliation-requests.js';
import { inspectPdf, pdfBytes } from '../helpers/pdf.js';
import { assertIncludes } from '../helpers/assertions.js';

let t: TestContext;
let family: Family;
let ended: Family;
let member: Awaited<ReturnType<typeof loginAs>>;
let endedMember: Awaited<ReturnType<typeof loginAs>>;
let hr: Awaited<ReturnType<typeof loginAs>>;
let courrierId: number;

before(async () => {
  t = await makeTestApp();
  family = await createFamily(t.db, { firstName: 'Nicolas', lastName: 'Thibault' });
  ended = await createFamily(t.db, { firstName: 'Agathe', lastName: 'Partie', ended: true });
  member = await loginAs(t.app, t.db, 'assure', family.email);
  endedMember = await loginAs(t.app, t.db, 'assure', ended.email);
  const company = await createHrCompany(t.db, 'Société Générale Immobilière', 1);
  const admin = await createHrUser(t.db, [{ company, role: 'admin' }], { mobile: '+33639987101' });
  hr = await loginAs(t.app, t.db, 'entreprise', admin.email);
  ({ id: courrierId } = await createAffiliationRequest(t.db, t.clock(), { company, mode: 'courrier', firstName: 'Éloïse', lastName: 'Lefèvre' }));
});
after(async () => t.close());

describe('Every PDF of the portal is tagged, with embedded Unicode fonts and intact accents', () => {
  const kinds = () => [
    {
      what: 'carte de tiers payant',
      agent: member,
      url: '/assure/tiers-payant/carte.pdf',
      title: 'Carte de tiers payant 2026',
      texts: ['N° de Sécurité sociale', 'Bénéficiaire', 'Domaines de tiers payant', "Laboratoire d'analyses médicales"],
    },
    {
      what: "carte d'un bénéficiaire",
      agent: member,
      url: `/assure/tiers-payant/carte.pdf?beneficiaire=${family.beneficiaries.enfant1}`,
      title: 'Carte de tiers payant 2026',
      texts: ['Léo Thibault', 'Audioprothèses'],
    },
    {
      what: 'garanties',
      agent: member,
      url: `/assure/contrats/${family.affiliationId}/garanties.pdf`,
      title: 'Mes garanties',
      texts: ['Forfait 150 € par an', 'Prévention', 'Maternité', 'base de remboursement de la Sécurité sociale'],
    },
    {
      what: "certificat d'affiliation",
      agent: member,
      url: `/assure/contrats/${family.affiliationId}/certificat-affiliation.pdf`,
      title: "Certificat d'affiliation",
      texts: ['Bénéficiaires couverts', 'est affilié depuis le 01/09/2019', 'Collège : Non-cadres'],
    },
    {
      what: 'certificat de radiation',
      agent: endedMember,
      url: `/assure/contrats/${ended.affiliationId}/certificat-radiation.pdf`,
      title: 'Certificat de radiation',
      texts: ['la couverture a pris fin le 30/06/2026', "Date d'entrée"],
    },
    {
      what: 'décompte',
      agent: member,
      url: `/assure/remboursements/decomptes/${family.statementIds[0]}/pdf`,
      title: /^Décompte n° /,
      texts: ['Remboursement Sécurité sociale', 'Frais réels', "Payé à l'assuré", '€'],
    },
    {
      what: "bulletin d'affiliation (Courrier)",
      agent: hr,
      url: `/entreprise/suivi-affiliations/${courrierId}/formulaire.pdf`,
      title: "Bulletin individuel d'affiliation",
      texts: ['Éloïse', 'Numéro de Sécurité sociale', 'Télétransmission (NOEMIE)', 'Société Générale Immobilière', 'Pièces à joindre'],
    },
  ];

  test('each kind: tagged, titled, XMP, embedded fonts with Unicode maps, accented text intact, nothing unmarked', async () => {
    for (const kind of kinds()) {
      const pdf = inspectPdf(await pdfBytes(kind.agent, kind.url));
      assert.ok(pdf.tagged, `${kind.what}: Tagged: yes`);
      if (typeof kind.title === 'string') assert.equal(pdf.title, kind.title, kind.what);
      else assert.match(pdf.title, kind.title, kind.what);
      assertIncludes(pdf.xmp, '<pdfuaid:part>1</pdfuaid:part>', `${kind.what}: XMP with the PDF/UA identification`);
      assertIncludes(pdf.xmp, `<rdf:li xml:lang="x-default">${pdf.title}</rdf:li>`, `${kind.what}: the title in the XMP`);
      assert.ok(pdf.fonts.length > 0, kind.what);
      for (const font of pdf.fonts) {
        assert.ok(font.embedded, `${kind.what}: ${font.name} embedded`);
        assert.ok(font.unicode, `${kind.what}: ${font.name} has a ToUnicode map`);
        assert.match(font.name, /\+SourceSans3-(Regular|Bold)$/, `${kind.what}: the open font, subset`);
      }
      for (const text of kind.texts) assertIncludes(pdf.text, text, `${kind.what}: « ${text} » extracted intact`);
      assert.deepEqual(pdf.unmarked, [], `${kind.what}: every mark tagged or an artifact`);
    }
  });
});
