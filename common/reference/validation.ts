/**
 * Structural validation of reference-book documents (database `reference`), written once for the client repository,
 * the server and — bundled into a design document — CouchDB. Plain ES2020 with no imports at all, so that it can run
 * inside a `validate_doc_update` as it is. Messages are Russian: administrators see them next to the field named.
 * The document types are in types.ts, which re-exports everything here.
 */

export interface ValidationError {
  field: string;
  message: string;
}

export const DOSAGE_FORMS = [
  'tablet',
  'tablet-prolonged',
  'capsule',
  'capsule-prolonged',
  'oral-solution',
  'syrup',
  'drops',
  'injection',
  'infusion',
  'transdermal-patch',
  'suppository',
] as const;

/** `ug` is a microgram (µg); `ug_per_h` the delivery rate of a patch. */
export const STRENGTH_UNITS = ['mg', 'ug', 'g', 'mg_per_ml', 'ug_per_ml', 'ug_per_h'] as const;

export const ROUTES = ['oral', 'sublingual', 'rectal', 'transdermal', 'parenteral', 'intravenous'] as const;

export const OPIOID_CLASSES = ['strong', 'weak', 'none'] as const;

/** Lists of the Russian Government Decree No. 681 (narcotic drugs and psychotropic substances). */
export const CONTROL_LISTS = ['I', 'II', 'III'] as const;

/** What the oral-morphine factor multiplies: a daily dose in mg, or a patch's rate in µg/h. */
export const FACTOR_BASES = ['mg', 'ug_per_h'] as const;

export const DISTRICT_KINDS = ['urban-okrug', 'municipal-okrug', 'municipal-district'] as const;

export const REFERENCE_TYPES = ['medicament', 'diagnosis-chunk', 'diagnosis-meta', 'district'] as const;

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const ATC = /^[A-Z]\d{2}[A-Z]{2}(\d{2})?$/;
const OID = /^\d+(\.\d+)+$/;
/** Classes are Roman numerals; blocks `A00-A09`; categories `A00`; subcategories `A00.0` or `A00.00`. */
const DIAGNOSIS_CODE = /^([IVX]+|[A-Z]\d{2}-[A-Z]\d{2}|[A-Z]\d{2}(\.\d{1,2})?)$/;

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isOneOf(value: unknown, allowed: readonly string[]): boolean {
  return typeof value === 'string' && allowed.indexOf(value) !== -1;
}

function isIsoTime(value: unknown): boolean {
  return typeof value === 'string' && ISO_TIME.test(value) && !isNaN(Date.parse(value));
}

/** The chunk a code belongs to: its first letter, or `classes` for the Roman-numeral classes. */
export function diagnosisChunkKey(code: string): string {
  return /^[IVX]+$/.test(code) ? 'classes' : code.charAt(0);
}

/** Checks `_id`, `type`, `active` and the authorship fields; `keyPattern` is what may follow `<type>:`. */
function baseErrors(
  doc: Fields,
  type: (typeof REFERENCE_TYPES)[number],
  keyPattern: RegExp,
  keyExample: string,
): ValidationError[] {
  const errors: ValidationError[] = [];
  const id = doc._id;
  if (typeof id !== 'string' || id.indexOf(type + ':') !== 0 || !keyPattern.test(id.slice(type.length + 1))) {
    errors.push({ field: '_id', message: 'Идентификатор должен иметь вид «' + type + ':' + keyExample + '».' });
  }
  if (doc.type !== type) errors.push({ field: 'type', message: 'Тип документа должен быть «' + type + '».' });
  if (typeof doc.active !== 'boolean') errors.push({ field: 'active', message: 'Укажите, действует ли запись.' });
  if (!isText(doc.createdBy)) errors.push({ field: 'createdBy', message: 'Не указано, кто создал запись.' });
  if (!isIsoTime(doc.createdAt)) errors.push({ field: 'createdAt', message: 'Время создания не в формате ISO 8601.' });
  if (!isText(doc.updatedBy)) errors.push({ field: 'updatedBy', message: 'Не указано, кто изменил запись.' });
  if (!isIsoTime(doc.updatedAt)) errors.push({ field: 'updatedAt', message: 'Время изменения не в формате ISO 8601.' });
  return errors;
}

function notObject(): ValidationError[] {
  return [{ field: '', message: 'Документ должен быть объектом.' }];
}

function flagErrors(doc: Fields, fields: string[], errors: ValidationError[]): void {
  for (const field of fields) {
    if (typeof doc[field] !== 'boolean') errors.push({ field, message: 'Должно быть «да» или «нет».' });
  }
}

