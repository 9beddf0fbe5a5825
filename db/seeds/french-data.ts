// Realistic French reference data for the demo: names, streets, towns with their postal and INSEE
// codes and coordinates, banks, health professionals' specialties, care types with their tariffs,
// guarantee tables of a real-estate branch contract, company names. Everything personal is fictional.

// ---------------------------------------------------------------------------- people

export const FIRST_NAMES_MALE = [
  'Jean', 'Pierre', 'Michel', 'Philippe', 'Alain', 'Nicolas', 'Christophe', 'Stéphane', 'Laurent', 'Frédéric',
  'Sébastien', 'Julien', 'David', 'Thomas', 'Olivier', 'Éric', 'Patrick', 'Pascal', 'Thierry', 'Vincent',
  'François', 'Jérôme', 'Guillaume', 'Maxime', 'Alexandre', 'Antoine', 'Romain', 'Kevin', 'Mathieu', 'Benjamin',
  'Hugo', 'Lucas', 'Louis', 'Gabriel', 'Arthur', 'Jules', 'Raphaël', 'Léo', 'Adam', 'Nathan',
  'Théo', 'Paul', 'Clément', 'Baptiste', 'Quentin', 'Florian', 'Anthony', 'Yannick', 'Cédric', 'Arnaud',
  'Mehdi', 'Karim', 'Youssef', 'Rayan', 'Mohamed', 'Samir', 'Tiago', 'João', 'Enzo', 'Noah',
  'Timothée', 'Gaël', 'Loïc', 'Hervé', 'Bruno', 'Didier', 'Gilles', 'Emmanuel', 'Damien', 'Aurélien',
  'Xavier', 'Benoît', 'Fabien', 'Grégory', 'Ludovic', 'Sacha', 'Noé', 'Malo', 'Ethan', 'Matteo',
] as const;

export const FIRST_NAMES_FEMALE = [
  'Marie', 'Nathalie', 'Isabelle', 'Sylvie', 'Catherine', 'Sandrine', 'Valérie', 'Christine', 'Véronique', 'Céline',
  'Stéphanie', 'Sophie', 'Aurélie', 'Émilie', 'Julie', 'Caroline', 'Virginie', 'Laetitia', 'Élodie', 'Audrey',
  'Camille', 'Léa', 'Manon', 'Chloé', 'Sarah', 'Laura', 'Pauline', 'Marine', 'Mathilde', 'Charlotte',
  'Emma', 'Jade', 'Louise', 'Alice', 'Lina', 'Rose', 'Anna', 'Mila', 'Ambre', 'Léna',
  'Inès', 'Clara', 'Juliette', 'Zoé', 'Lucie', 'Agathe', 'Margaux', 'Océane', 'Anaïs', 'Morgane',
  'Fatima', 'Yasmine', 'Nadia', 'Samia', 'Amina', 'Leïla', 'Ana', 'Beatriz', 'Inês', 'Maëlle',
  'Hélène', 'Françoise', 'Martine', 'Brigitte', 'Monique', 'Anne', 'Agnès', 'Corinne', 'Karine', 'Delphine',
  'Estelle', 'Gaëlle', 'Solène', 'Capucine', 'Victoire', 'Héloïse', 'Lou', 'Romane', 'Éva', 'Nina',
] as const;

export const LAST_NAMES = [
  'Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
  'Simon', 'Michel', 'Lefebvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
  'Bonnet', 'Dupont', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Faure', 'André',
  'Mercier', 'Blanc', 'Guérin', 'Boyer', 'Garnier', 'Chevalier', 'François', 'Legrand', 'Gauthier', 'Garcia',
  'Perrin', 'Robin', 'Clément', 'Morin', 'Nicolas', 'Henry', 'Roussel', 'Mathieu', 'Gautier', 'Masson',
  'Marchand', 'Duval', 'Denis', 'Dumont', 'Marie', 'Lemaire', 'Noël', 'Meyer', 'Dufour', 'Meunier',
  'Brun', 'Blanchard', 'Giraud', 'Joly', 'Rivière', 'Lucas', 'Brunet', 'Gaillard', 'Barbier', 'Arnaud',
  'Martinez', 'Gérard', 'Roche', 'Renard', 'Schmitt', 'Roy', 'Leroux', 'Colin', 'Vidal', 'Caron',
  'Picard', 'Roger', 'Fabre', 'Aubert', 'Lemoine', 'Renaud', 'Dumas', 'Lacroix', 'Olivier', 'Philippe',
  'Bourgeois', 'Pierre', 'Benoît', 'Rey', 'Leclerc', 'Payet', 'Rolland', 'Leclercq', 'Guillaume', 'Lecomte',
  'Lopez', 'Jean', 'Dupuy', 'Guillot', 'Hubert', 'Berger', 'Carpentier', 'Sanchez', 'Dupuis', 'Moulin',
  'Louis', 'Deschamps', 'Huet', 'Vasseur', 'Perez', 'Boucher', 'Fleury', 'Royer', 'Klein', 'Jacquet',
  'Adam', 'Paris', 'Poirier', 'Marty', 'Aubry', 'Guyot', 'Carré', 'Charles', 'Renault', 'Charpentier',
  'Ménard', 'Maillard', 'Baron', 'Bertin', 'Bailly', 'Hervé', 'Schneider', 'Fernandez', 'Le Gall', 'Collet',
  'Léger', 'Bouvier', 'Julien', 'Prévost', 'Millet', 'Perrot', 'Daniel', 'Le Roux', 'Cousin', 'Germain',
  'Breton', 'Besson', 'Langlois', 'Rémy', 'Le Goff', 'Pelletier', 'Lévêque', 'Perrier', 'Leblanc', 'Barré',
  'Lebrun', 'Marchal', 'Weber', 'Mallet', 'Hamon', 'Boulanger', 'Jacob', 'Monnier', 'Michaud', 'Rodriguez',
  'Guichard', 'Gillet', 'Étienne', 'Grondin', 'Poulain', 'Tessier', 'Chevallier', 'Collin', 'Chauvin', 'Da Silva',
  'Bouchet', 'Gay', 'Lemaître', 'Bénard', 'Maréchal', 'Humbert', 'Reynaud', 'Antoine', 'Hoarau', 'Perret',
  'Barthélemy', 'Cordier', 'Pichon', 'Lejeune', 'Gilbert', 'Lamy', 'Delaunay', 'Pasquier', 'Carlier', 'Laporte',
  'Nguyen', 'Tran', 'Benali', 'Haddad', 'Diallo', 'Traoré', 'Rossi', 'Ferreira', 'Martins', 'Dos Santos',
  'Pereira', 'Bianchi', 'Kowalski', 'Cohen', 'Mendy', 'Ben Salah', 'Bouzid', 'Lefort', 'Santoni', 'Pietri',
] as const;

