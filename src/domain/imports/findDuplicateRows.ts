import { isCitizenIdFormat, normalizeCitizenId } from "../../shared/citizenId.ts";
import type { ImportProblem } from "./importReport.ts";

/**
 * A monthly list has one row per beneficiary. A second row with the same code, or with another
 * code but the same citizen ID (one person listed twice: one allowance only, Decree 20/2021),
 * would pay twice: the later row is reported, naming the earlier one.
 */
export class DuplicateRowFinder {
  private readonly rowByCode = new Map<string, number>();
  private readonly firstByCitizenId = new Map<string, { row: number; code: string }>();

  check(rowNumber: number, codeText: string, citizenIdText: string): ImportProblem[] {
    const code = codeText.trim();
    if (code) {
      const first = this.rowByCode.get(code);
      if (first !== undefined) {
        return [{ row: rowNumber, column: "beneficiary_code", reason: `${code} is already on row ${first}: a beneficiary is paid once per list` }];
      }
      this.rowByCode.set(code, rowNumber);
    }
    const id = normalizeCitizenId(citizenIdText);
    if (isCitizenIdFormat(id)) {
      const first = this.firstByCitizenId.get(id);
      if (first) {
        return [
          {
            row: rowNumber,
            column: "citizen_id",
            reason: `the same citizen ID is already on row ${first.row} (${first.code || "no code"}): one person is paid one allowance`,
          },
        ];
      }
      this.firstByCitizenId.set(id, { row: rowNumber, code });
    }
    return [];
  }
}
