/** The facility document types as the client's records layer uses them (common/records is the source). */
export type * from '../../common/records/types.ts';
export type { DoseUnit as DoseUnitValue } from '../../common/reference/opioid-equivalence.ts';
export type { Route as RouteValue } from '../../common/reference/types.ts';