// ---------------------------------------------------------------------------- addresses

export const STREET_TYPES = [
  ['rue', 50], ['avenue', 15], ['boulevard', 7], ['place', 4], ['allée', 6], ['impasse', 5], ['chemin', 5], ['route', 3], ['quai', 2], ['cours', 2],
] as const;

export const STREET_NAMES = [
  'de la République', 'Victor Hugo', 'Jean Jaurès', 'de la Gare', 'du Général de Gaulle', 'Pasteur', 'de la Paix',
  'Gambetta', 'Jules Ferry', 'de l\'Église', 'des Écoles', 'du Moulin', 'de la Liberté', 'Voltaire', 'Émile Zola',
  'Anatole France', 'du Château', 'des Lilas', 'des Tilleuls', 'du Stade', 'de Verdun', 'Aristide Briand',
  'Carnot', 'Foch', 'Jean Moulin', 'Louis Pasteur', 'Georges Clemenceau', 'de la Mairie', 'du Marché',
  'des Acacias', 'des Peupliers', 'Saint-Exupéry', 'Paul Bert', 'Marcel Pagnol', 'Albert Camus', 'Molière',
  'de Bretagne', 'de Provence', 'des Vignes', 'des Roses', 'du 8 Mai 1945', 'du 11 Novembre', 'Lamartine',
  'Alsace-Lorraine', 'Pierre Curie', 'Marie Curie', 'Simone Veil', 'Condorcet', 'des Jardins', 'du Port',
  'de la Fontaine', 'du Commerce', 'Montesquieu', 'Racine', 'Jean de La Fontaine', 'des Platanes', 'de la Croix Blanche',
] as const;

export const ADDRESS_COMPLEMENTS = [
  'Bâtiment A', 'Bâtiment B', 'Résidence Les Jardins', 'Résidence du Parc', 'Appartement 12', 'Appartement 3',
  'Escalier 2', '2e étage', '4e étage gauche', 'Lieu-dit Le Bourg', 'Chez M. et Mme Roux',
] as const;

export interface Town {
  city: string;
  postalCode: string;
  /** INSEE code of the commune: department (2, 2A/2B, or 97x) + commune; positions 6–10 of a NIR. */
  insee: string;
  /** Department code as on a car plate: 01…95, 2A, 2B, 971… */
  department: string;
  lat: number;
  lon: number;
  /** Relative size, to draw more people and professionals in big towns. */
  weight: number;
}

// [city, postal code, INSEE code, latitude, longitude, weight]
type TownRow = readonly [string, string, string, number, number, number];

