//! Postal code → address, from the Japan Post directory the shop imported (設定 → 郵便番号データ).
import { cmd } from "./api";

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

/** The address for a postal code; the town only when the code names exactly one. */
export async function lookupPostalCode(code: string): Promise<PostalAddress | null> {
  const found = await cmd.lookupPostalCode(code);
  if (found.length === 0) return null;
  const first = found[0];
  const sameCity = found.every((a) => a.prefecture === first.prefecture && a.city === first.city);
  if (!sameCity) return null;
  return { prefecture: first.prefecture, city: first.city, street: found.length === 1 ? first.town : "" };
}

/** The address fields a form shares with the lookup. */
export interface AddressFields {
  postal_code: string;
  prefecture: string;
  city: string;
  street: string;
}

/** On leaving the postal code field: fills the address fields that are still empty. */
export async function fillAddressFromPostal(input: AddressFields): Promise<void> {
  const digits = postalDigits(input.postal_code);
  if (!digits) return;
  const found = await lookupPostalCode(digits);
  if (!found) return;
  if (!input.prefecture) input.prefecture = found.prefecture;
  if (!input.city) input.city = found.city;
  if (!input.street) input.street = found.street;
}
