import ExcelJS from "exceljs";
const file = "/tmp/imp-explore/big.xlsx";
const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
const ws = wb.addWorksheet("DS");
ws.addRow(["Mã đối tượng","Họ và tên","Ngày sinh","Giới tính","Số CCCD","Số điện thoại","Xã","Thôn","Huyện cũ","Đối tượng","Hệ số","Mức hưởng","Kỳ chi trả","Số tiền","Truy lĩnh","Ngày chi trả","Hình thức","Ngân hàng","Số tài khoản","Điểm chi trả"]).commit();
const t0 = Date.now();
for (let i = 0; i < 100000; i++) {
  const r = ws.addRow([`LS${String(i).padStart(6,"0")}`, "Nguyễn Văn An", new Date(Date.UTC(1950, 0, 1 + (i % 3000))), "Nam", 20050012345 + i, 912345678, "Xã Tân Thanh", "Thôn Nà Lìn", "Văn Lãng", "Người cao tuổi", 1.5, 750000, "2025-07", 750000, 0, new Date(Date.UTC(2025,6,10)), "Ngân hàng", "Agribank", "8888" + String(i).padStart(9,"0"), "Nhà văn hoá thôn"]);
  r.getCell(3).numFmt = "dd/mm/yyyy"; r.getCell(16).numFmt = "dd/mm/yyyy";
  r.commit();
}
await wb.commit();
console.log("written", Date.now() - t0);