// Every metropolitan department's prefecture (and the largest cities), Corsica and overseas.
const TOWN_ROWS: readonly TownRow[] = [
  ['Bourg-en-Bresse', '01000', '01053', 46.205, 5.225, 2],
  ['Oyonnax', '01100', '01283', 46.256, 5.655, 1],
  ['Laon', '02000', '02408', 49.564, 3.62, 1],
  ['Saint-Quentin', '02100', '02691', 49.847, 3.287, 2],
  ['Moulins', '03000', '03190', 46.566, 3.333, 1],
  ['Vichy', '03200', '03310', 46.128, 3.426, 1],
  ['Digne-les-Bains', '04000', '04070', 44.092, 6.236, 1],
  ['Gap', '05000', '05061', 44.559, 6.079, 1],
  ['Nice', '06000', '06088', 43.71, 7.262, 8],
  ['Cannes', '06400', '06029', 43.552, 7.017, 3],
  ['Antibes', '06600', '06004', 43.58, 7.123, 2],
  ['Privas', '07000', '07186', 44.735, 4.599, 1],
  ['Annonay', '07100', '07010', 45.24, 4.671, 1],
  ['Charleville-Mézières', '08000', '08105', 49.773, 4.72, 1],
  ['Foix', '09000', '09122', 42.965, 1.607, 1],
  ['Troyes', '10000', '10387', 48.297, 4.074, 2],
  ['Carcassonne', '11000', '11069', 43.213, 2.351, 2],
  ['Narbonne', '11100', '11262', 43.184, 3.004, 1],
  ['Rodez', '12000', '12202', 44.35, 2.575, 1],
  ['Marseille', '13001', '13055', 43.296, 5.37, 15],
  ['Marseille', '13008', '13055', 43.243, 5.382, 5],
  ['Aix-en-Provence', '13100', '13001', 43.529, 5.447, 4],
  ['Caen', '14000', '14118', 49.182, -0.371, 4],
  ['Lisieux', '14100', '14366', 49.146, 0.226, 1],
  ['Aurillac', '15000', '15014', 44.926, 2.44, 1],
  ['Angoulême', '16000', '16015', 45.649, 0.156, 1],
  ['La Rochelle', '17000', '17300', 46.16, -1.151, 3],
  ['Bourges', '18000', '18033', 47.081, 2.399, 2],
  ['Tulle', '19000', '19272', 45.267, 1.77, 1],
  ['Brive-la-Gaillarde', '19100', '19031', 45.159, 1.533, 1],
  ['Ajaccio', '20000', '2A004', 41.919, 8.738, 2],
  ['Porto-Vecchio', '20137', '2A247', 41.591, 9.279, 1],
  ['Bastia', '20200', '2B033', 42.697, 9.45, 2],
  ['Corte', '20250', '2B096', 42.306, 9.15, 1],
  ['Calvi', '20260', '2B050', 42.567, 8.757, 1],
  ['Dijon', '21000', '21231', 47.322, 5.041, 4],
  ['Beaune', '21200', '21054', 47.025, 4.84, 1],
  ['Saint-Brieuc', '22000', '22278', 48.514, -2.765, 1],
  ['Guéret', '23000', '23096', 46.171, 1.871, 1],
  ['Périgueux', '24000', '24322', 45.184, 0.721, 1],
  ['Bergerac', '24100', '24037', 44.853, 0.483, 1],
  ['Besançon', '25000', '25056', 47.238, 6.024, 3],
  ['Valence', '26000', '26362', 44.933, 4.892, 2],
  ['Évreux', '27000', '27229', 49.024, 1.151, 1],
  ['Chartres', '28000', '28085', 48.446, 1.489, 1],
  ['Quimper', '29000', '29232', 47.996, -4.102, 2],
  ['Brest', '29200', '29019', 48.39, -4.486, 3],
  ['Nîmes', '30000', '30189', 43.837, 4.36, 3],
  ['Alès', '30100', '30007', 44.125, 4.081, 1],
  ['Toulouse', '31000', '31555', 43.605, 1.444, 10],
  ['Toulouse', '31400', '31555', 43.579, 1.462, 4],
  ['Auch', '32000', '32013', 43.646, 0.586, 1],
  ['Bordeaux', '33000', '33063', 44.838, -0.579, 9],
  ['Mérignac', '33700', '33281', 44.842, -0.646, 2],
  ['Arcachon', '33120', '33009', 44.658, -1.169, 1],
  ['Montpellier', '34000', '34172', 43.611, 3.877, 7],
  ['Béziers', '34500', '34032', 43.344, 3.216, 2],
  ['Rennes', '35000', '35238', 48.117, -1.678, 6],
  ['Saint-Malo', '35400', '35288', 48.649, -2.026, 1],
  ['Châteauroux', '36000', '36044', 46.811, 1.686, 1],
  ['Tours', '37000', '37261', 47.394, 0.685, 3],
  ['Grenoble', '38000', '38185', 45.188, 5.724, 5],
  ['Vienne', '38200', '38544', 45.525, 4.874, 1],
  ['Lons-le-Saunier', '39000', '39300', 46.675, 5.555, 1],
  ['Mont-de-Marsan', '40000', '40192', 43.89, -0.5, 1],
  ['Dax', '40100', '40088', 43.71, -1.053, 1],
  ['Blois', '41000', '41018', 47.586, 1.336, 1],
  ['Saint-Étienne', '42000', '42218', 45.44, 4.387, 4],
  ['Roanne', '42300', '42187', 46.036, 4.068, 1],
  ['Le Puy-en-Velay', '43000', '43157', 45.043, 3.885, 1],
  ['Nantes', '44000', '44109', 47.218, -1.554, 8],
  ['Saint-Nazaire', '44600', '44184', 47.273, -2.214, 2],
  ['Orléans', '45000', '45234', 47.903, 1.909, 3],
  ['Cahors', '46000', '46042', 44.448, 1.441, 1],
  ['Agen', '47000', '47001', 44.203, 0.616, 1],
  ['Mende', '48000', '48095', 44.518, 3.5, 1],
  ['Angers', '49000', '49007', 47.478, -0.563, 4],
  ['Cholet', '49300', '49099', 47.06, -0.879, 1],
  ['Saint-Lô', '50000', '50502', 49.116, -1.091, 1],
  ['Cherbourg-en-Cotentin', '50100', '50129', 49.633, -1.616, 1],
  ['Châlons-en-Champagne', '51000', '51108', 48.957, 4.363, 1],
  ['Reims', '51100', '51454', 49.258, 4.032, 4],
  ['Chaumont', '52000', '52121', 48.111, 5.139, 1],
  ['Laval', '53000', '53130', 48.073, -0.77, 1],
  ['Nancy', '54000', '54395', 48.692, 6.184, 3],
  ['Bar-le-Duc', '55000', '55029', 48.772, 5.16, 1],
  ['Verdun', '55100', '55545', 49.16, 5.384, 1],
  ['Vannes', '56000', '56260', 47.658, -2.76, 2],
  ['Lorient', '56100', '56121', 47.748, -3.37, 2],
  ['Metz', '57000', '57463', 49.119, 6.176, 3],
  ['Thionville', '57100', '57672', 49.358, 6.168, 1],
  ['Nevers', '58000', '58194', 46.99, 3.159, 1],
  ['Lille', '59000', '59350', 50.629, 3.057, 8],
  ['Roubaix', '59100', '59512', 50.69, 3.181, 2],
  ['Dunkerque', '59140', '59183', 51.034, 2.377, 2],
  ['Valenciennes', '59300', '59606', 50.357, 3.523, 1],
  ['Beauvais', '60000', '60057', 49.43, 2.081, 1],
  ['Compiègne', '60200', '60159', 49.418, 2.826, 1],
  ['Alençon', '61000', '61001', 48.432, 0.091, 1],
  ['Arras', '62000', '62041', 50.291, 2.777, 1],
  ['Calais', '62100', '62193', 50.952, 1.858, 1],
  ['Boulogne-sur-Mer', '62200', '62160', 50.726, 1.614, 1],
  ['Clermont-Ferrand', '63000', '63113', 45.778, 3.087, 4],
  ['Pau', '64000', '64445', 43.295, -0.37, 2],
  ['Bayonne', '64100', '64102', 43.493, -1.475, 1],
  ['Biarritz', '64200', '64122', 43.483, -1.559, 1],
  ['Tarbes', '65000', '65440', 43.233, 0.078, 1],
  ['Perpignan', '66000', '66136', 42.699, 2.895, 2],
  ['Strasbourg', '67000', '67482', 48.573, 7.752, 6],
  ['Haguenau', '67500', '67180', 48.816, 7.79, 1],
  ['Colmar', '68000', '68066', 48.079, 7.358, 1],
  ['Mulhouse', '68100', '68224', 47.75, 7.336, 2],
  ['Lyon', '69002', '69123', 45.75, 4.827, 8],
  ['Lyon', '69006', '69123', 45.769, 4.85, 5],
  ['Villeurbanne', '69100', '69266', 45.767, 4.88, 3],
  ['Vesoul', '70000', '70550', 47.62, 6.155, 1],
  ['Mâcon', '71000', '71270', 46.307, 4.828, 1],
  ['Chalon-sur-Saône', '71100', '71076', 46.781, 4.854, 1],
  ['Le Mans', '72000', '72181', 48.006, 0.199, 3],
  ['Chambéry', '73000', '73065', 45.564, 5.918, 2],
  ['Annecy', '74000', '74010', 45.899, 6.129, 3],
  ['Thonon-les-Bains', '74200', '74281', 46.371, 6.479, 1],
  ['Paris', '75008', '75108', 48.873, 2.312, 4],
  ['Paris', '75011', '75111', 48.859, 2.38, 6],
  ['Paris', '75015', '75115', 48.842, 2.3, 7],
  ['Paris', '75017', '75117', 48.887, 2.307, 5],
  ['Paris', '75020', '75120', 48.864, 2.398, 5],
  ['Rouen', '76000', '76540', 49.443, 1.099, 4],
  ['Le Havre', '76600', '76351', 49.494, 0.108, 3],
  ['Melun', '77000', '77288', 48.54, 2.66, 2],
  ['Meaux', '77100', '77284', 48.96, 2.879, 2],
  ['Versailles', '78000', '78646', 48.805, 2.13, 3],
  ['Saint-Germain-en-Laye', '78100', '78551', 48.899, 2.094, 2],
  ['Niort', '79000', '79191', 46.323, -0.459, 1],
  ['Amiens', '80000', '80021', 49.894, 2.296, 3],
  ['Albi', '81000', '81004', 43.929, 2.148, 1],
  ['Castres', '81100', '81065', 43.606, 2.24, 1],
  ['Montauban', '82000', '82121', 44.018, 1.355, 1],
  ['Toulon', '83000', '83137', 43.124, 5.928, 4],
  ['Fréjus', '83600', '83061', 43.433, 6.736, 1],
  ['Avignon', '84000', '84007', 43.949, 4.806, 2],
  ['La Roche-sur-Yon', '85000', '85191', 46.67, -1.426, 1],
  ['Les Sables-d\'Olonne', '85100', '85194', 46.497, -1.783, 1],
  ['Poitiers', '86000', '86194', 46.58, 0.34, 2],
  ['Limoges', '87000', '87085', 45.834, 1.261, 3],
  ['Épinal', '88000', '88160', 48.173, 6.451, 1],
  ['Auxerre', '89000', '89024', 47.798, 3.567, 1],
  ['Belfort', '90000', '90010', 47.64, 6.863, 1],
  ['Évry-Courcouronnes', '91000', '91228', 48.629, 2.441, 2],
  ['Massy', '91300', '91377', 48.731, 2.276, 2],
  ['Nanterre', '92000', '92050', 48.892, 2.207, 3],
  ['Boulogne-Billancourt', '92100', '92012', 48.836, 2.24, 3],
  ['Neuilly-sur-Seine', '92200', '92051', 48.885, 2.27, 2],
  ['Bobigny', '93000', '93008', 48.908, 2.44, 2],
  ['Montreuil', '93100', '93048', 48.864, 2.448, 3],
  ['Saint-Denis', '93200', '93066', 48.936, 2.357, 3],
  ['Créteil', '94000', '94028', 48.79, 2.455, 2],
  ['Vincennes', '94300', '94080', 48.847, 2.439, 2],
  ['Cergy', '95000', '95127', 49.036, 2.076, 2],
  ['Argenteuil', '95100', '95018', 48.947, 2.248, 2],
  ['Pointe-à-Pitre', '97110', '97120', 16.241, -61.533, 1],
  ['Les Abymes', '97139', '97101', 16.271, -61.505, 1],
  ['Fort-de-France', '97200', '97209', 14.616, -61.059, 1],
  ['Le Lamentin', '97232', '97213', 14.613, -60.999, 1],
  ['Cayenne', '97300', '97302', 4.938, -52.335, 1],
  ['Saint-Denis', '97400', '97411', -20.882, 55.45, 2],
  ['Saint-Pierre', '97410', '97416', -21.339, 55.478, 1],
  ['Mamoudzou', '97600', '97611', -12.78, 45.228, 1],
];