/** Control list and flags must agree: List I–II hold narcotics and psychotropics, List III psychotropics only. */
function regulatoryErrors(doc: Fields, errors: ValidationError[]): void {
  const list = doc.controlList;
  if (list !== null && !isOneOf(list, CONTROL_LISTS)) {
    errors.push({ field: 'controlList', message: 'Список может быть I, II, III или не указан.' });
  } else if ((doc.narcotic === true || doc.psychotropic === true) && list === null) {
    errors.push({ field: 'controlList', message: 'Для наркотического или психотропного средства укажите список.' });
  } else if (list !== null && doc.narcotic !== true && doc.psychotropic !== true) {
    errors.push({
      field: 'controlList',
      message: 'Список указывается только для наркотических и психотропных средств.',
    });
  } else if (list === 'III' && doc.narcotic === true) {
    errors.push({ field: 'controlList', message: 'Наркотические средства входят в списки I и II, не в список III.' });
  }
  if (doc.potent === true && list !== null) {
    errors.push({ field: 'potent', message: 'Сильнодействующее вещество не входит в списки I–III.' });
  }
}

/** The factor, its basis and its source go together; a patch factor needs a strength in µg/h. */
function factorErrors(doc: Fields, errors: ValidationError[]): void {
  const factor = doc.morphineFactor;
  const basis = doc.factorBasis;
  if (factor === null) {
    if (basis !== null) errors.push({ field: 'factorBasis', message: 'Без коэффициента основание не указывается.' });
    if (doc.factorSource !== null && typeof doc.factorSource !== 'string') {
      errors.push({ field: 'factorSource', message: 'Источник — текст или пусто.' });
    }
    return;
  }
  if (typeof factor !== 'number' || !isFinite(factor) || factor <= 0) {
    errors.push({ field: 'morphineFactor', message: 'Коэффициент — положительное число или «нет коэффициента».' });
  } else if (doc.opioidClass === 'none') {
    errors.push({ field: 'morphineFactor', message: 'Коэффициент пересчёта задаётся только для опиоидов.' });
  }
  if (!isOneOf(basis, FACTOR_BASES)) {
    errors.push({ field: 'factorBasis', message: 'Укажите основание коэффициента: на мг или на мкг/ч.' });
  } else if ((basis === 'ug_per_h') !== (doc.strengthUnit === 'ug_per_h')) {
    errors.push({ field: 'factorBasis', message: 'Коэффициент на мкг/ч — только для дозировки в мкг/ч, и наоборот.' });
  }
  if (!isText(doc.factorSource)) errors.push({ field: 'factorSource', message: 'Укажите источник коэффициента.' });
}

function optionalTextErrors(doc: Fields, fields: string[], errors: ValidationError[]): void {
  for (const field of fields) {
    if (doc[field] !== undefined && !isText(doc[field]))
      errors.push({ field, message: 'Пустой текст не допускается.' });
  }
}

export function validateMedicament(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = baseErrors(doc, 'medicament', SLUG, 'morphine-tablets-10mg');
  if (!isText(doc.innRu)) errors.push({ field: 'innRu', message: 'Укажите МНН на русском языке.' });
  if (!isText(doc.innLatin) || !/^[A-Za-z][A-Za-z .,+()/-]*$/.test(doc.innLatin)) {
    errors.push({ field: 'innLatin', message: 'Укажите МНН латинскими буквами.' });
  }
  const names = doc.tradeNames;
  if (!Array.isArray(names) || !names.every(isText) || new Set(names).size !== names.length) {
    errors.push({ field: 'tradeNames', message: 'Торговые наименования — список разных непустых названий.' });
  }
  if (typeof doc.atcCode !== 'string' || !ATC.test(doc.atcCode)) {
    errors.push({ field: 'atcCode', message: 'Код АТХ должен иметь вид N02AA01 (или N01AH для группы).' });
  }
  if (!isOneOf(doc.form, DOSAGE_FORMS)) errors.push({ field: 'form', message: 'Неизвестная лекарственная форма.' });
  if (typeof doc.strength !== 'number' || !isFinite(doc.strength) || doc.strength <= 0) {
    errors.push({ field: 'strength', message: 'Дозировка должна быть положительным числом.' });
  }
  if (!isOneOf(doc.strengthUnit, STRENGTH_UNITS)) {
    errors.push({ field: 'strengthUnit', message: 'Неизвестная единица дозировки.' });
  }
  if (!isOneOf(doc.route, ROUTES)) errors.push({ field: 'route', message: 'Неизвестный путь введения.' });
  flagErrors(doc, ['narcotic', 'psychotropic', 'potent'], errors);
  regulatoryErrors(doc, errors);
  if (!isOneOf(doc.opioidClass, OPIOID_CLASSES)) {
    errors.push({ field: 'opioidClass', message: 'Класс опиоида: сильный, слабый или не опиоид.' });
  }
  factorErrors(doc, errors);
  optionalTextErrors(doc, ['strengthNote', 'note'], errors);
  return errors;
}

