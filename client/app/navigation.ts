/**
 * The sections of the register and the permission each needs (common/roles.ts). Navigation shows only what the
 * user's roles allow, and rp-app refuses a section that is not allowed even when its address is typed in.
 */
import { can, type Permission } from '../../common/roles.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export type SectionId = 'patients' | 'prescriptions' | 'reports' | 'administration';

export interface Section {
  id: SectionId;
  path: `/${string}`;
  permission: Permission;
  title: MessageKey;
  description: MessageKey;
  /** True once the section has its pages; the others are marked "in development" on the home page. */
  built?: boolean;
}

export const SECTIONS: readonly Section[] = [
  {
    id: 'patients',
    path: '/patients',
    permission: 'read-write-patients',
    title: 'nav.patients',
    description: 'nav.patients.description',
    built: true,
  },
  // Nurses see current prescriptions and print the report; doctors also write them (a finer check inside).
  {
    id: 'prescriptions',
    path: '/prescriptions',
    permission: 'prescription-report',
    title: 'nav.prescriptions',
    description: 'nav.prescriptions.description',
    built: true,
  },
  {
    id: 'reports',
    path: '/reports',
    permission: 'summary-report',
    title: 'nav.reports',
    description: 'nav.reports.description',
    built: true,
  },
  {
    id: 'administration',
    path: '/administration',
    permission: 'manage-administration',
    title: 'nav.administration',
    description: 'nav.administration.description',
    built: true,
  },
];

export function sectionsFor(roles: readonly string[]): Section[] {
  return SECTIONS.filter((section) => can(roles, section.permission));
}

export type Route = { kind: 'home' } | { kind: 'section'; section: Section } | { kind: 'sync' } | { kind: 'forbidden' };

/**
 * The route for a path, given the user's roles; unknown paths lead home. A section owns its sub-paths
 * (`/patients/<id>/edit`); the query and fragment are the page's business.
 */
export function routeFor(pathname: string, roles: readonly string[]): Route {
  const path = pathname.replace(/[?#].*$/, '').replace(/\/+$/, '');
  if (path === '/sync') return { kind: 'sync' };
  const section = SECTIONS.find((candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`));
  if (!section) return { kind: 'home' };
  return can(roles, section.permission) ? { kind: 'section', section } : { kind: 'forbidden' };
}