function departmentOf(insee: string): string {
  return insee.startsWith('97') ? insee.slice(0, 3) : insee.slice(0, 2);
}

export const TOWNS: readonly Town[] = TOWN_ROWS.map(([city, postalCode, insee, lat, lon, weight]) => ({
  city,
  postalCode,
  insee,
  department: departmentOf(insee),
  lat,
  lon,
  weight,
}));

/** Birth abroad: NIR department 99 + INSEE country code. */
export const BIRTH_COUNTRIES = [
  ['99350', 3], // Maroc
  ['99352', 3], // Algérie
  ['99351', 2], // Tunisie
  ['99139', 3], // Portugal
  ['99127', 1], // Italie
  ['99134', 1], // Espagne
  ['99131', 1], // Belgique
  ['99341', 1], // Sénégal
  ['99243', 1], // Viêt Nam
  ['99122', 1], // Pologne
  ['99109', 1], // Allemagne
  ['99114', 1], // Roumanie
] as const;

// ---------------------------------------------------------------------------- banks and funds

/** [bank code, BIC] — French bank codes with their usual BIC. */
export const BANKS = [
  ['30004', 'BNPAFRPPXXX', 12],
  ['30003', 'SOGEFRPPXXX', 10],
  ['30002', 'CRLYFRPPXXX', 7],
  ['20041', 'PSSTFRPPXXX', 9],
  ['10278', 'CMCIFR2AXXX', 8],
  ['11315', 'CEPAFRPP131', 6],
  ['18206', 'AGRIFRPP882', 10],
  ['16606', 'AGRIFRPP866', 5],
  ['10107', 'BREDFRPPXXX', 4],
  ['13825', 'CEPAFRPP382', 4],
  ['17515', 'CEPAFRPP751', 5],
  ['30076', 'NORDFRPPXXX', 3],
  ['14505', 'CEPAFRPP450', 3],
] as const;

/** CPAM / CGSS fund number (3 digits) for a department code. */
export function cpamFundFor(department: string): string {
  if (department === '2A') return '201';
  if (department === '2B') return '202';
  if (department.length === 3) return department; // CGSS 971…974, CSSM 976
  return `${department}1`;
}

// ---------------------------------------------------------------------------- health professionals

export interface Specialty {
  code: string;
  label: string;
  /** Relative frequency in the directory. */
  weight: number;
  /** How the directory names them: a doctor, a shop, a centre. */
  naming: 'doctor' | 'person' | 'pharmacy' | 'optician' | 'audio' | 'lab' | 'radiology' | 'clinic' | 'dental_centre';
  tiersPayantRate: number;
  networkRate: number;
}

export const SPECIALTIES: readonly Specialty[] = [
  { code: 'medecin_generaliste', label: 'Médecin généraliste', weight: 22, naming: 'doctor', tiersPayantRate: 0.55, networkRate: 0 },
  { code: 'pharmacie', label: 'Pharmacie', weight: 16, naming: 'pharmacy', tiersPayantRate: 1, networkRate: 0 },
  { code: 'chirurgien_dentiste', label: 'Chirurgien-dentiste', weight: 9, naming: 'doctor', tiersPayantRate: 0.7, networkRate: 0.45 },
  { code: 'opticien', label: 'Opticien', weight: 7, naming: 'optician', tiersPayantRate: 0.95, networkRate: 0.55 },
  { code: 'masseur_kinesitherapeute', label: 'Masseur-kinésithérapeute', weight: 7, naming: 'person', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'infirmier', label: 'Infirmier', weight: 5, naming: 'person', tiersPayantRate: 0.8, networkRate: 0 },
  { code: 'laboratoire', label: "Laboratoire d'analyses médicales", weight: 4, naming: 'lab', tiersPayantRate: 1, networkRate: 0 },
  { code: 'radiologie', label: 'Centre de radiologie', weight: 3, naming: 'radiology', tiersPayantRate: 0.9, networkRate: 0 },
  { code: 'audioprothesiste', label: 'Audioprothésiste', weight: 3, naming: 'audio', tiersPayantRate: 0.95, networkRate: 0.6 },
  { code: 'pediatre', label: 'Pédiatre', weight: 2, naming: 'doctor', tiersPayantRate: 0.5, networkRate: 0 },
  { code: 'gynecologue', label: 'Gynécologue', weight: 2, naming: 'doctor', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'ophtalmologue', label: 'Ophtalmologue', weight: 2, naming: 'doctor', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'dermatologue', label: 'Dermatologue', weight: 1.5, naming: 'doctor', tiersPayantRate: 0.35, networkRate: 0 },
  { code: 'cardiologue', label: 'Cardiologue', weight: 1.5, naming: 'doctor', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'orl', label: 'Oto-rhino-laryngologiste (ORL)', weight: 1, naming: 'doctor', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'psychiatre', label: 'Psychiatre', weight: 1, naming: 'doctor', tiersPayantRate: 0.3, networkRate: 0 },
  { code: 'rhumatologue', label: 'Rhumatologue', weight: 0.8, naming: 'doctor', tiersPayantRate: 0.4, networkRate: 0 },
  { code: 'sage_femme', label: 'Sage-femme', weight: 1.5, naming: 'person', tiersPayantRate: 0.7, networkRate: 0 },
  { code: 'orthophoniste', label: 'Orthophoniste', weight: 1.5, naming: 'person', tiersPayantRate: 0.5, networkRate: 0 },
  { code: 'pedicure_podologue', label: 'Pédicure-podologue', weight: 1.2, naming: 'person', tiersPayantRate: 0.2, networkRate: 0 },
  { code: 'osteopathe', label: 'Ostéopathe', weight: 2.5, naming: 'person', tiersPayantRate: 0, networkRate: 0.35 },
  { code: 'psychologue', label: 'Psychologue', weight: 1.5, naming: 'person', tiersPayantRate: 0.3, networkRate: 0.2 },
  { code: 'centre_dentaire', label: 'Centre de santé dentaire', weight: 1, naming: 'dental_centre', tiersPayantRate: 1, networkRate: 0.5 },
  { code: 'etablissement_hospitalier', label: 'Clinique / établissement hospitalier', weight: 1, naming: 'clinic', tiersPayantRate: 1, networkRate: 0 },
];

