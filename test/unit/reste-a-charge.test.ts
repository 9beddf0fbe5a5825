import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GUARANTEE_TEMPLATES, coverageAt, type Level } from '../../db/seeds/french-data.js';
import { CARE_ACTS, QUOTE_OBJECTS, careActsFor, findCareAct } from '../../src/domain/care-acts.js';
import { estimateResteACharge, guaranteeLineFor, usedThisYearByGuarantee, type GuaranteeLine } from '../../src/domain/reste-a-charge.js';

/** The demo guarantee table of a level, as db/seeds/demo.ts writes it to guarantee_lines. */
function demoTable(level: Level): GuaranteeLine[] {
  return GUARANTEE_TEMPLATES.map((template, position) => {
    const c = coverageAt(template, level);
    return {
      id: 100 + position,
      category: template.category,
      label: template.label,
      coverage: c.coverage,
      br_percent: c.brPercent,
      flat_amount_cents: c.flatAmountCents,
      yearly_cap_cents: c.yearlyCapCents,
    };
  });
}

function lineId(table: GuaranteeLine[], labelStart: string): number {
  const line = table.find((g) => g.label.startsWith(labelStart));
  assert.ok(line, labelStart);
  return line.id;
}

/** Explanations use no-break spaces (formatEuros); compare with plain ones. */
const plain = (text: string) => text.replace(/\u00A0/g, ' ');

describe('the act catalogue', () => {
  test('every object of the guide has acts, every act finds its line in the richest demo table', () => {
    const table = demoTable(3);
    for (const object of QUOTE_OBJECTS) assert.ok(careActsFor(object).length > 0, object);
    const unmatched = CARE_ACTS.filter((act) => guaranteeLineFor(act, table) === null).map((act) => act.object);
    // The demo tables have no appareillage line: those acts fall back on the ticket modérateur.
    assert.deepEqual([...new Set(unmatched)], ['appareillage']);
    assert.equal(new Set(CARE_ACTS.map((a) => a.code)).size, CARE_ACTS.length, 'codes are unique');
    assert.equal(findCareAct('lentilles')?.defaultBaseCents, 3948);
    assert.equal(findCareAct('inconnu'), undefined);
  });
});

