/**
 * Design documents as source: one folder per database kind, one file per function (plain JavaScript as CouchDB
 * runs it), assembled here into `_design/register` with a content hash so provisioning pushes a design document
 * only when it changed.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isFacilityId } from '../common/roles.ts';

export const DESIGN_DOC_ID = '_design/register';

export interface DesignDoc {
  _id: string;
  _rev?: string;
  language: 'javascript';
  contentHash: string;
  validate_doc_update: string;
  views?: Record<string, { map: string; reduce?: string }>;
}

export type DesignDocKind = 'reference' | 'audit' | 'facility';

/** The source text of one function, e.g. `functionSource('audit', 'validate_doc_update')`. */
export function functionSource(kind: DesignDocKind, name: string): string {
  return readFileSync(new URL(`./${kind}/${name}.js`, import.meta.url), 'utf8').trim();
}

function withHash(doc: Omit<DesignDoc, 'contentHash'>): DesignDoc {
  const contentHash = createHash('sha256').update(JSON.stringify(doc)).digest('hex');
  return { ...doc, contentHash };
}

export function referenceDesignDoc(): DesignDoc {
  return withHash({
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: functionSource('reference', 'validate_doc_update'),
  });
}

export function auditDesignDoc(): DesignDoc {
  return withHash({
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: functionSource('audit', 'validate_doc_update'),
  });
}

/** The facility's design document, with its id written into the validation function. */
export function facilityDesignDoc(facilityId: string): DesignDoc {
  if (!isFacilityId(facilityId)) throw new Error(`not a facility id: ${facilityId}`);
  const validate = functionSource('facility', 'validate_doc_update').replace(
    "'%FACILITY_ID%'",
    JSON.stringify(facilityId),
  );
  return withHash({ _id: DESIGN_DOC_ID, language: 'javascript', validate_doc_update: validate });
}