export const PHARMACY_NAMES = [
  'Pharmacie du Marché', 'Pharmacie de la Gare', 'Pharmacie Centrale', 'Pharmacie de la Mairie', 'Pharmacie du Centre',
  'Pharmacie des Halles', 'Pharmacie du Port', 'Pharmacie des Tilleuls', 'Pharmacie de l\'Église', 'Pharmacie du Parc',
  'Pharmacie de la Place', 'Pharmacie Saint-Michel', 'Grande Pharmacie de la République', 'Pharmacie des Arcades',
  'Pharmacie du Pont', 'Pharmacie des Quatre Chemins', 'Pharmacie de la Fontaine', 'Pharmacie du Lycée',
] as const;

export const OPTICIAN_NAMES = [
  'Optique du Centre', 'Lumière Optique', 'Atelier des Lunettes', 'Optique de la Gare', 'Regard Optique',
  'Vision Plus', 'Optique Horizon', 'Les Opticiens du Marché', 'Clair Regard', 'Optique Saint-Jean',
] as const;

export const AUDIO_NAMES = [
  'Centre Auditif du Centre', 'Audition Claire', 'L\'Oreille Attentive', 'Audio Conseil', 'Écoute et Audition',
  'Centre d\'Audioprothèse des Halles',
] as const;

export const LAB_NAMES = ['Laboratoire BioAnalyses', 'Laboratoire de Biologie Médicale', 'Bio Santé Laboratoires', 'Laboratoire des Halles', 'LBM du Centre'] as const;

export const RADIOLOGY_NAMES = ['Centre d\'imagerie médicale', 'Cabinet de radiologie', 'Imagerie du Parc', 'Centre de radiologie et d\'échographie'] as const;

export const CLINIC_NAMES = ['Clinique Saint-Joseph', 'Clinique du Parc', 'Polyclinique des Tilleuls', 'Clinique de l\'Espérance', 'Centre hospitalier', 'Clinique Sainte-Anne', 'Polyclinique du Val'] as const;

export const DENTAL_CENTRE_NAMES = ['Centre dentaire du Centre', 'Centre de santé dentaire mutualiste', 'Centre dentaire de la Gare', 'Cabinet dentaire des Halles'] as const;

// ---------------------------------------------------------------------------- care and tariffs

export type GuaranteeCategory =
  | 'hospitalisation'
  | 'soins_courants'
  | 'pharmacie'
  | 'optique'
  | 'dentaire'
  | 'aides_auditives'
  | 'maternite'
  | 'prevention'
  | 'medecines_douces';

export const GUARANTEE_CATEGORIES: readonly GuaranteeCategory[] = [
  'hospitalisation',
  'soins_courants',
  'pharmacie',
  'optique',
  'dentaire',
  'aides_auditives',
  'maternite',
  'prevention',
  'medecines_douces',
];

/** Guarantee level of a contract: 0 = base conventionnelle, 1…3 = options. */
export type Level = 0 | 1 | 2 | 3;

/**
 * A care type as it appears on décomptes, with what the Sécurité sociale and the contract pay.
 * - `br`: base de remboursement per unit, in cents [min, max] (0 when the SS does not reimburse).
 * - `rate`: SS rate in percent, or weighted rates (pharmacy: 65 / 30 / 15 %).
 * - `overrun`: probability and factor range of frais réels above the BR (dépassements d'honoraires).
 * - `deduction`: participation forfaitaire (2 € per consultation or act) or franchise médicale
 *   (1 € per box or paramedical act since 31 March 2024); both are withheld by the SS and cannot be
 *   covered by a « contrat responsable », so they stay in the reste à charge.
 * - `complementary`: what the contract pays on top, by level — a share of the BR minus the SS
 *   (« 200 % BR – RSS »), or a flat amount per unit.
 */
export interface CareType {
  code: string;
  label: string;
  category: GuaranteeCategory;
  specialty: string;
  weight: number;
  br: readonly [number, number];
  rate: number | readonly (readonly [number, number])[];
  overrun: { probability: number; factor: readonly [number, number] };
  /** Frais réels drawn freely (no BR link): e.g. glasses. */
  fraisReels?: readonly [number, number];
  deduction: { kind: 'none' } | { kind: 'participation'; cents: number } | { kind: 'franchise'; centsPerUnit: number };
  quantity: readonly [number, number];
  complementary: { kind: 'br_percent'; percent: readonly [number, number, number, number] } | { kind: 'flat'; cents: readonly [number, number, number, number] } | { kind: 'full' };
  tiersRate: number;
  /** Who gets this care: ages in years, sex. */
  ages?: readonly [number, number];
  sex?: 'M' | 'F';
}