describe('reste-à-charge estimate on the demo tables', () => {
  test('optique: lentilles against a yearly allowance already partly used, then glasses', () => {
    // Base + option 1: lentilles « Forfait 150 € par an et par bénéficiaire », 40 € used this year;
    // classe B verres simples « Forfait 300 € par équipement ».
    const table = demoTable(1);
    const lentilles = lineId(table, 'Lentilles prescrites');
    const estimate = estimateResteACharge({
      guarantees: table,
      usedThisYearCents: new Map([[lentilles, 4000]]),
      lines: [
        { actCode: 'lentilles', amountCents: 18000 },
        { actCode: 'lentilles', amountCents: 18000 },
        { actCode: 'optique_simples', amountCents: 35000 },
      ],
    });
    const [left, right, glasses] = estimate.lines;
    // SS: 60 % of 39,48 € = 23,688 → 23,69 €. Contract: 150 − 40 = 110 € left. Rest: 180 − 23,69 − 110.
    assert.deepEqual([left.securiteSociale.cents, left.complementary.cents, left.resteACharge.cents], [2369, 11000, 4631]);
    assert.equal(plain(left.securiteSociale.explanation), 'La Sécurité sociale rembourse 60 % de la base de remboursement de 39,48 €, soit 23,69 €.');
    assert.match(
      plain(left.complementary.explanation),
      /dans la limite de votre forfait annuel de 150,00 €, dont 40,00 € déjà utilisés cette année : il en reste 110,00 €\. Votre contrat prend en charge 110,00 €\.$/,
    );
    assert.equal(plain(left.resteACharge.explanation), 'Il vous reste 46,31 € à payer sur 180,00 €.');
    // The second eye: the allowance is spent by the line before.
    assert.deepEqual([right.securiteSociale.cents, right.complementary.cents, right.resteACharge.cents], [2369, 0, 15631]);
    assert.match(plain(right.complementary.explanation), /et 110,00 € par les lignes précédentes de ce devis : il en reste 0,00 €/);
    // Glasses: 60 % of 0,15 € = 0,09 €; forfait 300 €; rest 350 − 0,09 − 300 = 49,91 €.
    assert.deepEqual([glasses.securiteSociale.cents, glasses.complementary.cents, glasses.resteACharge.cents], [9, 30000, 4991]);
    assert.deepEqual(
      [estimate.total.amountCents, estimate.total.securiteSociale.cents, estimate.total.complementary.cents, estimate.total.resteACharge.cents],
      [71000, 4747, 41000, 25253],
    );
    assert.equal(plain(estimate.total.resteACharge.explanation).startsWith('Il vous resterait 252,53 € à payer.'), true);
  });

  test('dentaire: an implant against a flat amount, a crown at 400 % BR, a 100 % Santé crown', () => {
    // Base + option 2: Implantologie « Forfait 600 € par an », prothèses « 400 % BR – RSS ».
    const table = demoTable(2);
    const estimate = estimateResteACharge({
      guarantees: table,
      usedThisYearCents: new Map([[lineId(table, 'Implantologie'), 15000]]),
      lines: [
        { actCode: 'dentaire_implant', amountCents: 120000 },
        { actCode: 'dentaire_couronne', amountCents: 55000 },
        { actCode: 'dentaire_100_sante', amountCents: 50000 },
      ],
    });
    const [implant, crown, crown100] = estimate.lines;
    // Implant: no SS; 600 € allowance, 150 € used → 450 €; rest 1 200 − 450 = 750 €.
    assert.deepEqual([implant.securiteSociale.cents, implant.complementary.cents, implant.resteACharge.cents], [0, 45000, 75000]);
    assert.equal(implant.securiteSociale.explanation, 'La Sécurité sociale ne rembourse pas les implants dentaires.');
    // Crown: base 120 €, SS 60 % = 72 €; 400 % of 120 = 480 € SS included → 408 €; rest 550 − 72 − 408 = 70 €.
    assert.deepEqual([crown.securiteSociale.cents, crown.complementary.cents, crown.resteACharge.cents], [7200, 40800, 7000]);
    assert.match(plain(crown.complementary.explanation), /jusqu'à 400 % de la base, Sécurité sociale comprise : 480,00 € − 72,00 € = 408,00 €/);
    // 100 % Santé: frais réels after SS → nothing left.
    assert.deepEqual([crown100.securiteSociale.cents, crown100.complementary.cents, crown100.resteACharge.cents], [7200, 42800, 0]);
    assert.equal(plain(crown100.resteACharge.explanation), 'Rien ne reste à votre charge sur 500,00 €.');
  });

  test('hospitalisation: per-day forfaits over 5 days and surgeons’ fees around the 120 € threshold', () => {
    // Base conventionnelle: chambre particulière « Forfait 50 € par nuit », forfait journalier
    // « 100 % des frais réels », honoraires OPTAM 200 % BR, non OPTAM 180 % BR, séjour 100 % BR.
    const estimate = estimateResteACharge({
      guarantees: demoTable(0),
      lines: [
        { actCode: 'hospi_chambre_particuliere', amountCents: 45000, days: 5 },
        { actCode: 'hospi_forfait_journalier', amountCents: 10000, days: 5 },
        { actCode: 'hospi_honoraires_optam', amountCents: 90000, baseCents: 40000 },
        { actCode: 'hospi_honoraires_non_optam', amountCents: 15000, baseCents: 10000 },
        { actCode: 'hospi_sejour', amountCents: 300000, baseCents: 300000 },
      ],
    });
    const [room, daily, optam, nonOptam, stay] = estimate.lines;
    // Room: 5 × 50 € = 250 € of 450 €; 200 € left.
    assert.deepEqual([room.securiteSociale.cents, room.complementary.cents, room.resteACharge.cents], [0, 25000, 20000]);
    assert.match(plain(room.complementary.explanation), /un forfait de 50,00 € par nuit pendant 5 nuits, soit 250,00 €/);
    // Forfait journalier 5 × 20 €: frais réels.
    assert.deepEqual([daily.securiteSociale.cents, daily.complementary.cents, daily.resteACharge.cents], [0, 10000, 0]);
    // Base 400 € ≥ 120 €: SS 400 − 24 = 376 €; 200 % of 400 = 800 − 376 = 424 €; rest 900 − 800 = 100 €.
    assert.deepEqual([optam.securiteSociale.cents, optam.complementary.cents, optam.resteACharge.cents], [37600, 42400, 10000]);
    assert.match(plain(optam.securiteSociale.explanation), /moins la participation forfaitaire de 24,00 €, soit 376,00 €\.$/);
    // Base 100 € < 120 €: SS 80 % = 80 €; 180 % = 180 − 80 = 100 €, but only 70 € were left to pay.
    assert.deepEqual([nonOptam.securiteSociale.cents, nonOptam.complementary.cents, nonOptam.resteACharge.cents], [8000, 7000, 0]);
    assert.match(plain(nonOptam.complementary.explanation), /dans la limite de la dépense laissée par la Sécurité sociale, 70,00 €/);
    // Stay: SS 80 % of 3 000 € = 2 400 €; 100 % BR → 600 €.
    assert.deepEqual([stay.securiteSociale.cents, stay.complementary.cents, stay.resteACharge.cents], [240000, 60000, 0]);
    assert.equal(estimate.total.resteACharge.cents, 30000);
  });

  test('audio classe II: percentage plus forfait, and the 1 700 € legal ceiling', () => {
    // Option 3: 100 % BR + forfait 1 200 €. Base 400 €, SS 240 €: 160 + 1 200 = 1 360 €; rest 2 000 − 1 600.
    const table = demoTable(3);
    const [ear] = estimateResteACharge({ guarantees: table, lines: [{ actCode: 'audio_classe_2', amountCents: 200000 }] }).lines;
    assert.deepEqual([ear.securiteSociale.cents, ear.complementary.cents, ear.resteACharge.cents], [24000, 136000, 40000]);
    // A richer forfait of 1 500 € would give 1 660 €: the ceiling keeps SS + contract at 1 700 €.
    const rich = table.map((g) => (g.label.startsWith('Aides auditives classe II') ? { ...g, flat_amount_cents: 150000 } : g));
    const [capped] = estimateResteACharge({ guarantees: rich, lines: [{ actCode: 'audio_classe_2', amountCents: 200000 }] }).lines;
    assert.deepEqual([capped.securiteSociale.cents, capped.complementary.cents, capped.resteACharge.cents], [24000, 146000, 30000]);
    assert.match(plain(capped.complementary.explanation), /dans la limite de 1 700,00 € par appareil/);
  });

  test('appareillage absent from the table: the ticket modérateur of a contrat responsable, or nothing', () => {
    const lines = [{ actCode: 'appareillage_orthese', amountCents: 12000, baseCents: 10000 }];
    const [tm] = estimateResteACharge({ guarantees: demoTable(0), lines }).lines;
    assert.equal(tm.guarantee, null);
    assert.deepEqual([tm.securiteSociale.cents, tm.complementary.cents, tm.resteACharge.cents], [6000, 4000, 2000]);
    const [none] = estimateResteACharge({ guarantees: demoTable(0), lines, responsibleContract: false }).lines;
    assert.deepEqual([none.complementary.cents, none.resteACharge.cents], [0, 6000]);
  });

  test('a missing base is said, counted at 0, and flagged for the form', () => {
    const estimate = estimateResteACharge({ guarantees: demoTable(2), lines: [{ actCode: 'dentaire_soins', amountCents: 5000 }] });
    const [care] = estimate.lines;
    assert.equal(care.baseMissing, true);
    assert.deepEqual([care.securiteSociale.cents, care.complementary.cents, care.resteACharge.cents], [0, 0, 5000]);
    assert.match(care.securiteSociale.explanation, /n'est pas indiquée/);
    assert.match(estimate.total.securiteSociale.explanation, /La base de remboursement manque/);
    // With the base typed: SS 60 % of 40 € = 24 €; 125 % of 40 = 50 € − 24 = 26 € → nothing left.
    const [typed] = estimateResteACharge({ guarantees: demoTable(2), lines: [{ actCode: 'dentaire_soins', amountCents: 5000, baseCents: 4000 }] }).lines;
    assert.equal(typed.baseMissing, false);
    assert.deepEqual([typed.securiteSociale.cents, typed.complementary.cents, typed.resteACharge.cents], [2400, 2600, 0]);
  });

  test('a guarantee written only in words is not estimated', () => {
    const table: GuaranteeLine[] = [
      {
        id: 1,
        category: 'dentaire',
        label: 'Implantologie',
        coverage: 'Selon barème du contrat',
        br_percent: null,
        flat_amount_cents: null,
        yearly_cap_cents: null,
      },
    ];
    const [implant] = estimateResteACharge({ guarantees: table, lines: [{ actCode: 'dentaire_implant', amountCents: 100000 }] }).lines;
    assert.deepEqual([implant.complementary.cents, implant.resteACharge.cents], [0, 100000]);
    assert.match(implant.complementary.explanation, /votre conseiller la précisera/);
  });

  test('bad input from upstream throws', () => {
    const guarantees = demoTable(0);
    assert.throws(() => estimateResteACharge({ guarantees, lines: [{ actCode: 'nope', amountCents: 100 }] }), RangeError);
    assert.throws(() => estimateResteACharge({ guarantees, lines: [{ actCode: 'lentilles', amountCents: 10.5 }] }), RangeError);
    assert.throws(() => estimateResteACharge({ guarantees, lines: [{ actCode: 'hospi_chambre_particuliere', amountCents: 100, days: 0 }] }), RangeError);
  });

  test('what each guarantee line already paid, from the year’s décompte lines', () => {
    const table = demoTable(1);
    const used = usedThisYearByGuarantee(
      [
        { care_type: 'lentilles', complementary_amount_cents: 4000 },
        { care_type: 'consultation_generaliste', complementary_amount_cents: 700 },
        { care_type: 'lentilles', complementary_amount_cents: 1000 },
        { care_type: 'prothese_dentaire', complementary_amount_cents: 25000 },
      ],
      table,
      CARE_ACTS,
    );
    assert.deepEqual(
      [...used.entries()].sort((a, b) => a[0] - b[0]),
      [
        [lineId(table, 'Lentilles prescrites'), 5000],
        [lineId(table, 'Prothèses dentaires remboursées'), 25000],
      ].sort((a, b) => a[0] - b[0]),
    );
  });
});
