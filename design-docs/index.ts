/**
 * Design documents as source: one folder per database kind, one file per function, assembled here into
 * `_design/register` with a content hash so provisioning pushes a design document only when it changed. The audit
 * function is plain JavaScript as CouchDB runs it; the reference and facility functions are TypeScript modules
 * bundled with the shared structural validation (bundle.ts), so the store refuses exactly what the client would.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isFacilityId } from '../common/roles.ts';
import { bundledValidateDocUpdate } from './bundle.ts';
import { facilityViews } from './facility/views/index.ts';

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

/** The source text of a plain JavaScript function, e.g. `functionSource('audit', 'validate_doc_update')`. */
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
    validate_doc_update: bundledValidateDocUpdate('./reference/validate.ts'),
  });
}

export function auditDesignDoc(): DesignDoc {
  return withHash({
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: functionSource('audit', 'validate_doc_update'),
  });
}

export interface FacilityDesignDocOptions {
  /** The lowest key epoch the facility still accepts sealed data under (default 1: none retired). */
  minWriteEpoch?: number;
}

/**
 * The facility's design document, with its id and lowest writable key epoch written into the validation function
 * (facility/validate.ts), since `validate_doc_update` cannot look anything up, and the summary report's views
 * (facility/views/).
 */
export function facilityDesignDoc(facilityId: string, options: FacilityDesignDocOptions = {}): DesignDoc {
  if (!isFacilityId(facilityId)) throw new Error(`not a facility id: ${facilityId}`);
  const minWriteEpoch = options.minWriteEpoch ?? 1;
  if (!Number.isSafeInteger(minWriteEpoch) || minWriteEpoch < 1) throw new Error(`not an epoch: ${minWriteEpoch}`);
  const validate = bundledValidateDocUpdate('./facility/validate.ts', {
    FACILITY_ID: facilityId,
    MIN_WRITE_EPOCH: minWriteEpoch,
  });
  return withHash({
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: validate,
    views: facilityViews(),
  });
}