export const CARE_TYPES: readonly CareType[] = [
  {
    code: 'consultation_generaliste', label: 'Consultation Médecine Générale', category: 'soins_courants', specialty: 'medecin_generaliste', weight: 30,
    br: [3000, 3000], rate: 70, overrun: { probability: 0.18, factor: [1.15, 1.8] }, deduction: { kind: 'participation', cents: 200 },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [150, 200, 250, 300] }, tiersRate: 0.15,
  },
  {
    code: 'consultation_specialiste', label: 'Consultation Spécialiste', category: 'soins_courants', specialty: 'ophtalmologue', weight: 10,
    br: [3000, 6000], rate: 70, overrun: { probability: 0.55, factor: [1.2, 2.4] }, deduction: { kind: 'participation', cents: 200 },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [200, 250, 300, 400] }, tiersRate: 0.2,
  },
  {
    code: 'pharmacie', label: 'Pharmacie', category: 'pharmacie', specialty: 'pharmacie', weight: 34,
    br: [250, 2400], rate: [[65, 70], [30, 18], [15, 7], [100, 5]], overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'franchise', centsPerUnit: 100 },
    quantity: [1, 5], complementary: { kind: 'br_percent', percent: [100, 100, 100, 100] }, tiersRate: 0.95,
  },
  {
    code: 'laboratoire', label: 'Analyses de laboratoire', category: 'soins_courants', specialty: 'laboratoire', weight: 8,
    br: [900, 6500], rate: 60, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'participation', cents: 200 },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [100, 100, 125, 150] }, tiersRate: 0.85,
  },
  {
    code: 'radiologie', label: 'Radiologie – imagerie médicale', category: 'soins_courants', specialty: 'radiologie', weight: 5,
    br: [2500, 9000], rate: 70, overrun: { probability: 0.3, factor: [1.1, 1.6] }, deduction: { kind: 'participation', cents: 200 },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [150, 200, 250, 300] }, tiersRate: 0.6,
  },
  {
    code: 'kinesitherapie', label: 'Masso-kinésithérapie', category: 'soins_courants', specialty: 'masseur_kinesitherapeute', weight: 5,
    br: [1828, 1828], rate: 60, overrun: { probability: 0.05, factor: [1.1, 1.3] }, deduction: { kind: 'franchise', centsPerUnit: 100 },
    quantity: [2, 10], complementary: { kind: 'br_percent', percent: [100, 100, 150, 200] }, tiersRate: 0.3,
  },
  {
    code: 'soins_infirmiers', label: 'Soins infirmiers', category: 'soins_courants', specialty: 'infirmier', weight: 2,
    br: [800, 2500], rate: 60, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'franchise', centsPerUnit: 100 },
    quantity: [1, 4], complementary: { kind: 'br_percent', percent: [100, 100, 100, 100] }, tiersRate: 0.7,
  },
  {
    code: 'psychologue', label: 'Séance de psychologue (Mon soutien psy)', category: 'soins_courants', specialty: 'psychologue', weight: 0.6,
    br: [5000, 5000], rate: 60, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [100, 100, 100, 100] }, tiersRate: 0.4, ages: [3, 99],
  },
  {
    code: 'dentaire', label: 'Soins dentaires', category: 'dentaire', specialty: 'chirurgien_dentiste', weight: 4,
    br: [2300, 8000], rate: 60, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [100, 100, 125, 150] }, tiersRate: 0.5,
  },
  {
    code: 'prothese_dentaire', label: 'Prothèse dentaire (couronne)', category: 'dentaire', specialty: 'chirurgien_dentiste', weight: 0.6,
    br: [12000, 12000], rate: 60, overrun: { probability: 1, factor: [3.5, 7] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [300, 350, 400, 500] }, tiersRate: 0.75, ages: [25, 99],
  },
  {
    code: 'orthodontie', label: 'Orthodontie (semestre de traitement)', category: 'dentaire', specialty: 'chirurgien_dentiste', weight: 0.4,
    br: [19350, 19350], rate: 100, overrun: { probability: 1, factor: [3, 4.5] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [250, 300, 350, 400] }, tiersRate: 0.5, ages: [8, 15],
  },
  {
    code: 'optique', label: 'Optique – verres et monture', category: 'optique', specialty: 'opticien', weight: 1.3,
    br: [15, 15], rate: 60, overrun: { probability: 0, factor: [1, 1] }, fraisReels: [16000, 62000], deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'flat', cents: [20000, 30000, 40000, 50000] }, tiersRate: 0.85, ages: [4, 99],
  },
  {
    code: 'optique_100_sante', label: 'Optique 100 % Santé (classe A)', category: 'optique', specialty: 'opticien', weight: 0.5,
    br: [9000, 17000], rate: 60, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'full' }, tiersRate: 0.95, ages: [4, 99],
  },
  {
    code: 'lentilles', label: 'Lentilles de contact', category: 'optique', specialty: 'opticien', weight: 0.3,
    br: [3948, 3948], rate: 60, overrun: { probability: 1, factor: [3, 7] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'flat', cents: [10000, 15000, 20000, 25000] }, tiersRate: 0.4, ages: [14, 70],
  },
  {
    code: 'audio', label: 'Aide auditive (par oreille)', category: 'aides_auditives', specialty: 'audioprothesiste', weight: 0.15,
    br: [40000, 40000], rate: 60, overrun: { probability: 1, factor: [2.4, 4.2] }, deduction: { kind: 'none' },
    quantity: [1, 2], complementary: { kind: 'flat', cents: [60000, 80000, 100000, 120000] }, tiersRate: 0.9, ages: [45, 99],
  },
  {
    code: 'hospitalisation', label: 'Hospitalisation – forfait journalier', category: 'hospitalisation', specialty: 'etablissement_hospitalier', weight: 0.6,
    br: [0, 0], rate: 0, overrun: { probability: 0, factor: [1, 1] }, fraisReels: [2000, 2000], deduction: { kind: 'none' },
    quantity: [1, 6], complementary: { kind: 'full' }, tiersRate: 1,
  },
  {
    code: 'chambre_particuliere', label: 'Hospitalisation – chambre particulière', category: 'hospitalisation', specialty: 'etablissement_hospitalier', weight: 0.4,
    br: [0, 0], rate: 0, overrun: { probability: 0, factor: [1, 1] }, fraisReels: [6500, 9500], deduction: { kind: 'none' },
    quantity: [1, 5], complementary: { kind: 'flat', cents: [5000, 6000, 7000, 8000] }, tiersRate: 1,
  },
  {
    code: 'honoraires_chirurgicaux', label: 'Hospitalisation – honoraires chirurgicaux', category: 'hospitalisation', specialty: 'etablissement_hospitalier', weight: 0.5,
    br: [12000, 60000], rate: 80, overrun: { probability: 0.6, factor: [1.2, 2.5] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [200, 250, 300, 400] }, tiersRate: 1, ages: [1, 99],
  },
  {
    code: 'sage_femme', label: 'Consultation sage-femme', category: 'maternite', specialty: 'sage_femme', weight: 0.4,
    br: [3000, 3000], rate: 100, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [100, 100, 100, 100] }, tiersRate: 0.6, ages: [20, 44], sex: 'F',
  },
  {
    code: 'osteopathie', label: 'Ostéopathie', category: 'medecines_douces', specialty: 'osteopathe', weight: 1.2,
    br: [0, 0], rate: 0, overrun: { probability: 0, factor: [1, 1] }, fraisReels: [5500, 7500], deduction: { kind: 'none' },
    quantity: [1, 1], complementary: { kind: 'flat', cents: [3000, 4000, 5000, 6000] }, tiersRate: 0,
  },
  {
    code: 'vaccin', label: 'Vaccin prescrit', category: 'prevention', specialty: 'pharmacie', weight: 0.5,
    br: [700, 4500], rate: 65, overrun: { probability: 0, factor: [1, 1] }, deduction: { kind: 'franchise', centsPerUnit: 100 },
    quantity: [1, 1], complementary: { kind: 'br_percent', percent: [100, 100, 100, 100] }, tiersRate: 0.9,
  },
];

