/**
 * Vietnamese without diacritics ("khong dau"), as USSD screens need and as input matching uses.
 * NFD plus stripping combining marks leaves đ/Đ untouched, so they are mapped explicitly.
 */
const PLAIN_ASCII = /^[\x00-\x7f]*$/;

export function foldDiacritics(text: string): string {
  if (PLAIN_ASCII.test(text)) return text; // most input is digits: nothing to fold
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
}

/** The form two phrases are compared in: folded, lower case, single spaces, no punctuation at the ends. */
export function matchKey(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, " ")
    .replace(/^[\s.,;:!?'"()-]+|[\s.,;:!?'"()-]+$/g, "");
}