/** One entry's problems, with fields named `entries[i].<field>`. */
function entryErrors(
  entry: unknown,
  index: number,
  key: string | null,
  seen: Record<string, number>,
): ValidationError[] {
  const at = 'entries[' + index + ']';
  if (!isRecord(entry)) return [{ field: at, message: 'Запись должна быть объектом.' }];
  const errors: ValidationError[] = [];
  const code = entry.code;
  if (typeof code !== 'string' || !DIAGNOSIS_CODE.test(code)) {
    errors.push({ field: at + '.code', message: 'Код МКБ-10 должен иметь вид C34, C34.1, C30-C39 или II.' });
  } else if (key !== null && diagnosisChunkKey(code) !== key) {
    errors.push({ field: at + '.code', message: 'Код ' + code + ' не относится к части «' + key + '».' });
  } else if (seen[code] !== undefined) {
    errors.push({ field: at + '.code', message: 'Код ' + code + ' уже есть в entries[' + seen[code] + '].' });
  } else {
    seen[code] = index;
  }
  if (!isText(entry.name)) errors.push({ field: at + '.name', message: 'Укажите название диагноза.' });
  if (entry.parent !== undefined && (typeof entry.parent !== 'string' || !DIAGNOSIS_CODE.test(entry.parent))) {
    errors.push({ field: at + '.parent', message: 'Родительский код должен быть кодом МКБ-10.' });
  }
  if (typeof entry.actual !== 'boolean') errors.push({ field: at + '.actual', message: 'Укажите, действует ли код.' });
  return errors;
}

export function validateDiagnosisEntry(entry: unknown): ValidationError[] {
  return entryErrors(entry, 0, null, {});
}

export function validateDiagnosisChunk(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = baseErrors(doc, 'diagnosis-chunk', /^([A-Z]|classes)$/, 'C');
  const key = errors.some((error) => error.field === '_id') ? null : String(doc._id).slice('diagnosis-chunk:'.length);
  if (!Array.isArray(doc.entries)) {
    errors.push({ field: 'entries', message: 'Коды части — список.' });
    return errors;
  }
  const seen: Record<string, number> = {};
  doc.entries.forEach((entry: unknown, index: number) => {
    errors.push(...entryErrors(entry, index, key, seen));
  });
  return errors;
}

export function validateDiagnosisMeta(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = baseErrors(doc, 'diagnosis-meta', /^icd10$/, 'icd10');
  if (!isText(doc.version)) errors.push({ field: 'version', message: 'Укажите версию справочника.' });
  if (typeof doc.oid !== 'string' || !OID.test(doc.oid)) {
    errors.push({ field: 'oid', message: 'OID — числа через точку, например 1.2.643.5.1.13.13.11.1005.' });
  }
  if (!isText(doc.source)) errors.push({ field: 'source', message: 'Укажите источник справочника.' });
  if (typeof doc.count !== 'number' || !(doc.count >= 0) || Math.floor(doc.count) !== doc.count) {
    errors.push({ field: 'count', message: 'Число кодов — целое неотрицательное число.' });
  }
  if (!isIsoTime(doc.importedAt))
    errors.push({ field: 'importedAt', message: 'Время загрузки не в формате ISO 8601.' });
  return errors;
}

export function validateDistrict(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = baseErrors(doc, 'district', SLUG, 'petrozavodsk');
  if (!isText(doc.name)) errors.push({ field: 'name', message: 'Укажите название.' });
  if (!isOneOf(doc.kind, DISTRICT_KINDS)) {
    errors.push({ field: 'kind', message: 'Вид: городской округ, муниципальный округ или муниципальный район.' });
  }
  if (!isText(doc.centre)) errors.push({ field: 'centre', message: 'Укажите административный центр.' });
  if (!isText(doc.region)) errors.push({ field: 'region', message: 'Укажите субъект Российской Федерации.' });
  return errors;
}

/** Validates any reference document by its `type`. */
export function validateReferenceDoc(doc: unknown): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  switch (doc.type) {
    case 'medicament':
      return validateMedicament(doc);
    case 'diagnosis-chunk':
      return validateDiagnosisChunk(doc);
    case 'diagnosis-meta':
      return validateDiagnosisMeta(doc);
    case 'district':
      return validateDistrict(doc);
    default:
      return [{ field: 'type', message: 'Неизвестный тип документа справочника.' }];
  }
}