// ---------------------------------------------------------------------------- guarantee tables

export type GuaranteeTemplate =
  | { category: GuaranteeCategory; label: string; kind: 'br'; percent: readonly [number, number, number, number] }
  | {
      category: GuaranteeCategory;
      label: string;
      kind: 'flat';
      cents: readonly [number, number, number, number];
      unit: string;
      /** Yearly cap in cents, when the flat amount is per unit (night, session). */
      yearlyCapCents?: readonly [number, number, number, number];
      capText?: string;
    }
  | { category: GuaranteeCategory; label: string; kind: 'br_plus_flat'; percent: readonly [number, number, number, number]; cents: readonly [number, number, number, number]; unit: string }
  | { category: GuaranteeCategory; label: string; kind: 'text'; text: string; percent?: number };

// The table of a « contrat responsable » of the real-estate branch, from the base up to option 3.
export const GUARANTEE_TEMPLATES: readonly GuaranteeTemplate[] = [
  // Hospitalisation
  { category: 'hospitalisation', label: 'Honoraires – médecins adhérents OPTAM / OPTAM-CO', kind: 'br', percent: [200, 250, 300, 400] },
  { category: 'hospitalisation', label: 'Honoraires – médecins non adhérents OPTAM', kind: 'br', percent: [180, 200, 200, 200] },
  { category: 'hospitalisation', label: 'Frais de séjour (médecine, chirurgie, obstétrique)', kind: 'br', percent: [100, 150, 200, 300] },
  { category: 'hospitalisation', label: 'Forfait journalier hospitalier', kind: 'text', text: '100 % des frais réels, sans limitation de durée' },
  { category: 'hospitalisation', label: 'Chambre particulière (par nuit)', kind: 'flat', cents: [5000, 6000, 7000, 8000], unit: 'par nuit', capText: 'limité à 60 nuits par an' },
  { category: 'hospitalisation', label: "Frais d'accompagnement d'un enfant de moins de 12 ans", kind: 'flat', cents: [2500, 3000, 4000, 5000], unit: 'par nuit', capText: 'limité à 30 nuits par an' },
  { category: 'hospitalisation', label: 'Transport remboursé par la Sécurité sociale', kind: 'br', percent: [100, 100, 150, 200] },
  // Soins courants
  { category: 'soins_courants', label: 'Consultations et visites – généralistes OPTAM', kind: 'br', percent: [150, 200, 250, 300] },
  { category: 'soins_courants', label: 'Consultations et visites – généralistes non OPTAM', kind: 'br', percent: [130, 180, 200, 200] },
  { category: 'soins_courants', label: 'Consultations et visites – spécialistes OPTAM', kind: 'br', percent: [200, 250, 300, 400] },
  { category: 'soins_courants', label: 'Consultations et visites – spécialistes non OPTAM', kind: 'br', percent: [180, 200, 200, 200] },
  { category: 'soins_courants', label: 'Auxiliaires médicaux (infirmiers, kinésithérapeutes, orthophonistes…)', kind: 'br', percent: [100, 100, 150, 200] },
  { category: 'soins_courants', label: 'Analyses et examens de laboratoire', kind: 'br', percent: [100, 100, 125, 150] },
  { category: 'soins_courants', label: 'Radiologie, imagerie médicale – OPTAM', kind: 'br', percent: [150, 200, 250, 300] },
  { category: 'soins_courants', label: 'Séances de psychologue remboursées (Mon soutien psy)', kind: 'br', percent: [100, 100, 100, 100] },
  // Pharmacie
  { category: 'pharmacie', label: 'Médicaments remboursés à 65 %', kind: 'br', percent: [100, 100, 100, 100] },
  { category: 'pharmacie', label: 'Médicaments remboursés à 30 %', kind: 'br', percent: [100, 100, 100, 100] },
  { category: 'pharmacie', label: 'Médicaments remboursés à 15 %', kind: 'br', percent: [100, 100, 100, 100] },
  { category: 'pharmacie', label: 'Médicaments prescrits non remboursés (dont contraception)', kind: 'flat', cents: [3000, 5000, 8000, 10000], unit: 'par an et par bénéficiaire' },
  // Optique
  { category: 'optique', label: 'Équipement 100 % Santé (classe A) – verres et monture', kind: 'text', text: 'Frais réels dans la limite des prix limites de vente' },
  { category: 'optique', label: 'Équipement classe B – verres simples et monture', kind: 'flat', cents: [20000, 30000, 40000, 50000], unit: 'par équipement', capText: 'dont monture 100 € maximum, un équipement tous les 2 ans' },
  { category: 'optique', label: 'Équipement classe B – verres complexes et monture', kind: 'flat', cents: [35000, 45000, 55000, 65000], unit: 'par équipement', capText: 'dont monture 100 € maximum' },
  { category: 'optique', label: 'Équipement classe B – verres très complexes et monture', kind: 'flat', cents: [40000, 50000, 65000, 80000], unit: 'par équipement', capText: 'dont monture 100 € maximum' },
  { category: 'optique', label: 'Lentilles prescrites (remboursées ou non)', kind: 'flat', cents: [10000, 15000, 20000, 25000], unit: 'par an et par bénéficiaire' },
  { category: 'optique', label: 'Chirurgie réfractive de la myopie', kind: 'flat', cents: [20000, 30000, 40000, 50000], unit: 'par œil' },
  // Dentaire
  { category: 'dentaire', label: 'Soins dentaires conservateurs', kind: 'br', percent: [100, 100, 125, 150] },
  { category: 'dentaire', label: 'Soins et prothèses 100 % Santé', kind: 'text', text: 'Frais réels dans la limite des honoraires limites de facturation' },
  { category: 'dentaire', label: 'Prothèses dentaires remboursées (paniers maîtrisé et libre)', kind: 'br', percent: [300, 350, 400, 500] },
  { category: 'dentaire', label: 'Orthodontie remboursée', kind: 'br', percent: [250, 300, 350, 400] },
  { category: 'dentaire', label: 'Implantologie', kind: 'flat', cents: [30000, 40000, 60000, 80000], unit: 'par an et par bénéficiaire' },
  { category: 'dentaire', label: 'Parodontologie non remboursée', kind: 'flat', cents: [10000, 15000, 20000, 25000], unit: 'par an et par bénéficiaire' },
  // Aides auditives
  { category: 'aides_auditives', label: 'Équipement 100 % Santé (classe I)', kind: 'text', text: 'Frais réels dans la limite des prix limites de vente' },
  { category: 'aides_auditives', label: 'Aides auditives classe II (par oreille, tous les 4 ans)', kind: 'br_plus_flat', percent: [100, 100, 100, 100], cents: [60000, 80000, 100000, 120000], unit: 'par oreille, dans la limite de 1 700 € RSS inclus' },
  { category: 'aides_auditives', label: 'Piles, entretien et accessoires remboursés', kind: 'br', percent: [100, 100, 150, 200] },
  // Maternité
  { category: 'maternite', label: 'Forfait naissance ou adoption', kind: 'flat', cents: [15000, 20000, 30000, 40000], unit: 'par enfant' },
  { category: 'maternite', label: 'Chambre particulière en maternité (par nuit)', kind: 'flat', cents: [5000, 6000, 7000, 8000], unit: 'par nuit', capText: 'limité à 8 nuits' },
  { category: 'maternite', label: "Dépassements d'honoraires liés à l'accouchement – OPTAM", kind: 'br', percent: [200, 250, 300, 400] },
  { category: 'maternite', label: 'Consultations de sage-femme', kind: 'br', percent: [100, 100, 100, 100] },
  // Prévention
  { category: 'prevention', label: 'Actes de prévention du contrat responsable', kind: 'br', percent: [100, 100, 100, 100] },
  { category: 'prevention', label: 'Vaccins prescrits non remboursés (grippe, voyage…)', kind: 'flat', cents: [3000, 5000, 6000, 8000], unit: 'par an et par bénéficiaire' },
  { category: 'prevention', label: 'Sevrage tabagique (substituts nicotiniques)', kind: 'flat', cents: [5000, 7500, 10000, 15000], unit: 'par an et par bénéficiaire' },
  { category: 'prevention', label: 'Ostéodensitométrie non remboursée', kind: 'flat', cents: [4000, 5000, 6000, 8000], unit: 'par an (femmes de plus de 50 ans)' },
  // Médecines douces
  { category: 'medecines_douces', label: 'Ostéopathie, chiropractie, étiopathie', kind: 'flat', cents: [3000, 4000, 5000, 6000], unit: 'par séance', yearlyCapCents: [9000, 16000, 20000, 24000], capText: 'séances par an' },
  { category: 'medecines_douces', label: 'Acupuncture, sophrologie, diététique', kind: 'flat', cents: [2500, 3000, 4000, 5000], unit: 'par séance', yearlyCapCents: [7500, 9000, 12000, 15000], capText: 'séances par an' },
  { category: 'medecines_douces', label: 'Psychologue (hors Mon soutien psy)', kind: 'flat', cents: [3000, 4000, 5000, 6000], unit: 'par séance', yearlyCapCents: [12000, 16000, 20000, 24000], capText: 'séances par an' },
];

