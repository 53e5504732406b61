//! Postal code → address. The core has no postal dictionary yet: when `lookup_postal_code` appears
//! among the generated commands, call it here. Until then this returns null and the form does nothing.

export interface PostalAddress {
  prefecture: string;
  city: string;
  street: string;
}

/** 7 digits (hyphen or full-width digits allowed) or null. */
export function postalDigits(code: string): string | null {
  const ascii = code.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const digits = ascii.replace(/[-‐－ー−\s〒]/g, "");
  return /^\d{7}$/.test(digits) ? digits : null;
}

/** Hook for the postal dictionary: returns null until the core offers a lookup. */
export async function lookupPostalCode(_code: string): Promise<PostalAddress | null> {
  return null;
}
