import { matchKey } from "../../src/shared/text.ts";

/**
 * The personal-data notice every channel identity sees once at first contact (flows/privacy.yaml).
 * The channel kits answer it "1. Đồng ý" for the person by default, as someone who agreed before
 * would; tests of the notice itself turn that off and read it.
 */
export function isConsentNotice(text: string): boolean {
  const key = matchKey(text);
  return key.includes("thong bao ve du lieu ca nhan") || key.includes("personal data notice");
}