export const LEVEL_NAMES: readonly string[] = ['Base conventionnelle', 'Base + option 1', 'Base + option 2', 'Base + option 3'];

// ---------------------------------------------------------------------------- companies

export const COMPANY_PREFIXES = [
  'Agence immobilière', 'Cabinet', 'Syndic', 'Gestion immobilière', 'Régie', 'Administration de biens', 'Immobilière',
  'Transactions', 'Groupe', 'Foncière',
] as const;

export const COMPANY_CORES = [
  'des Quais', 'du Parc', 'Saint-Martin', 'de l\'Atlantique', 'des Alpes', 'du Lion', 'Belle Rive', 'des Cèdres',
  'Horizon', 'Boréal', 'Lumière', 'Mistral', 'des Remparts', 'du Canal', 'Val de Loire', 'Côte d\'Opale', 'des Vosges',
  'du Littoral', 'des Coteaux', 'de la Citadelle', 'Montmartre', 'Haussmann', 'Bellevue', 'du Vieux Port', 'des Halles',
  'Cévennes', 'Garonne', 'Rhône-Alpes', 'du Ponant', 'Armor', 'des Chartreux', 'Lamartine', 'Pasteur', 'Marceau',
] as const;

export const COMPANY_SUFFIXES = ['', ' Immobilier', ' Gestion', ' Patrimoine', ' Habitat', ' & Associés', ' Conseil', ' Syndic'] as const;

export const LEGAL_FORMS = ['SAS', 'SARL', 'SA', 'SASU', 'EURL'] as const;

/** Reasons an affiliation ends, with how often. */
export const END_REASONS = [
  ['demission', 35],
  ['fin_cdd', 20],
  ['rupture_conventionnelle', 18],
  ['licenciement', 12],
  ['retraite', 10],
  ['deces', 1],
  ['mutation', 4],
] as const;

/** Leaving for these reasons opens the portability of cover (up to 12 months while unemployed). */
export const PORTABILITY_REASONS = new Set(['fin_cdd', 'rupture_conventionnelle', 'licenciement']);

/** « 150 € », « 26,50 € » — whole euros without decimals, as on a guarantee table. */
function euroText(cents: number): string {
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const whole = euros.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u00A0');
  return rest === 0 ? `${whole}\u00A0€` : `${whole},${String(rest).padStart(2, '0')}\u00A0€`;
}

export interface GuaranteeCoverage {
  coverage: string;
  brPercent: number | null;
  flatAmountCents: number | null;
  yearlyCapCents: number | null;
}

/** The coverage of one guarantee line at a contract level, as text and as numbers. */
export function coverageAt(template: GuaranteeTemplate, level: Level): GuaranteeCoverage {
  switch (template.kind) {
    case 'br':
      return { coverage: `${template.percent[level]} % BR – RSS`, brPercent: template.percent[level], flatAmountCents: null, yearlyCapCents: null };
    case 'flat': {
      const cents = template.cents[level];
      const cap = template.yearlyCapCents?.[level] ?? null;
      let coverage = `Forfait ${euroText(cents)} ${template.unit}`;
      if (cap !== null) coverage += `, ${Math.round(cap / cents)} ${template.capText ?? 'par an'}`;
      else if (template.capText) coverage += `, ${template.capText}`;
      return { coverage, brPercent: null, flatAmountCents: cents, yearlyCapCents: cap };
    }
    case 'br_plus_flat':
      return {
        coverage: `${template.percent[level]} % BR – RSS + forfait ${euroText(template.cents[level])} ${template.unit}`,
        brPercent: template.percent[level],
        flatAmountCents: template.cents[level],
        yearlyCapCents: null,
      };
    case 'text':
      return { coverage: template.text, brPercent: template.percent ?? null, flatAmountCents: null, yearlyCapCents: null };
  }
}
