// The three doors of the portal and what differs between them.
export type Door = 'assure' | 'entreprise' | 'gestion';
export type AccountKind = 'member' | 'hr' | 'staff';

export interface DoorInfo {
  door: Door;
  kind: AccountKind;
  spaceName: string;
  base: string;
  /** Self-activation exists for members and HR users; staff accounts are created by the insurer. */
  activationText: string | null;
}

export const doors: Record<Door, DoorInfo> = {
  assure: {
    door: 'assure',
    kind: 'member',
    spaceName: 'Espace Assuré',
    base: '/assure',
    activationText:
      "Pour accéder aux services de l'Espace Assuré, réalisez une première connexion afin de personnaliser vos identifiants, avec l'adresse e-mail communiquée lors de votre affiliation.",
  },
  entreprise: {
    door: 'entreprise',
    kind: 'hr',
    spaceName: 'Espace Entreprise',
    base: '/entreprise',
    activationText:
      "Pour accéder aux services de l'Espace Entreprise, réalisez une première connexion afin de personnaliser vos identifiants, avec le numéro de SIRET de votre établissement et votre identifiant entreprise.",
  },
  gestion: {
    door: 'gestion',
    kind: 'staff',
    spaceName: 'Espace Gestion',
    base: '/gestion',
    activationText: null,
  },
};
