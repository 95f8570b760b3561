/**
 * Reading the fields of a JSON request as AWS's models declare them: each
 * getter checks the type and says which field was wrong, as a
 * ProtocolError of the service's validation type. Unknown fields are ignored,
 * as AWS services do for fields from newer models.
 */
import { ProtocolError } from './awsErrors';

export class Fields {
  constructor(
    private readonly body: Record<string, unknown>,
    /** InvalidParameterException (Secrets Manager) or ValidationException (KMS). */
    private readonly invalidType: string,
  ) {}

  private bad(field: string, what: string): never {
    throw new ProtocolError(400, this.invalidType, `${field} ${what}`);
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  str(field: string): string | undefined;
  str(field: string, required: true): string;
  str(field: string, required = false): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) {
      if (required) this.bad(field, 'is required');
      return undefined;
    }
    if (typeof v !== 'string') this.bad(field, `must be a string, not ${typeof v}`);
    return v;
  }

  int(field: string, min: number, max: number): number | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.bad(field, 'must be a whole number');
    if (v < min || v > max) this.bad(field, `must be ${min} to ${max}, not ${v}`);
    return v;
  }

  bool(field: string): boolean | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.bad(field, 'must be true or false');
    return v;
  }

  strList(field: string, max = 1000): string[] | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) this.bad(field, 'must be a list of strings');
    if (v.length > max) this.bad(field, `has at most ${max} entries`);
    return v as string[];
  }

  /** A blob: base64 in the JSON protocols. */
  blob(field: string): Buffer | undefined;
  blob(field: string, required: true): Buffer;
  blob(field: string, required = false): Buffer | undefined {
    const s = required ? this.str(field, true) : this.str(field);
    if (s === undefined) return undefined;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) this.bad(field, 'must be base64');
    return Buffer.from(s, 'base64');
  }

  /** A string → string map (encryption contexts). */
  strMap(field: string): Record<string, string> | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v) || Object.values(v as object).some((x) => typeof x !== 'string')) this.bad(field, 'must be a map of strings to strings');
    return { ...(v as Record<string, string>) };
  }

  /** A list of objects, each read through its own Fields. */
  list(field: string, max = 1000): Fields[] | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) this.bad(field, 'must be a list of objects');
    if (v.length > max) this.bad(field, `has at most ${max} entries`);
    return (v as Record<string, unknown>[]).map((x) => new Fields(x, this.invalidType));
  }

  obj(field: string): Fields | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) this.bad(field, 'must be an object');
    return new Fields(v as Record<string, unknown>, this.invalidType);
  }
}

/** AWS's JSON timestamps: seconds since the epoch, fractions allowed. */
export function epochSeconds(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t / 1000;
}
